// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package mlkem768

// Sizes of the byte strings this package reads and writes.
const (
	// HeaderSize is the size of a header: ρ (32 bytes) ‖ H(ek) (32 bytes).
	HeaderSize = rhoSize + hashSize

	// EncapsulationKeySize is the size of an encapsulation key vector, the
	// ByteEncode12 encoding of t̂ that makes up the first bytes of a
	// standard ML-KEM-768 encapsulation key.
	EncapsulationKeySize = 1152

	// Ciphertext1Size is the size of the first ciphertext part, the
	// compressed vector u (the first bytes of a standard ciphertext).
	Ciphertext1Size = 960

	// Ciphertext2Size is the size of the second ciphertext part, the
	// compressed polynomial v (the last bytes of a standard ciphertext).
	Ciphertext2Size = 128

	// CiphertextSize is the size of a standard ML-KEM-768 ciphertext,
	// ct1 ‖ ct2.
	CiphertextSize = Ciphertext1Size + Ciphertext2Size

	// StandardEncapsulationKeySize is the size of a standard ML-KEM-768
	// encapsulation key, encapsulation key vector ‖ ρ.
	StandardEncapsulationKeySize = EncapsulationKeySize + rhoSize

	// SharedSecretSize is the size of the shared secret.
	SharedSecretSize = 32

	// SeedSize is the size of a decapsulation key seed, d ‖ z of FIPS 203
	// ML-KEM.KeyGen_internal.
	SeedSize = 64

	// MessageSize is the number of random bytes [Encapsulate1] reads: the
	// message m of FIPS 203 ML-KEM.Encaps_internal.
	MessageSize = 32

	// StateSize is the size of the encapsulation state that
	// [Encapsulate1] returns and [Encapsulate2] takes: m (32 bytes) ‖
	// header (64 bytes).
	StateSize = MessageSize + HeaderSize
)

const (
	rhoSize  = 32 // ρ, the seed of the matrix Â
	hashSize = 32 // H(ek) = SHA3-256(ek)

	// Layout of the header.
	headerRho  = 0
	headerHash = rhoSize

	// Layout of the state.
	stateMessage = 0
	stateHeader  = MessageSize

	// q is the ML-KEM modulus.
	q = 3329
)
