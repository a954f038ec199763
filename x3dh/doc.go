// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package x3dh implements the Extended Triple Diffie-Hellman key agreement
// (Signal, "The X3DH Key Agreement Protocol", revision 1, 2016-11-04) as
// libsignal deploys it for protocol version 3.
//
// # What it guarantees
//
// Both parties derive the same 32-byte root key and chain key only if the
// responder holds the private halves of the identity key and signed prekey in
// the bundle (and of the one-time prekey, if one was used). The signed prekey
// is authenticated by an XEdDSA signature from the identity key, which
// [Bundle.Verify] checks; [Initiate] verifies it again before any DH is
// computed. The agreement itself is not authenticated to third parties
// (deniability), and replays of the first message are prevented only by
// consuming the one-time prekey, which is the caller's job (package session).
//
// # Layering
//
// x3dh produces a shared secret; package session hands it to package ratchet.
// x3dh and ratchet never import each other.
package x3dh
