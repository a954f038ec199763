// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package curve

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// RFC 7748, section 6.1.
const (
	rfcAlicePrivate = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
	rfcAlicePublic  = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
	rfcBobPrivate   = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"
	rfcBobPublic    = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"
	rfcShared       = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"
)

func TestRFC7748KnownAnswer(t *testing.T) {
	alice := mustPrivateKey(t, mustHex(t, rfcAlicePrivate))
	bob := mustPrivateKey(t, mustHex(t, rfcBobPrivate))
	alicePub := mustPublicKey(t, mustHex(t, rfcAlicePublic))
	bobPub := mustPublicKey(t, mustHex(t, rfcBobPublic))

	if got := alice.PublicKey(); got != alicePub {
		t.Errorf("Alice's public key = %v, want %v", got, alicePub)
	}
	if got := bob.PublicKey(); got != bobPub {
		t.Errorf("Bob's public key = %v, want %v", got, bobPub)
	}
	for _, tc := range []struct {
		name string
		k    *PrivateKey
		peer PublicKey
	}{{"alice", alice, bobPub}, {"bob", bob, alicePub}} {
		got, err := tc.k.ECDH(tc.peer)
		if err != nil {
			t.Fatalf("%s: ECDH: %v", tc.name, err)
		}
		if hex.EncodeToString(got) != rfcShared {
			t.Errorf("%s: shared secret = %x, want %s", tc.name, got, rfcShared)
		}
	}

	// NewPrivateKey clamps, as libsignal's PrivateKey::from does.
	want := mustHex(t, rfcAlicePrivate)
	want[0] &= 248
	want[31] = want[31]&127 | 64
	if got := alice.Bytes(); !bytes.Equal(got, want) {
		t.Errorf("Bytes() = %x, want clamped %x", got, want)
	}
}

func TestNewPrivateKeyBadLengths(t *testing.T) {
	b := make([]byte, PrivateKeySize+8)
	for n := 0; n <= len(b); n++ {
		if n == PrivateKeySize {
			continue
		}
		k, err := NewPrivateKey(b[:n])
		if !errors.Is(err, ErrInvalidKey) || k != nil {
			t.Errorf("NewPrivateKey(%d bytes) = %v, %v; want nil, ErrInvalidKey", n, k, err)
		}
	}
}

func TestNewPrivateKeyDoesNotRetainInput(t *testing.T) {
	b := mustHex(t, rfcAlicePrivate)
	k := mustPrivateKey(t, b)
	clear(b)
	if got := k.PublicKey(); got != mustPublicKey(t, mustHex(t, rfcAlicePublic)) {
		t.Errorf("clearing the input changed the key: public %v", got)
	}
	kb := k.Bytes()
	clear(kb)
	if bytes.Equal(k.Bytes(), kb) {
		t.Error("Bytes() does not return a copy")
	}
}

// countingReader returns a deterministic stream and counts the bytes read.
type countingReader struct {
	seed []byte
	n    int
}

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		h := sha256.Sum256(fmt.Appendf(nil, "%s/%d", r.seed, (r.n+i)/32))
		p[i] = h[(r.n+i)%32]
	}
	r.n += len(p)
	return len(p), nil
}

func TestGeneratePrivateKeyDeterministic(t *testing.T) {
	r1 := &countingReader{seed: []byte("gen")}
	k1, err := GeneratePrivateKey(r1)
	if err != nil {
		t.Fatal(err)
	}
	if r1.n != PrivateKeySize {
		t.Errorf("GeneratePrivateKey read %d bytes, want %d", r1.n, PrivateKeySize)
	}
	r2 := &countingReader{seed: []byte("gen")}
	kp, err := GenerateKeyPair(r2)
	if err != nil {
		t.Fatal(err)
	}
	if r2.n != PrivateKeySize {
		t.Errorf("GenerateKeyPair read %d bytes, want %d", r2.n, PrivateKeySize)
	}
	if !bytes.Equal(k1.Bytes(), kp.Private.Bytes()) || kp.Public != k1.PublicKey() {
		t.Error("the same reader stream gave different keys")
	}

	// The key is the clamped bytes read.
	raw := make([]byte, PrivateKeySize)
	(&countingReader{seed: []byte("gen")}).Read(raw)
	if want := mustPrivateKey(t, raw); !bytes.Equal(k1.Bytes(), want.Bytes()) {
		t.Errorf("GeneratePrivateKey = %x, want NewPrivateKey(read bytes) = %x", k1.Bytes(), want.Bytes())
	}
	b := k1.Bytes()
	if b[0]&7 != 0 || b[31]&0xC0 != 0x40 {
		t.Errorf("generated key %x is not clamped", b)
	}
}

func TestGeneratePrivateKeyReaderError(t *testing.T) {
	short := bytes.NewReader(make([]byte, PrivateKeySize-1))
	if k, err := GeneratePrivateKey(short); err == nil || k != nil {
		t.Errorf("GeneratePrivateKey(short reader) = %v, %v; want an error", k, err)
	}
	if _, err := GenerateKeyPair(iotestErrReader{}); err == nil {
		t.Error("GenerateKeyPair(failing reader) succeeded")
	}
}

type iotestErrReader struct{}

func (iotestErrReader) Read([]byte) (int, error) { return 0, errors.New("boom") }

func TestGeneratePrivateKeyNilReader(t *testing.T) {
	a, err := GeneratePrivateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := GeneratePrivateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.PublicKey() == b.PublicKey() {
		t.Error("two keys from crypto/rand are equal")
	}
}

func TestECDHAgreement(t *testing.T) {
	r := &countingReader{seed: []byte("ecdh")}
	for i := range 20 {
		a, b := mustGenerate(t, r), mustGenerate(t, r)
		ab, err := a.ECDH(b.PublicKey())
		if err != nil {
			t.Fatal(err)
		}
		ba, err := b.ECDH(a.PublicKey())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ab, ba) || len(ab) != 32 {
			t.Fatalf("pair %d: shared secrets differ: %x vs %x", i, ab, ba)
		}
	}
}

func TestECDHLowOrder(t *testing.T) {
	k := mustPrivateKey(t, mustHex(t, rfcAlicePrivate))
	// u = 0, u = 1 and u = p - 1 (and u = p, non-canonical 0) have low order.
	for _, u := range []string{
		"0000000000000000000000000000000000000000000000000000000000000000",
		"0100000000000000000000000000000000000000000000000000000000000000",
		"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	} {
		secret, err := k.ECDH(mustPublicKey(t, mustHex(t, u)))
		if err != ErrLowOrderPoint || secret != nil {
			t.Errorf("ECDH(%s) = %x, %v; want nil, ErrLowOrderPoint", u, secret, err)
		}
	}
}

func TestPrivateKeyFormatting(t *testing.T) {
	k := mustPrivateKey(t, mustHex(t, rfcAlicePrivate))
	secretHex := hex.EncodeToString(k.Bytes())
	secretRaw := string(k.Bytes())
	// How fmt renders a [32]byte or []byte holding the secret, minus brackets.
	secretDec := strings.Trim(fmt.Sprint(k.Bytes()), "[]")
	secretGo := strings.Trim(strings.TrimPrefix(fmt.Sprintf("%#v", k.Bytes()), "[]byte"), "{}")
	kp := KeyPair{Private: k, Public: k.PublicKey()}
	formats := []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%q", "%d", "%T %p"}
	var outs []string
	for _, f := range formats {
		outs = append(outs,
			fmt.Sprintf(f, k), fmt.Sprintf(f, kp), fmt.Sprintf(f, &kp),
			fmt.Sprintf(f, []*PrivateKey{k}), fmt.Sprintf(f, map[string]*PrivateKey{"k": k}),
			fmt.Sprintf(f, *k), fmt.Sprintf(f, struct{ k *PrivateKey }{k}),
		)
	}
	outs = append(outs, k.String(), k.GoString())
	// Signing fills in the lazily computed signing key; format again.
	if _, err := k.Sign(nil, []byte("m")); err != nil {
		t.Fatal(err)
	}
	for _, f := range formats {
		outs = append(outs, fmt.Sprintf(f, k), fmt.Sprintf(f, *k), fmt.Sprintf(f, struct{ k *PrivateKey }{k}))
	}
	for _, out := range outs {
		lower := strings.ToLower(out)
		if strings.Contains(lower, secretHex) || strings.Contains(out, secretRaw) ||
			strings.Contains(lower, secretHex[:16]) || strings.Contains(out, secretDec) ||
			strings.Contains(out, secretGo) {
			t.Errorf("formatted private key %q reveals the secret", out)
		}
	}
	if s := k.String(); !strings.Contains(s, k.PublicKey().String()) {
		t.Errorf("String() = %q does not show the public key", s)
	}
	var nilKey *PrivateKey
	if s := fmt.Sprint(nilKey); !strings.Contains(s, "nil") {
		t.Errorf("nil key formats as %q", s)
	}
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustPrivateKey(t testing.TB, b []byte) *PrivateKey {
	t.Helper()
	k, err := NewPrivateKey(b)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func mustGenerate(t testing.TB, r io.Reader) *PrivateKey {
	t.Helper()
	k, err := GeneratePrivateKey(r)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
