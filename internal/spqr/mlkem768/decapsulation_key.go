// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package mlkem768

import (
	"crypto/mlkem"
	"crypto/sha3"
	"encoding/hex"
	"fmt"
	"io"
)

// DecapsulationKey is an ML-KEM-768 decapsulation key (FIPS 203) together
// with its encapsulation key, split into the header and the encapsulation
// key vector that SPQR sends separately. It is safe for concurrent use.
// The zero value is not a usable key: its methods return nil or
// [ErrInvalidDecapsulationKey].
//
// A DecapsulationKey is secret. It formats (String, GoString and every fmt
// verb) as a prefix of its public header only.
type DecapsulationKey struct {
	dk       *mlkem.DecapsulationKey768
	header   [HeaderSize]byte           // ρ ‖ H(ek)
	ekVector [EncapsulationKeySize]byte // ByteEncode12(t̂)
}

// GenerateKey returns a new decapsulation key made from exactly [SeedSize]
// bytes read from rand (crypto/rand.Reader if nil), the seed d ‖ z of FIPS
// 203, Algorithm 16 (ML-KEM.KeyGen_internal). The same bytes always give
// the same key. If reading fails it returns an error wrapping the reader's
// error. The key must be kept secret.
func GenerateKey(rand io.Reader) (*DecapsulationKey, error) {
	var seed [SeedSize]byte
	defer clear(seed[:])
	if _, err := io.ReadFull(randOrDefault(rand), seed[:]); err != nil {
		return nil, fmt.Errorf("mlkem768: reading key randomness: %w", err)
	}
	return NewDecapsulationKey(seed[:])
}

// NewDecapsulationKey derives the decapsulation key from a [SeedSize]-byte
// seed d ‖ z (FIPS 203, Algorithm 16, ML-KEM.KeyGen_internal), as
// [DecapsulationKey.Seed] returns it. It returns an error wrapping
// [ErrInvalidLength] if seed has the wrong length. seed is not retained;
// the caller should clear it.
func NewDecapsulationKey(seed []byte) (*DecapsulationKey, error) {
	if len(seed) != SeedSize {
		return nil, fmt.Errorf("%w: seed is %d bytes, want %d", ErrInvalidLength, len(seed), SeedSize)
	}
	dk, err := mlkem.NewDecapsulationKey768(seed)
	if err != nil {
		// Unreachable: the length is crypto/mlkem's only reason to fail.
		return nil, fmt.Errorf("%w: %v", ErrInvalidLength, err)
	}
	k := &DecapsulationKey{dk: dk}
	ek := dk.EncapsulationKey().Bytes()
	copy(k.ekVector[:], ek[:EncapsulationKeySize])
	copy(k.header[headerRho:headerHash], ek[EncapsulationKeySize:])
	h := sha3.Sum256(ek)
	copy(k.header[headerHash:], h[:])
	return k, nil
}

// Seed returns a fresh copy of the [SeedSize]-byte seed d ‖ z the key was
// derived from, its storage form for [NewDecapsulationKey], or nil for a
// nil or zero key. The seed must be kept secret.
func (k *DecapsulationKey) Seed() []byte {
	if k == nil || k.dk == nil {
		return nil
	}
	return k.dk.Bytes()
}

// Header returns a fresh copy of the [HeaderSize]-byte header ρ ‖ H(ek),
// where ρ is the last 32 bytes of the standard encapsulation key ek and H
// is SHA3-256 over all of ek, or nil for a nil or zero key. It is public.
func (k *DecapsulationKey) Header() []byte {
	if k == nil || k.dk == nil {
		return nil
	}
	h := make([]byte, HeaderSize)
	copy(h, k.header[:])
	return h
}

// EncapsulationKeyVector returns a fresh copy of the
// [EncapsulationKeySize]-byte encapsulation key vector, the first bytes of
// the standard encapsulation key (ByteEncode12 of t̂), or nil for a nil or
// zero key. It is public.
func (k *DecapsulationKey) EncapsulationKeyVector() []byte {
	if k == nil || k.dk == nil {
		return nil
	}
	v := make([]byte, EncapsulationKeySize)
	copy(v, k.ekVector[:])
	return v
}

// EncapsulationKey returns a fresh copy of the standard
// [StandardEncapsulationKeySize]-byte ML-KEM-768 encapsulation key,
// encapsulation key vector ‖ ρ, or nil for a nil or zero key. It is
// public.
func (k *DecapsulationKey) EncapsulationKey() []byte {
	if k == nil || k.dk == nil {
		return nil
	}
	return k.dk.EncapsulationKey().Bytes()
}

// Decapsulate returns the [SharedSecretSize]-byte shared secret of the
// ciphertext ct1 ‖ ct2 (FIPS 203, Algorithm 18, ML-KEM.Decaps, by
// crypto/mlkem). A ciphertext of the right length that was not made for
// this key yields an unrelated, pseudorandom secret and no error
// (implicit rejection). It returns an error wrapping [ErrInvalidLength] if
// ct1 is not [Ciphertext1Size] or ct2 not [Ciphertext2Size] bytes, and
// [ErrInvalidDecapsulationKey] for a nil or zero key. The shared secret
// must be kept secret.
func (k *DecapsulationKey) Decapsulate(ct1, ct2 []byte) ([]byte, error) {
	if k == nil || k.dk == nil {
		return nil, ErrInvalidDecapsulationKey
	}
	if len(ct1) != Ciphertext1Size || len(ct2) != Ciphertext2Size {
		return nil, fmt.Errorf("%w: ciphertext parts are %d and %d bytes, want %d and %d",
			ErrInvalidLength, len(ct1), len(ct2), Ciphertext1Size, Ciphertext2Size)
	}
	var ct [CiphertextSize]byte
	copy(ct[:Ciphertext1Size], ct1)
	copy(ct[Ciphertext1Size:], ct2)
	ss, err := k.dk.Decapsulate(ct[:])
	if err != nil {
		// Unreachable: the length is crypto/mlkem's only reason to fail.
		return nil, fmt.Errorf("%w: %v", ErrInvalidLength, err)
	}
	return ss, nil
}

// String returns "mlkem768.DecapsulationKey{header: <hex prefix>…}" with
// the first 8 bytes of the public header, or a placeholder for a nil or
// zero key. It never includes secret material.
func (k *DecapsulationKey) String() string {
	if k == nil || k.dk == nil {
		return "mlkem768.DecapsulationKey{}"
	}
	return "mlkem768.DecapsulationKey{header: " + hex.EncodeToString(k.header[:8]) + "…}"
}

// GoString returns the same as [DecapsulationKey.String].
func (k *DecapsulationKey) GoString() string { return k.String() }

// Format writes [DecapsulationKey.String] for every verb, so that no fmt
// verb (%x, %v, %+v, %#v, ...) prints secret material.
func (k *DecapsulationKey) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.String()) }
