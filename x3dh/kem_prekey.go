// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package x3dh

import (
	"fmt"
	"io"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/kem"
)

// KEMPreKey is the public part of a signed KEM prekey: PQSPK_B (the
// last-resort key) or PQOPK_B (a one-time key) of PQXDH, revision 3,
// section 3.2. libsignal calls it a Kyber prekey. All fields are public.
type KEMPreKey struct {
	// ID identifies the key to its owner; PreKeySignalMessage carries it
	// as kyber_pre_key_id.
	ID uint32
	// PublicKey is the KEM encapsulation key.
	PublicKey kem.PublicKey
	// Signature is the XEdDSA signature of the identity key over the
	// serialized PublicKey, type byte included (PQXDH section 3.2,
	// Sig(IK_B, EncodeKEM(PQPK_B)); libsignal
	// rust/protocol/src/state/kyber_prekey.rs).
	Signature []byte
}

// GenerateKEMPreKey generates a KEM key pair of type t and signs its
// public key with identity (IK_B). It reads kem.SeedSize bytes and then 64
// signature bytes from rand (crypto/rand.Reader if nil). The returned
// private key must be kept secret; [kem.PrivateKey.Bytes] serializes it for
// storage, in the form libsignal stores too.
//
// Publish [kem.Kyber1024] keys to be reachable from libsignal: its released
// builds (0.103) refuse [kem.MLKEM1024] prekeys ("bad KEM key type"), as
// interop/nodepeer's TestMLKEMPreKey checks.
func GenerateKEMPreKey(identity *curve.PrivateKey, id uint32, t kem.Type, rand io.Reader) (KEMPreKey, *kem.PrivateKey, error) {
	priv, pub, err := kem.GenerateKeyPair(t, rand)
	if err != nil {
		return KEMPreKey{}, nil, fmt.Errorf("x3dh: generating KEM prekey: %w", err)
	}
	k, err := SignKEMPreKey(identity, id, pub, rand)
	if err != nil {
		return KEMPreKey{}, nil, err
	}
	return k, priv, nil
}

// SignKEMPreKey signs pub with identity (IK_B) and returns the KEM prekey
// to publish. It reads 64 bytes from rand (crypto/rand.Reader if nil).
func SignKEMPreKey(identity *curve.PrivateKey, id uint32, pub kem.PublicKey, rand io.Reader) (KEMPreKey, error) {
	if identity == nil || pub.IsZero() {
		return KEMPreKey{}, fmt.Errorf("%w: missing key", ErrInvalidBundle)
	}
	var buf [kem.SerializedPublicKeySize]byte
	sig, err := identity.Sign(rand, pub.AppendBytes(buf[:0]))
	if err != nil {
		return KEMPreKey{}, fmt.Errorf("x3dh: signing KEM prekey: %w", err)
	}
	return KEMPreKey{ID: id, PublicKey: pub, Signature: sig}, nil
}

// Verify checks that k is complete and that its signature verifies under
// identity (IK_B) over the serialized public key. It returns an error
// matching [ErrInvalidBundle] or [ErrInvalidSignature]. See
// [VerifyKEMPreKey].
func (k KEMPreKey) Verify(identity PublicKey) error {
	return VerifyKEMPreKey(identity, k.PublicKey, k.Signature)
}

// VerifyKEMPreKey checks the signature of identity (IK_B) over the
// serialized KEM public key pub (type byte included), as libsignal's
// process_prekey_bundle does before using a bundle. It returns an error
// matching [ErrInvalidBundle] if a key is missing, or
// [ErrInvalidSignature].
func VerifyKEMPreKey(identity PublicKey, pub kem.PublicKey, signature []byte) error {
	if identity.IsZero() || pub.IsZero() {
		return fmt.Errorf("%w: missing KEM prekey or identity key", ErrInvalidBundle)
	}
	if len(signature) != curve.SignatureSize {
		return fmt.Errorf("%w: KEM prekey signature is %d bytes", ErrInvalidSignature, len(signature))
	}
	var buf [kem.SerializedPublicKeySize]byte
	if !curve.Verify(identity, signature, pub.AppendBytes(buf[:0])) {
		return fmt.Errorf("%w (KEM prekey)", ErrInvalidSignature)
	}
	return nil
}
