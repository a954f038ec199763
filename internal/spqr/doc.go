// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package spqr implements SPQR, Signal's sparse post-quantum ratchet, as
// deployed in libsignal (protocol v4): the ML-KEM Braid (Signal's "ML-KEM
// Braid" specification: an ML-KEM-768 key exchange run continuously, one
// epoch after another, with keys and ciphertexts sent in 32-byte
// erasure-coded chunks, one per message, and authenticated with an
// evolving MAC key) and the symmetric chain that turns each epoch's secret
// into per-message keys (the third ratchet of the "Triple Ratchet").
//
// Every Double Ratchet message of a v4 session carries one SPQR message
// (SignalMessage field 5), produced by [State.Send] and consumed by
// [State.Recv]; the 32-byte key each returns salts the message keys.
//
// Only version 1 is spoken, and required: a v4 session whose peer sends no
// SPQR message, a message of another version, or index 0 (no key) is
// rejected rather than silently downgraded to the classical ratchet.
//
// The bytes on the wire follow the SPQR crate (signalapp/SparsePostQuantumRatchet
// v1.5.3) exactly; the stored state is crossseal's own (proto/spqr.proto).
package spqr
