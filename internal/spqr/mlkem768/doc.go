// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package mlkem768 implements ML-KEM-768 (FIPS 203) as an incremental KEM,
// the way SPQR, Signal's sparse post-quantum ratchet, uses it (Signal, "The
// ML-KEM Braid Protocol", sections "Incremental KEMs" and "ML-KEM as an
// incremental KEM"; libsignal's spqr crate over libcrux's
// mlkem768::incremental).
//
// # Incremental encapsulation
//
// SPQR sends an encapsulation key in two parts, so that the peer can start
// encapsulating before the large part has arrived:
//
//   - the header, [HeaderSize] bytes: ρ ‖ H(ek), where ρ is the 32-byte
//     matrix seed (the last 32 bytes of the standard 1184-byte
//     encapsulation key ek) and H(ek) = SHA3-256(ek);
//   - the encapsulation key vector, [EncapsulationKeySize] bytes: the
//     first bytes of ek, ByteEncode12(t̂).
//
// [Encapsulate1] needs only the header. It draws the message m, derives
// the shared secret and the encryption coins (K, r) = SHA3-512(m ‖ H(ek))
// (FIPS 203, Algorithm 17), and returns the first ciphertext part ct1
// ([Ciphertext1Size] bytes, the compressed vector u, which depends on ek
// only through ρ), the shared secret, and a secret state. Once the vector
// arrives, [Encapsulate2] checks it against the header and returns the
// second part ct2 ([Ciphertext2Size] bytes, the compressed polynomial v).
//
// ct1 ‖ ct2 is exactly the standard ML-KEM-768 ciphertext of
// ML-KEM.Encaps_internal(ek, m), so the key owner decapsulates it with
// standard ML-KEM.Decaps ([DecapsulationKey.Decapsulate], crypto/mlkem,
// libsignal). Tests check this bit for bit against crypto/mlkem and the
// Wycheproof vectors.
//
// # What it guarantees
//
// Every length is checked: a wrong-length input gives an error wrapping
// [ErrInvalidLength], never a panic. [Encapsulate2] and
// [EncapsulationKeyMatchesHeader] accept a vector only if SHA3-256(vector
// ‖ ρ) equals the H(ek) of the header (compared in constant time) and the
// vector passes the modulus check of FIPS 203, section 7.2; otherwise
// [ErrInvalidEncapsulationKey], without saying which check failed. The
// hash binds the shared secret of [Encapsulate1] to that one key, as
// K-PKE's use of H(ek) does in standard encapsulation. [Encapsulate1]
// cannot check the key: its secret is only useful once [Encapsulate2] has
// succeeded. Decapsulation uses implicit rejection: a ciphertext of the
// right length that was not made for the key yields an unrelated secret,
// not an error.
//
// Encapsulation is IND-CCA2 secure but not authenticated: the header, the
// vector and the ciphertext parts are not authenticated here, which is the
// job of the SPQR protocol layer above.
//
// # Randomness
//
// [GenerateKey] reads exactly [SeedSize] bytes (the seed d ‖ z) and
// [Encapsulate1] exactly [MessageSize] bytes (m) from the reader given to
// them (crypto/rand.Reader if nil), and their results depend only on those
// bytes and their other inputs, so a fixed reader gives reproducible test
// vectors. [Encapsulate2] reads no randomness: it re-derives r from the m
// kept in the state.
//
// # State
//
// The encapsulation state is [StateSize] bytes, m (32 bytes) ‖ header (64
// bytes). It holds m, from which the shared secret follows, so it is as
// secret as the shared secret and must be stored and wiped like it.
//
// # Implementation and performance
//
// Key generation and decapsulation are crypto/mlkem's. Encapsulation uses
// K-PKE.Encrypt from github.com/cloudflare/circl/pke/kyber/kyber768, which
// is the same algorithm in ML-KEM (FIPS 203 changed only the outer
// transform and key checks): [Encapsulate1] runs it under the key 0 ‖ ρ
// and keeps u, [Encapsulate2] runs it under the real key and keeps v. Each
// expands the matrix Â from ρ, so the two halves together cost about twice
// one standard encapsulation. After every call into circl the package
// executes VZEROUPPER on CPUs with AVX2, because circl's AVX2 assembly
// leaves the upper halves of the YMM registers dirty, which makes every
// later SHA-NI instruction (SHA-256, HKDF, HMAC) in the process about 30
// times slower on Intel CPUs.
//
// # Secrets
//
// m, r, K and the intermediate ciphertext buffers are cleared before the
// functions return, and a [DecapsulationKey] formats as a prefix of its
// public header only. Returned secrets are fresh slices that the caller
// should clear. Go cannot guarantee erasure: the garbage collector, the
// stack, crypto/sha3's and circl's internal state may leave copies.
//
// # Layering
//
// mlkem768 is an internal building block of SPQR (internal/spqr). It
// imports only the standard library and circl.
package mlkem768
