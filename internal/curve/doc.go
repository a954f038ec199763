// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package curve implements Curve25519 keys in the Signal serialized form and
// XEdDSA signatures, byte-compatible with libsignal and go.mau.fi/libsignal.
//
// # Keys
//
// A [PublicKey] is an X25519 u-coordinate. On the wire it is serialized as
// [DJBType] ‖ 32-byte key ([SerializedPublicKeySize] bytes). A [PrivateKey]
// is a clamped 32-byte X25519 scalar held as a parsed *ecdh.PrivateKey, so
// each [PrivateKey.ECDH] costs one scalar multiplication. ECDH rejects an
// all-zero shared secret (a low-order peer key) with [ErrLowOrderPoint], as
// the Signal specifications require.
//
// # Signatures
//
// [PrivateKey.Sign] and [Verify] implement XEdDSA over Curve25519
// (https://signal.org/docs/specifications/xeddsa/) the way libsignal deploys
// it (rust/core/src/curve/curve25519.rs): instead of negating the private
// scalar so that the Edwards public key has sign bit 0, the signer stores
// the sign bit of its Edwards public key in the top bit of the signature's
// last byte, and the verifier takes it from there. Signatures are
// randomized: 64 bytes of randomness enter the nonce hash.
//
// Verify follows libsignal's verify_signature: the top bit of the
// u-coordinate is ignored and u is reduced modulo p; u = -1 is rejected; R
// must be the canonical encoding of s·B - h·A. It is stricter in one place:
// it rejects a non-canonical s (s ≥ L), as go.mau.fi/libsignal and RFC 8032
// do, where libsignal only rejects s ≥ 2^253. Honest signers never produce
// such an s.
//
// # Secrets
//
// A PrivateKey formats (String, GoString and every fmt verb) as its public
// key only. Buffers holding secret material are cleared with clear() once
// they are no longer needed, but Go cannot guarantee erasure: the garbage
// collector and the stack may leave copies.
//
// # Layering
//
// curve is an internal building block used by x3dh, ratchet, session and
// the sender-key code. It imports only the standard library and
// filippo.io/edwards25519.
package curve
