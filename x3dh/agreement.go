// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package x3dh

import (
	"errors"
	"fmt"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/kdf"
)

// SharedSecret is the output of X3DH as libsignal splits it: the first root
// key and the first chain key of the Double Ratchet. It is secret.
type SharedSecret struct {
	RootKey  [kdf.KeySize]byte
	ChainKey [kdf.KeySize]byte
}

// String hides the secret.
func (SharedSecret) String() string { return "x3dh.SharedSecret{…}" }

// GoString hides the secret.
func (s SharedSecret) GoString() string { return s.String() }

// Format hides the secret, whatever the verb.
func (s SharedSecret) Format(f fmt.State, _ rune) { fmt.Fprint(f, s.String()) }

// Clear overwrites the secret.
func (s *SharedSecret) Clear() { clear(s.RootKey[:]); clear(s.ChainKey[:]) }

// discontinuity is the 32 0xFF bytes X3DH prepends to the DH outputs
// (section 2.2, "F"), so the IKM can never be mistaken for an XEdDSA input.
var discontinuity = [32]byte{
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
}

// InitiatorParameters are Alice's inputs to X3DH (section 3.3).
type InitiatorParameters struct {
	// OurIdentity is IK_A.
	OurIdentity *curve.PrivateKey
	// OurBase is the ephemeral EK_A.
	OurBase *curve.PrivateKey
	// Bundle is Bob's prekey bundle; it is verified again here.
	Bundle *Bundle
}

// ResponderParameters are Bob's inputs to X3DH (section 3.4).
type ResponderParameters struct {
	// OurIdentity is IK_B.
	OurIdentity *curve.PrivateKey
	// OurSignedPreKey is SPK_B.
	OurSignedPreKey *curve.PrivateKey
	// OurOneTimePreKey is OPK_B, or nil if Alice used none.
	OurOneTimePreKey *curve.PrivateKey
	// TheirIdentity is IK_A and TheirBase is EK_A.
	TheirIdentity PublicKey
	TheirBase     PublicKey
}

// Initiate runs X3DH as the initiator. It verifies the bundle's signature
// before computing any DH, then derives
//
//	DH1 = DH(IK_A, SPK_B), DH2 = DH(EK_A, IK_B), DH3 = DH(EK_A, SPK_B),
//	DH4 = DH(EK_A, OPK_B) if present,
//	SK  = HKDF(F ‖ DH1 ‖ DH2 ‖ DH3 [‖ DH4], salt = 0, info = "WhisperText").
func Initiate(p InitiatorParameters) (SharedSecret, error) {
	if p.OurIdentity == nil || p.OurBase == nil {
		return SharedSecret{}, fmt.Errorf("%w: missing local key", ErrInvalidBundle)
	}
	if err := p.Bundle.Verify(); err != nil {
		return SharedSecret{}, err
	}
	b := p.Bundle
	steps := []struct {
		priv *curve.PrivateKey
		pub  PublicKey
	}{
		{p.OurIdentity, b.SignedPreKey},
		{p.OurBase, b.IdentityKey},
		{p.OurBase, b.SignedPreKey},
	}
	if b.HasPreKey {
		steps = append(steps, struct {
			priv *curve.PrivateKey
			pub  PublicKey
		}{p.OurBase, b.PreKey})
	}
	ikm := make([]byte, 0, 32*5)
	ikm = append(ikm, discontinuity[:]...)
	for _, s := range steps {
		var err error
		if ikm, err = appendDH(ikm, s.priv, s.pub); err != nil {
			return SharedSecret{}, err
		}
	}
	return derive(ikm), nil
}

// Respond runs X3DH as the responder, mirroring [Initiate]:
//
//	DH1 = DH(SPK_B, IK_A), DH2 = DH(IK_B, EK_A), DH3 = DH(SPK_B, EK_A),
//	DH4 = DH(OPK_B, EK_A) if a one-time prekey was used.
func Respond(p ResponderParameters) (SharedSecret, error) {
	if p.OurIdentity == nil || p.OurSignedPreKey == nil {
		return SharedSecret{}, fmt.Errorf("%w: missing local key", ErrInvalidBundle)
	}
	ikm := make([]byte, 0, 32*5)
	ikm = append(ikm, discontinuity[:]...)
	var err error
	if ikm, err = appendDH(ikm, p.OurSignedPreKey, p.TheirIdentity); err != nil {
		return SharedSecret{}, err
	}
	if ikm, err = appendDH(ikm, p.OurIdentity, p.TheirBase); err != nil {
		return SharedSecret{}, err
	}
	if ikm, err = appendDH(ikm, p.OurSignedPreKey, p.TheirBase); err != nil {
		return SharedSecret{}, err
	}
	if p.OurOneTimePreKey != nil {
		if ikm, err = appendDH(ikm, p.OurOneTimePreKey, p.TheirBase); err != nil {
			return SharedSecret{}, err
		}
	}
	return derive(ikm), nil
}

func appendDH(dst []byte, priv *curve.PrivateKey, pub PublicKey) ([]byte, error) {
	shared, err := priv.ECDH(pub)
	if err != nil {
		clear(dst)
		if errors.Is(err, curve.ErrLowOrderPoint) {
			return nil, ErrLowOrderKey
		}
		return nil, fmt.Errorf("x3dh: %w", err)
	}
	dst = append(dst, shared...)
	clear(shared)
	return dst, nil
}

func derive(ikm []byte) SharedSecret {
	var out [2 * kdf.KeySize]byte
	kdf.HKDF(out[:], ikm, nil, kdf.InfoX3DH)
	clear(ikm)
	var s SharedSecret
	copy(s.RootKey[:], out[:kdf.KeySize])
	copy(s.ChainKey[:], out[kdf.KeySize:])
	clear(out[:])
	return s
}
