// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package x3dh

import (
	"bytes"
	"errors"
	"testing"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/kem"
)

var kemTypes = []kem.Type{kem.Kyber1024, kem.MLKEM1024}

func TestKEMPreKeySignature(t *testing.T) {
	for _, typ := range kemTypes {
		t.Run(typ.String(), func(t *testing.T) {
			ik := gen(t)
			k, priv, err := GenerateKEMPreKey(ik, 7, typ, nil)
			if err != nil {
				t.Fatal(err)
			}
			if k.ID != 7 || k.PublicKey.Type() != typ || !priv.PublicKey().Equal(k.PublicKey) {
				t.Fatalf("GenerateKEMPreKey returned %+v", k)
			}
			if err := k.Verify(ik.PublicKey()); err != nil {
				t.Fatal(err)
			}
			// The signature covers the type byte: the same signature over
			// the raw key does not verify, and neither does a signature of
			// the raw key.
			raw := k.PublicKey.Bytes()[1:]
			if curve.Verify(ik.PublicKey(), k.Signature, raw) {
				t.Fatal("signature verifies over the key without its type byte")
			}
			rawSig, err := ik.Sign(nil, raw)
			if err != nil {
				t.Fatal(err)
			}
			if err := VerifyKEMPreKey(ik.PublicKey(), k.PublicKey, rawSig); !errors.Is(err, ErrInvalidSignature) {
				t.Fatalf("signature over the raw key: %v", err)
			}
			_, otherPub, err := kem.GenerateKeyPair(typ, nil)
			if err != nil {
				t.Fatal(err)
			}
			cases := map[string]struct {
				identity PublicKey
				pub      kem.PublicKey
				sig      []byte
				want     error
			}{
				"other identity":   {gen(t).PublicKey(), k.PublicKey, k.Signature, ErrInvalidSignature},
				"other KEM key":    {ik.PublicKey(), otherPub, k.Signature, ErrInvalidSignature},
				"flipped":          {ik.PublicKey(), k.PublicKey, flipBit(k.Signature, 10), ErrInvalidSignature},
				"flipped sign bit": {ik.PublicKey(), k.PublicKey, flipBit(k.Signature, 63), ErrInvalidSignature},
				"short":            {ik.PublicKey(), k.PublicKey, k.Signature[:63], ErrInvalidSignature},
				"long":             {ik.PublicKey(), k.PublicKey, append(bytes.Clone(k.Signature), 0), ErrInvalidSignature},
				"none":             {ik.PublicKey(), k.PublicKey, nil, ErrInvalidSignature},
				"zero KEM key":     {ik.PublicKey(), kem.PublicKey{}, k.Signature, ErrInvalidBundle},
				"zero identity":    {PublicKey{}, k.PublicKey, k.Signature, ErrInvalidBundle},
			}
			for name, c := range cases {
				if err := VerifyKEMPreKey(c.identity, c.pub, c.sig); !errors.Is(err, c.want) {
					t.Errorf("%s: got %v, want %v", name, err, c.want)
				}
			}
		})
	}
}

func TestSignKEMPreKeyMissingKey(t *testing.T) {
	if _, err := SignKEMPreKey(nil, 1, kem.PublicKey{}, nil); !errors.Is(err, ErrInvalidBundle) {
		t.Fatal(err)
	}
	if _, err := SignKEMPreKey(gen(t), 1, kem.PublicKey{}, nil); !errors.Is(err, ErrInvalidBundle) {
		t.Fatal(err)
	}
	if _, _, err := GenerateKEMPreKey(gen(t), 1, kem.Type(0x07), nil); !errors.Is(err, kem.ErrInvalidKey) {
		t.Fatalf("unsupported KEM type: %v", err)
	}
}

func flipBit(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0x80
	return c
}
