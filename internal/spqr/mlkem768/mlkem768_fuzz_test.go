// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package mlkem768

import (
	"bytes"
	"crypto/mlkem"
	"crypto/mlkem/mlkemtest"
	"errors"
	"testing"
)

// fuzzSeeds returns the first few valid and invalid Wycheproof
// encapsulation vectors as (ek, m) pairs.
func fuzzSeeds(f *testing.F) (eks, ms [][]byte) {
	valid, invalid := 0, 0
	for _, v := range readWycheproof(f, "mlkem_768_encaps_test.json") {
		switch {
		case v.Result == "valid" && valid < 4:
			valid++
		case v.Result == "invalid" && invalid < 8:
			invalid++
		default:
			continue
		}
		eks = append(eks, v.EK)
		ms = append(ms, v.M)
	}
	return eks, ms
}

// FuzzEncapsulate2 feeds arbitrary vector and state bytes to Encapsulate2
// and EncapsulationKeyMatchesHeader. They must not panic, must return nil
// and a sentinel error on failure, must agree with each other, and on
// success ct2 must complete the standard ciphertext of crypto/mlkem for
// the key and the m in the state.
func FuzzEncapsulate2(f *testing.F) {
	eks, ms := fuzzSeeds(f)
	for i := range eks {
		if len(eks[i]) < rhoSize {
			continue
		}
		header, vector := splitStandard(eks[i])
		state := append(bytes.Clone(ms[i]), header...)
		f.Add(vector, state)
		f.Add(vector, state[:StateSize-1])
	}
	f.Add([]byte{}, []byte{})
	f.Fuzz(func(t *testing.T, vector, state []byte) {
		ct2, err := Encapsulate2(vector, state)
		if err != nil {
			if ct2 != nil {
				t.Fatalf("non-nil ct2 with error %v", err)
			}
			if !errors.Is(err, ErrInvalidLength) && !errors.Is(err, ErrInvalidEncapsulationKey) {
				t.Fatalf("unexpected error %v", err)
			}
		}
		matches := len(state) == StateSize && EncapsulationKeyMatchesHeader(vector, state[MessageSize:])
		if (err == nil) != matches {
			t.Fatalf("Encapsulate2 error %v but EncapsulationKeyMatchesHeader %v", err, matches)
		}
		if err != nil {
			return
		}
		checkAgainstStdlib(t, append(bytes.Clone(vector), state[MessageSize:MessageSize+rhoSize]...), state[:MessageSize], nil, ct2)
	})
}

// FuzzEncapsulate encapsulates incrementally to arbitrary key bytes, with
// an honest header computed from them, and a fuzzed m. The package must
// accept exactly the keys crypto/mlkem accepts and produce exactly its
// ciphertext and secret.
func FuzzEncapsulate(f *testing.F) {
	eks, ms := fuzzSeeds(f)
	for i := range eks {
		f.Add(eks[i], ms[i])
	}
	f.Fuzz(func(t *testing.T, ek, m []byte) {
		if len(ek) < rhoSize || len(m) != MessageSize {
			return
		}
		header, vector := splitStandard(ek)
		ct1, state, ss, err := Encapsulate1(header, bytes.NewReader(m))
		if err != nil {
			t.Fatal(err)
		}
		ct2, err := Encapsulate2(vector, state)
		_, stdErr := mlkem.NewEncapsulationKey768(ek)
		if (err == nil) != (stdErr == nil) {
			t.Fatalf("Encapsulate2 error %v, crypto/mlkem error %v", err, stdErr)
		}
		if err != nil {
			return
		}
		checkAgainstStdlib(t, ek, m, append(ct1, ct2...), ss)
	})
}

// checkAgainstStdlib runs crypto/mlkem's derandomized encapsulation with
// ek and m. If ct is nil, it checks only that ct2 (passed as ss) is the
// end of the ciphertext; otherwise that ct and ss are the ciphertext and
// secret.
func checkAgainstStdlib(t *testing.T, ek, m, ct, ss []byte) {
	t.Helper()
	pk, err := mlkem.NewEncapsulationKey768(ek)
	if err != nil {
		t.Fatalf("accepted a key crypto/mlkem rejects: %v", err)
	}
	wantSS, wantCT, err := mlkemtest.Encapsulate768(pk, m)
	if err != nil {
		t.Fatal(err)
	}
	if ct == nil {
		if !bytes.Equal(ss, wantCT[Ciphertext1Size:]) {
			t.Fatal("ct2 differs from crypto/mlkem's")
		}
		return
	}
	if !bytes.Equal(ct, wantCT) || !bytes.Equal(ss, wantSS) {
		t.Fatal("ciphertext or secret differs from crypto/mlkem's")
	}
}

// FuzzDecapsulate feeds arbitrary ciphertext parts to Decapsulate, which
// must not panic and must agree with crypto/mlkem.
func FuzzDecapsulate(f *testing.F) {
	seed := bytes.Repeat([]byte{7}, SeedSize)
	k, err := NewDecapsulationKey(seed)
	if err != nil {
		f.Fatal(err)
	}
	std, err := mlkem.NewDecapsulationKey768(seed)
	if err != nil {
		f.Fatal(err)
	}
	ct1, state, _ := mustEncapsulate1(f, k.Header(), bytes.NewReader(make([]byte, MessageSize)))
	ct2 := mustEncapsulate2(f, k.EncapsulationKeyVector(), state)
	f.Add(ct1, ct2)
	f.Add(ct1[1:], ct2)
	f.Fuzz(func(t *testing.T, ct1, ct2 []byte) {
		ss, err := k.Decapsulate(ct1, ct2)
		if len(ct1) != Ciphertext1Size || len(ct2) != Ciphertext2Size {
			if ss != nil || !errors.Is(err, ErrInvalidLength) {
				t.Fatalf("Decapsulate = %x, %v; want %v", ss, err, ErrInvalidLength)
			}
			return
		}
		want, stdErr := std.Decapsulate(append(bytes.Clone(ct1), ct2...))
		if err != nil || stdErr != nil || !bytes.Equal(ss, want) {
			t.Fatalf("Decapsulate = %x, %v; crypto/mlkem %x, %v", ss, err, want, stdErr)
		}
	})
}
