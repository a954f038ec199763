// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package verify

import (
	"bytes"
	"fmt"
	"io"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/testdata/internal/sim"
)

// checkTranscript replays a conversation step by step. Each step's
// randomness is exactly the bytes the vector records for it: the replay
// fails if a step draws more or fewer. Every message sent must match the
// recorded bytes, and every delivery the recorded outcome and plaintext.
func checkTranscript(v *view) {
	h, steps := splitSteps(v)
	if h == nil {
		return
	}
	c := sim.NewConversation()
	runSteps(v, steps, func(s *view, action string) { runStep(c, s, action) })
}

// splitSteps splits the view of a vector made of steps (transcript, spqr,
// v4-session) into its head, whose expect and comment it reads, and one
// view per step. It returns a nil head, with v.err set, if the head is
// not that of a success vector without an artifact, or there are no
// steps. The views share v's entries, so what they read counts as used.
func splitSteps(v *view) (head *view, steps []*view) {
	var he []*entry
	var se [][]*entry
	for _, e := range v.entries {
		if e.Key == "step" {
			se = append(se, []*entry{e})
		} else if len(se) == 0 {
			he = append(he, e)
		} else {
			se[len(se)-1] = append(se[len(se)-1], e)
		}
	}
	h := &view{kind: v.kind, entries: he}
	if h.name("expect") != testdata.ExpectSuccess && h.err == nil {
		h.fail("a %s vector's expect must be %q", v.kind, testdata.ExpectSuccess)
	}
	h.opt("comment", typeText)
	if v.artifact != nil {
		h.fail("a %s vector has no artifact", v.kind)
	}
	if h.err == nil && len(se) == 0 {
		h.fail("no steps")
	}
	if h.err != nil {
		v.err = h.err
		return nil, nil
	}
	for _, es := range se {
		steps = append(steps, &view{kind: v.kind, entries: es})
	}
	return h, steps
}

// runSteps runs each step with run, stopping at the first that fails
// or leaves one of its fields unread.
func runSteps(v *view, steps []*view, run func(s *view, action string)) {
	for i, s := range steps {
		action := s.name("step")
		if s.err == nil {
			run(s, action)
		}
		if s.err == nil {
			s.err = s.unused()
		}
		if s.err != nil {
			v.fail("step %d (%s): %v", i+1, action, s.err)
			return
		}
	}
}

// feed returns a reader over the recorded randomness of a step, and a
// function that reports a step that did not draw all of it.
func feed(s *view, parts ...[]byte) (io.Reader, func()) {
	r := bytes.NewReader(bytes.Join(parts, nil))
	return r, func() {
		if r.Len() != 0 && s.err == nil {
			s.fail("the step drew %d of %d recorded random bytes", int(r.Size())-r.Len(), r.Size())
		}
	}
}

// checkPublic checks that pub is the public key of the private key priv.
func checkPublic(s *view, privKey, pubKey string, priv, pub []byte) {
	k, err := curve.NewPrivateKey(priv)
	if err != nil {
		s.fail("%s: %v", privKey, err)
	} else if !bytes.Equal(k.PublicKey().Bytes(), pub) {
		s.fail("%s is not the public key of %s", pubKey, privKey)
	}
}

func runStep(c *sim.Conversation, s *view, action string) {
	party := s.name("party")
	switch action {
	case "identity":
		addr := party
		if a, ok := s.opt("address", typeName); ok {
			addr = a
		}
		reg, priv := s.uint32("registration_id"), s.bytes("identity_private")
		if s.err != nil {
			return
		}
		r, drained := feed(s, priv)
		pub, err := c.Identity(party, addr, reg, r)
		if err != nil {
			s.fail("%v", err)
			return
		}
		drained()
		s.equal("identity_public", pub.Bytes())
	case "signed-prekey":
		id, ts := s.uint32("id"), s.int64("timestamp")
		priv, random := s.bytes("signed_prekey_private"), s.bytes("signature_random")
		if s.err != nil {
			return
		}
		r, drained := feed(s, priv, random)
		spk, err := c.SignedPreKey(party, id, ts, r)
		if err != nil {
			s.fail("%v", err)
			return
		}
		drained()
		s.equal("signed_prekey_public", spk.PublicKey.Bytes())
		s.equal("signature", spk.Signature)
	case "prekey":
		id, priv := s.uint32("id"), s.bytes("prekey_private")
		if s.err != nil {
			return
		}
		r, drained := feed(s, priv)
		pub, err := c.PreKey(party, id, r)
		if err != nil {
			s.fail("%v", err)
			return
		}
		drained()
		s.equal("prekey_public", pub.Bytes())
	case "bundle":
		peer, spk := s.name("peer"), s.uint32("signed_prekey_id")
		var pk *uint32
		if id, ok := s.optUint32("prekey_id"); ok {
			pk = &id
		}
		base, ratchetKey := s.bytes("base_key_private"), s.bytes("ratchet_key_private")
		checkPublic(s, "base_key_private", "base_key_public", base, s.bytes("base_key_public"))
		checkPublic(s, "ratchet_key_private", "ratchet_key_public", ratchetKey, s.bytes("ratchet_key_public"))
		if s.err != nil {
			return
		}
		r, drained := feed(s, base, ratchetKey)
		if err := c.Bundle(party, peer, spk, pk, r); err != nil {
			s.fail("%v", err)
			return
		}
		drained()
	case "send":
		peer, n, pt := s.name("peer"), s.int("message"), s.bytes("plaintext")
		if s.err != nil {
			return
		}
		i, m, err := c.Send(party, peer, pt)
		if err != nil {
			s.fail("%v", err)
			return
		}
		if i != n {
			s.fail("this is message %d, recorded as %d", i, n)
		}
		s.equalUint("type", uint64(m.Type))
		s.equal("body", m.Body)
	case "skip":
		peer, n := s.name("peer"), s.int("count")
		if s.err == nil {
			if err := c.Skip(party, peer, n); err != nil {
				s.fail("%v", err)
			}
		}
	case "deliver":
		peer, n := s.name("peer"), s.int("message")
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
		pt, derr, err := c.Deliver(party, peer, n, tamper, r)
		if err != nil {
			s.fail("%v", err)
			return
		}
		s.outcome(fmt.Sprintf("delivering message %d", n), sim.Classify(derr))
		drained()
		if derr == nil {
			s.equal("plaintext", pt)
		}
	case "restart":
		if s.err == nil {
			if err := c.Restart(party); err != nil {
				s.fail("%v", err)
			}
		}
	default:
		s.fail("unknown step %q", action)
	}
}
