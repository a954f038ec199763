// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package x3dh

import (
	"fmt"

	"github.com/crossseal/crossseal/internal/curve"
)

// PublicKey is a Curve25519 public key, serialized on the wire as
// 0x05 ‖ 32 bytes.
type PublicKey = curve.PublicKey

// NewPublicKey parses a 33-byte serialized Curve25519 public key.
func NewPublicKey(serialized []byte) (PublicKey, error) { return curve.NewPublicKey(serialized) }

// Bundle is what a responder publishes so that others can start sessions
// with it without it being online (X3DH section 3.2). All fields are public.
type Bundle struct {
	// RegistrationID is the responder's registration id (1..16380 in Signal).
	RegistrationID uint32
	// DeviceID is the responder's device number.
	DeviceID uint32
	// IdentityKey is the responder's long-term identity key (IK_B).
	IdentityKey PublicKey
	// SignedPreKeyID and SignedPreKey are the medium-term prekey (SPK_B).
	SignedPreKeyID uint32
	SignedPreKey   PublicKey
	// SignedPreKeySignature is the XEdDSA signature of IK_B over the
	// 33-byte serialized SPK_B.
	SignedPreKeySignature []byte
	// HasPreKey says whether a one-time prekey (OPK_B) is included.
	HasPreKey bool
	// PreKeyID and PreKey are the one-time prekey, if HasPreKey.
	PreKeyID uint32
	PreKey   PublicKey
	// KEMPreKey is the signed KEM prekey (PQSPK_B or PQOPK_B) of a PQXDH
	// bundle, nil in an X3DH-only bundle. A session started from a bundle
	// with a KEM prekey is a v4 session.
	KEMPreKey *KEMPreKey
}

// Verify checks that the bundle is complete and that the signed prekey's
// signature verifies under the identity key. It returns an error matching
// [ErrInvalidBundle] or [ErrInvalidSignature].
func (b *Bundle) Verify() error {
	if b == nil || b.IdentityKey.IsZero() || b.SignedPreKey.IsZero() || (b.HasPreKey && b.PreKey.IsZero()) {
		return fmt.Errorf("%w: missing key", ErrInvalidBundle)
	}
	if len(b.SignedPreKeySignature) != curve.SignatureSize {
		return fmt.Errorf("%w: signature is %d bytes", ErrInvalidSignature, len(b.SignedPreKeySignature))
	}
	var spk [curve.SerializedPublicKeySize]byte
	if !curve.Verify(b.IdentityKey, b.SignedPreKeySignature, b.SignedPreKey.AppendBytes(spk[:0])) {
		return ErrInvalidSignature
	}
	return nil
}
