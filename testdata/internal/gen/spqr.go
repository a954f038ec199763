// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package gen

import (
	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/testdata/internal/sim"
)

// SPQR message types (the byte after the epoch and index), as the
// generator needs them to pick chunks to tamper with.
const (
	spqrTypeCt1 = 5
	spqrTypeCt2 = 6
)

// spqrScribe runs a two-party SPQR run on a seeded stream and writes each
// step, with the randomness it drew, into an spqr vector.
type spqrScribe struct {
	b     *builder
	run   *sim.SPQRRun
	r     *testdata.Stream
	head  *vec
	steps *vec // the steps, appended to head once the final epochs are known
}

func newSPQRScribe(b *builder, name, comment string) *spqrScribe {
	r := stream("spqr " + name)
	auth := r.Bytes(32)
	return &spqrScribe{b: b, run: sim.NewSPQRRun(auth), r: r,
		head:  newVec("spqr", name, testdata.ExpectSuccess, comment).hex("auth_key", auth),
		steps: &vec{}}
}

// send makes party send its next SPQR message and returns its number.
func (s *spqrScribe) send(party string) int {
	rc := &recorder{r: s.r}
	i, m, err := s.run.Send(party, rc)
	s.b.check(err)
	switch len(rc.got) {
	case 0, 32, 64: // nothing, ML-KEM encapsulation (m), key generation (d ‖ z)
	default:
		s.b.fail("spqr send drew %d random bytes", len(rc.got))
	}
	s.steps.str("step", "send").str("party", party).int("message", uint64(i))
	if len(rc.got) > 0 {
		s.steps.hex("random", rc.got)
	}
	s.steps.hex("body", m.Body).hex("key", m.Key[:])
	if len(rc.got) == 64 {
		rs, err := s.run.RejectionSecret(party)
		s.b.check(err)
		s.steps.hex("rejection_secret", rs)
	}
	return i
}

func (s *spqrScribe) deliver(party string, msg int, want string) {
	s.deliverTampered(party, msg, nil, want)
}

func (s *spqrScribe) deliverTampered(party string, msg int, tamper *int, want string) {
	key, rerr, err := s.run.Deliver(party, msg, tamper)
	s.b.check(err)
	if got := sim.Classify(rerr); got != want && s.b.err == nil {
		s.b.fail("spqr %s: delivering message %d to %s: %s, want %s", s.head.name, msg, party, got, want)
	}
	if rerr == nil && key != s.run.Message(msg).Key {
		s.b.fail("spqr %s: message %d gives %s another key than its sender's", s.head.name, msg, party)
	}
	s.steps.str("step", "deliver").str("party", party).int("message", uint64(msg))
	if tamper != nil {
		s.steps.int("tamper_offset", uint64(*tamper))
	}
	s.steps.str("expect", want)
}

// lastByte returns the offset of the last byte of message i: the last
// data byte of its chunk, if it carries one.
func (s *spqrScribe) lastByte(i int) *int {
	off := len(s.run.Message(i).Body) - 1
	return &off
}

func (s *spqrScribe) typeOf(i int) int { return sim.SPQRType(s.run.Message(i).Body) }

// add writes the vector: the head, the final epochs, then the steps.
func (s *spqrScribe) add() {
	ea, err := s.run.Epoch(sim.SPQRInitiator)
	s.b.check(err)
	eb, err := s.run.Epoch(sim.SPQRResponder)
	s.b.check(err)
	s.head.int("epoch_a", ea).int("epoch_b", eb)
	s.head.v.Fields = append(s.head.v.Fields, s.steps.v.Fields...)
	s.b.add(s.head)
}

func other(party string) string {
	if party == sim.SPQRInitiator {
		return sim.SPQRResponder
	}
	return sim.SPQRInitiator
}

func spqrVectors(b *builder) {
	ok := testdata.ExpectSuccess
	a, bob := sim.SPQRInitiator, sim.SPQRResponder

	// 001: 200 messages, alternating a, b, a, b, ...; most are delivered
	// at once, some late (after `late[i]` more messages), two never.
	s := newSPQRScribe(b, "conversation",
		"a and b send 200 messages in turn; most are delivered at once, five late (one across an epoch change), two never; three replays are refused, and a message with a bad version byte is refused before the original is accepted")
	late := map[int]int{11: 4, 46: 9, 85: 8, 93: 2, 177: 6}
	lost := map[int]bool{30: true, 121: true}
	replay := map[int]bool{7: true, 85: true, 150: true}
	const badVersion = 64
	type held struct{ msg, due int }
	var waiting []held
	crossed := false // a late message reached its receiver in a later epoch
	for i := range 200 {
		from := a
		if i%2 == 1 {
			from = bob
		}
		n := s.send(from)
		switch {
		case lost[i]:
		case late[i] > 0:
			waiting = append(waiting, held{n, i + late[i]})
		default:
			if i == badVersion {
				off := 0
				s.deliverTampered(other(from), n, &off, testdata.ExpectParseFailure)
			}
			s.deliver(other(from), n, ok)
			if replay[i] {
				s.deliver(other(from), n, testdata.ExpectDuplicate)
			}
		}
		rest := waiting[:0]
		for _, h := range waiting {
			if h.due > i {
				rest = append(rest, h)
				continue
			}
			to := other(s.run.Message(h.msg).From)
			if e, err := s.run.Epoch(to); err == nil && uint64(s.run.Message(h.msg).Body[1]) < e {
				crossed = true
			}
			s.deliver(to, h.msg, ok)
			if replay[h.msg] {
				s.deliver(to, h.msg, testdata.ExpectDuplicate)
			}
		}
		waiting = rest
	}
	if len(waiting) != 0 || !crossed {
		b.fail("spqr: %d late messages never delivered, or none across an epoch change", len(waiting))
	}
	s.add()

	// 002: a header chunk with a flipped data byte is accepted (its key is
	// right) but the header rebuilt from it fails its MAC, on every chunk
	// that completes it; b's keys still reach a.
	s = newSPQRScribe(b, "tampered-header",
		"the first encapsulation key header chunk reaches b with its last byte flipped: it gives the right key, but the header rebuilt once three chunks are in fails its MAC, and so does every later header chunk; b's messages still reach a")
	m := s.send(a)
	s.deliverTampered(bob, m, s.lastByte(m), ok)
	s.deliver(a, s.send(bob), ok)
	s.deliver(bob, s.send(a), ok)
	s.deliver(a, s.send(bob), ok)
	third := s.send(a)
	s.deliver(bob, third, testdata.ExpectMACFailure)
	s.deliver(bob, s.send(a), testdata.ExpectMACFailure)
	s.deliver(a, s.send(bob), ok)
	s.deliver(bob, third, testdata.ExpectMACFailure)
	s.add()

	// 003: a flipped byte in the first chunk of ct1 goes unnoticed until a
	// has all of ct2: decapsulation (implicit rejection) gives another
	// secret, and the ciphertext MAC fails.
	s = newSPQRScribe(b, "tampered-ciphertext",
		"a and b send in turn; the first chunk of ct1 reaches a with its last byte flipped: every message still gives the right key until a has the five chunks of ct2, when decapsulation gives another secret and the ciphertext MAC fails, on that chunk and the next")
	tampered, ct2, failures := false, 0, 0
	for i := 0; failures < 2; i++ {
		if i >= 300 {
			b.fail("spqr tampered-ciphertext: no MAC failure after %d messages", i)
			break
		}
		from := a
		if i%2 == 1 {
			from = bob
		}
		n := s.send(from)
		switch t := s.typeOf(n); {
		case from == bob && t == spqrTypeCt1 && !tampered:
			tampered = true
			s.deliverTampered(a, n, s.lastByte(n), ok)
		case from == bob && t == spqrTypeCt2 && tampered:
			ct2++
			want := ok
			if ct2 >= 5 {
				want = testdata.ExpectMACFailure
				failures++
			}
			s.deliver(a, n, want)
		default:
			s.deliver(other(from), n, ok)
		}
	}
	s.add()
}
