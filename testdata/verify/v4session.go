// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package verify

import (
	"bytes"
	"fmt"

	"github.com/crossseal/crossseal/internal/kem"
	"github.com/crossseal/crossseal/testdata/internal/sim"
	"github.com/crossseal/crossseal/x3dh"
)

// checkV4Session makes bob's KEM prekey from its recorded seed and
// randomness (x3dh.GenerateKEMPreKey), starts alice's session with PQXDH
// on exactly the recorded encapsulation randomness, then replays the
// session step by step: every message must be the recorded bytes, every
// delivery must have the recorded outcome and plaintext.
func checkV4Session(v *view) {
	h, steps := splitSteps(v)
	if h == nil {
		return
	}
	k := sim.V4Keys{
		IdentityA: h.privateKey("identity_a"), IdentityB: h.privateKey("identity_b"),
		RegistrationIDA: h.uint32("registration_id_a"),
		SignedPreKeyID:  h.uint32("signed_prekey_id"), SignedPreKey: h.privateKey("signed_prekey_b"),
		SignedPreKeySignature: h.bytes("signed_prekey_signature"),
		BaseA:                 h.privateKey("base_a"), RatchetKeyA: h.privateKey("ratchet_key_a"),
	}
	if random := h.bytes("signature_random"); h.err == nil && k.IdentityB != nil && k.SignedPreKey != nil {
		re, err := k.IdentityB.Sign(bytes.NewReader(random), k.SignedPreKey.PublicKey().Bytes())
		if err != nil || !bytes.Equal(re, k.SignedPreKeySignature) {
			h.fail("signing signed_prekey_b_public with identity_b_private and signature_random gives %x, recorded %x", re, k.SignedPreKeySignature)
		}
	}
	if id, ok := h.optUint32("prekey_id"); ok {
		k.PreKeyID, k.PreKey = id, h.privateKey("onetime_prekey_b")
		if k.PreKey == nil {
			h.fail("prekey_id without onetime_prekey_b_private")
		}
	}
	kemID := h.uint32("kem_prekey_id")
	seed, kemRandom := h.bytes("kem_prekey_seed"), h.bytes("kem_signature_random")
	kemPub := h.bytes("kem_prekey_public")
	a, hasA := h.optBytes("address_a")
	b, hasB := h.optBytes("address_b")
	if hasA != hasB {
		h.fail("address_a and address_b go together")
	}
	k.AddressA, k.AddressB = a, b
	encRandom := h.bytes("kem_encapsulation_random")
	if h.err == nil && (k.IdentityA == nil || k.IdentityB == nil || k.SignedPreKey == nil || k.BaseA == nil || k.RatchetKeyA == nil) {
		h.fail("the private keys of both parties are required")
	}
	if h.err == nil && len(kemPub) == 0 {
		h.fail("kem_prekey_public is empty")
	}
	if h.err != nil {
		v.err = h.err
		return
	}
	// The KEM prekey as bob generates it: the seed, then the signature
	// randomness.
	r, drained := feed(h, seed, kemRandom)
	kp, priv, err := x3dh.GenerateKEMPreKey(k.IdentityB, kemID, kem.Type(kemPub[0]), r)
	if err != nil {
		v.fail("GenerateKEMPreKey: %v", err)
		return
	}
	drained()
	h.equal("kem_prekey_private", priv.Bytes())
	h.equal("kem_prekey_public", kp.PublicKey.Bytes())
	h.equal("kem_prekey_signature", kp.Signature)
	k.KEMPreKey, k.KEMPrivate = kp, priv
	if h.err != nil {
		v.err = h.err
		return
	}
	r, drained = feed(h, encRandom)
	sess, ct, err := sim.StartV4(k, r)
	if err != nil {
		v.fail("PQXDH: %v", err)
		return
	}
	drained()
	h.equal("kem_ciphertext", ct)
	if h.err != nil {
		v.err = h.err
		return
	}
	runSteps(v, steps, func(s *view, action string) { runV4Step(sess, s, action) })
}

func runV4Step(sess *sim.V4Session, s *view, action string) {
	party := s.name("party")
	switch action {
	case "send":
		n, pt := s.int("message"), s.bytes("plaintext")
		random, _ := s.optBytes("random")
		if s.err != nil {
			return
		}
		r, drained := feed(s, random)
		i, m, err := sess.Send(party, pt, r)
		if err != nil {
			s.fail("%v", err)
			return
		}
		drained()
		if i != n {
			s.fail("this is message %d, recorded as %d", i, n)
		}
		s.equalUint("type", uint64(m.Type))
		s.equal("body", m.Body)
		checkRejectionSecret(s, random, func() ([]byte, error) { return sess.RejectionSecret(party) })
	case "deliver":
		n := s.int("message")
		var tamper *int
		if off, ok := s.optInt("tamper_offset"); ok {
			tamper = &off
		}
		privs, pubs := s.allBytes("ratchet_key_private"), s.allBytes("ratchet_key_public")
		if len(privs) != len(pubs) {
			s.fail("%d ratchet_key_private and %d ratchet_key_public", len(privs), len(pubs))
		}
		for j := range min(len(privs), len(pubs)) {
			checkPublic(s, "ratchet_key_private", "ratchet_key_public", privs[j], pubs[j])
		}
		s.expect = s.name("expect")
		if s.err != nil {
			return
		}
		r, drained := feed(s, privs...)
		pt, derr, err := sess.Deliver(party, n, tamper, r)
		if err != nil {
			s.fail("%v", err)
			return
		}
		s.outcome(fmt.Sprintf("delivering message %d", n), sim.Classify(derr))
		drained()
		if derr == nil {
			s.equal("plaintext", pt)
		}
	default:
		s.fail("unknown step %q", action)
	}
}
