// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package kem

import (
	"bytes"
	"errors"
	"testing"
)

// fuzzSeeds returns serialized keys of both types plus truncations,
// extensions and wrong type bytes of them.
func fuzzSeeds(f *testing.F, b func(*PrivateKey) []byte) {
	for i, typ := range types {
		sk, _ := mustGenerate(f, typ, byte(i))
		s := b(sk)
		f.Add(s)
		f.Add(s[:len(s)-1])
		f.Add(append(bytes.Clone(s), 0))
		f.Add(s[:1])
		bad := bytes.Clone(s)
		bad[0] = 0x07
		f.Add(bad)
	}
	f.Add([]byte{})
}

// FuzzParsePublicKey checks that parsing never panics, returns the zero
// key on error, and that every accepted input re-serializes to itself and
// can be encapsulated to.
func FuzzParsePublicKey(f *testing.F) {
	fuzzSeeds(f, func(k *PrivateKey) []byte { return k.PublicKey().Bytes() })
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParsePublicKey(b)
		if err != nil {
			if !k.IsZero() || !errors.Is(err, ErrInvalidKey) {
				t.Fatalf("ParsePublicKey error %v with key %v", err, k)
			}
			return
		}
		if !bytes.Equal(k.Bytes(), b) {
			t.Fatalf("ParsePublicKey(%x…).Bytes() differs", b[:8])
		}
		ct, ss, err := k.Encapsulate(nil)
		if err != nil || len(ct) != SerializedCiphertextSize || len(ss) != SharedSecretSize {
			t.Fatalf("Encapsulate: %v", err)
		}
	})
}

// FuzzParsePrivateKey checks that parsing never panics, returns nil on
// error, and that every accepted key re-serializes to itself.
func FuzzParsePrivateKey(f *testing.F) {
	fuzzSeeds(f, (*PrivateKey).Bytes)
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParsePrivateKey(b)
		if err != nil {
			if k != nil || !errors.Is(err, ErrInvalidKey) {
				t.Fatalf("ParsePrivateKey error %v with key %v", err, k)
			}
			return
		}
		if !bytes.Equal(k.Bytes(), b) {
			t.Fatal("ParsePrivateKey(b).Bytes() differs from b")
		}
	})
}

// FuzzDecapsulate checks that decapsulating arbitrary bytes never panics,
// fails exactly on a wrong length or type byte, and is deterministic.
func FuzzDecapsulate(f *testing.F) {
	keys := make(map[Type]*PrivateKey)
	for i, typ := range types {
		sk, pk := mustGenerate(f, typ, byte(i))
		keys[typ] = sk
		ct, _, err := pk.Encapsulate(nil)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(byte(typ), ct)
		f.Add(byte(typ), ct[:len(ct)-1])
		f.Add(byte(typ), append(bytes.Clone(ct), 0))
		f.Add(byte(typ), []byte{byte(typ)})
	}
	f.Add(byte(Kyber1024), []byte{})
	f.Fuzz(func(t *testing.T, which byte, ct []byte) {
		sk := keys[types[int(which)%len(types)]]
		ss, err := sk.Decapsulate(ct)
		wantOK := len(ct) == SerializedCiphertextSize && Type(ct[0]) == sk.Type()
		if (err == nil) != wantOK {
			t.Fatalf("Decapsulate of %d bytes: %v", len(ct), err)
		}
		if err != nil {
			if ss != nil || !errors.Is(err, ErrInvalidCiphertext) {
				t.Fatalf("Decapsulate error %v with secret", err)
			}
			return
		}
		again, _ := sk.Decapsulate(ct)
		if len(ss) != SharedSecretSize || !bytes.Equal(ss, again) {
			t.Fatal("Decapsulate is not deterministic")
		}
	})
}
