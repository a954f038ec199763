// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package x3dh

import (
	"fmt"
	"io"

	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"

	"github.com/crossseal/crossseal/internal/kdf"
	"github.com/crossseal/crossseal/internal/kem"
)

// PQSharedSecret is the output of PQXDH as libsignal splits it
// (rust/protocol/src/pqxdh.rs, HandshakeKeys): the first root key and
// chain key of the Double Ratchet, and the key that authenticates the
// post-quantum ratchet (SPQR's auth_key). It is secret.
type PQSharedSecret struct {
	RootKey  [kdf.KeySize]byte
	ChainKey [kdf.KeySize]byte
	// PQRatchetKey is the initial key of the SPQR post-quantum ratchet.
	PQRatchetKey [kdf.KeySize]byte
}

// String hides the secret.
func (PQSharedSecret) String() string { return "x3dh.PQSharedSecret{…}" }

// GoString hides the secret.
func (s PQSharedSecret) GoString() string { return s.String() }

// Format hides the secret, whatever the verb.
func (s PQSharedSecret) Format(f fmt.State, _ rune) { fmt.Fprint(f, s.String()) }

// Clear overwrites the secret.
func (s *PQSharedSecret) Clear() {
	clear(s.RootKey[:])
	clear(s.ChainKey[:])
	clear(s.PQRatchetKey[:])
}

// InitiatePQ runs PQXDH (revision 3, section 3.3) as the initiator, with
// the responder's KEM prekey given apart from the bundle. It first checks
// the bundle's signed prekey signature and the KEM prekey's signature, both
// under the bundle's identity key, and only then computes
//
//	DH1 = DH(IK_A, SPK_B), DH2 = DH(EK_A, IK_B), DH3 = DH(EK_A, SPK_B),
//	DH4 = DH(EK_A, OPK_B) if present,
//	(CT, SS) = PQPKEM-ENC(PQPK_B),
//	SK = HKDF(F ‖ DH1 ‖ DH2 ‖ DH3 [‖ DH4] ‖ SS, salt = 0,
//	          info = "WhisperText_X25519_SHA-256_CRYSTALS-KYBER-1024"),
//
// split into root key ‖ chain key ‖ PQ-ratchet key. libsignal uses the same
// info string for both KEM types. It reads exactly
// [kem.EncapsulationSeedSize] bytes from rand (crypto/rand.Reader if nil),
// so with a fixed EK_A and reader the result is reproducible.
//
// kemCiphertext is CT serialized as type byte ‖ ciphertext, the form
// PreKeySignalMessage.kyber_ciphertext carries. Errors match
// [ErrInvalidBundle], [ErrInvalidSignature] or [ErrLowOrderKey].
func InitiatePQ(p InitiatorParameters, kemPreKey KEMPreKey, rand io.Reader) (secret PQSharedSecret, kemCiphertext []byte, err error) {
	if p.OurIdentity == nil || p.OurBase == nil {
		return PQSharedSecret{}, nil, fmt.Errorf("%w: missing local key", ErrInvalidBundle)
	}
	if err := p.Bundle.Verify(); err != nil {
		return PQSharedSecret{}, nil, err
	}
	b := p.Bundle
	if err := kemPreKey.Verify(b.IdentityKey); err != nil {
		return PQSharedSecret{}, nil, err
	}
	ikm := make([]byte, 0, 32*6)
	ikm = append(ikm, discontinuity[:]...)
	if ikm, err = appendDH(ikm, p.OurIdentity, b.SignedPreKey); err != nil { // DH1
		return PQSharedSecret{}, nil, err
	}
	if ikm, err = appendDH(ikm, p.OurBase, b.IdentityKey); err != nil { // DH2
		return PQSharedSecret{}, nil, err
	}
	if ikm, err = appendDH(ikm, p.OurBase, b.SignedPreKey); err != nil { // DH3
		return PQSharedSecret{}, nil, err
	}
	if b.HasPreKey {
		if ikm, err = appendDH(ikm, p.OurBase, b.PreKey); err != nil { // DH4
			return PQSharedSecret{}, nil, err
		}
	}
	ct, ss, err := kemPreKey.PublicKey.Encapsulate(rand)
	if err != nil {
		clear(ikm)
		return PQSharedSecret{}, nil, fmt.Errorf("x3dh: %w", err)
	}
	ikm = append(ikm, ss...)
	clear(ss)
	return derivePQ(ikm), ct, nil
}

// RespondPQ runs PQXDH (revision 3, section 3.4) as the responder,
// mirroring [InitiatePQ]:
//
//	DH1 = DH(SPK_B, IK_A), DH2 = DH(IK_B, EK_A), DH3 = DH(SPK_B, EK_A),
//	DH4 = DH(OPK_B, EK_A) if a one-time prekey was used,
//	SS  = PQPKEM-DEC(PQPK_B, CT).
//
// kemPrivate is the private half of the KEM prekey that the initiator
// named, and kemCiphertext is CT as received (type byte ‖ ciphertext). Like
// libsignal, it first rejects with [ErrInvalidBaseKey] a base key EK_A that
// is not canonical (u ≥ p, or not on the curve, or not of prime order). A
// malformed ciphertext is rejected with [ErrInvalidCiphertext]; a
// well-formed ciphertext that was not made for kemPrivate yields an
// unrelated secret (ML-KEM implicit rejection), which shows up as a MAC
// failure on the first message. Errors also match [ErrInvalidBundle] (a
// missing key) or [ErrLowOrderKey].
func RespondPQ(p ResponderParameters, kemPrivate *kem.PrivateKey, kemCiphertext []byte) (PQSharedSecret, error) {
	if p.OurIdentity == nil || p.OurSignedPreKey == nil || kemPrivate == nil {
		return PQSharedSecret{}, fmt.Errorf("%w: missing local key", ErrInvalidBundle)
	}
	if !isCanonicalBaseKey(p.TheirBase) {
		return PQSharedSecret{}, ErrInvalidBaseKey
	}
	ss, err := kemPrivate.Decapsulate(kemCiphertext)
	if err != nil {
		return PQSharedSecret{}, fmt.Errorf("%w: %w", ErrInvalidCiphertext, err)
	}
	defer clear(ss)
	ikm := make([]byte, 0, 32*6)
	ikm = append(ikm, discontinuity[:]...)
	if ikm, err = appendDH(ikm, p.OurSignedPreKey, p.TheirIdentity); err != nil { // DH1
		return PQSharedSecret{}, err
	}
	if ikm, err = appendDH(ikm, p.OurIdentity, p.TheirBase); err != nil { // DH2
		return PQSharedSecret{}, err
	}
	if ikm, err = appendDH(ikm, p.OurSignedPreKey, p.TheirBase); err != nil { // DH3
		return PQSharedSecret{}, err
	}
	if p.OurOneTimePreKey != nil {
		if ikm, err = appendDH(ikm, p.OurOneTimePreKey, p.TheirBase); err != nil { // DH4
			return PQSharedSecret{}, err
		}
	}
	ikm = append(ikm, ss...)
	return derivePQ(ikm), nil
}

// derivePQ applies the PQXDH KDF to ikm, clears ikm, and splits the 96
// bytes of output.
func derivePQ(ikm []byte) PQSharedSecret {
	var out [3 * kdf.KeySize]byte
	kdf.HKDF(out[:], ikm, nil, kdf.InfoPQXDH)
	clear(ikm)
	var s PQSharedSecret
	copy(s.RootKey[:], out[:kdf.KeySize])
	copy(s.ChainKey[:], out[kdf.KeySize:2*kdf.KeySize])
	copy(s.PQRatchetKey[:], out[2*kdf.KeySize:])
	clear(out[:])
	return s
}

// lMinusOne is ℓ - 1 as a scalar (it is -1 modulo ℓ); ℓ·P is computed as
// (ℓ-1)·P + P.
var lMinusOne = new(edwards25519.Scalar).Subtract(edwards25519.NewScalar(), oneScalar())

func oneScalar() *edwards25519.Scalar {
	var b [32]byte
	b[0] = 1
	s, err := edwards25519.NewScalar().SetCanonicalBytes(b[:])
	if err != nil {
		panic("crossseal/x3dh: internal error: " + err.Error())
	}
	return s
}

// isCanonicalBaseKey reports whether pub is a canonical encoding of a point
// in the prime-order subgroup, as libsignal's PublicKey::is_canonical
// decides it (rust/core/src/curve.rs): the u-coordinate is below p (so its
// top bit is clear), it maps to an Edwards point (u ≠ -1 and u is not on
// the twist), and that point has no small-order component. Every key made
// by scalar multiplication of the base point passes. The key is public, so
// the check runs in variable time.
//
// This belongs in internal/curve as PublicKey.IsCanonical; it lives here
// until that package grows it.
func isCanonicalBaseKey(pub PublicKey) bool {
	u := pub.Raw()
	if u[31]&0x80 != 0 {
		return false
	}
	var fu field.Element
	if _, err := fu.SetBytes(u[:]); err != nil {
		return false
	}
	if string(fu.Bytes()) != string(u[:]) {
		return false // u ≥ p: SetBytes reduced it
	}
	// y = (u - 1) / (u + 1), the birational map to Edwards25519.
	one := new(field.Element).One()
	num := new(field.Element).Subtract(&fu, one)
	den := new(field.Element).Add(&fu, one)
	if den.Equal(new(field.Element).Zero()) == 1 {
		return false // u = -1
	}
	y := new(field.Element).Multiply(num, new(field.Element).Invert(den))
	P, err := new(edwards25519.Point).SetBytes(y.Bytes()) // sign bit 0
	if err != nil {
		return false // u is on the twist
	}
	lP := new(edwards25519.Point).VarTimeDoubleScalarBaseMult(lMinusOne, P, edwards25519.NewScalar())
	lP.Add(lP, P)
	return lP.Equal(edwards25519.NewIdentityPoint()) == 1
}
