// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package nodepeer runs the Node interop peer (../node/peer.mjs), the
// INTEROP.md JSON-lines peer around @signalapp/libsignal-client 0.103.0,
// which speaks the v4 profile (PQXDH with a Kyber1024 prekey, SPQR, the
// address binding) as current Signal clients do.
//
// [Command] returns a [driver.NewPeerFunc] that starts the peer, for
// driver.RunScenarios and for pairings with other peers. The peer needs the
// npm package installed: run `npm ci` in interop/node first. If it is
// missing, Command fails the test with that instruction; it never skips.
//
// The tests here run the driver scenarios node⇄node, a long ping-pong, and
// checks of the v4 formats against crossseal's internal/kem and x3dh:
// libsignal's KEM keys and signatures parse and verify in Go, a KEM prekey
// made in Go is accepted by libsignal, and libsignal's PreKeySignalMessage
// carries the KEM ciphertext as type byte ‖ ciphertext.
package nodepeer
