// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package gen

import (
	"fmt"
	"io"

	"github.com/crossseal/crossseal/ratchet"
	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/testdata/internal/sim"
)

// recorder passes reads through and keeps what was read.
type recorder struct {
	r   io.Reader
	got []byte
}

func (x *recorder) Read(p []byte) (int, error) {
	n, err := x.r.Read(p)
	x.got = append(x.got, p[:n]...)
	return n, err
}

// scribe runs a conversation on a seeded stream and writes each step, with
// the randomness it drew, into a transcript vector.
type scribe struct {
	b *builder
	c *sim.Conversation
	r *testdata.Stream
	v *vec
}

func newScribe(b *builder, name, comment string) *scribe {
	return &scribe{b: b, c: sim.NewConversation(), r: stream("transcript " + name),
		v: newVec("transcript", name, testdata.ExpectSuccess, comment)}
}

func (s *scribe) rec() *recorder { return &recorder{r: s.r} }

// drew checks that a step drew exactly n bytes.
func (s *scribe) drew(rc *recorder, n int, step string) {
	if len(rc.got) != n {
		s.b.fail("transcript step %s drew %d random bytes, want %d", step, len(rc.got), n)
	}
}

func (s *scribe) identity(party, address string, regID uint32) {
	rc := s.rec()
	_, err := s.c.Identity(party, address, regID, rc)
	s.b.check(err)
	s.drew(rc, 32, "identity")
	s.v.str("step", "identity").str("party", party)
	if address != party {
		s.v.str("address", address)
	}
	s.v.int("registration_id", uint64(regID)).hex("identity_private", rc.got).hex("identity_public", publicOf(rc.got))
}

func (s *scribe) signedPreKey(party string, id uint32, timestamp int64) {
	rc := s.rec()
	spk, err := s.c.SignedPreKey(party, id, timestamp, rc)
	s.b.check(err)
	s.drew(rc, 96, "signed-prekey")
	s.v.str("step", "signed-prekey").str("party", party).int("id", uint64(id)).int("timestamp", uint64(timestamp)).
		hex("signed_prekey_private", rc.got[:32]).hex("signature_random", rc.got[32:]).
		hex("signed_prekey_public", publicOf(rc.got[:32])).hex("signature", spk.Signature)
}

func (s *scribe) preKey(party string, id uint32) {
	rc := s.rec()
	_, err := s.c.PreKey(party, id, rc)
	s.b.check(err)
	s.drew(rc, 32, "prekey")
	s.v.str("step", "prekey").str("party", party).int("id", uint64(id)).
		hex("prekey_private", rc.got).hex("prekey_public", publicOf(rc.got))
}

func (s *scribe) bundle(party, peer string, signedID uint32, preKeyID *uint32) {
	rc := s.rec()
	s.b.check(s.c.Bundle(party, peer, signedID, preKeyID, rc))
	s.drew(rc, 64, "bundle")
	s.v.str("step", "bundle").str("party", party).str("peer", peer).int("signed_prekey_id", uint64(signedID))
	if preKeyID != nil {
		s.v.int("prekey_id", uint64(*preKeyID))
	}
	s.v.hex("base_key_private", rc.got[:32]).hex("ratchet_key_private", rc.got[32:]).
		hex("base_key_public", publicOf(rc.got[:32])).hex("ratchet_key_public", publicOf(rc.got[32:]))
}

func (s *scribe) send(party, peer, text string) int {
	i, m, err := s.c.Send(party, peer, []byte(text))
	s.b.check(err)
	s.v.str("step", "send").str("party", party).str("peer", peer).int("message", uint64(i)).
		hex("plaintext", []byte(text)).int("type", uint64(m.Type)).hex("body", m.Body)
	return i
}

func (s *scribe) skip(party, peer string, count int) {
	s.b.check(s.c.Skip(party, peer, count))
	s.v.str("step", "skip").str("party", party).str("peer", peer).int("count", uint64(count))
}

func (s *scribe) deliver(party, peer string, msg int, want string) {
	s.deliverTampered(party, peer, msg, nil, want)
}

func (s *scribe) deliverTampered(party, peer string, msg int, tamper *int, want string) {
	rc := s.rec()
	pt, derr, err := s.c.Deliver(party, peer, msg, tamper, rc)
	s.b.check(err)
	if got := sim.Classify(derr); got != want && s.b.err == nil {
		s.b.fail("transcript %s: delivering message %d to %s: %s, want %s", s.v.name, msg, party, got, want)
	}
	if len(rc.got)%32 != 0 {
		s.b.fail("delivery drew %d random bytes", len(rc.got))
	}
	s.v.str("step", "deliver").str("party", party).str("peer", peer).int("message", uint64(msg))
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

func (s *scribe) restart(party string) {
	s.b.check(s.c.Restart(party))
	s.v.str("step", "restart").str("party", party)
}

// lastByte returns the offset of the last byte (in the MAC) of message i.
func (s *scribe) lastByte(i int) *int {
	off := len(s.c.Message(i).Body) - 1
	return &off
}

func transcriptVectors(b *builder) {
	ok := testdata.ExpectSuccess
	s := newScribe(b, "conversation",
		"alice and bob: X3DH with a one-time prekey, out-of-order delivery with skipped keys, several DH steps, a replay, a tampered MAC, restarts from the store, and a counter jump beyond 25,000")
	s.identity("alice", "alice", 1)
	s.identity("bob", "bob", 2)
	s.signedPreKey("bob", 1, 1767225600000)
	pk := uint32(7)
	s.preKey("bob", pk)
	s.bundle("alice", "bob", 1, &pk)
	m := make([]int, 0, 16)
	say := func(from, to string) int {
		i := s.send(from, to, fmt.Sprintf("%s to %s, message %d", from, to, len(m)))
		m = append(m, i)
		return i
	}
	a0, a1, a2 := say("alice", "bob"), say("alice", "bob"), say("alice", "bob")
	s.deliver("bob", "alice", a1, ok) // X3DH, a DH step, skips a0
	s.deliver("bob", "alice", a0, ok) // from the skipped key
	s.deliver("bob", "alice", a1, testdata.ExpectDuplicate)
	b0, b1 := say("bob", "alice"), say("bob", "alice")
	s.deliver("alice", "bob", b1, ok) // alice's first DH step
	s.deliver("alice", "bob", b0, ok)
	a3, a4, a5 := say("alice", "bob"), say("alice", "bob"), say("alice", "bob")
	s.deliver("bob", "alice", a5, ok) // bob's second DH step
	s.deliver("bob", "alice", a3, ok)
	s.restart("bob")
	s.deliverTampered("bob", "alice", a4, s.lastByte(a4), testdata.ExpectMACFailure)
	s.deliver("bob", "alice", a4, ok) // the untampered original still decrypts
	s.deliver("bob", "alice", a2, ok) // a late PreKey message on the first chain
	b2 := say("bob", "alice")
	s.deliver("alice", "bob", b2, ok)
	s.restart("alice")
	a6 := say("alice", "bob")
	s.deliver("bob", "alice", a6, ok)
	s.skip("alice", "bob", ratchet.MaxForwardJumps+1)
	a7 := say("alice", "bob")
	s.deliver("bob", "alice", a7, testdata.ExpectTooManySkipped)
	b3 := say("bob", "alice")
	s.deliver("alice", "bob", b3, ok)
	a8 := say("alice", "bob")
	s.deliver("bob", "alice", a8, ok) // a new chain recovers
	b.add(s.v)

	s = newScribe(b, "untrusted-identity",
		"a session without a one-time prekey; mallory, using alice's address with another identity key, is refused; alice's session is unaffected")
	s.identity("alice", "alice", 11)
	s.identity("bob", "bob", 12)
	s.signedPreKey("bob", 3, 1767225600000)
	s.bundle("alice", "bob", 3, nil)
	m = m[:0]
	a0 = say("alice", "bob")
	s.deliver("bob", "alice", a0, ok)
	s.identity("mallory", "alice", 13)
	s.bundle("mallory", "bob", 3, nil)
	x0 := say("mallory", "bob")
	s.deliver("bob", "mallory", x0, testdata.ExpectUntrustedIdentity)
	b0 = say("bob", "alice")
	s.deliver("alice", "bob", b0, ok)
	a1 = say("alice", "bob")
	s.deliver("bob", "alice", a1, ok)
	b.add(s.v)
}
