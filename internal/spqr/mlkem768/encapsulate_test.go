// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package mlkem768

import (
	"bytes"
	"crypto/mlkem"
	"crypto/mlkem/mlkemtest"
	"crypto/rand"
	"crypto/sha3"
	"errors"
	"github.com/crossseal/crossseal/internal/avx"
	"io"
	mathrand "math/rand/v2"
	"testing"

	"github.com/cloudflare/circl/pke/kyber/kyber768"
)

// recordingReader reads from crypto/rand and keeps a copy of every byte it
// returned, so that a test can replay the randomness an operation used.
type recordingReader struct{ read []byte }

func (r *recordingReader) Read(p []byte) (int, error) {
	n, err := rand.Read(p)
	r.read = append(r.read, p[:n]...)
	return n, err
}

// errReader fails every read.
type errReader struct{}

var errReadFailed = errors.New("test: read failed")

func (errReader) Read([]byte) (int, error) { return 0, errReadFailed }

// splitStandard splits a standard encapsulation key (at least 32 bytes)
// into the header ρ ‖ SHA3-256(ek) and the vector that precedes ρ.
func splitStandard(ek []byte) (header, vector []byte) {
	rho := ek[len(ek)-rhoSize:]
	h := sha3.Sum256(ek)
	header = append(append([]byte{}, rho...), h[:]...)
	return header, bytes.Clone(ek[:len(ek)-rhoSize])
}

func mustEncapsulate1(t testing.TB, header []byte, rand io.Reader) (ct1, state, ss []byte) {
	t.Helper()
	ct1, state, ss, err := Encapsulate1(header, rand)
	if err != nil {
		t.Fatalf("Encapsulate1: %v", err)
	}
	if len(ct1) != Ciphertext1Size || len(state) != StateSize || len(ss) != SharedSecretSize {
		t.Fatalf("Encapsulate1: sizes %d, %d, %d", len(ct1), len(state), len(ss))
	}
	return ct1, state, ss
}

func mustEncapsulate2(t testing.TB, vector, state []byte) []byte {
	t.Helper()
	ct2, err := Encapsulate2(vector, state)
	if err != nil {
		t.Fatalf("Encapsulate2: %v", err)
	}
	if len(ct2) != Ciphertext2Size {
		t.Fatalf("Encapsulate2: %d bytes", len(ct2))
	}
	return ct2
}

// TestAgainstStdlib encapsulates incrementally to keys from crypto/mlkem
// and requires crypto/mlkem to decapsulate the same secret (implicit
// rejection would give another one) and mlkemtest's derandomized standard
// encapsulation with the same m to give the same ciphertext and secret.
func TestAgainstStdlib(t *testing.T) {
	n := 200
	if testing.Short() {
		n = 20
	}
	for range n {
		dk, err := mlkem.GenerateKey768()
		if err != nil {
			t.Fatal(err)
		}
		ek := dk.EncapsulationKey().Bytes()
		header, vector := splitStandard(ek)
		rec := &recordingReader{}
		ct1, state, ss := mustEncapsulate1(t, header, rec)
		ct2 := mustEncapsulate2(t, vector, state)
		ct := append(bytes.Clone(ct1), ct2...)

		got, err := dk.Decapsulate(ct)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, ss) {
			t.Fatalf("crypto/mlkem decapsulates another secret")
		}

		if len(rec.read) != MessageSize {
			t.Fatalf("Encapsulate1 read %d bytes, want %d", len(rec.read), MessageSize)
		}
		wantSS, wantCT, err := mlkemtest.Encapsulate768(dk.EncapsulationKey(), rec.read)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ct, wantCT) || !bytes.Equal(ss, wantSS) {
			t.Fatalf("ciphertext or secret differs from ML-KEM.Encaps_internal")
		}
		if !bytes.Equal(state[:MessageSize], rec.read) || !bytes.Equal(state[MessageSize:], header) {
			t.Fatalf("state is not m ‖ header")
		}
	}
}

// TestRoundTrip encapsulates to this package's keys and decapsulates.
func TestRoundTrip(t *testing.T) {
	for range 20 {
		k, err := GenerateKey(nil)
		if err != nil {
			t.Fatal(err)
		}
		ct1, state, ss := mustEncapsulate1(t, k.Header(), nil)
		ct2 := mustEncapsulate2(t, k.EncapsulationKeyVector(), state)
		got, err := k.Decapsulate(ct1, ct2)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, ss) {
			t.Fatal("decapsulated secret differs")
		}
	}
}

// TestUIndependentOfT checks the reasoning behind Encapsulate1: circl's
// K-PKE.Encrypt gives the same u (the first Ciphertext1Size bytes) under
// the real key and under 0 ‖ ρ, while v differs.
func TestUIndependentOfT(t *testing.T) {
	for range 20 {
		k, err := GenerateKey(nil)
		if err != nil {
			t.Fatal(err)
		}
		ek := k.EncapsulationKey()
		zero := make([]byte, len(ek))
		copy(zero[EncapsulationKeySize:], ek[EncapsulationKeySize:])
		m, coins := make([]byte, 32), make([]byte, 32)
		rand.Read(m)
		rand.Read(coins)
		var real, fake kyber768.PublicKey
		real.Unpack(ek)
		fake.Unpack(zero)
		ctReal, ctFake := make([]byte, CiphertextSize), make([]byte, CiphertextSize)
		real.EncryptTo(ctReal, m, coins)
		fake.EncryptTo(ctFake, m, coins)
		avx.CleanUpperState()
		if !bytes.Equal(ctReal[:Ciphertext1Size], ctFake[:Ciphertext1Size]) {
			t.Fatal("u depends on t̂")
		}
		if bytes.Equal(ctReal[Ciphertext1Size:], ctFake[Ciphertext1Size:]) {
			t.Fatal("v does not depend on t̂")
		}
	}
}

// TestEncapsulateDeterministic checks that the results depend only on the
// inputs and the MessageSize bytes read.
func TestEncapsulateDeterministic(t *testing.T) {
	k, err := GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	m := bytes.Repeat([]byte{0x42}, MessageSize+10)
	r1 := bytes.NewReader(m)
	ct1a, statea, ssa := mustEncapsulate1(t, k.Header(), r1)
	if r1.Len() != 10 {
		t.Fatalf("Encapsulate1 read %d bytes, want %d", len(m)-r1.Len(), MessageSize)
	}
	ct1b, stateb, ssb := mustEncapsulate1(t, k.Header(), bytes.NewReader(m))
	if !bytes.Equal(ct1a, ct1b) || !bytes.Equal(statea, stateb) || !bytes.Equal(ssa, ssb) {
		t.Fatal("Encapsulate1 is not deterministic")
	}
	if !bytes.Equal(mustEncapsulate2(t, k.EncapsulationKeyVector(), statea), mustEncapsulate2(t, k.EncapsulationKeyVector(), stateb)) {
		t.Fatal("Encapsulate2 is not deterministic")
	}
}

func TestRandomnessFailure(t *testing.T) {
	k, err := GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]io.Reader{
		"error": errReader{},
		"short": bytes.NewReader(make([]byte, MessageSize-1)),
		"empty": bytes.NewReader(nil),
	} {
		ct1, state, ss, err := Encapsulate1(k.Header(), r)
		if err == nil || ct1 != nil || state != nil || ss != nil {
			t.Errorf("%s: Encapsulate1 = %x, %x, %x, %v; want an error and nil results", name, ct1, state, ss, err)
		}
	}
	if _, _, _, err := Encapsulate1(k.Header(), errReader{}); !errors.Is(err, errReadFailed) {
		t.Errorf("Encapsulate1 error %v does not wrap the reader's", err)
	}
}

// TestWrongKey checks that a vector that is not the one the header
// announces is rejected, and that the state survives for a retry.
func TestWrongKey(t *testing.T) {
	k, err := GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	other, err := GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	header, vector := k.Header(), k.EncapsulationKeyVector()
	ct1, state, ss := mustEncapsulate1(t, header, nil)
	stateCopy := bytes.Clone(state)

	reject := func(name string, vector, state []byte) {
		t.Helper()
		ct2, err := Encapsulate2(vector, state)
		if !errors.Is(err, ErrInvalidEncapsulationKey) || ct2 != nil {
			t.Errorf("%s: Encapsulate2 = %x, %v; want %v", name, ct2, err, ErrInvalidEncapsulationKey)
		}
		if EncapsulationKeyMatchesHeader(vector, state[MessageSize:]) {
			t.Errorf("%s: EncapsulationKeyMatchesHeader = true", name)
		}
	}

	reject("other key", other.EncapsulationKeyVector(), state)
	for _, bit := range []int{0, 7, 8 * 500, 8*EncapsulationKeySize - 1} {
		v := bytes.Clone(vector)
		v[bit/8] ^= 1 << (bit % 8)
		reject("flipped vector bit", v, state)
	}
	for _, bit := range []int{0, 8*rhoSize - 1, 8 * rhoSize, 8*HeaderSize - 1} {
		s := bytes.Clone(state)
		s[MessageSize+bit/8] ^= 1 << (bit % 8)
		reject("flipped header bit", vector, s)
	}
	reject("zero vector", make([]byte, EncapsulationKeySize), state)

	if !bytes.Equal(state, stateCopy) {
		t.Fatal("Encapsulate2 modified the state")
	}
	if !EncapsulationKeyMatchesHeader(vector, header) {
		t.Fatal("EncapsulationKeyMatchesHeader rejects the right key")
	}
	got, err := k.Decapsulate(ct1, mustEncapsulate2(t, vector, state))
	if err != nil || !bytes.Equal(got, ss) {
		t.Fatalf("retry with the right key: %v", err)
	}
}

// TestModulusCheck plants coefficients at and around q in honest vectors,
// with headers that hash them correctly, and requires the package to
// agree with crypto/mlkem's and circl's modulus checks.
func TestModulusCheck(t *testing.T) {
	k, err := GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	ek := k.EncapsulationKey()
	rng := mathrand.New(mathrand.NewPCG(1, 2))
	for _, value := range []uint16{0, 1, q - 1, q, q + 1, 4095} {
		for range 20 {
			bad := bytes.Clone(ek)
			setCoefficient(bad, rng.IntN(EncapsulationKeySize*2/3), value)
			header, vector := splitStandard(bad)
			_, stdErr := mlkem.NewEncapsulationKey768(bad)
			var pk kyber768.PublicKey
			circlErr := pk.UnpackMLKEM(bad)
			avx.CleanUpperState()
			want := value < q
			if (stdErr == nil) != want || (circlErr == nil) != want {
				t.Fatalf("coefficient %d: crypto/mlkem %v, circl %v", value, stdErr, circlErr)
			}
			if got := modulusCheck(vector); got != want {
				t.Fatalf("coefficient %d: modulusCheck = %v", value, got)
			}
			if got := EncapsulationKeyMatchesHeader(vector, header); got != want {
				t.Fatalf("coefficient %d: EncapsulationKeyMatchesHeader = %v", value, got)
			}
			_, state, _ := mustEncapsulate1(t, header, nil)
			_, err := Encapsulate2(vector, state)
			if want && err != nil || !want && !errors.Is(err, ErrInvalidEncapsulationKey) {
				t.Fatalf("coefficient %d: Encapsulate2: %v", value, err)
			}
		}
	}
}

// setCoefficient sets the i-th 12-bit coefficient of a ByteEncode12
// encoding.
func setCoefficient(b []byte, i int, v uint16) {
	o := i / 2 * 3
	if i%2 == 0 {
		b[o] = byte(v)
		b[o+1] = b[o+1]&0xf0 | byte(v>>8)
	} else {
		b[o+1] = b[o+1]&0x0f | byte(v<<4)
		b[o+2] = byte(v >> 4)
	}
}

// lengths returns every length from 0 to n+2 and a few larger ones.
func lengths(n int) []int {
	var ls []int
	for l := 0; l <= n+2; l++ {
		ls = append(ls, l)
	}
	return append(ls, 2*n, 4096)
}

// TestBadLengths tries every truncation and extension of every input.
func TestBadLengths(t *testing.T) {
	k, err := GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	header, vector, seed := k.Header(), k.EncapsulationKeyVector(), k.Seed()
	ct1, state, _ := mustEncapsulate1(t, header, nil)
	ct2 := mustEncapsulate2(t, vector, state)
	resize := func(b []byte, n int) []byte {
		out := make([]byte, n)
		copy(out, b)
		return out
	}
	isLengthError := func(name string, n int, err error) {
		t.Helper()
		if !errors.Is(err, ErrInvalidLength) {
			t.Errorf("%s of %d bytes: error %v, want %v", name, n, err, ErrInvalidLength)
		}
	}

	for _, n := range lengths(SeedSize) {
		if n == SeedSize {
			continue
		}
		got, err := NewDecapsulationKey(resize(seed, n))
		isLengthError("seed", n, err)
		if got != nil {
			t.Errorf("seed of %d bytes: non-nil key", n)
		}
	}
	for _, n := range lengths(HeaderSize) {
		if n == HeaderSize {
			continue
		}
		c, s, ss, err := Encapsulate1(resize(header, n), nil)
		isLengthError("header", n, err)
		if c != nil || s != nil || ss != nil {
			t.Errorf("header of %d bytes: non-nil results", n)
		}
		if EncapsulationKeyMatchesHeader(vector, resize(header, n)) {
			t.Errorf("EncapsulationKeyMatchesHeader accepts a header of %d bytes", n)
		}
	}
	for _, n := range lengths(EncapsulationKeySize) {
		if n == EncapsulationKeySize {
			continue
		}
		c, err := Encapsulate2(resize(vector, n), state)
		isLengthError("vector", n, err)
		if c != nil {
			t.Errorf("vector of %d bytes: non-nil result", n)
		}
		if EncapsulationKeyMatchesHeader(resize(vector, n), header) {
			t.Errorf("EncapsulationKeyMatchesHeader accepts a vector of %d bytes", n)
		}
	}
	for _, n := range lengths(StateSize) {
		if n == StateSize {
			continue
		}
		c, err := Encapsulate2(vector, resize(state, n))
		isLengthError("state", n, err)
		if c != nil {
			t.Errorf("state of %d bytes: non-nil result", n)
		}
	}
	for _, n := range lengths(Ciphertext1Size) {
		if n == Ciphertext1Size {
			continue
		}
		ss, err := k.Decapsulate(resize(ct1, n), ct2)
		isLengthError("ct1", n, err)
		if ss != nil {
			t.Errorf("ct1 of %d bytes: non-nil secret", n)
		}
	}
	for _, n := range lengths(Ciphertext2Size) {
		if n == Ciphertext2Size {
			continue
		}
		ss, err := k.Decapsulate(ct1, resize(ct2, n))
		isLengthError("ct2", n, err)
		if ss != nil {
			t.Errorf("ct2 of %d bytes: non-nil secret", n)
		}
	}
	// The right total length split at the wrong place is still wrong.
	ct := append(bytes.Clone(ct1), ct2...)
	_, err = k.Decapsulate(ct[:Ciphertext1Size+1], ct[Ciphertext1Size+1:])
	isLengthError("shifted split", CiphertextSize, err)
	_, err = k.Decapsulate(ct, nil)
	isLengthError("whole ciphertext as ct1", CiphertextSize, err)
}
