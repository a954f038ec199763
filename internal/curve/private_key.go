// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package curve

import (
	"crypto/ecdh"
	"crypto/rand"
	"fmt"
	"io"
	"sync"
)

// PrivateKeySize is the size of a serialized X25519 private key.
const PrivateKeySize = 32

// PrivateKey is a Curve25519 private key, usable for X25519 agreement and
// XEdDSA signing. It keeps the parsed key and its public key, and on first
// use by [PrivateKey.Sign] also the Edwards form needed for signing.
//
// A PrivateKey is safe for concurrent use. Create it with
// [GeneratePrivateKey] or [NewPrivateKey]; the zero value is not usable.
// Every fmt verb, String and GoString print the public key only.
type PrivateKey struct {
	pub PublicKey
	// Secret material sits two pointers deep: fmt dereferences one level
	// of an unexported pointer field when it reports a bad verb (such as %s
	// on a dereferenced PrivateKey), but prints deeper pointers as
	// addresses.
	secret *privateKeySecret
}

type privateKeySecret struct {
	key *ecdh.PrivateKey

	signOnce sync.Once
	signer   *signingKey // set by signOnce; see signingKeyOf
}

// GeneratePrivateKey returns a new private key made of exactly
// [PrivateKeySize] bytes read from rand, clamped as X25519 requires. The
// same bytes always give the same key, so a deterministic reader gives
// reproducible keys. If rand is nil, crypto/rand.Reader is used. The
// returned key must be kept secret.
func GeneratePrivateKey(rand io.Reader) (*PrivateKey, error) {
	var b [PrivateKeySize]byte
	defer clear(b[:])
	if _, err := io.ReadFull(randOrDefault(rand), b[:]); err != nil {
		return nil, fmt.Errorf("curve: reading key randomness: %w", err)
	}
	return newPrivateKey(&b)
}

// NewPrivateKey parses a [PrivateKeySize]-byte X25519 private key, or
// returns an error wrapping [ErrInvalidKey] if b has the wrong length. The
// key is clamped (k[0] &= 248, k[31] &= 127, k[31] |= 64) as libsignal does
// when it loads a key, so [PrivateKey.Bytes] may differ from b in those
// bits; X25519 and XEdDSA results do not depend on them. b is not retained.
func NewPrivateKey(b []byte) (*PrivateKey, error) {
	if len(b) != PrivateKeySize {
		return nil, fmt.Errorf("%w: private key is %d bytes, want %d",
			ErrInvalidKey, len(b), PrivateKeySize)
	}
	var c [PrivateKeySize]byte
	defer clear(c[:])
	copy(c[:], b)
	return newPrivateKey(&c)
}

// newPrivateKey clamps b in place and parses it.
func newPrivateKey(b *[PrivateKeySize]byte) (*PrivateKey, error) {
	clamp(b)
	key, err := ecdh.X25519().NewPrivateKey(b[:])
	if err != nil {
		// Only FIPS 140-only mode, which forbids X25519, gets here.
		return nil, fmt.Errorf("curve: %w", err)
	}
	k := &PrivateKey{secret: &privateKeySecret{key: key}}
	copy(k.pub.raw[:], key.PublicKey().Bytes())
	return k, nil
}

// clamp applies the X25519 clamping of RFC 7748, section 5.
func clamp(b *[PrivateKeySize]byte) {
	b[0] &= 248
	b[31] &= 127
	b[31] |= 64
}

func randOrDefault(r io.Reader) io.Reader {
	if r == nil {
		return rand.Reader
	}
	return r
}

// Bytes returns the clamped private key in a new [PrivateKeySize]-byte
// slice. The result must be kept secret; clear it when done.
func (k *PrivateKey) Bytes() []byte {
	return k.secret.key.Bytes()
}

// PublicKey returns the public key of k.
func (k *PrivateKey) PublicKey() PublicKey {
	return k.pub
}

// ECDH performs X25519 between k and pub and returns the 32-byte shared
// secret, which must be kept secret. It returns [ErrLowOrderPoint] if the
// result is all zeros, which happens exactly when pub is a low-order point.
// As RFC 7748 specifies, the top bit of pub is ignored and non-canonical
// values are reduced.
func (k *PrivateKey) ECDH(pub PublicKey) ([]byte, error) {
	remote, err := ecdh.X25519().NewPublicKey(pub.raw[:])
	if err != nil {
		// 32 bytes are always accepted outside FIPS 140-only mode.
		return nil, fmt.Errorf("curve: %w", err)
	}
	secret, err := k.secret.key.ECDH(remote)
	if err != nil {
		// The only failure crypto/ecdh reports for X25519 between keys of
		// the same curve is an all-zero output.
		return nil, ErrLowOrderPoint
	}
	return secret, nil
}

// String returns a description of k that shows only its public key.
func (k *PrivateKey) String() string {
	if k == nil || k.secret == nil {
		return "curve.PrivateKey(nil)"
	}
	return "curve.PrivateKey(public " + k.pub.String() + ")"
}

// GoString is like String: it never reveals the private key.
func (k *PrivateKey) GoString() string {
	return k.String()
}

// Format implements fmt.Formatter so that every verb (%v, %+v, %#v, %s,
// %x, ...) prints String and never the private key.
func (k *PrivateKey) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, k.String())
}

// KeyPair is a private key together with its public key.
type KeyPair struct {
	Private *PrivateKey
	Public  PublicKey
}

// GenerateKeyPair is [GeneratePrivateKey] returning a [KeyPair]. It reads
// exactly [PrivateKeySize] bytes from rand (crypto/rand.Reader if nil).
func GenerateKeyPair(rand io.Reader) (KeyPair, error) {
	k, err := GeneratePrivateKey(rand)
	if err != nil {
		return KeyPair{}, err
	}
	return KeyPair{Private: k, Public: k.PublicKey()}, nil
}
