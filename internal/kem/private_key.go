// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package kem

import (
	"crypto/rand"
	"crypto/sha3"
	"crypto/subtle"
	"fmt"
	"github.com/crossseal/crossseal/internal/avx"
	"io"

	circlkem "github.com/cloudflare/circl/kem"
)

// decapsulator is what circl's Kyber1024 and ML-KEM-1024 private keys have
// in common.
type decapsulator interface {
	circlkem.PrivateKey
	DecapsulateTo(ss, ct []byte)
	Pack(buf []byte)
}

// PrivateKey is a KEM decapsulation key, kept expanded (circl's parsed
// form) so that decapsulation does not re-derive it. It is safe for
// concurrent use. Create it with [GenerateKeyPair] or [ParsePrivateKey];
// the zero value is not usable. Every fmt verb, String and GoString print
// only its type and a prefix of its public key.
type PrivateKey struct {
	pub PublicKey
	// Secret material sits two pointers deep, as in package curve, so that
	// fmt never reaches it even through a bad verb on a dereferenced key.
	secret *privateKeySecret
}

type privateKeySecret struct {
	key decapsulator
}

// GenerateKeyPair returns a new key pair of type t made from exactly
// [SeedSize] bytes read from rand (crypto/rand.Reader if nil). The same
// bytes always give the same keys. It returns an error wrapping
// [ErrInvalidKey] if t is not supported. The private key must be kept
// secret.
func GenerateKeyPair(t Type, rand io.Reader) (*PrivateKey, PublicKey, error) {
	if !t.Valid() {
		return nil, PublicKey{}, fmt.Errorf("%w: unknown type %v", ErrInvalidKey, t)
	}
	var seed [SeedSize]byte
	defer clear(seed[:])
	if _, err := io.ReadFull(randOrDefault(rand), seed[:]); err != nil {
		return nil, PublicKey{}, fmt.Errorf("kem: reading key randomness: %w", err)
	}
	k, err := keyPairFromSeed(t, seed[:])
	if err != nil {
		return nil, PublicKey{}, err
	}
	return k, k.pub, nil
}

// keyPairFromSeed derives the key pair of type t from a SeedSize-byte seed
// (d ‖ z).
func keyPairFromSeed(t Type, seed []byte) (*PrivateKey, error) {
	if !t.Valid() {
		return nil, fmt.Errorf("%w: unknown type %v", ErrInvalidKey, t)
	}
	if len(seed) != SeedSize {
		return nil, fmt.Errorf("%w: seed is %d bytes, want %d", ErrInvalidKey, len(seed), SeedSize)
	}
	pk, sk := t.scheme().DeriveKeyPair(seed)
	defer avx.CleanUpperState()
	return newPrivateKey(t, sk, pk)
}

func newPrivateKey(t Type, sk circlkem.PrivateKey, pk circlkem.PublicKey) (*PrivateKey, error) {
	dec, ok := sk.(decapsulator)
	enc, ok2 := pk.(encapsulator)
	if !ok || !ok2 {
		panic("crossseal/kem: internal error: circl key types changed")
	}
	raw, err := pk.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidKey, err)
	}
	p := &publicKey{enc: enc}
	p.serialized[0] = byte(t)
	copy(p.serialized[1:], raw)
	return &PrivateKey{pub: PublicKey{p}, secret: &privateKeySecret{key: dec}}, nil
}

// ParsePrivateKey parses a serialized private key as [PrivateKey.Bytes]
// returns it and as libsignal stores it: exactly
// [SerializedPrivateKeySize] bytes, a supported [Type] byte followed by
// the expanded decapsulation key dk_PKE ‖ ek ‖ H(ek) ‖ z. It checks that
// H(ek) matches (FIPS 203, section 7.3), that ek passes the modulus check,
// and that dk_PKE is canonically encoded, so that the key re-serializes to
// the same bytes. Otherwise it returns an error wrapping [ErrInvalidKey].
// serialized is not retained; the caller should clear it.
func ParsePrivateKey(serialized []byte) (*PrivateKey, error) {
	if len(serialized) == 0 {
		return nil, fmt.Errorf("%w: empty private key", ErrInvalidKey)
	}
	t := Type(serialized[0])
	if !t.Valid() {
		return nil, fmt.Errorf("%w: unknown type %v", ErrInvalidKey, t)
	}
	if len(serialized) != SerializedPrivateKeySize {
		return nil, fmt.Errorf("%w: %v private key is %d bytes, want %d",
			ErrInvalidKey, t, len(serialized), SerializedPrivateKeySize)
	}
	return newPrivateKeyFromExpanded(t, serialized[1:])
}

// newPrivateKeyFromExpanded parses a raw PrivateKeySize-byte expanded
// decapsulation key.
func newPrivateKeyFromExpanded(t Type, dk []byte) (*PrivateKey, error) {
	ek := dk[ekOffset:hashOffset]
	h := sha3.Sum256(ek)
	if subtle.ConstantTimeCompare(h[:], dk[hashOffset:zOffset]) != 1 {
		return nil, fmt.Errorf("%w: %v private key fails the hash check", ErrInvalidKey, t)
	}
	if !modulusCheck(ek) {
		return nil, fmt.Errorf("%w: %v private key's public key fails the modulus check", ErrInvalidKey, t)
	}
	defer avx.CleanUpperState()
	sk, err := t.scheme().UnmarshalBinaryPrivateKey(dk)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidKey, err)
	}
	k, err := newPrivateKey(t, sk, sk.Public())
	if err != nil {
		return nil, err
	}
	// circl reduces coefficients of dk_PKE modulo q; insist on the
	// canonical encoding so that Bytes gives back what was parsed.
	var again [PrivateKeySize]byte
	defer clear(again[:])
	k.secret.key.Pack(again[:])
	if subtle.ConstantTimeCompare(again[:], dk) != 1 {
		return nil, fmt.Errorf("%w: %v private key is not canonically encoded", ErrInvalidKey, t)
	}
	return k, nil
}

// Type returns the key's type.
func (k *PrivateKey) Type() Type { return k.pub.Type() }

// PublicKey returns the encapsulation key of k.
func (k *PrivateKey) PublicKey() PublicKey { return k.pub }

// Bytes returns the serialized private key, type ‖ expanded decapsulation
// key, in a new [SerializedPrivateKeySize]-byte slice; [ParsePrivateKey]
// reads it back. The result must be kept secret; clear it when done.
func (k *PrivateKey) Bytes() []byte {
	out := make([]byte, SerializedPrivateKeySize)
	out[0] = byte(k.Type())
	k.secret.key.Pack(out[1:])
	avx.CleanUpperState()
	return out
}

// Decapsulate returns the shared secret encapsulated in ciphertext, which
// must be serialized as [PublicKey.Encapsulate] returns it: exactly
// [SerializedCiphertextSize] bytes starting with k's type byte. Otherwise
// it returns an error wrapping [ErrInvalidCiphertext].
//
// A well-formed ciphertext that was not made for k does not fail: it
// yields an unrelated, random-looking secret (implicit rejection). The
// secret is [SharedSecretSize] bytes; it must be kept secret, and cleared
// when done.
func (k *PrivateKey) Decapsulate(ciphertext []byte) ([]byte, error) {
	if k == nil || k.secret == nil {
		return nil, fmt.Errorf("%w: zero private key", ErrInvalidKey)
	}
	if len(ciphertext) == 0 {
		return nil, fmt.Errorf("%w: empty ciphertext", ErrInvalidCiphertext)
	}
	if t := Type(ciphertext[0]); t != k.Type() {
		return nil, fmt.Errorf("%w: ciphertext type %v for a %v key", ErrInvalidCiphertext, t, k.Type())
	}
	if len(ciphertext) != SerializedCiphertextSize {
		return nil, fmt.Errorf("%w: %v ciphertext is %d bytes, want %d",
			ErrInvalidCiphertext, k.Type(), len(ciphertext), SerializedCiphertextSize)
	}
	ss := make([]byte, SharedSecretSize)
	k.secret.key.DecapsulateTo(ss, ciphertext[1:])
	avx.CleanUpperState()
	return ss, nil
}

// String returns a description of k that shows only its type and a prefix
// of its public key.
func (k *PrivateKey) String() string {
	if k == nil || k.secret == nil {
		return "kem.PrivateKey(nil)"
	}
	return "kem.PrivateKey(public " + k.pub.String() + ")"
}

// GoString is like String: it never reveals the private key.
func (k *PrivateKey) GoString() string { return k.String() }

// Format implements fmt.Formatter so that every verb (%v, %+v, %#v, %s,
// %x, ...) prints String and never the private key.
func (k *PrivateKey) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.String()) }

func randOrDefault(r io.Reader) io.Reader {
	if r == nil {
		return rand.Reader
	}
	return r
}
