// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package gen

import (
	"bytes"
	"fmt"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/kem"
	"github.com/crossseal/crossseal/ratchet"
	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/testdata/internal/sim"
	"github.com/crossseal/crossseal/x3dh"
)

// v4Scribe runs a v4 session on a seeded stream and writes its keys and
// each step, with the randomness it drew, into a v4-session vector.
type v4Scribe struct {
	b    *builder
	s    *sim.V4Session
	r    *testdata.Stream
	v    *vec
	sent int // messages sent so far
}

// v4Setup says how a v4-session vector starts.
type v4Setup struct {
	kem       kem.Type
	withOPK   bool
	addresses bool
}

func (b *builder) privateKey(priv []byte) *curve.PrivateKey {
	k, err := curve.NewPrivateKey(priv)
	b.check(err)
	return k
}

func newV4Scribe(b *builder, name, comment string, setup v4Setup) *v4Scribe {
	r := stream("v4-session " + name)
	v := newVec("v4-session", name, testdata.ExpectSuccess, comment)
	ikA, ikB := r.Bytes(32), r.Bytes(32)
	const regA, spkID, opkID, kemID = 4001, 5, 9, 17
	v.hex("identity_a_private", ikA).hex("identity_a_public", publicOf(ikA)).int("registration_id_a", regA).
		hex("identity_b_private", ikB).hex("identity_b_public", publicOf(ikB))

	spk, random := r.Bytes(32), r.Bytes(64)
	sig, err := b.privateKey(ikB).Sign(bytes.NewReader(random), publicOf(spk))
	b.check(err)
	v.int("signed_prekey_id", spkID).hex("signed_prekey_b_private", spk).hex("signed_prekey_b_public", publicOf(spk)).
		hex("signature_random", random).hex("signed_prekey_signature", sig)
	k := sim.V4Keys{
		IdentityA: b.privateKey(ikA), IdentityB: b.privateKey(ikB), RegistrationIDA: regA,
		SignedPreKeyID: spkID, SignedPreKey: b.privateKey(spk), SignedPreKeySignature: sig,
	}
	if setup.withOPK {
		opk := r.Bytes(32)
		v.int("prekey_id", opkID).hex("onetime_prekey_b_private", opk).hex("onetime_prekey_b_public", publicOf(opk))
		k.PreKeyID, k.PreKey = opkID, b.privateKey(opk)
	}

	kemSeed, kemRandom := r.Bytes(kem.SeedSize), r.Bytes(64)
	kp := b.newKEMPreKey(setup.kem, ikB, kemSeed, kemRandom)
	v.int("kem_prekey_id", kemID).hex("kem_prekey_seed", kemSeed).hex("kem_signature_random", kemRandom).
		hex("kem_prekey_private", kp.priv.Bytes()).hex("kem_prekey_public", kp.public).hex("kem_prekey_signature", kp.sig)
	k.KEMPreKey = x3dh.KEMPreKey{ID: kemID, PublicKey: kp.pub, Signature: kp.sig}
	k.KEMPrivate = kp.priv

	base, ratchetKey := r.Bytes(32), r.Bytes(32)
	k.BaseA, k.RatchetKeyA = b.privateKey(base), b.privateKey(ratchetKey)
	if setup.addresses {
		k.AddressA = ratchet.EncodeAddress("6f1e5b2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b", 1)
		k.AddressB = ratchet.EncodeAddress("PNI:0a1b2c3d-4e5f-4061-8273-8495a6b7c8d9", 2)
		if k.AddressA == nil || k.AddressB == nil {
			b.fail("v4-session: no address binding")
		}
	}
	if b.err != nil {
		return &v4Scribe{b: b, r: r, v: v}
	}
	rc := &recorder{r: r}
	sess, ct, err := sim.StartV4(k, rc)
	b.check(err)
	if len(rc.got) != kem.EncapsulationSeedSize {
		b.fail("v4-session: PQXDH drew %d random bytes", len(rc.got))
	}
	v.hex("base_a_private", base).hex("base_a_public", publicOf(base)).
		hex("kem_encapsulation_random", rc.got).hex("kem_ciphertext", ct).
		hex("ratchet_key_a_private", ratchetKey).hex("ratchet_key_a_public", publicOf(ratchetKey))
	if setup.addresses {
		v.hex("address_a", k.AddressA).hex("address_b", k.AddressB)
	}
	return &v4Scribe{b: b, s: sess, r: r, v: v}
}

// send makes party send a message and returns its number.
func (s *v4Scribe) send(party string) int {
	if s.s == nil {
		return 0
	}
	rc := &recorder{r: s.r}
	text := fmt.Sprintf("v4: %s's message %d", party, s.sent)
	s.sent++
	i, m, err := s.s.Send(party, []byte(text), rc)
	s.b.check(err)
	s.v.str("step", "send").str("party", party).int("message", uint64(i)).hex("plaintext", []byte(text))
	if len(rc.got) > 0 {
		s.v.hex("random", rc.got)
	}
	s.v.int("type", uint64(m.Type)).hex("body", m.Body)
	if len(rc.got) == 64 {
		rs, err := s.s.RejectionSecret(party)
		s.b.check(err)
		s.v.hex("rejection_secret", rs)
	}
	return i
}

func (s *v4Scribe) deliver(party string, msg int, want string) {
	s.deliverTampered(party, msg, nil, want)
}

func (s *v4Scribe) deliverTampered(party string, msg int, tamper *int, want string) {
	if s.s == nil {
		return
	}
	rc := &recorder{r: s.r}
	pt, derr, err := s.s.Deliver(party, msg, tamper, rc)
	s.b.check(err)
	if got := sim.Classify(derr); got != want && s.b.err == nil {
		s.b.fail("v4-session %s: delivering message %d to %s: %s, want %s", s.v.name, msg, party, got, want)
	}
	if len(rc.got)%32 != 0 {
		s.b.fail("v4 delivery drew %d random bytes", len(rc.got))
	}
	s.v.str("step", "deliver").str("party", party).int("message", uint64(msg))
	if tamper != nil {
		s.v.int("tamper_offset", uint64(*tamper))
	}
	for k := 0; k+32 <= len(rc.got); k += 32 {
		s.v.hex("ratchet_key_private", rc.got[k:k+32]).hex("ratchet_key_public", publicOf(rc.got[k:k+32]))
	}
	s.v.str("expect", want)
	if want == testdata.ExpectSuccess {
		s.v.hex("plaintext", pt)
	}
}

// lastByte returns the offset of the last byte (in the MAC) of message i.
func (s *v4Scribe) lastByte(i int) *int {
	off := 0
	if s.s != nil {
		off = len(s.s.Message(i).Body) - 1
	}
	return &off
}

func v4SessionVectors(b *builder) {
	ok := testdata.ExpectSuccess
	alice, bob := sim.V4Initiator, sim.V4Responder

	s := newV4Scribe(b, "pqxdh-kyber1024",
		"PQXDH with a one-time prekey and a Kyber1024 KEM prekey, then the Triple Ratchet with SPQR and the address binding: three PreKeySignalMessages (0x44, kyber prekey id and ciphertext, pq_ratchet) delivered out of order, a replay, bob's first replies (his first SPQR message encapsulates), a tampered MAC, then whisper messages both ways",
		v4Setup{kem: kem.Kyber1024, withOPK: true, addresses: true})
	a0, a1, a2 := s.send(alice), s.send(alice), s.send(alice)
	s.deliver(bob, a1, ok) // PQXDH, a DH step, skips a0
	s.deliver(bob, a0, ok)
	s.deliver(bob, a2, ok) // the third header chunk: bob has alice's SPQR header
	s.deliver(bob, a1, testdata.ExpectDuplicate)
	b0, b1 := s.send(bob), s.send(bob)
	s.deliver(alice, b1, ok)
	s.deliverTampered(alice, b0, s.lastByte(b0), testdata.ExpectMACFailure)
	s.deliver(alice, b0, ok)
	a3 := s.send(alice) // a SignalMessage: alice has heard from bob
	s.deliver(bob, a3, ok)
	b2 := s.send(bob)
	s.deliver(alice, b2, ok)
	b.add(s.v)

	s = newV4Scribe(b, "pqxdh-mlkem1024",
		"PQXDH without a one-time prekey, with an ML-KEM-1024 KEM prekey, no address binding; one message each way and a reply",
		v4Setup{kem: kem.MLKEM1024})
	a0 = s.send(alice)
	s.deliver(bob, a0, ok)
	b0 = s.send(bob)
	s.deliver(alice, b0, ok)
	a1 = s.send(alice)
	s.deliver(bob, a1, ok)
	b.add(s.v)
}
