// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package mlkem768

import (
	"bytes"
	"crypto/mlkem"
	"crypto/rand"
	"crypto/sha3"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestHeaderSplit checks the header and vector against crypto/mlkem's
// encapsulation key for the same seed.
func TestHeaderSplit(t *testing.T) {
	for range 20 {
		seed := make([]byte, SeedSize)
		rand.Read(seed)
		std, err := mlkem.NewDecapsulationKey768(seed)
		if err != nil {
			t.Fatal(err)
		}
		ek := std.EncapsulationKey().Bytes()
		k, err := NewDecapsulationKey(seed)
		if err != nil {
			t.Fatal(err)
		}
		h := sha3.Sum256(ek)
		wantHeader := append(bytes.Clone(ek[EncapsulationKeySize:]), h[:]...)
		if !bytes.Equal(k.Header(), wantHeader) {
			t.Fatal("Header() != ρ ‖ SHA3-256(ek)")
		}
		if !bytes.Equal(k.EncapsulationKeyVector(), ek[:EncapsulationKeySize]) {
			t.Fatal("EncapsulationKeyVector() != ek[:1152]")
		}
		if !bytes.Equal(k.EncapsulationKey(), ek) {
			t.Fatal("EncapsulationKey() != ek")
		}
		if !bytes.Equal(k.Seed(), seed) {
			t.Fatal("Seed() != seed")
		}
	}
}

// TestGenerateKeyDeterministic checks that GenerateKey reads exactly
// SeedSize bytes and uses them as the seed.
func TestGenerateKeyDeterministic(t *testing.T) {
	seed := make([]byte, SeedSize+5)
	rand.Read(seed)
	r := bytes.NewReader(seed)
	k, err := GenerateKey(r)
	if err != nil {
		t.Fatal(err)
	}
	if r.Len() != 5 {
		t.Fatalf("GenerateKey read %d bytes, want %d", len(seed)-r.Len(), SeedSize)
	}
	if !bytes.Equal(k.Seed(), seed[:SeedSize]) {
		t.Fatal("GenerateKey did not use the bytes read as the seed")
	}
	if _, err := GenerateKey(errReader{}); !errors.Is(err, errReadFailed) {
		t.Fatalf("GenerateKey with a failing reader: %v", err)
	}
	if k, err := GenerateKey(bytes.NewReader(seed[:SeedSize-1])); err == nil || k != nil {
		t.Fatal("GenerateKey accepted a short read")
	}
}

// TestReturnsCopies checks that the byte slices returned are fresh.
func TestReturnsCopies(t *testing.T) {
	k, err := GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, get := range map[string]func() []byte{
		"Seed": k.Seed, "Header": k.Header,
		"EncapsulationKeyVector": k.EncapsulationKeyVector, "EncapsulationKey": k.EncapsulationKey,
	} {
		b := get()
		want := bytes.Clone(b)
		clear(b)
		if !bytes.Equal(get(), want) {
			t.Errorf("%s returns the key's own storage", name)
		}
	}
}

// TestImplicitRejection checks that a tampered ciphertext decapsulates,
// without error, to another secret, the one crypto/mlkem gives.
func TestImplicitRejection(t *testing.T) {
	seed := make([]byte, SeedSize)
	rand.Read(seed)
	k, err := NewDecapsulationKey(seed)
	if err != nil {
		t.Fatal(err)
	}
	std, err := mlkem.NewDecapsulationKey768(seed)
	if err != nil {
		t.Fatal(err)
	}
	ct1, state, ss := mustEncapsulate1(t, k.Header(), nil)
	ct2 := mustEncapsulate2(t, k.EncapsulationKeyVector(), state)
	for _, tc := range []struct {
		name string
		part int // 1 or 2
		byte int
	}{{"ct1 first byte", 1, 0}, {"ct1 last byte", 1, Ciphertext1Size - 1}, {"ct2 first byte", 2, 0}, {"ct2 last byte", 2, Ciphertext2Size - 1}} {
		t.Run(tc.name, func(t *testing.T) {
			c1, c2 := bytes.Clone(ct1), bytes.Clone(ct2)
			if tc.part == 1 {
				c1[tc.byte] ^= 0x01
			} else {
				c2[tc.byte] ^= 0x80
			}
			got, err := k.Decapsulate(c1, c2)
			if err != nil {
				t.Fatalf("Decapsulate: %v", err)
			}
			if bytes.Equal(got, ss) {
				t.Fatal("tampered ciphertext gives the same secret")
			}
			want, err := std.Decapsulate(append(c1, c2...))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatal("rejection secret differs from crypto/mlkem's")
			}
		})
	}
}

// TestZeroKey checks that a nil or zero DecapsulationKey neither panics
// nor returns data.
func TestZeroKey(t *testing.T) {
	for name, k := range map[string]*DecapsulationKey{"nil": nil, "zero": {}} {
		if k.Seed() != nil || k.Header() != nil || k.EncapsulationKeyVector() != nil || k.EncapsulationKey() != nil {
			t.Errorf("%s key returns data", name)
		}
		ss, err := k.Decapsulate(make([]byte, Ciphertext1Size), make([]byte, Ciphertext2Size))
		if ss != nil || !errors.Is(err, ErrInvalidDecapsulationKey) {
			t.Errorf("%s key: Decapsulate = %x, %v", name, ss, err)
		}
		if s := fmt.Sprint(k); s != "mlkem768.DecapsulationKey{}" {
			t.Errorf("%s key formats as %q", name, s)
		}
	}
}

// TestFormatHidesSecret formats a key with every common verb and checks
// that no part of the seed appears.
func TestFormatHidesSecret(t *testing.T) {
	k, err := GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	seed := k.Seed()
	header := hex.EncodeToString(k.Header()[:8])
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%q", "%d", "%50v"} {
		for _, arg := range []any{k, *k, []any{k}, struct{ K *DecapsulationKey }{k}} {
			s := fmt.Sprintf(verb, arg)
			lower := strings.ToLower(s)
			for i := 0; i+4 <= len(seed); i++ {
				if strings.Contains(lower, hex.EncodeToString(seed[i:i+4])) || strings.Contains(s, string(seed[i:i+4])) {
					t.Fatalf("%s of %T leaks seed bytes: %s", verb, arg, s)
				}
			}
			if _, isValue := arg.(DecapsulationKey); !isValue && !strings.Contains(s, header) {
				t.Errorf("%s of %T does not show the header prefix: %s", verb, arg, s)
			}
		}
	}
}
