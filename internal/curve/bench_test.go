// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package curve

import (
	"crypto/rand"
	"testing"
)

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		if _, err := GeneratePrivateKey(rand.Reader); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkECDH(b *testing.B) {
	k := mustGenerate(b, rand.Reader)
	peer := mustGenerate(b, rand.Reader).PublicKey()
	for b.Loop() {
		if _, err := k.ECDH(peer); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSign(b *testing.B) {
	k := mustGenerate(b, rand.Reader)
	msg := k.PublicKey().Bytes() // a signed prekey signature
	if _, err := k.Sign(rand.Reader, msg); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := k.Sign(rand.Reader, msg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignFirst includes the one-time cost of deriving the Edwards key.
func BenchmarkSignFirst(b *testing.B) {
	k := mustGenerate(b, rand.Reader)
	raw := k.Bytes()
	msg := k.PublicKey().Bytes()
	for b.Loop() {
		k := mustPrivateKey(b, raw)
		if _, err := k.Sign(rand.Reader, msg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	k := mustGenerate(b, rand.Reader)
	msg := k.PublicKey().Bytes()
	sig, err := k.Sign(rand.Reader, msg)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if !Verify(k.PublicKey(), sig, msg) {
			b.Fatal("signature does not verify")
		}
	}
}
