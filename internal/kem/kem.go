// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package kem

import (
	"fmt"

	circlkem "github.com/cloudflare/circl/kem"
	"github.com/cloudflare/circl/kem/kyber/kyber1024"
	"github.com/cloudflare/circl/kem/mlkem/mlkem1024"
)

// Type is the KEM type byte that prefixes serialized keys and ciphertexts
// (libsignal rust/protocol/src/kem.rs, KeyType::value).
type Type byte

const (
	// Kyber1024 is CRYSTALS-Kyber-1024 (round 3), libsignal's KEM prekey
	// type.
	Kyber1024 Type = 0x08
	// MLKEM1024 is ML-KEM-1024 (FIPS 203).
	MLKEM1024 Type = 0x0A
)

// Sizes shared by both types. "Serialized" sizes include the type byte.
const (
	// PublicKeySize is the size of a raw encapsulation key.
	PublicKeySize = 1568
	// SerializedPublicKeySize is type ‖ encapsulation key.
	SerializedPublicKeySize = 1 + PublicKeySize
	// PrivateKeySize is the size of a raw expanded decapsulation key,
	// dk_PKE (1536) ‖ ek (1568) ‖ H(ek) (32) ‖ z (32).
	PrivateKeySize = 3168
	// SerializedPrivateKeySize is type ‖ decapsulation key.
	SerializedPrivateKeySize = 1 + PrivateKeySize
	// CiphertextSize is the size of a raw ciphertext.
	CiphertextSize = 1568
	// SerializedCiphertextSize is type ‖ ciphertext, the form carried in
	// PreKeySignalMessage.kyber_ciphertext.
	SerializedCiphertextSize = 1 + CiphertextSize
	// SharedSecretSize is the size of the encapsulated shared secret.
	SharedSecretSize = 32
	// SeedSize is the number of random bytes [GenerateKeyPair] reads.
	SeedSize = 64
	// EncapsulationSeedSize is the number of random bytes
	// [PublicKey.Encapsulate] reads.
	EncapsulationSeedSize = 32
)

// Layout of the expanded decapsulation key (FIPS 203, Algorithm 16).
const (
	dkPKESize  = 1536 // ByteEncode12 of ŝ, k = 4
	ekOffset   = dkPKESize
	hashOffset = ekOffset + PublicKeySize
	zOffset    = hashOffset + 32
)

// String returns the type's name, or its value in hex if it is unknown.
func (t Type) String() string {
	switch t {
	case Kyber1024:
		return "Kyber1024"
	case MLKEM1024:
		return "ML-KEM-1024"
	}
	return fmt.Sprintf("kem.Type(0x%02x)", byte(t))
}

// Valid reports whether t is a supported type.
func (t Type) Valid() bool { return t == Kyber1024 || t == MLKEM1024 }

// scheme returns circl's implementation of t, or nil.
func (t Type) scheme() circlkem.Scheme {
	switch t {
	case Kyber1024:
		return kyber1024.Scheme()
	case MLKEM1024:
		return mlkem1024.Scheme()
	}
	return nil
}

// The sizes above are circl's; check it at start-up so that a change in the
// dependency cannot turn into a slicing panic.
func init() {
	for _, t := range []Type{Kyber1024, MLKEM1024} {
		s := t.scheme()
		if s.PublicKeySize() != PublicKeySize || s.PrivateKeySize() != PrivateKeySize ||
			s.CiphertextSize() != CiphertextSize || s.SharedKeySize() != SharedSecretSize ||
			s.SeedSize() != SeedSize || s.EncapsulationSeedSize() != EncapsulationSeedSize {
			panic("crossseal/kem: internal error: circl sizes changed for " + t.String())
		}
	}
}
