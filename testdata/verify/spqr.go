// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package verify

import (
	"fmt"

	"github.com/crossseal/crossseal/testdata/internal/sim"
)

// checkSPQR replays a two-party SPQR run step by step. Each send draws
// exactly the randomness the vector records for it and must produce the
// recorded message and key byte for byte; each delivery must have the
// recorded outcome, give exactly the sender's key on success, and leave
// the receiver's state unchanged on failure. The final epochs must be the
// recorded ones.
func checkSPQR(v *view) {
	h, steps := splitSteps(v)
	if h == nil {
		return
	}
	auth := h.bytes("auth_key")
	if h.err != nil {
		v.err = h.err
		return
	}
	run := sim.NewSPQRRun(auth)
	runSteps(v, steps, func(s *view, action string) { runSPQRStep(run, s, action) })
	if v.err != nil {
		return
	}
	for _, party := range []string{sim.SPQRInitiator, sim.SPQRResponder} {
		e, err := run.Epoch(party)
		if err != nil {
			h.fail("%v", err)
			break
		}
		h.equalUint("epoch_"+party, e)
	}
	if h.err != nil {
		v.fail("after the last step: %v", h.err)
	}
}

// checkRejectionSecret checks, after a send that drew the 64 bytes of an
// ML-KEM-768 key generation (d ‖ z), the implicit rejection secret of the
// key the sender keeps: z changes nothing else a run records.
func checkRejectionSecret(s *view, random []byte, secret func() ([]byte, error)) {
	if len(random) != 64 {
		return
	}
	got, err := secret()
	if err != nil {
		s.fail("%v", err)
		return
	}
	s.equal("rejection_secret", got)
}

func runSPQRStep(run *sim.SPQRRun, s *view, action string) {
	party := s.name("party")
	switch action {
	case "send":
		n := s.int("message")
		random, _ := s.optBytes("random")
		if s.err != nil {
			return
		}
		r, drained := feed(s, random)
		i, m, err := run.Send(party, r)
		if err != nil {
			s.fail("%v", err)
			return
		}
		drained()
		if i != n {
			s.fail("this is message %d, recorded as %d", i, n)
		}
		s.equal("body", m.Body)
		s.equal("key", m.Key[:])
		checkRejectionSecret(s, random, func() ([]byte, error) { return run.RejectionSecret(party) })
	case "deliver":
		n := s.int("message")
		var tamper *int
		if off, ok := s.optInt("tamper_offset"); ok {
			tamper = &off
		}
		s.expect = s.name("expect")
		if s.err != nil {
			return
		}
		key, rerr, err := run.Deliver(party, n, tamper)
		if err != nil {
			s.fail("%v", err)
			return
		}
		s.outcome(fmt.Sprintf("delivering message %d", n), sim.Classify(rerr))
		if rerr == nil && s.err == nil && key != run.Message(n).Key {
			s.fail("message %d gives %s another key than its sender's", n, party)
		}
	default:
		s.fail("unknown step %q", action)
	}
}
