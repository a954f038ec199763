// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package x3dh

import (
	"bytes"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/mlkem"
	"crypto/mlkem/mlkemtest"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/kdf"
	"github.com/crossseal/crossseal/internal/kem"
)

// pqBob is a responder with a KEM prekey.
type pqBob struct {
	*bob
	kemPriv *kem.PrivateKey
	kemPre  KEMPreKey
}

func newPQBob(t *testing.T, typ kem.Type, withOPK bool) *pqBob {
	t.Helper()
	b := newBob(t, withOPK)
	pre, priv, err := GenerateKEMPreKey(b.ik, 31, typ, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &pqBob{bob: b, kemPriv: priv, kemPre: pre}
}

func (b *pqBob) responder(ika, eka PublicKey, withOPK bool) ResponderParameters {
	rp := ResponderParameters{OurIdentity: b.ik, OurSignedPreKey: b.spk, TheirIdentity: ika, TheirBase: eka}
	if withOPK {
		rp.OurOneTimePreKey = b.opk
	}
	return rp
}

// noRead is a reader that fails the test if anything reads it: the
// operation under test was supposed to stop before using randomness.
type noRead struct{ t *testing.T }

func (r noRead) Read([]byte) (int, error) {
	r.t.Helper()
	r.t.Error("randomness was read: the KEM ran before the failing check")
	return 0, io.ErrUnexpectedEOF
}

func TestPQXDHAgreement(t *testing.T) {
	for _, typ := range kemTypes {
		for _, withOPK := range []bool{true, false} {
			t.Run(fmt.Sprint(typ, "/opk=", withOPK), func(t *testing.T) {
				b := newPQBob(t, typ, withOPK)
				ika, eka := gen(t), gen(t)
				ip := InitiatorParameters{OurIdentity: ika, OurBase: eka, Bundle: b.bundle}
				as, ct, err := InitiatePQ(ip, b.kemPre, nil)
				if err != nil {
					t.Fatal(err)
				}
				if len(ct) != kem.SerializedCiphertextSize || ct[0] != byte(typ) {
					t.Fatalf("ciphertext is %d bytes of type %#x, want %d of type %v", len(ct), ct[0], kem.SerializedCiphertextSize, typ)
				}
				rp := b.responder(ika.PublicKey(), eka.PublicKey(), withOPK)
				bs, err := RespondPQ(rp, b.kemPriv, ct)
				if err != nil {
					t.Fatal(err)
				}
				if as != bs {
					t.Fatal("initiator and responder disagree")
				}
				if as.RootKey == as.ChainKey || as.ChainKey == as.PQRatchetKey || as.RootKey == as.PQRatchetKey {
					t.Fatal("the three keys are not distinct")
				}
				// PQXDH is not X3DH with extra output: the KEM secret and
				// the label change every key.
				classic, err := Initiate(ip)
				if err != nil {
					t.Fatal(err)
				}
				if classic.RootKey == as.RootKey || classic.ChainKey == as.ChainKey {
					t.Fatal("PQXDH output equals X3DH output")
				}
				// Fresh encapsulation randomness gives a fresh secret.
				as2, ct2, err := InitiatePQ(ip, b.kemPre, nil)
				if err != nil {
					t.Fatal(err)
				}
				if bytes.Equal(ct, ct2) || as2 == as {
					t.Fatal("two initiations gave the same ciphertext or secret")
				}
				// The responder's one-time prekey matters.
				if other, err := RespondPQ(b.responder(ika.PublicKey(), eka.PublicKey(), !withOPK), b.kemPriv, ct); err != nil || other == as {
					t.Fatalf("one-time prekey did not affect the secret (%v)", err)
				}
			})
		}
	}
}

func TestPQXDHWrongCiphertext(t *testing.T) {
	for _, typ := range kemTypes {
		t.Run(typ.String(), func(t *testing.T) {
			b := newPQBob(t, typ, true)
			ika, eka := gen(t), gen(t)
			as, ct, err := InitiatePQ(InitiatorParameters{OurIdentity: ika, OurBase: eka, Bundle: b.bundle}, b.kemPre, nil)
			if err != nil {
				t.Fatal(err)
			}
			rp := b.responder(ika.PublicKey(), eka.PublicKey(), true)
			// A tampered ciphertext is implicitly rejected: no error, an
			// unrelated secret.
			for _, i := range []int{1, 700, len(ct) - 1} {
				bad := bytes.Clone(ct)
				bad[i] ^= 0x04
				bs, err := RespondPQ(rp, b.kemPriv, bad)
				if err != nil || bs == as || bs.RootKey == as.RootKey {
					t.Fatalf("tampered byte %d: err %v, same secret %v", i, err, bs == as)
				}
			}
			// Another KEM key of the same type.
			other, _, err := kem.GenerateKeyPair(typ, nil)
			if err != nil {
				t.Fatal(err)
			}
			if bs, err := RespondPQ(rp, other, ct); err != nil || bs == as {
				t.Fatalf("wrong KEM private key: err %v, same secret %v", err, bs == as)
			}
			// Malformed ciphertexts are rejected outright.
			wrongType := bytes.Clone(ct)
			wrongType[0] ^= byte(kem.Kyber1024 ^ kem.MLKEM1024)
			for name, bad := range map[string][]byte{
				"empty":      nil,
				"type only":  ct[:1],
				"truncated":  ct[:len(ct)-1],
				"extended":   append(bytes.Clone(ct), 0),
				"no type":    ct[1:],
				"other type": wrongType,
			} {
				bs, err := RespondPQ(rp, b.kemPriv, bad)
				if !errors.Is(err, ErrInvalidCiphertext) || bs != (PQSharedSecret{}) {
					t.Errorf("%s: got %v, want ErrInvalidCiphertext", name, err)
				}
			}
		})
	}
}

// TestPQXDHSignaturesFirst checks that a bad signature on either prekey is
// reported before any DH or KEM operation: the signed prekey is a
// (validly signed) low-order point, which would fail DH1 with
// ErrLowOrderKey, and the reader fails the test if the KEM reads it.
func TestPQXDHSignaturesFirst(t *testing.T) {
	b := newPQBob(t, kem.Kyber1024, true)
	ika, eka := gen(t), gen(t)
	lowOrder, _ := curve.NewPublicKeyRaw(append([]byte{1}, make([]byte, 31)...))
	sig, err := b.ik.Sign(nil, lowOrder.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	b.bundle.SignedPreKey, b.bundle.SignedPreKeySignature = lowOrder, sig
	ip := InitiatorParameters{OurIdentity: ika, OurBase: eka, Bundle: b.bundle}

	// Both signatures good: DH1 fails on the low-order key, before the KEM.
	if _, _, err := InitiatePQ(ip, b.kemPre, noRead{t}); !errors.Is(err, ErrLowOrderKey) {
		t.Fatalf("valid signatures, low-order SPK: %v", err)
	}
	_, otherKEM, err := kem.GenerateKeyPair(kem.Kyber1024, nil)
	if err != nil {
		t.Fatal(err)
	}
	otherIK := gen(t)
	otherSig, err := otherIK.Sign(nil, b.kemPre.PublicKey.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]KEMPreKey{
		"flipped KEM signature":      {ID: 31, PublicKey: b.kemPre.PublicKey, Signature: flipBit(b.kemPre.Signature, 5)},
		"KEM key swapped":            {ID: 31, PublicKey: otherKEM, Signature: b.kemPre.Signature},
		"KEM signed by someone else": {ID: 31, PublicKey: b.kemPre.PublicKey, Signature: otherSig},
		"SPK signature reused":       {ID: 31, PublicKey: b.kemPre.PublicKey, Signature: sig},
		"no KEM signature":           {ID: 31, PublicKey: b.kemPre.PublicKey},
	}
	for name, pre := range cases {
		t.Run(name, func(t *testing.T) {
			s, ct, err := InitiatePQ(ip, pre, noRead{t})
			if !errors.Is(err, ErrInvalidSignature) || ct != nil || s != (PQSharedSecret{}) {
				t.Fatalf("got %v, want ErrInvalidSignature", err)
			}
		})
	}
	t.Run("missing KEM key", func(t *testing.T) {
		if _, _, err := InitiatePQ(ip, KEMPreKey{ID: 31, Signature: b.kemPre.Signature}, noRead{t}); !errors.Is(err, ErrInvalidBundle) {
			t.Fatalf("got %v, want ErrInvalidBundle", err)
		}
	})
	t.Run("bad SPK signature", func(t *testing.T) {
		b.bundle.SignedPreKeySignature = flipBit(sig, 3)
		if _, _, err := InitiatePQ(ip, b.kemPre, noRead{t}); !errors.Is(err, ErrInvalidSignature) {
			t.Fatalf("got %v, want ErrInvalidSignature", err)
		}
	})
}

func TestPQXDHMissingKeys(t *testing.T) {
	b := newPQBob(t, kem.Kyber1024, false)
	ika, eka := gen(t), gen(t)
	if _, _, err := InitiatePQ(InitiatorParameters{OurBase: eka, Bundle: b.bundle}, b.kemPre, noRead{t}); !errors.Is(err, ErrInvalidBundle) {
		t.Errorf("no identity: %v", err)
	}
	if _, _, err := InitiatePQ(InitiatorParameters{OurIdentity: ika, OurBase: eka}, b.kemPre, noRead{t}); !errors.Is(err, ErrInvalidBundle) {
		t.Errorf("no bundle: %v", err)
	}
	rp := b.responder(ika.PublicKey(), eka.PublicKey(), false)
	if _, err := RespondPQ(rp, nil, make([]byte, kem.SerializedCiphertextSize)); !errors.Is(err, ErrInvalidBundle) {
		t.Errorf("no KEM private key: %v", err)
	}
	rp.OurSignedPreKey = nil
	if _, err := RespondPQ(rp, b.kemPriv, make([]byte, kem.SerializedCiphertextSize)); !errors.Is(err, ErrInvalidBundle) {
		t.Errorf("no signed prekey: %v", err)
	}
}

// twistU returns u-coordinates of points on the quadratic twist of
// Curve25519: those for which u³ + 486662u² + u is not a square.
func twistU(t *testing.T, n int) [][]byte {
	var out [][]byte
	for u := uint32(2); len(out) < n; u++ {
		var b [32]byte
		b[0], b[1] = byte(u), byte(u>>8)
		fu, _ := new(field.Element).SetBytes(b[:])
		u2 := new(field.Element).Square(fu)
		w := new(field.Element).Multiply(u2, fu)
		w.Add(w, new(field.Element).Mult32(u2, 486662))
		w.Add(w, fu)
		if _, square := new(field.Element).SqrtRatio(w, new(field.Element).One()); square == 0 {
			out = append(out, b[:])
		}
	}
	return out
}

func TestRespondPQBaseKey(t *testing.T) {
	b := newPQBob(t, kem.MLKEM1024, false)
	ika := gen(t)

	// Honest base keys always pass.
	for range 64 {
		if k := gen(t).PublicKey(); !isCanonicalBaseKey(k) {
			t.Fatalf("honest key %v rejected", k)
		}
	}

	honest := gen(t).PublicKey()
	hraw := honest.Raw()
	withHigh := hraw
	withHigh[31] |= 0x80
	// honest + a point of order 4 (y = 0): on the curve, not of prime order.
	P, err := new(edwards25519.Point).SetBytes(edwardsOf(t, hraw[:]))
	if err != nil {
		t.Fatal(err)
	}
	T4, err := new(edwards25519.Point).SetBytes(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	mixed := new(edwards25519.Point).Add(P, T4).BytesMontgomery()

	pMinus := func(d byte) []byte { // p - d, little-endian
		b := bytes.Repeat([]byte{0xFF}, 32)
		b[0], b[31] = 0xED-d, 0x7F
		return b
	}
	pPlus := func(d byte) []byte { b := pMinus(0); b[0] += d; return b }
	bad := map[string][]byte{
		"zero":                 make([]byte, 32),
		"one":                  append([]byte{1}, make([]byte, 31)...),
		"p-1 (u = -1)":         pMinus(1),
		"p":                    pMinus(0),
		"p+1":                  pPlus(1),
		"2^255-1":              pPlus(18),
		"high bit set":         withHigh[:],
		"small-order addition": mixed,
	}
	for i, u := range twistU(t, 4) {
		bad[fmt.Sprint("twist ", i)] = u
	}
	for name, u := range bad {
		k, err := curve.NewPublicKeyRaw(u)
		if err != nil {
			t.Fatal(err)
		}
		if isCanonicalBaseKey(k) {
			t.Errorf("%s: accepted", name)
		}
		// RespondPQ rejects before DH or KEM: the ciphertext is garbage.
		if _, err := RespondPQ(b.responder(ika.PublicKey(), k, false), b.kemPriv, nil); !errors.Is(err, ErrInvalidBaseKey) {
			t.Errorf("%s: RespondPQ returned %v, want ErrInvalidBaseKey", name, err)
		}
	}
}

// edwardsOf returns the Edwards encoding (sign 0) of the point with
// Montgomery u-coordinate u.
func edwardsOf(t *testing.T, u []byte) []byte {
	fu, err := new(field.Element).SetBytes(u)
	if err != nil {
		t.Fatal(err)
	}
	one := new(field.Element).One()
	y := new(field.Element).Multiply(new(field.Element).Subtract(fu, one), new(field.Element).Invert(new(field.Element).Add(fu, one)))
	return y.Bytes()
}

// Inputs of the PQXDH known-answer tests, recorded so that another
// implementation can replay them. Private keys are X25519 scalars before
// clamping; the KEM key is derived from a 64-byte seed (d ‖ z) and the
// encapsulation from 32 bytes (m). Each vector is run with and without the
// one-time prekey OPK_B.
const (
	vecIKA     = "8ec0a3670725b37c5af50eab41f828c87c682ba287d683e74f24f4807b7ed847"
	vecEKA     = "f788f3c1ad93bae31b45d968d523d210b4045606e328e23f501bbfdb9de3c2f1"
	vecIKB     = "b92fe1e8bdd5b401fc2c5e81c00cb610ebce77375d7bd48b9853ff6e6ec89a8d"
	vecSPKB    = "8a2883e3b4187223647738c48fe164b0d658e664efd874e3c0b18b1ac0880ed5"
	vecOPKB    = "5d28661e4bce0affe6adcbc6d6bd39589082ce57504d5046a89bf90d51c674f7"
	vecKEMSeed = "eddadeafbe78e3276ce27873b3fd7ab1e590c23ce5880298bd80c61dbffe423b" +
		"2a683798bac042e980aec127e3a1c182a94d8c9fe28351c17d1198f4510eb174"
	vecM = "1e504ead1a3c23ffe51d4487765b6424df14e6eb54c457ca1050334437c75466"
)

var pqVectors = []struct {
	kemType kem.Type
	opkB    string
}{
	{kem.Kyber1024, vecOPKB},
	{kem.Kyber1024, ""},
	{kem.MLKEM1024, vecOPKB},
	{kem.MLKEM1024, ""},
}

func pqUnhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func pqKey(t testing.TB, s string) *curve.PrivateKey {
	t.Helper()
	k, err := curve.NewPrivateKey(pqUnhex(t, s))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestPQXDHKnownAnswer runs PQXDH on fixed keys and fixed KEM randomness
// and compares with values recomputed here straight from the
// specification with the standard library (crypto/ecdh, crypto/hkdf, and
// for ML-KEM-1024 crypto/mlkem), and with pinned values.
func TestPQXDHKnownAnswer(t *testing.T) {
	want := map[string][4]string{ // SHA-256(CT), root key, chain key, PQ-ratchet key
		"Kyber1024/opk": {
			"2c4130ceb940e380a1400dc336f38b01d2a925e7bb8c05f7b52498a6a8e7778b",
			"4984a640b763d06cb41b429156b80f5b10e0062103c76f525ea4ff306ce00f31",
			"c3476b650919251fa59f6d3610d406cb914f6c7952fff8e1e9c50658bfebbf08",
			"c22e796e79ad32462ea048e641e83b86619a2c567b9354d441779053ebec15e5",
		},
		"Kyber1024": {
			"2c4130ceb940e380a1400dc336f38b01d2a925e7bb8c05f7b52498a6a8e7778b",
			"aa5297666fb4d4cd0f97c5c5528edfc9f895ea70269efb8d5de90e45aa254701",
			"3f58563b6546429cce36de6bb19c49f7286ff44a146adeac4373a41c7b75eecc",
			"85df75caf16fb823ec58eb8a27be086c8b7f56429e0840b715a7c4def38d3ddb",
		},
		"ML-KEM-1024/opk": {
			"3d6a1d14bdba03e08a1e1eba08c0e454fc3858ec14e8a2e5c49acfd715d43ca9",
			"ffbde6e7aac04bae079498b23def8ca1363b859794d42ec53c17fd09e96575f3",
			"d118de529c95cb5cae4a6c615f583847d1c82fe3a847c6c07a473927ebfde2b7",
			"aae4cb22cccf5d6918462092025aac0c6c1d45eda701463526bd2135e87add6b",
		},
		"ML-KEM-1024": {
			"3d6a1d14bdba03e08a1e1eba08c0e454fc3858ec14e8a2e5c49acfd715d43ca9",
			"99cb07cf39a641c2152a7f964a6394e3d7c8547adefa962608cec6474a976f06",
			"5553efa709e61933c1862bb639e5a454c5105195ae8d200992bc9de07553ae3d",
			"8ab7885d66ad59d6921eece43d3ce99fa7f05a46af8cac718cad0a73f4fea407",
		},
	}
	for _, v := range pqVectors {
		name := v.kemType.String()
		if v.opkB != "" {
			name += "/opk"
		}
		t.Run(name, func(t *testing.T) {
			ikA, ekA, ikB, spkB := pqKey(t, vecIKA), pqKey(t, vecEKA), pqKey(t, vecIKB), pqKey(t, vecSPKB)
			kemPriv, kemPub, err := kem.GenerateKeyPair(v.kemType, bytes.NewReader(pqUnhex(t, vecKEMSeed)))
			if err != nil {
				t.Fatal(err)
			}
			sig, err := ikB.Sign(bytes.NewReader(make([]byte, 64)), spkB.PublicKey().Bytes())
			if err != nil {
				t.Fatal(err)
			}
			pre, err := SignKEMPreKey(ikB, 1, kemPub, bytes.NewReader(make([]byte, 64)))
			if err != nil {
				t.Fatal(err)
			}
			bundle := &Bundle{RegistrationID: 1, DeviceID: 1, IdentityKey: ikB.PublicKey(), SignedPreKeyID: 1,
				SignedPreKey: spkB.PublicKey(), SignedPreKeySignature: sig}
			var opkB *curve.PrivateKey
			if v.opkB != "" {
				opkB = pqKey(t, v.opkB)
				bundle.HasPreKey, bundle.PreKeyID, bundle.PreKey = true, 1, opkB.PublicKey()
			}
			as, ct, err := InitiatePQ(InitiatorParameters{OurIdentity: ikA, OurBase: ekA, Bundle: bundle}, pre, bytes.NewReader(pqUnhex(t, vecM)))
			if err != nil {
				t.Fatal(err)
			}
			bs, err := RespondPQ(ResponderParameters{OurIdentity: ikB, OurSignedPreKey: spkB, OurOneTimePreKey: opkB,
				TheirIdentity: ikA.PublicKey(), TheirBase: ekA.PublicKey()}, kemPriv, ct)
			if err != nil {
				t.Fatal(err)
			}
			if as != bs {
				t.Fatal("initiator and responder disagree")
			}

			// Recompute from the specification.
			dh := func(priv, pub string) []byte {
				k, err := ecdh.X25519().NewPrivateKey(pqUnhex(t, priv))
				if err != nil {
					t.Fatal(err)
				}
				other, err := ecdh.X25519().NewPrivateKey(pqUnhex(t, pub))
				if err != nil {
					t.Fatal(err)
				}
				s, err := k.ECDH(other.PublicKey())
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			ikm := bytes.Repeat([]byte{0xFF}, 32)
			ikm = append(ikm, dh(vecIKA, vecSPKB)...)
			ikm = append(ikm, dh(vecEKA, vecIKB)...)
			ikm = append(ikm, dh(vecEKA, vecSPKB)...)
			if v.opkB != "" {
				ikm = append(ikm, dh(vecEKA, v.opkB)...)
			}
			var ss []byte
			if v.kemType == kem.MLKEM1024 {
				dk, err := mlkem.NewDecapsulationKey1024(pqUnhex(t, vecKEMSeed))
				if err != nil {
					t.Fatal(err)
				}
				var stdCT []byte
				ss, stdCT, err = mlkemtest.Encapsulate1024(dk.EncapsulationKey(), pqUnhex(t, vecM))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(ct, append([]byte{byte(kem.MLKEM1024)}, stdCT...)) {
					t.Fatal("ciphertext differs from crypto/mlkem's")
				}
			} else {
				ss, err = kemPriv.Decapsulate(ct)
				if err != nil {
					t.Fatal(err)
				}
			}
			ikm = append(ikm, ss...)
			okm, err := hkdf.Key(sha256.New, ikm, nil, "WhisperText_X25519_SHA-256_CRYSTALS-KYBER-1024", 96)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(okm[:32], as.RootKey[:]) || !bytes.Equal(okm[32:64], as.ChainKey[:]) || !bytes.Equal(okm[64:], as.PQRatchetKey[:]) {
				t.Fatal("output differs from the recomputation")
			}

			ctHash := sha256.Sum256(ct)
			got := [4]string{hex.EncodeToString(ctHash[:]), hex.EncodeToString(as.RootKey[:]),
				hex.EncodeToString(as.ChainKey[:]), hex.EncodeToString(as.PQRatchetKey[:])}
			if got != want[name] {
				t.Errorf("got  %q\nwant %q", got, want[name])
			}
		})
	}
}

func TestPQSharedSecretFormat(t *testing.T) {
	b := newPQBob(t, kem.Kyber1024, true)
	s, _, err := InitiatePQ(InitiatorParameters{OurIdentity: gen(t), OurBase: gen(t), Bundle: b.bundle}, b.kemPre, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%x", "%X", "%d", "%s", "%q"} {
		for _, arg := range []any{s, &s, []PQSharedSecret{s}, struct{ S PQSharedSecret }{s}} {
			out := fmt.Sprintf(verb, arg)
			for _, key := range [][kdf.KeySize]byte{s.RootKey, s.ChainKey, s.PQRatchetKey} {
				if strings.Contains(strings.ToLower(out), hex.EncodeToString(key[:4])) || strings.Contains(out, fmt.Sprint(key[:4])[1:]) {
					t.Fatalf("Sprintf(%q, %T) reveals the secret: %s", verb, arg, out)
				}
			}
		}
	}
	s.Clear()
	if s != (PQSharedSecret{}) {
		t.Fatal("Clear left key material")
	}
}

// benchSetup builds a responder with a one-time prekey and a KEM prekey of
// type typ, and an initiator.
func benchSetup(b *testing.B, typ kem.Type) (ip InitiatorParameters, pre KEMPreKey, rp ResponderParameters, kemPriv *kem.PrivateKey) {
	b.Helper()
	key := func() *curve.PrivateKey {
		k, err := curve.GeneratePrivateKey(nil)
		if err != nil {
			b.Fatal(err)
		}
		return k
	}
	ikA, ekA, ikB, spkB, opkB := key(), key(), key(), key(), key()
	sig, err := ikB.Sign(nil, spkB.PublicKey().Bytes())
	if err != nil {
		b.Fatal(err)
	}
	pre, kemPriv, err = GenerateKEMPreKey(ikB, 1, typ, nil)
	if err != nil {
		b.Fatal(err)
	}
	bundle := &Bundle{RegistrationID: 1, DeviceID: 1, IdentityKey: ikB.PublicKey(), SignedPreKeyID: 1,
		SignedPreKey: spkB.PublicKey(), SignedPreKeySignature: sig, HasPreKey: true, PreKeyID: 1, PreKey: opkB.PublicKey()}
	ip = InitiatorParameters{OurIdentity: ikA, OurBase: ekA, Bundle: bundle}
	rp = ResponderParameters{OurIdentity: ikB, OurSignedPreKey: spkB, OurOneTimePreKey: opkB,
		TheirIdentity: ikA.PublicKey(), TheirBase: ekA.PublicKey()}
	return ip, pre, rp, kemPriv
}

// BenchmarkPQXDH measures PQXDH initiation (two signature checks, four DH,
// one encapsulation) and response (base-key check, one decapsulation, four
// DH), with X3DH in the same run for comparison. The KEM prekey is parsed
// once, as when a bundle is used; add kem's BenchmarkParsePublicKey for a
// bundle fresh off the wire.
func BenchmarkPQXDH(b *testing.B) {
	for _, typ := range kemTypes {
		b.Run(typ.String(), func(b *testing.B) {
			ip, pre, rp, kemPriv := benchSetup(b, typ)
			_, ct, err := InitiatePQ(ip, pre, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.Run("initiate", func(b *testing.B) {
				for b.Loop() {
					if _, _, err := InitiatePQ(ip, pre, nil); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("respond", func(b *testing.B) {
				for b.Loop() {
					if _, err := RespondPQ(rp, kemPriv, ct); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
	ip, _, rp, _ := benchSetup(b, kem.Kyber1024)
	b.Run("X3DH/initiate", func(b *testing.B) {
		for b.Loop() {
			if _, err := Initiate(ip); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("X3DH/respond", func(b *testing.B) {
		for b.Loop() {
			if _, err := Respond(rp); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("base-key-check", func(b *testing.B) {
		for b.Loop() {
			if !isCanonicalBaseKey(rp.TheirBase) {
				b.Fatal("rejected")
			}
		}
	})
}
