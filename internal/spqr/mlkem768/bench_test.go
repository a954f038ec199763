// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package mlkem768

import (
	"crypto/hmac"
	"crypto/mlkem"
	"crypto/sha256"
	"testing"
)

func BenchmarkGenerateKey(b *testing.B) {
	for b.Loop() {
		if _, err := GenerateKey(nil); err != nil {
			b.Fatal(err)
		}
	}
}

func benchKey(b *testing.B) *DecapsulationKey {
	b.Helper()
	k, err := GenerateKey(nil)
	if err != nil {
		b.Fatal(err)
	}
	return k
}

func BenchmarkEncapsulate1(b *testing.B) {
	header := benchKey(b).Header()
	for b.Loop() {
		if _, _, _, err := Encapsulate1(header, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncapsulate2(b *testing.B) {
	k := benchKey(b)
	vector := k.EncapsulationKeyVector()
	_, state, _ := mustEncapsulate1(b, k.Header(), nil)
	for b.Loop() {
		if _, err := Encapsulate2(vector, state); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncapsulate1And2 is a whole incremental encapsulation, to be
// compared with BenchmarkStdlib/encapsulate.
func BenchmarkEncapsulate1And2(b *testing.B) {
	k := benchKey(b)
	header, vector := k.Header(), k.EncapsulationKeyVector()
	for b.Loop() {
		_, state, _, err := Encapsulate1(header, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Encapsulate2(vector, state); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncapsulationKeyMatchesHeader(b *testing.B) {
	k := benchKey(b)
	header, vector := k.Header(), k.EncapsulationKeyVector()
	for b.Loop() {
		if !EncapsulationKeyMatchesHeader(vector, header) {
			b.Fatal("mismatch")
		}
	}
}

func BenchmarkDecapsulate(b *testing.B) {
	k := benchKey(b)
	ct1, state, _ := mustEncapsulate1(b, k.Header(), nil)
	ct2 := mustEncapsulate2(b, k.EncapsulationKeyVector(), state)
	for b.Loop() {
		if _, err := k.Decapsulate(ct1, ct2); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStdlib measures crypto/mlkem's ML-KEM-768 in the same run:
// encapsulation to a parsed key, parsing plus encapsulation (what
// Encapsulate2 also pays for: the modulus check and the expansion of Â),
// and decapsulation.
func BenchmarkStdlib(b *testing.B) {
	dk, err := mlkem.GenerateKey768()
	if err != nil {
		b.Fatal(err)
	}
	ek := dk.EncapsulationKey()
	ekBytes := ek.Bytes()
	_, ct := ek.Encapsulate()
	b.Run("GenerateKey", func(b *testing.B) {
		for b.Loop() {
			if _, err := mlkem.GenerateKey768(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Encapsulate", func(b *testing.B) {
		for b.Loop() {
			ek.Encapsulate()
		}
	})
	b.Run("ParseAndEncapsulate", func(b *testing.B) {
		for b.Loop() {
			ek, err := mlkem.NewEncapsulationKey768(ekBytes)
			if err != nil {
				b.Fatal(err)
			}
			ek.Encapsulate()
		}
	})
	b.Run("Decapsulate", func(b *testing.B) {
		for b.Loop() {
			if _, err := dk.Decapsulate(ct); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSHA256AfterEncapsulate2 guards avx.CleanUpperState: an HMAC-SHA256
// right after Encapsulate2 must cost what it costs alone. Compare
// "encapsulate2+hmac" with the sum of "encapsulate2" and "hmac"; without
// VZEROUPPER the HMAC is about 30 times slower on Intel CPUs with SHA-NI.
func BenchmarkSHA256AfterEncapsulate2(b *testing.B) {
	k := benchKey(b)
	vector := k.EncapsulationKeyVector()
	_, state, _ := mustEncapsulate1(b, k.Header(), nil)
	key := make([]byte, 32)
	mac := func() { m := hmac.New(sha256.New, key); m.Write(vector); m.Sum(nil) }
	b.Run("encapsulate2+hmac", func(b *testing.B) {
		for b.Loop() {
			if _, err := Encapsulate2(vector, state); err != nil {
				b.Fatal(err)
			}
			mac()
		}
	})
	b.Run("encapsulate2", func(b *testing.B) {
		for b.Loop() {
			if _, err := Encapsulate2(vector, state); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("hmac", func(b *testing.B) {
		for b.Loop() {
			mac()
		}
	})
}
