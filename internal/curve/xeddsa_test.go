// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package curve

import (
	"bytes"
	"math/big"
	"testing"

	"filippo.io/edwards25519"
)

// The known-answer test of libsignal's rust/core/src/curve/curve25519.rs
// (test_signature): Alice's identity key signs her serialized ephemeral key.
const (
	libsignalPrivate   = "c097248412e58bf05df487968205132794178e367637f5818f81e0e6ce73e865"
	libsignalPublic    = "ab7e717d4a163b7d9a1d8071dfe9dcf8cdcd1cea3339b6356be84d887e322c64"
	libsignalMessage   = "05edce9d9c415ca78cb7252e72c2c4a554d3eb29485a0e1d503118d1a82d99fb4a"
	libsignalSignature = "5de88ca9a89b4a115da79109c67c9c7464a3e4180274f1cb8c63c2984e286dfb" +
		"ede82deb9dcd9fae0bfbb821569b3d9001bd8130cd11d486cef047bd60b86e88"
)

var (
	// p = 2^255 - 19 and L = 2^252 + 27742317777372353535851937790883648493.
	fieldP   = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))
	groupL   = mustBig("7237005577332262213973186563042994240857116359379907606001950938285454250989")
	twoTo255 = new(big.Int).Lsh(big.NewInt(1), 255)
)

func mustBig(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic("bad constant " + s)
	}
	return n
}

// leBytes encodes n little-endian in 32 bytes (n < 2^256).
func leBytes(n *big.Int) []byte {
	b := make([]byte, 32)
	n.FillBytes(b)
	for i, j := 0, 31; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return b
}

func leInt(b []byte) *big.Int {
	r := make([]byte, len(b))
	for i := range b {
		r[len(b)-1-i] = b[i]
	}
	return new(big.Int).SetBytes(r)
}

// addL returns sig with s replaced by s + L, keeping the sign bit.
func addL(sig []byte) []byte {
	out := bytes.Clone(sig)
	signBit := out[63] & 0x80
	out[63] &= 0x7F
	copy(out[32:], leBytes(new(big.Int).Add(leInt(out[32:]), groupL)))
	out[63] |= signBit
	return out
}

func TestLibsignalKnownAnswer(t *testing.T) {
	k := mustPrivateKey(t, mustHex(t, libsignalPrivate))
	pub := mustPublicKey(t, mustHex(t, libsignalPublic))
	if k.PublicKey() != pub {
		t.Fatalf("public key = %v, want %v", k.PublicKey(), pub)
	}
	msg := mustHex(t, libsignalMessage)
	sig := mustHex(t, libsignalSignature)
	if !Verify(pub, sig, msg) {
		t.Fatal("libsignal's signature does not verify")
	}
	if !Verify(pub, sig, msg[:1], msg[1:]) {
		t.Error("libsignal's signature does not verify over a split message")
	}
	// As in libsignal's test, every single-bit flip is rejected.
	for i := range sig {
		for bit := range 8 {
			bad := bytes.Clone(sig)
			bad[i] ^= 1 << bit
			if Verify(pub, bad, msg) {
				t.Errorf("signature with bit %d of byte %d flipped verifies", bit, i)
			}
		}
	}
	// s + L < 2^253 here, which libsignal's verify_signature accepts; we
	// reject non-canonical s, as go.mau.fi/libsignal and RFC 8032 do.
	if Verify(pub, addL(sig), msg) {
		t.Error("signature with s + L verifies")
	}
}

// signWith signs msg with k using the given 64 bytes as Z.
func signWith(t testing.TB, k *PrivateKey, z []byte, msg ...[]byte) []byte {
	t.Helper()
	r := bytes.NewReader(z)
	sig, err := k.Sign(r, msg...)
	if err != nil {
		t.Fatal(err)
	}
	if r.Len() != 0 {
		t.Fatalf("Sign left %d of %d random bytes unread", r.Len(), len(z))
	}
	return sig
}

func TestSignVerifyRoundTrip(t *testing.T) {
	r := &countingReader{seed: []byte("round trip")}
	signBits := [2]int{}
	for i := range 200 {
		k := mustGenerate(t, r)
		pub := k.PublicKey()
		msg := make([]byte, i%70)
		r.Read(msg)
		sig, err := k.Sign(r, msg)
		if err != nil {
			t.Fatal(err)
		}
		if len(sig) != SignatureSize {
			t.Fatalf("signature is %d bytes", len(sig))
		}

		// The Edwards public key is the X25519 key under the birational
		// map, and its sign bit travels in the top bit of sig[63].
		sk := k.signingKeyOf()
		A, err := new(edwards25519.Point).SetBytes(sk.pubA[:])
		if err != nil {
			t.Fatal(err)
		}
		if got := A.BytesMontgomery(); !bytes.Equal(got, pub.raw[:]) {
			t.Fatalf("key %d: Edwards key maps to u = %x, want %x", i, got, pub.raw)
		}
		if sig[63]>>7 != sk.pubA[31]>>7 {
			t.Fatalf("key %d: signature sign bit %d, Edwards key sign bit %d", i, sig[63]>>7, sk.pubA[31]>>7)
		}
		signBits[sig[63]>>7]++

		if !Verify(pub, sig, msg) {
			t.Fatalf("key %d: signature does not verify", i)
		}
		if len(msg) > 2 && !Verify(pub, sig, msg[:1], nil, msg[1:2], msg[2:]) {
			t.Fatalf("key %d: signature does not verify over a split message", i)
		}
		// Bit 255 of u is ignored, as in RFC 7748 and libsignal.
		high := pub.raw
		high[31] |= 0x80
		if !Verify(PublicKey{high}, sig, msg) {
			t.Fatalf("key %d: signature does not verify with bit 255 of u set", i)
		}

		tampered := append(bytes.Clone(msg), 0)
		if Verify(pub, sig, tampered) {
			t.Fatalf("key %d: signature verifies for a longer message", i)
		}
		if len(msg) > 0 {
			tampered = bytes.Clone(msg)
			tampered[i%len(msg)] ^= 0x10
			if Verify(pub, sig, tampered) {
				t.Fatalf("key %d: signature verifies for a tampered message", i)
			}
		}
		for _, tc := range []struct {
			name string
			edit func([]byte) []byte
		}{
			{"R", func(s []byte) []byte { s[i%32] ^= 1; return s }},
			{"s", func(s []byte) []byte { s[32+i%31] ^= 1; return s }},
			{"sign bit", func(s []byte) []byte { s[63] ^= 0x80; return s }},
			{"s+L", addL},
			{"truncated", func(s []byte) []byte { return s[:63] }},
			{"extended", func(s []byte) []byte { return append(s, 0) }},
			{"empty", func([]byte) []byte { return nil }},
		} {
			if Verify(pub, tc.edit(bytes.Clone(sig)), msg) {
				t.Fatalf("key %d: signature with tampered %s verifies", i, tc.name)
			}
		}
		other := mustGenerate(t, r).PublicKey()
		if Verify(other, sig, msg) {
			t.Fatalf("key %d: signature verifies under another key", i)
		}
	}
	if signBits[0] < 50 || signBits[1] < 50 {
		t.Errorf("sign bits not both exercised: %d zero, %d one", signBits[0], signBits[1])
	}
}

func TestSignRandomness(t *testing.T) {
	k := mustPrivateKey(t, mustHex(t, libsignalPrivate))
	msg := []byte("deterministic")

	r := &countingReader{seed: []byte("z")}
	sig1, err := k.Sign(r, msg)
	if err != nil {
		t.Fatal(err)
	}
	if r.n != signRandomSize {
		t.Errorf("Sign read %d bytes, want %d", r.n, signRandomSize)
	}
	sig2, err := k.Sign(&countingReader{seed: []byte("z")}, msg)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sig1, sig2) {
		t.Error("the same randomness gave different signatures")
	}
	sig3, err := k.Sign(r, msg)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(sig1, sig3) {
		t.Error("different randomness gave the same signature")
	}

	z := bytes.Repeat([]byte{0x5A}, signRandomSize)
	whole := signWith(t, k, z, []byte("hello, world"))
	split := signWith(t, k, z, []byte("hello"), nil, []byte(", world"))
	if !bytes.Equal(whole, split) {
		t.Error("signing a split message differs from signing the concatenation")
	}

	if sig, err := k.Sign(bytes.NewReader(make([]byte, signRandomSize-1)), msg); err == nil || sig != nil {
		t.Errorf("Sign with a short reader = %x, %v; want an error", sig, err)
	}
	sig, err := k.Sign(nil, msg)
	if err != nil || !Verify(k.PublicKey(), sig, msg) {
		t.Errorf("Sign with crypto/rand: %x, %v", sig, err)
	}
}

// The nonce hash is SHA-512(0xFE ‖ 0xFF×31 ‖ clamped private key ‖ msg ‖ Z),
// as in libsignal: an unclamped input key signs like its clamped form.
func TestSignUsesClampedKey(t *testing.T) {
	raw := mustHex(t, rfcAlicePrivate) // not clamped
	clamped := bytes.Clone(raw)
	clamped[0] &= 248
	clamped[31] = clamped[31]&127 | 64
	z := bytes.Repeat([]byte{1}, signRandomSize)
	a := signWith(t, mustPrivateKey(t, raw), z, []byte("m"))
	b := signWith(t, mustPrivateKey(t, clamped), z, []byte("m"))
	if !bytes.Equal(a, b) {
		t.Error("a key and its clamped form sign differently")
	}
}

func TestSignConcurrent(t *testing.T) {
	k := mustPrivateKey(t, mustHex(t, libsignalPrivate))
	done := make(chan []byte)
	for range 8 {
		go func() {
			sig, err := k.Sign(nil, []byte("concurrent"))
			if err != nil {
				sig = nil
			}
			done <- sig
		}()
	}
	for range 8 {
		if sig := <-done; !Verify(k.PublicKey(), sig, []byte("concurrent")) {
			t.Error("concurrent signature does not verify")
		}
	}
}

// specialU lists u-coordinates at the edges of the field: 0, 1, p - 1
// (u = -1, where the birational map is undefined), p, p + 1, 2^255 - 1 and
// 2^256 - 1 (which both wrap), and a value whose y is not on the curve.
func specialU() map[string][]byte {
	m := map[string][]byte{
		"0":       leBytes(big.NewInt(0)),
		"1":       leBytes(big.NewInt(1)),
		"p-1":     leBytes(new(big.Int).Sub(fieldP, big.NewInt(1))),
		"p":       leBytes(fieldP),
		"p+1":     leBytes(new(big.Int).Add(fieldP, big.NewInt(1))),
		"2^255-1": leBytes(new(big.Int).Sub(twoTo255, big.NewInt(1))),
		"2^256-1": bytes.Repeat([]byte{0xFF}, 32),
		"2":       leBytes(big.NewInt(2)),
	}
	// p - 1 with bit 255 set is also -1 once the top bit is dropped.
	m["p-1|2^255"] = bytes.Clone(m["p-1"])
	m["p-1|2^255"][31] |= 0x80
	return m
}

func TestVerifySpecialKeysNoPanic(t *testing.T) {
	r := &countingReader{seed: []byte("garbage")}
	sig := make([]byte, SignatureSize)
	for name, u := range specialU() {
		pub := mustPublicKey(t, u)
		for i := range 200 {
			r.Read(sig)
			if i%4 == 0 {
				sig[63] &= 0x0F // canonical-looking s
			}
			if Verify(pub, sig, []byte("m")) {
				t.Errorf("u = %s: garbage signature %x verifies", name, sig)
			}
		}
		for _, s := range [][]byte{make([]byte, 64), bytes.Repeat([]byte{0xFF}, 64)} {
			if Verify(pub, s, nil) {
				t.Errorf("u = %s: signature %x verifies", name, s)
			}
		}
	}
}

// forgeLowOrder builds a signature that satisfies the verification equation
// for the Edwards point A of small order n, which needs no private key.
func forgeLowOrder(t *testing.T, A *edwards25519.Point, n int, msg []byte) []byte {
	t.Helper()
	minusA := new(edwards25519.Point).Negate(A)
	encA := A.Bytes()
	for i := range 256 {
		s := mustUniform(bytes.Repeat([]byte{byte(i + 1)}, 64))
		for k := range n {
			kk := mustUniform(append([]byte{byte(k)}, make([]byte, 63)...))
			R := new(edwards25519.Point).VarTimeDoubleScalarBaseMult(kk, minusA, s)
			h := challenge(R.Bytes(), encA, [][]byte{msg})
			// h·A depends only on h mod n; R = s·B - k·A works if h ≡ k.
			if new(edwards25519.Point).ScalarMult(h, A).Equal(new(edwards25519.Point).ScalarMult(kk, A)) == 1 {
				sig := append(R.Bytes(), s.Bytes()...)
				sig[63] |= A.Bytes()[31] & 0x80
				return sig
			}
		}
	}
	t.Fatal("no forgery found")
	return nil
}

// u = -1 has no Edwards image under libsignal's map (dalek's to_edwards
// returns None), but a naive (u-1)·(u+1)^-1 with 0^-1 = 0 gives y = 0, a
// point of order 4 for which signatures can be forged without a key.
// go.mau.fi/libsignal computes exactly that; we must reject as libsignal.
func TestVerifyRejectsMinusOne(t *testing.T) {
	msg := []byte("forged")
	for _, sign := range []byte{0, 0x80} {
		enc := make([]byte, 32)
		enc[31] = sign
		A, err := new(edwards25519.Point).SetBytes(enc)
		if err != nil {
			t.Fatal(err)
		}
		sig := forgeLowOrder(t, A, 4, msg)
		if !verifyEdwards(A, (*[SignatureSize]byte)(sig), [][]byte{msg}) {
			t.Fatal("forgery does not satisfy the verification equation")
		}
		for _, name := range []string{"p-1", "p-1|2^255"} {
			if Verify(mustPublicKey(t, specialU()[name]), sig, msg) {
				t.Errorf("u = %s: forged signature verifies", name)
			}
		}
	}
}

// u = 0 maps to y = -1, x = 0 (order 2). libsignal accepts equation-valid
// signatures for it and hashes the canonical encoding of A (sign bit 0)
// even when the signature's sign bit is 1; so do we.
func TestVerifyZeroKeyMatchesLibsignal(t *testing.T) {
	msg := []byte("order two")
	A, ok := edwardsPublicKey((*[32]byte)(make([]byte, 32)), 1)
	if !ok {
		t.Fatal("u = 0 with sign bit 1 does not decode")
	}
	if A.Bytes()[31]&0x80 != 0 {
		t.Fatal("x = 0 encodes with the sign bit set")
	}
	sig := forgeLowOrder(t, A, 2, msg)
	sig[63] |= 0x80
	if !Verify(PublicKey{}, sig, msg) {
		t.Error("equation-valid signature for u = 0 with sign bit 1 rejected")
	}
}

func TestNewPrivateKeyEdwardsScalar(t *testing.T) {
	// SetBytesWithClamping on the stored key gives a with a·B equal to the
	// Edwards form of the X25519 public key (checked against RFC 7748).
	k := mustPrivateKey(t, mustHex(t, rfcBobPrivate))
	sk := k.signingKeyOf()
	A := new(edwards25519.Point).ScalarBaseMult(&sk.a)
	if got := A.BytesMontgomery(); !bytes.Equal(got, mustHex(t, rfcBobPublic)) {
		t.Errorf("a·B maps to u = %x, want %s", got, rfcBobPublic)
	}
}
