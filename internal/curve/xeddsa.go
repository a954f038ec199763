// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package curve

import (
	"crypto/sha512"
	"crypto/subtle"
	"fmt"
	"io"

	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"
)

// SignatureSize is the size of an XEdDSA signature: R ‖ s, with the sign
// bit of the signer's Edwards public key in the top bit of the last byte.
const SignatureSize = 64

// signRandomSize is the number of random bytes (Z in the XEdDSA
// specification) that enter each signature's nonce.
const signRandomSize = 64

// hash1Prefix is the domain separator of hash_1 in XEdDSA, section 2.5:
// 2^256 - 1 - 1 encoded little-endian (0xFE followed by 31 bytes 0xFF).
var hash1Prefix = [32]byte{
	0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
}

// signingKey is the Edwards form of a PrivateKey, computed on first Sign.
type signingKey struct {
	seed [PrivateKeySize]byte // clamped X25519 private key; hashed into r
	a    edwards25519.Scalar  // seed mod L
	pubA [32]byte             // compressed a·B
}

// signingKeyOf returns the signing form of k, computing it on first use so
// that ratchet keys that never sign do not pay for a base-point
// multiplication.
func (k *PrivateKey) signingKeyOf() *signingKey {
	ks := k.secret
	ks.signOnce.Do(func() {
		s := new(signingKey)
		b := ks.key.Bytes()
		copy(s.seed[:], b)
		clear(b)
		if _, err := s.a.SetBytesWithClamping(s.seed[:]); err != nil {
			panic("crossseal/curve: internal error: " + err.Error())
		}
		A := new(edwards25519.Point).ScalarBaseMult(&s.a)
		copy(s.pubA[:], A.Bytes())
		ks.signer = s
	})
	return ks.signer
}

// Sign returns a 64-byte XEdDSA signature of the concatenation of msg,
// made with k. It reads exactly 64 bytes from rand (crypto/rand.Reader if
// nil), and the result depends only on k, msg and those bytes.
//
// This is XEdDSA as libsignal deploys it: a is the clamped private key
// modulo L, used whatever the sign of a·B; r = SHA-512(0xFE ‖ 0xFF×31 ‖ k ‖
// msg ‖ Z) mod L; h = SHA-512(R ‖ A ‖ msg) mod L; s = h·a + r; and the sign
// bit of A replaces the (always zero) top bit of s.
func (k *PrivateKey) Sign(rand io.Reader, msg ...[]byte) ([]byte, error) {
	var z [signRandomSize]byte
	defer clear(z[:])
	if _, err := io.ReadFull(randOrDefault(rand), z[:]); err != nil {
		return nil, fmt.Errorf("curve: reading signature randomness: %w", err)
	}
	sig := make([]byte, SignatureSize)
	k.sign((*[SignatureSize]byte)(sig), &z, msg)
	return sig, nil
}

func (k *PrivateKey) sign(sig *[SignatureSize]byte, z *[signRandomSize]byte, msg [][]byte) {
	sk := k.signingKeyOf()

	var digest [sha512.Size]byte
	defer clear(digest[:])
	h := sha512.New()
	h.Write(hash1Prefix[:])
	h.Write(sk.seed[:])
	for _, m := range msg {
		h.Write(m)
	}
	h.Write(z[:])
	r := mustUniform(h.Sum(digest[:0]))
	defer r.Set(edwards25519.NewScalar())

	R := new(edwards25519.Point).ScalarBaseMult(r)
	copy(sig[:32], R.Bytes())

	hram := challenge(sig[:32], sk.pubA[:], msg)
	s := new(edwards25519.Scalar).MultiplyAdd(hram, &sk.a, r)
	copy(sig[32:], s.Bytes())
	sig[63] &= 0x7F
	sig[63] |= sk.pubA[31] & 0x80
}

// challenge returns SHA-512(R ‖ A ‖ msg) mod L.
func challenge(encR, encA []byte, msg [][]byte) *edwards25519.Scalar {
	var digest [sha512.Size]byte
	h := sha512.New()
	h.Write(encR)
	h.Write(encA)
	for _, m := range msg {
		h.Write(m)
	}
	return mustUniform(h.Sum(digest[:0]))
}

func mustUniform(b []byte) *edwards25519.Scalar {
	s, err := edwards25519.NewScalar().SetUniformBytes(b)
	if err != nil {
		panic("crossseal/curve: internal error: " + err.Error())
	}
	return s
}

// Verify reports whether sig is a valid XEdDSA signature by pub of the
// concatenation of msg. It never panics, whatever its inputs.
//
// As in libsignal, the top bit of pub is ignored, pub is reduced modulo p,
// and its Edwards form is y = (u - 1)/(u + 1) with the sign bit taken from
// the top bit of sig[63]; u = -1 and values of y that are not on the curve
// are rejected. s must be canonical (s < L), and R must equal the
// encoding of s·B - h·A byte for byte.
func Verify(pub PublicKey, sig []byte, msg ...[]byte) bool {
	if len(sig) != SignatureSize {
		return false
	}
	A, ok := edwardsPublicKey(&pub.raw, sig[63]>>7)
	if !ok {
		return false
	}
	return verifyEdwards(A, (*[SignatureSize]byte)(sig), msg)
}

// verifyEdwards checks sig against the Edwards public key A: s must be
// canonical once the sign bit is cleared, and R must be the encoding of
// s·B - h·A with h = SHA-512(R ‖ A ‖ msg) mod L.
func verifyEdwards(A *edwards25519.Point, sig *[SignatureSize]byte, msg [][]byte) bool {
	var encS [32]byte
	copy(encS[:], sig[32:])
	encS[31] &= 0x7F
	s, err := edwards25519.NewScalar().SetCanonicalBytes(encS[:])
	if err != nil {
		return false
	}

	// libsignal hashes the re-compressed point, which differs from the
	// y ‖ sign-bit encoding only for x = 0 (u = 0) with the sign bit set.
	hram := challenge(sig[:32], A.Bytes(), msg)
	minusA := new(edwards25519.Point).Negate(A)
	checkR := new(edwards25519.Point).VarTimeDoubleScalarBaseMult(hram, minusA, s)
	return subtle.ConstantTimeCompare(checkR.Bytes(), sig[:32]) == 1
}

// edwardsPublicKey converts the Montgomery u-coordinate u to the Edwards
// point with y = (u - 1)/(u + 1) and the given sign bit (0 or 1), the
// birational map of RFC 7748, section 4.1. It reports false if u = -1 or if
// y is not the y-coordinate of a curve point.
func edwardsPublicKey(u *[PublicKeySize]byte, sign byte) (*edwards25519.Point, bool) {
	var mont, one, num, den, y field.Element
	if _, err := mont.SetBytes(u[:]); err != nil { // ignores the top bit
		return nil, false
	}
	one.One()
	num.Subtract(&mont, &one)
	den.Add(&mont, &one)
	if den.Equal(new(field.Element).Zero()) == 1 {
		return nil, false
	}
	y.Multiply(&num, den.Invert(&den))

	var enc [32]byte
	copy(enc[:], y.Bytes())
	enc[31] |= sign << 7
	A, err := new(edwards25519.Point).SetBytes(enc[:])
	if err != nil {
		return nil, false
	}
	return A, true
}
