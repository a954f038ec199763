// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package spqr

import (
	"bytes"
	crand "crypto/rand"
	"errors"
	"math/rand/v2"
	"testing"
)

type sent struct {
	msg []byte
	key [KeySize]byte
}

func pair(t testing.TB) (a, b *State) {
	t.Helper()
	auth := bytes.Repeat([]byte{41}, 32)
	return New(auth, A2B), New(auth, B2A)
}

func send(t testing.TB, s *State) sent {
	t.Helper()
	m, k, err := s.Send(crand.Reader)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	return sent{m, k}
}

func recv(t testing.TB, s *State, m sent) {
	t.Helper()
	k, err := s.Recv(m.msg)
	if err != nil {
		t.Fatalf("Recv: %v", err)
	}
	if k != m.key {
		t.Fatalf("keys differ")
	}
}

// TestPingPongAdvancesEpochs: strict alternation completes an epoch every
// few dozen messages and both sides always agree on every key.
func TestPingPongAdvancesEpochs(t *testing.T) {
	a, b := pair(t)
	keys := map[[KeySize]byte]bool{}
	for i := range 400 {
		from, to := a, b
		if i%2 == 1 {
			from, to = b, a
		}
		m := send(t, from)
		if keys[m.key] {
			t.Fatalf("message %d: key repeated", i)
		}
		keys[m.key] = true
		recv(t, to, m)
	}
	if a.Epoch() < 5 || b.Epoch() < 5 {
		t.Fatalf("after 400 messages epochs are %d and %d, want >= 5", a.Epoch(), b.Epoch())
	}
	t.Logf("epochs after 400 ping-pong messages: a %d, b %d", a.Epoch(), b.Epoch())
}

// TestRandomScheduleWithLossAndReorder: random senders, messages delayed,
// reordered and some never delivered; every delivered message yields the
// sender's key, replays fail, and epochs still advance.
func TestRandomScheduleWithLossAndReorder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	a, b := pair(t)
	var toA, toB []sent
	deliver := func(q *[]sent, s *State) {
		if len(*q) == 0 {
			return
		}
		i := r.IntN(len(*q))
		m := (*q)[i]
		*q = append((*q)[:i], (*q)[i+1:]...)
		if r.IntN(10) == 0 {
			return // lost
		}
		recv(t, s, m)
		if _, err := s.Recv(m.msg); !errors.Is(err, ErrKeyUsed) {
			t.Fatalf("replay: %v, want ErrKeyUsed", err)
		}
	}
	for range 3000 {
		switch r.IntN(4) {
		case 0:
			toB = append(toB, send(t, a))
		case 1:
			toA = append(toA, send(t, b))
		case 2:
			deliver(&toB, b)
		case 3:
			deliver(&toA, a)
		}
	}
	if a.Epoch() < 3 {
		t.Fatalf("epoch %d after 3000 steps", a.Epoch())
	}
	t.Logf("epochs: a %d, b %d", a.Epoch(), b.Epoch())
}

// TestStateRoundTrip: marshalling after every step does not change what
// the states produce.
func TestStateRoundTrip(t *testing.T) {
	a, b := pair(t)
	reload := func(s *State) *State {
		s2, err := Unmarshal(s.Marshal())
		if err != nil {
			t.Fatalf("Unmarshal: %v", err)
		}
		if !bytes.Equal(s2.Marshal(), s.Marshal()) {
			t.Fatal("re-marshalled state differs")
		}
		return s2
	}
	for i := range 300 {
		if i%3 == 2 {
			m := send(t, b)
			a = reload(a)
			recv(t, a, m)
		} else {
			m := send(t, a)
			b = reload(b)
			recv(t, b, m)
		}
	}
	if a.Epoch() < 3 {
		t.Fatalf("epoch %d", a.Epoch())
	}
}

// TestRejections: what the receiver refuses, leaving its state unchanged.
func TestRejections(t *testing.T) {
	a, b := pair(t)
	m := send(t, a)
	before := b.Marshal()
	bad := map[string][]byte{
		"empty":          nil,
		"version 0":      append([]byte{0}, m.msg[1:]...),
		"version 2":      append([]byte{2}, m.msg[1:]...),
		"truncated":      m.msg[:len(m.msg)-1],
		"trailing":       append(bytes.Clone(m.msg), 0),
		"epoch 0":        {1, 0, 1, 0},
		"epoch ahead":    {1, 3, 1, 0},
		"index 0":        {1, 1, 0, 0},
		"unknown type":   {1, 1, 1, 7},
		"index too far":  {1, 1, 0xd2, 0xc3, 0x01, 0},
		"huge chunk idx": append([]byte{1, 1, 1, 1, 0x80, 0x80, 0x04}, make([]byte, 32)...),
	}
	for name, msg := range bad {
		if _, err := b.Recv(msg); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if !bytes.Equal(b.Marshal(), before) {
			t.Fatalf("%s: state changed", name)
		}
	}
	recv(t, b, m)
}
