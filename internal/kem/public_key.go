// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package kem

import (
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"github.com/crossseal/crossseal/internal/avx"
	"io"
)

// encapsulator is what circl's Kyber1024 and ML-KEM-1024 public keys have
// in common.
type encapsulator interface {
	EncapsulateTo(ct, ss, seed []byte)
}

// PublicKey is a KEM encapsulation key together with its type. It is a
// small value, cheap to copy, and safe for concurrent use. The zero value
// is not a usable key; see [PublicKey.IsZero]. Public keys are not secret.
type PublicKey struct {
	k *publicKey // immutable once built
}

type publicKey struct {
	serialized [SerializedPublicKeySize]byte // type ‖ ek
	enc        encapsulator                  // circl's parsed ek
}

// ParsePublicKey parses a serialized public key: exactly
// [SerializedPublicKeySize] bytes, a supported [Type] byte followed by an
// encapsulation key that passes the modulus check of FIPS 203, section 7.2
// (every coefficient below q = 3329). Otherwise it returns the zero
// PublicKey and an error wrapping [ErrInvalidKey]. serialized is not
// retained.
//
// libsignal (libcrux) does not run the modulus check for Kyber1024 and
// would reduce such a key instead; honest keys always pass it.
func ParsePublicKey(serialized []byte) (PublicKey, error) {
	if len(serialized) == 0 {
		return PublicKey{}, fmt.Errorf("%w: empty public key", ErrInvalidKey)
	}
	t := Type(serialized[0])
	if !t.Valid() {
		return PublicKey{}, fmt.Errorf("%w: unknown type %v", ErrInvalidKey, t)
	}
	if len(serialized) != SerializedPublicKeySize {
		return PublicKey{}, fmt.Errorf("%w: %v public key is %d bytes, want %d",
			ErrInvalidKey, t, len(serialized), SerializedPublicKeySize)
	}
	return newPublicKey(t, serialized[1:])
}

// newPublicKey parses a raw encapsulation key of exactly PublicKeySize
// bytes.
func newPublicKey(t Type, raw []byte) (PublicKey, error) {
	if !modulusCheck(raw) {
		return PublicKey{}, fmt.Errorf("%w: %v public key fails the modulus check", ErrInvalidKey, t)
	}
	pk, err := t.scheme().UnmarshalBinaryPublicKey(raw)
	avx.CleanUpperState()
	if err != nil {
		// Unreachable: the length and the modulus check are circl's only
		// reasons to fail.
		return PublicKey{}, fmt.Errorf("%w: %v", ErrInvalidKey, err)
	}
	enc, ok := pk.(encapsulator)
	if !ok {
		panic("crossseal/kem: internal error: circl public key type changed")
	}
	k := &publicKey{enc: enc}
	k.serialized[0] = byte(t)
	copy(k.serialized[1:], raw)
	return PublicKey{k}, nil
}

// modulusCheck reports whether the ByteEncode12-encoded vector t̂ at the
// start of an encapsulation key has every coefficient below q (FIPS 203,
// section 7.2, "Modulus check"). raw must be PublicKeySize bytes; the last
// 32 bytes (ρ) are not checked.
func modulusCheck(raw []byte) bool {
	const q = 3329
	bad := 0
	for i := 0; i+3 <= dkPKESize; i += 3 {
		b0, b1, b2 := int(raw[i]), int(raw[i+1]), int(raw[i+2])
		d1 := b0 | (b1&0x0F)<<8
		d2 := b1>>4 | b2<<4
		// (d - q) >> 31 is 1 exactly when d < q; accumulate failures
		// without branching on the key.
		bad |= 1 ^ ((d1 - q) >> 31 & 1)
		bad |= 1 ^ ((d2 - q) >> 31 & 1)
	}
	return bad == 0
}

// IsZero reports whether k is the zero PublicKey, which is not a key.
func (k PublicKey) IsZero() bool { return k.k == nil }

// Type returns the key's type, or 0 for the zero PublicKey.
func (k PublicKey) Type() Type {
	if k.k == nil {
		return 0
	}
	return Type(k.k.serialized[0])
}

// Bytes returns the serialized key, type ‖ encapsulation key, in a new
// [SerializedPublicKeySize]-byte slice, or nil for the zero PublicKey. This
// is the form that the KEM prekey signature covers.
func (k PublicKey) Bytes() []byte {
	if k.k == nil {
		return nil
	}
	return k.AppendBytes(make([]byte, 0, SerializedPublicKeySize))
}

// AppendBytes appends the serialized key to dst and returns the extended
// slice. It appends nothing for the zero PublicKey.
func (k PublicKey) AppendBytes(dst []byte) []byte {
	if k.k == nil {
		return dst
	}
	return append(dst, k.k.serialized[:]...)
}

// Equal reports whether k and o are the same key (type included). It runs
// in constant time for two non-zero keys.
func (k PublicKey) Equal(o PublicKey) bool {
	if k.k == nil || o.k == nil {
		return k.k == o.k
	}
	return subtle.ConstantTimeCompare(k.k.serialized[:], o.k.serialized[:]) == 1
}

// Encapsulate generates a shared secret and encapsulates it to k. It reads
// exactly [EncapsulationSeedSize] bytes from rand (crypto/rand.Reader if
// nil), and its results depend only on k and those bytes.
//
// ciphertext is serialized as type ‖ ciphertext
// ([SerializedCiphertextSize] bytes), the form that libsignal puts in
// PreKeySignalMessage.kyber_ciphertext. sharedSecret is
// [SharedSecretSize] bytes; it must be kept secret, and cleared when done.
func (k PublicKey) Encapsulate(rand io.Reader) (ciphertext, sharedSecret []byte, err error) {
	if k.k == nil {
		return nil, nil, fmt.Errorf("%w: zero public key", ErrInvalidKey)
	}
	var seed [EncapsulationSeedSize]byte
	defer clear(seed[:])
	if _, err := io.ReadFull(randOrDefault(rand), seed[:]); err != nil {
		return nil, nil, fmt.Errorf("kem: reading encapsulation randomness: %w", err)
	}
	ciphertext = make([]byte, SerializedCiphertextSize)
	ciphertext[0] = k.k.serialized[0]
	sharedSecret = make([]byte, SharedSecretSize)
	k.k.enc.EncapsulateTo(ciphertext[1:], sharedSecret, seed[:])
	avx.CleanUpperState()
	return ciphertext, sharedSecret, nil
}

// String returns the key's type and the first bytes of the key in hex.
// Public keys are not secret; the full key is 1569 bytes long.
func (k PublicKey) String() string {
	if k.k == nil {
		return "kem.PublicKey(zero)"
	}
	return fmt.Sprintf("kem.PublicKey(%v, %s…)", k.Type(), hex.EncodeToString(k.k.serialized[1:9]))
}
