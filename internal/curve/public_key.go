// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package curve

import (
	"crypto/subtle"
	"encoding/hex"
	"fmt"
)

const (
	// DJBType is the type byte that prefixes a serialized Curve25519 public
	// key.
	DJBType = 0x05

	// PublicKeySize is the size of a raw X25519 public key (the
	// u-coordinate).
	PublicKeySize = 32

	// SerializedPublicKeySize is the size of a serialized public key:
	// DJBType ‖ raw key.
	SerializedPublicKeySize = 1 + PublicKeySize
)

// PublicKey is a Curve25519 public key: an X25519 u-coordinate. It is a
// small comparable value, cheap to copy. The zero value is the all-zero key,
// a low-order point that [PrivateKey.ECDH] rejects; see [PublicKey.IsZero].
type PublicKey struct {
	raw [PublicKeySize]byte
}

// NewPublicKey parses a serialized public key: exactly
// [SerializedPublicKeySize] bytes, the first of which is [DJBType].
// Otherwise it returns an error wrapping [ErrInvalidKey].
//
// libsignal accepts (and ignores) trailing bytes after the key; NewPublicKey
// does not, so every accepted input re-serializes to itself.
func NewPublicKey(serialized []byte) (PublicKey, error) {
	if len(serialized) != SerializedPublicKeySize {
		return PublicKey{}, fmt.Errorf("%w: serialized public key is %d bytes, want %d",
			ErrInvalidKey, len(serialized), SerializedPublicKeySize)
	}
	if serialized[0] != DJBType {
		return PublicKey{}, fmt.Errorf("%w: public key type 0x%02x, want 0x%02x",
			ErrInvalidKey, serialized[0], DJBType)
	}
	var k PublicKey
	copy(k.raw[:], serialized[1:])
	return k, nil
}

// NewPublicKeyRaw parses a raw X25519 public key of exactly [PublicKeySize]
// bytes. Otherwise it returns an error wrapping [ErrInvalidKey].
func NewPublicKeyRaw(raw []byte) (PublicKey, error) {
	if len(raw) != PublicKeySize {
		return PublicKey{}, fmt.Errorf("%w: raw public key is %d bytes, want %d",
			ErrInvalidKey, len(raw), PublicKeySize)
	}
	var k PublicKey
	copy(k.raw[:], raw)
	return k, nil
}

// Bytes returns the serialized form of k, DJBType ‖ raw key, in a new
// [SerializedPublicKeySize]-byte slice.
func (k PublicKey) Bytes() []byte {
	return k.AppendBytes(make([]byte, 0, SerializedPublicKeySize))
}

// AppendBytes appends the serialized form of k to dst and returns the
// extended slice.
func (k PublicKey) AppendBytes(dst []byte) []byte {
	dst = append(dst, DJBType)
	return append(dst, k.raw[:]...)
}

// Raw returns the raw X25519 u-coordinate.
func (k PublicKey) Raw() [PublicKeySize]byte {
	return k.raw
}

// Equal reports whether k and o are the same key, in constant time.
func (k PublicKey) Equal(o PublicKey) bool {
	return subtle.ConstantTimeCompare(k.raw[:], o.raw[:]) == 1
}

// IsZero reports whether k is the all-zero key, which is also the zero
// value of PublicKey.
func (k PublicKey) IsZero() bool {
	return k.raw == [PublicKeySize]byte{}
}

// String returns the serialized key in hex. Public keys are not secret.
func (k PublicKey) String() string {
	return hex.EncodeToString(k.Bytes())
}
