// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package kem adapts the key-encapsulation mechanisms of PQXDH (Signal,
// "The PQXDH Key Agreement Protocol", revision 3, section 2.2) to the
// byte formats libsignal uses (rust/protocol/src/kem.rs), over the
// implementations in github.com/cloudflare/circl.
//
// # Key types
//
// Two parameter sets are supported, told apart by a type byte that prefixes
// every serialized key and ciphertext:
//
//   - [Kyber1024] (0x08): CRYSTALS-Kyber-1024 as submitted to round 3 of the
//     NIST competition. This is what libsignal generates for KEM prekeys.
//   - [MLKEM1024] (0x0A): ML-KEM-1024 (FIPS 203). libsignal parses this type
//     only when built with its non-default "mlkem1024" feature.
//
// Both have the same sizes: a [PublicKey] serializes to type ‖ 1568 bytes
// ([SerializedPublicKeySize]), a ciphertext to type ‖ 1568 bytes
// ([SerializedCiphertextSize]), a [PrivateKey] to type ‖ 3168 bytes
// ([SerializedPrivateKeySize], the expanded decapsulation key of FIPS 203,
// dk_PKE ‖ ek ‖ H(ek) ‖ z, which is also libsignal's stored form), and the
// shared secret is [SharedSecretSize] bytes.
//
// # What it guarantees
//
// Parsing is strict: a serialized key or ciphertext of the wrong length or
// with an unknown type byte is rejected, an encapsulation key must pass the
// modulus check of FIPS 203 section 7.2 and a decapsulation key the hash
// check of section 7.3 (for Kyber1024 as well, although round-3 Kyber did
// not require them; libsignal never produces keys that fail them). Every
// accepted input re-serializes to itself. Decapsulating a ciphertext of the
// right length never fails: a ciphertext that was not produced for the key
// yields an unrelated, random-looking secret (implicit rejection), so the
// failure shows up later as a MAC failure.
//
// Encapsulation is IND-CCA2 secure but not authenticated: PQXDH
// authenticates the public key with an XEdDSA signature (package x3dh).
//
// # Randomness
//
// [GenerateKeyPair] reads exactly [SeedSize] bytes and [PublicKey.Encapsulate]
// exactly [EncapsulationSeedSize] bytes from the reader given to them
// (crypto/rand.Reader if nil), and their results depend only on those bytes,
// so a fixed reader gives reproducible test vectors. For ML-KEM-1024 the
// seed is d ‖ z of ML-KEM.KeyGen_internal and the encapsulation bytes are m
// of ML-KEM.Encaps_internal; for Kyber1024 the round-3 specification's
// d ‖ z and the pre-hash m.
//
// # Performance
//
// A [PrivateKey] keeps the expanded decapsulation key in circl's parsed
// form, and a [PublicKey] its parsed encapsulation key, so repeated
// operations do not re-derive them.
//
// # Secrets
//
// A PrivateKey formats (String, GoString and every fmt verb) as its type
// and a prefix of its public key only. Shared secrets are returned in fresh
// slices that the caller should clear. Go cannot guarantee erasure: the
// garbage collector and the stack may leave copies.
//
// # Layering
//
// kem is an internal building block used by x3dh (PQXDH) and, later, the
// session layer. It imports only the standard library and circl.
package kem
