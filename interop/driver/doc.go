// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package driver runs the interop scenarios of /work/shared/INTEROP.md
// between two endpoints: peer processes, or implementations called
// in-process.
//
// An [Endpoint] has the INTEROP.md ops as methods. The usual endpoint is
// a [*Peer]: any program that speaks the INTEROP.md JSON line protocol on
// stdin and stdout (`crossseal peer`, the go.mau.fi/libsignal wrapper in
// ../cmd/maupeer, or a wrapper around another implementation). [Start]
// launches one and [Peer.Call] exchanges one request and response with a
// timeout, so a hung or crashed peer fails the test instead of hanging it.
// The typed helpers ([Peer.Init], [Peer.ProcessBundle], [Peer.Encrypt],
// [Peer.Decrypt]) tell a transport failure (the peer died, timed out or
// broke the framing) from an error the peer reported, which is a
// [*PeerError]. The adapters in ../inprocess are endpoints that call
// crossseal and go.mau.fi/libsignal directly, with no process or JSON in
// between; they report the implementation's errors as *PeerError too.
//
// [RunScenarios] runs every scenario of [Scenarios] as a subtest, with
// fresh endpoints and in both directions: once with the first endpoint
// starting the session and once with the second. The scenarios check what
// INTEROP.md promises: messages flow both ways, out-of-order delivery
// decrypts, a replayed message fails and changes nothing, a tampered
// message fails and the untampered original still decrypts, and
// malformed input is answered with an error while the peer keeps running.
// The malformed request lines are JSON-only: they are sent only to
// endpoints that are a *Peer. Failure messages name each endpoint with
// its implementation ([Describe]) when it reports one
// ([ImplementationNamer]).
//
// The driver is independent of any Signal implementation: it treats
// bundles as opaque JSON and messages as opaque bytes, except that the
// tamper scenario parses the wire format (version byte ‖ protobuf ‖ MAC)
// to find a ciphertext byte and the MAC.
package driver
