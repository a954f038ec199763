// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package inprocess_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/crossseal/crossseal/interop/driver"
	"github.com/crossseal/crossseal/interop/inprocess"
	"github.com/crossseal/crossseal/interop/internal/maustore"
	"github.com/crossseal/crossseal/ratchet"
	"github.com/crossseal/crossseal/session"
	"go.mau.fi/libsignal/signalerror"
)

// impl is one implementation the scenarios pair.
type impl struct {
	name string
	new  driver.NewPeerFunc
}

var impls = []impl{
	{inprocess.CrosssealName, func(_ *testing.T, name string) driver.Endpoint { return inprocess.NewCrossseal(name) }},
	{inprocess.MauName, func(_ *testing.T, name string) driver.Endpoint { return inprocess.NewMau(name) }},
}

// TestScenarios runs the driver's scenarios in-process for every pairing,
// each implementation with itself included: crossseal-crossseal,
// crossseal-mau (which RunScenarios also runs as mau-crossseal, by letting
// either side initiate) and mau-mau. The subtest names the pairing; a
// failure message names the endpoint as "alice (crossseal)" or
// "bob (mau)" (alice is the first of the pairing).
func TestScenarios(t *testing.T) {
	for i, a := range impls {
		for _, b := range impls[i:] {
			t.Run(a.name+"-"+b.name, func(t *testing.T) {
				driver.RunScenarios(t, a.new, b.new)
			})
		}
	}
}

// TestErrorsNameImplementation checks that an adapter's error says which
// implementation reported it.
func TestErrorsNameImplementation(t *testing.T) {
	for _, im := range impls {
		e := im.new(t, "alice")
		_, err := e.Encrypt("bob", []byte("hi"))
		var pe *driver.PeerError
		if !errors.As(err, &pe) {
			t.Fatalf("%s: Encrypt before Init: err = %v, want a *driver.PeerError", im.name, err)
		}
		if want := "peer alice (" + im.name + "): encrypt: "; !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: error %q does not start with %q", im.name, err, want)
		}
		if got := driver.Describe(e); got != "alice ("+im.name+")" {
			t.Errorf("Describe = %q", got)
		}
	}
}

// conversation is an established session between a sender and a
// receiver: the sender's PreKey message and the receiver's reply have been
// exchanged, and then one message each way again. The receiver's message
// came last, so the sender's next messages start a new sending chain, at
// counter 0, which the receiver has not seen: the receiver's chain for
// them will start at index 0, and a message there is as far ahead as its
// counter.
type conversation struct {
	sender, receiver driver.Endpoint
}

func converse(t *testing.T, sender, receiver driver.Endpoint) *conversation {
	t.Helper()
	if _, err := sender.Init(0); err != nil {
		t.Fatal(err)
	}
	b, err := receiver.Init(0)
	if err != nil {
		t.Fatal(err)
	}
	if err := sender.ProcessBundle(receiver.Name(), b); err != nil {
		t.Fatal(err)
	}
	c := &conversation{sender, receiver}
	c.deliver(t, c.send(t, sender, receiver, 1)[0])
	c.deliver(t, c.send(t, receiver, sender, 1)[0])
	c.deliver(t, c.send(t, sender, receiver, 1)[0])
	c.deliver(t, c.send(t, receiver, sender, 1)[0])
	return c
}

// sent is one encrypted message and its plaintext.
type sent struct {
	from, to driver.Endpoint
	msg      driver.Message
	pt       []byte
}

// send encrypts n messages from one side to the other, without
// delivering them.
func (c *conversation) send(t *testing.T, from, to driver.Endpoint, n int) []sent {
	t.Helper()
	out := make([]sent, n)
	for i := range out {
		pt := fmt.Appendf(nil, "%s→%s #%d", from.Name(), to.Name(), i)
		m, err := from.Encrypt(to.Name(), pt)
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		out[i] = sent{from, to, m, pt}
	}
	return out
}

// deliver decrypts s and checks the plaintext.
func (c *conversation) deliver(t *testing.T, s sent) {
	t.Helper()
	got, err := s.to.Decrypt(s.from.Name(), s.msg)
	if err != nil {
		t.Fatalf("%s decrypting %q: %v", driver.Describe(s.to), s.pt, err)
	}
	if !bytes.Equal(got, s.pt) {
		t.Fatalf("%s decrypted %q, want %q", driver.Describe(s.to), got, s.pt)
	}
}

// reject decrypts s, requires an error that the implementation reported,
// and returns it.
func (c *conversation) reject(t *testing.T, s sent) *driver.PeerError {
	t.Helper()
	got, err := s.to.Decrypt(s.from.Name(), s.msg)
	var pe *driver.PeerError
	switch {
	case err == nil:
		t.Fatalf("%s decrypted %q (%d bytes), want an error", driver.Describe(s.to), s.pt, len(got))
	case !errors.As(err, &pe):
		t.Fatalf("%s: %v (want a *driver.PeerError)", driver.Describe(s.to), err)
	}
	return pe
}

// TestForwardJumpLimits documents how far ahead of a receiving chain
// each implementation accepts a message (PROTOCOL.md: crossseal, like
// libsignal, allows MAX_FORWARD_JUMPS = 25,000; go.mau.fi/libsignal
// allows only 2,000 future messages). A message n ahead is one whose
// counter is n past the next index the receiver expects on that chain;
// every burst here is sent by the conversation's sender, on a chain the
// receiver has not seen, so n is the message's counter and its index in
// the burst.
func TestForwardJumpLimits(t *testing.T) {
	// crossseal sends 2,002 messages (counters 0..2001) that mau does not
	// answer. mau rejects the one 2,001 ahead, changing nothing, and
	// accepts the one exactly 2,000 ahead: mau's check is
	// counter-index > 2000. Everything in between then decrypts from the
	// 2,000 skipped keys mau stored.
	t.Run("mau_rejects_2001_ahead", func(t *testing.T) {
		cs, mau := inprocess.NewCrossseal("alice"), inprocess.NewMau("bob")
		c := converse(t, cs, mau)
		var log bytes.Buffer
		maustore.SetupLogger(&log)
		t.Cleanup(func() { maustore.SetupLogger(nil) })

		burst := c.send(t, cs, mau, 2002)
		pe := c.reject(t, burst[2001])
		// mau reports "no valid sessions" (its decrypt hides the cause
		// after trying the archived states) and logs the cause.
		if !errors.Is(pe, signalerror.ErrNoValidSessions) {
			t.Errorf("mau's error for the message 2,001 ahead is %v, want %v", pe, signalerror.ErrNoValidSessions)
		}
		if !strings.Contains(log.String(), signalerror.ErrTooFarIntoFuture.Error()) {
			t.Errorf("mau did not log %q for the message 2,001 ahead; its log:\n%s", signalerror.ErrTooFarIntoFuture, log.String())
		}
		c.deliver(t, burst[2000]) // exactly 2,000 ahead
		c.deliver(t, burst[2001]) // now next in line
		c.deliver(t, burst[0])
		c.deliver(t, burst[1999])
		c.reject(t, burst[2000]) // a replay
		// The session goes on both ways.
		c.deliver(t, c.send(t, mau, cs, 1)[0])
		c.deliver(t, c.send(t, cs, mau, 1)[0])
	})

	// mau sends 2,501 messages (counters 0..2500) that crossseal does not
	// answer. crossseal accepts the one 2,500 ahead first. It keeps the
	// newest MAX_MESSAGE_KEYS = 2,000 skipped keys of the chain (counters
	// 500..2499), so those decrypt afterwards and the 500 oldest fail as
	// duplicates.
	t.Run("crossseal_accepts_2500_ahead", func(t *testing.T) {
		mau, cs := inprocess.NewMau("alice"), inprocess.NewCrossseal("bob")
		c := converse(t, mau, cs)
		burst := c.send(t, mau, cs, 2501)
		c.deliver(t, burst[2500])
		c.deliver(t, burst[500])
		c.deliver(t, burst[2499])
		for _, i := range []int{0, 499} {
			if pe := c.reject(t, burst[i]); !errors.Is(pe, session.ErrDuplicateMessage) {
				t.Errorf("message %d (key dropped after a 2,500 jump): err = %v, want %v", i, pe, session.ErrDuplicateMessage)
			}
		}
		for i := 501; i < 2499; i += 97 {
			c.deliver(t, burst[i])
		}
		c.deliver(t, c.send(t, cs, mau, 1)[0])
		c.deliver(t, c.send(t, mau, cs, 1)[0])
	})

	// crossseal's own limit, exactly: 25,001 ahead is rejected with a
	// *ratchet.SkipError and changes nothing; 25,000 ahead decrypts.
	t.Run("crossseal_limit_25000", func(t *testing.T) {
		if testing.Short() {
			t.Skip("sends 25,002 messages")
		}
		mau, cs := inprocess.NewMau("alice"), inprocess.NewCrossseal("bob")
		c := converse(t, mau, cs)
		burst := c.send(t, mau, cs, ratchet.MaxForwardJumps+2)
		pe := c.reject(t, burst[ratchet.MaxForwardJumps+1])
		var se *ratchet.SkipError
		if !errors.As(pe, &se) || se.Counter != ratchet.MaxForwardJumps+1 || se.Next != 0 || se.Limit != ratchet.MaxForwardJumps {
			t.Errorf("message 25,001 ahead: err = %v, want a *ratchet.SkipError{Counter: 25001, Next: 0, Limit: 25000}", pe)
		}
		if !errors.Is(pe, session.ErrTooManySkipped) {
			t.Errorf("message 25,001 ahead: err = %v, want %v", pe, session.ErrTooManySkipped)
		}
		c.deliver(t, burst[ratchet.MaxForwardJumps])
		c.deliver(t, burst[ratchet.MaxForwardJumps+1])
		c.deliver(t, burst[ratchet.MaxForwardJumps-1])
		c.deliver(t, c.send(t, cs, mau, 1)[0])
	})
}
