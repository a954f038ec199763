// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package verify

import (
	"bytes"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/ratchet"
	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/testdata/internal/sim"
	"github.com/crossseal/crossseal/x3dh"
)

// checkXEdDSA re-makes the signature from the private key and randomness
// (if recorded, and unless a mutation changed the message or signature),
// and checks that Verify's answer is the expected one.
func checkXEdDSA(v *view) {
	pub, msg, sig := v.bytes("public"), v.bytes("message"), v.bytes("signature")
	if priv, ok := v.optBytes("private"); ok && v.err == nil {
		k, err := curve.NewPrivateKey(priv)
		if err != nil {
			v.fail("private: %v", err)
			return
		}
		if !v.mutated["public"] && !bytes.Equal(k.PublicKey().Bytes(), pub) {
			v.fail("public is not the public key of private")
		}
		if random, ok := v.optBytes("random"); ok && !v.mutated["message"] && !v.mutated["signature"] {
			re, err := k.Sign(bytes.NewReader(random), msg)
			if err != nil || !bytes.Equal(re, sig) {
				v.fail("signing message with private and random gives %x, recorded %x", re, sig)
			}
		}
	}
	if v.err != nil {
		return
	}
	got := testdata.ExpectInvalidSignature
	if k, err := curve.NewPublicKey(pub); err == nil && curve.Verify(k, sig, msg) {
		got = testdata.ExpectSuccess
	}
	v.outcome("Verify", got)
}

// checkX3DH runs X3DH as the initiator and, for a success vector, as the
// responder, and compares both with the recorded root and chain keys.
func checkX3DH(v *view) {
	ikA, ekA := v.privateKey("identity_a"), v.privateKey("base_a")
	ikB := v.privateKey("identity_b")
	spkB := v.privateKey("signed_prekey_b")
	opkB := v.privateKey("onetime_prekey_b")
	b := &x3dh.Bundle{
		RegistrationID: 1, DeviceID: 1,
		IdentityKey:           v.publicKey("identity_b_public"),
		SignedPreKeyID:        1,
		SignedPreKey:          v.publicKey("signed_prekey_b_public"),
		SignedPreKeySignature: v.bytes("signed_prekey_signature"),
	}
	b.PreKey, b.HasPreKey = v.optPublicKey("onetime_prekey_b_public")
	if random, ok := v.optBytes("signature_random"); ok && ikB != nil && !v.mutated["signed_prekey_signature"] && !v.mutated["signed_prekey_b_public"] {
		re, err := ikB.Sign(bytes.NewReader(random), b.SignedPreKey.Bytes())
		if err != nil || !bytes.Equal(re, b.SignedPreKeySignature) {
			v.fail("signing signed_prekey_b_public with identity_b_private and signature_random gives %x, recorded %x", re, b.SignedPreKeySignature)
		}
	}
	if v.err != nil {
		return
	}
	if ikA == nil || ekA == nil {
		v.fail("identity_a_private and base_a_private are required")
		return
	}
	ss, err := x3dh.Initiate(x3dh.InitiatorParameters{OurIdentity: ikA, OurBase: ekA, Bundle: b})
	v.outcome("Initiate", sim.Classify(err))
	if v.err != nil || v.expect != testdata.ExpectSuccess {
		return
	}
	v.equal("root_key", ss.RootKey[:])
	v.equal("chain_key", ss.ChainKey[:])
	if ikB == nil || spkB == nil || (b.HasPreKey && opkB == nil) {
		v.fail("a success vector needs bob's private keys")
		return
	}
	rs, err := x3dh.Respond(x3dh.ResponderParameters{
		OurIdentity: ikB, OurSignedPreKey: spkB, OurOneTimePreKey: opkB,
		TheirIdentity: ikA.PublicKey(), TheirBase: ekA.PublicKey(),
	})
	if err != nil {
		v.fail("Respond: %v", err)
		return
	}
	if rs != ss {
		v.fail("Respond derives other keys than Initiate")
	}
}

// checkKDFRK runs RootKey.KDF_RK.
func checkKDFRK(v *view) {
	var rk ratchet.RootKey
	if root := v.bytes("root_key"); len(root) == len(rk) {
		copy(rk[:], root)
	} else {
		v.fail("root_key is %d bytes", len(root))
	}
	our, their := v.privateKey("our"), v.publicKey("their_public")
	if v.err != nil {
		return
	}
	if our == nil {
		v.fail("missing field \"our_private\"")
		return
	}
	next, ck, err := rk.KDF_RK(our, their)
	v.outcome("KDF_RK", sim.Classify(err))
	if v.err != nil || err != nil {
		return
	}
	v.equal("new_root_key", next[:])
	v.equal("chain_key", ck.Key[:])
	if ck.Index != 0 {
		v.fail("new chain at index %d", ck.Index)
	}
}

// checkKDFCK runs ChainKey.KDF_CK.
func checkKDFCK(v *view) {
	ck := ratchet.ChainKey{Index: v.uint32("index")}
	if b := v.bytes("chain_key"); len(b) == len(ck.Key) {
		copy(ck.Key[:], b)
	} else {
		v.fail("chain_key is %d bytes", len(b))
	}
	if v.err != nil {
		return
	}
	seed, next := ck.KDF_CK()
	v.equal("message_key_seed", seed[:])
	v.equal("next_chain_key", next.Key[:])
	if next.Index != ck.Index+1 {
		v.fail("next index %d after %d", next.Index, ck.Index)
	}
	v.outcome("KDF_CK", testdata.ExpectSuccess)
}

// checkMessageKeys runs DeriveMessageKeys.
func checkMessageKeys(v *view) {
	var seed [ratchet.KeySize]byte
	if b := v.bytes("message_key_seed"); len(b) == len(seed) {
		copy(seed[:], b)
	} else {
		v.fail("message_key_seed is %d bytes", len(b))
	}
	counter := v.uint32("counter")
	if v.err != nil {
		return
	}
	mk := ratchet.DeriveMessageKeys(&seed, counter, nil)
	v.equal("cipher_key", mk.CipherKey[:])
	v.equal("mac_key", mk.MACKey[:])
	v.equal("iv", mk.IV[:])
	if mk.Counter != counter {
		v.fail("message keys carry counter %d", mk.Counter)
	}
	v.outcome("DeriveMessageKeys", testdata.ExpectSuccess)
}

// checkDigest recomputes the accumulated ratchet digest.
func checkDigest(v *view) {
	seed, n, steps := v.bytes("seed"), v.int("conversations"), v.int("steps")
	if v.err != nil {
		return
	}
	d, err := sim.RatchetDigest(seed, n, steps)
	if err != nil {
		v.fail("%v", err)
		return
	}
	v.equal("digest", d[:])
	v.outcome("RatchetDigest", testdata.ExpectSuccess)
}
