// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package curvecheck

import (
	"bytes"
	"crypto/rand"
	"testing"

	"go.mau.fi/libsignal/ecc"
	"go.mau.fi/libsignal/kdf"

	"github.com/crossseal/crossseal/internal/curve"
)

const liveRounds = 200

// TestLiveCrossSealSignsMauVerifies signs random messages with fresh
// crossseal keys and checks that mau accepts them, and rejects them once
// tampered, for both values of the Edwards sign bit.
func TestLiveCrossSealSignsMauVerifies(t *testing.T) {
	var signBits [2]int
	for i := range liveRounds {
		k, err := curve.GeneratePrivateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		msg := make([]byte, i%100)
		rand.Read(msg)
		sig, err := k.Sign(rand.Reader, msg)
		if err != nil {
			t.Fatal(err)
		}
		signBits[sig[63]>>7]++
		pub, err := MauPublicKey(k.PublicKey().Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if !ecc.VerifySignature(pub, msg, [64]byte(sig)) {
			t.Fatalf("round %d: mau rejects crossseal's signature %x", i, sig)
		}
		bad := [64]byte(sig)
		bad[63] ^= 0x80
		if ecc.VerifySignature(pub, msg, bad) {
			t.Fatalf("round %d: mau accepts a flipped sign bit", i)
		}
		if ecc.VerifySignature(pub, append(msg, 1), [64]byte(sig)) {
			t.Fatalf("round %d: mau accepts a different message", i)
		}
		if ecc.VerifySignature(pub, msg, [64]byte(AddL(sig))) {
			t.Fatalf("round %d: mau accepts s + L", i)
		}
	}
	if signBits[0] == 0 || signBits[1] == 0 {
		t.Errorf("sign bits not both exercised: %v", signBits)
	}
}

// TestLiveMauSignsCrossSealVerifies is the other direction, and also
// checks that both derive the same public key and the same X25519 secret.
func TestLiveMauSignsCrossSealVerifies(t *testing.T) {
	var signBits [2]int
	for i := range liveRounds {
		kp, err := ecc.GenerateKeyPair()
		if err != nil {
			t.Fatal(err)
		}
		priv := kp.PrivateKey().Serialize()
		k, err := curve.NewPrivateKey(priv[:])
		if err != nil {
			t.Fatal(err)
		}
		if got, want := k.PublicKey().Bytes(), kp.PublicKey().Serialize(); !bytes.Equal(got, want) {
			t.Fatalf("round %d: public key %x, mau %x", i, got, want)
		}
		pub, err := curve.NewPublicKey(kp.PublicKey().Serialize())
		if err != nil {
			t.Fatal(err)
		}

		msg := make([]byte, i%100)
		rand.Read(msg)
		sig := ecc.CalculateSignature(kp.PrivateKey(), msg)
		signBits[sig[63]>>7]++
		if !curve.Verify(pub, sig[:], msg) {
			t.Fatalf("round %d: crossseal rejects mau's signature %x", i, sig)
		}
		bad := sig
		bad[10] ^= 4
		if curve.Verify(pub, bad[:], msg) {
			t.Fatalf("round %d: crossseal accepts a tampered R", i)
		}
		if curve.Verify(pub, AddL(sig[:]), msg) {
			t.Fatalf("round %d: crossseal accepts s + L", i)
		}

		peer, err := curve.GeneratePrivateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		ours, err := peer.ECDH(pub)
		if err != nil {
			t.Fatal(err)
		}
		theirs := kdf.CalculateSharedSecret(peer.PublicKey().Raw(), priv)
		if !bytes.Equal(ours, theirs[:]) {
			t.Fatalf("round %d: X25519 secret %x, mau %x", i, ours, theirs)
		}
	}
	if signBits[0] == 0 || signBits[1] == 0 {
		t.Errorf("sign bits not both exercised: %v", signBits)
	}
}
