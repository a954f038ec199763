// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package maupeer is one INTEROP.md peer account backed by
// go.mau.fi/libsignal (v3 profile only): init, bundle, process_bundle,
// encrypt and decrypt as methods of [Peer]. The maupeer command wraps it
// in the JSON line protocol, and the in-process interop tests call it
// directly.
//
// Each [Peer.Init] generates a new identity, a new signed prekey and a new
// one-time prekey; no further one-time prekeys are generated after one is
// consumed (a driver that needs several sessions re-inits). Identities are
// trusted on first use. State is in memory only.
//
// Where go.mau.fi/libsignal falls short of INTEROP.md, Peer compensates
// (see [Peer.Decrypt]):
//
//   - a failed decrypt leaves the session unchanged: mau advances the
//     session before checking the MAC, so Peer snapshots the session
//     record and restores it on error;
//   - a message whose version byte is not 3 is rejected (mau accepts a
//     PreKeySignalMessage labelled version 2);
//   - a panic inside mau (it indexes wire bytes without length checks) is
//     recovered and returned as an error, and so is encrypting for a peer
//     without a session, which mau would dereference nil for.
//
// mau's default logger prints every debug line, key material included,
// to stdout; callers install another with maustore.SetupLogger before
// using a Peer. A Peer is not safe for concurrent use.
package maupeer
