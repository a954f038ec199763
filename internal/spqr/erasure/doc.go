// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package erasure implements the systematic erasure code that Signal's
// sparse post-quantum ratchet (SPQR, signalapp/SparsePostQuantumRatchet
// v1.5.3) uses to send a long byte string in [ChunkSize]-byte chunks, so
// that the receiver can rebuild it from any n distinct chunks, where n is
// the message length divided by [ChunkSize] (rounded up). Chunks travel on
// the wire between crossseal and libsignal, so the code is bit-exact with
// SPQR's.
//
// # The code
//
// Arithmetic is in GF(2^16) with the reduction polynomial
// x^16 + x^12 + x^3 + x + 1 (0x1100B). A message of even length L is read
// as L/2 big-endian 16-bit values; value i is the point (i/16, value) of
// polynomial i mod 16. Each of the 16 polynomials is the unique polynomial
// of lowest degree through its points, and chunk c holds, for j = 0..15,
// polynomial j evaluated at x = c as two big-endian bytes. The first L/32
// chunks are therefore the message itself ("systematic"); later chunks are
// redundancy. An [Encoder] emits chunks 0, 1, 2, ... in order (the 16-bit
// chunk index wraps after 65535), and a [Decoder] collects chunks with
// distinct indices, in any order, until it can rebuild the message by
// Lagrange interpolation.
//
// # Guarantees
//
// The code provides no authentication and no secrecy: chunks are public on
// the wire, and a chunk altered in transit makes the decoder return a wrong
// message without noticing. SPQR authenticates the decoded message with a
// MAC that is part of it. Arithmetic is not constant time, since it only
// touches public data. A [Decoder] never panics on any chunk and holds at
// most n chunks, with n bounded by [MaxDecoderMessageSize].
//
// # Layering
//
// erasure is an internal building block of the SPQR ratchet. It imports
// only the standard library.
package erasure
