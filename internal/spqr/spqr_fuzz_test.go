// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package spqr

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/crossseal/crossseal/testdata"
)

// fuzzReader returns the deterministic randomness of a fuzz iteration.
func fuzzReader(seed byte) io.Reader {
	var s [32]byte
	s[0] = seed
	copy(s[1:], "crossseal spqr fuzz")
	return rand.NewChaCha8(s)
}

// fuzzAuthKey is the authentication key of every fuzzed run.
var fuzzAuthKey = bytes.Repeat([]byte{0x5a}, 32)

// recvCase is a state reached by an honest run, stored, and the message
// its peer delivered to it next.
type recvCase struct {
	state []byte
	msg   []byte
}

// honestCases runs a seeded honest run (random senders, immediate
// delivery) until it has seen each party, as a receiver, in every phase
// kind, and returns one state per (direction, kind, epoch) up to epoch 4
// with the message delivered to it next.
var honestCases = sync.OnceValues(func() ([]recvCase, error) {
	r := rand.New(rand.NewPCG(7, 11))
	rnd := fuzzReader(0)
	states := [2]*State{New(fuzzAuthKey, A2B), New(fuzzAuthKey, B2A)}
	type phaseAt struct {
		dir   Direction
		kind  kind
		epoch uint64
	}
	seen := map[phaseAt]bool{}
	kinds := map[phaseAt]bool{} // epoch 0: any epoch
	var cases []recvCase
	for i := 0; i < 5000; i++ {
		// The party that sends three times as often as the other changes
		// every two epochs, so that each party is once the faster and once
		// the slower in each of its roles.
		from := int(states[0].ph.epoch / 2 % 2)
		if r.IntN(4) == 0 {
			from = 1 - from
		}
		to := 1 - from
		msg, key, err := states[from].Send(rnd)
		if err != nil {
			return nil, err
		}
		at := phaseAt{states[to].dir, states[to].ph.kind, states[to].ph.epoch}
		kinds[phaseAt{at.dir, at.kind, 0}] = true
		if !seen[at] && at.epoch <= 4 {
			seen[at] = true
			cases = append(cases, recvCase{states[to].Marshal(), msg})
		}
		got, err := states[to].Recv(msg)
		if err != nil {
			return nil, fmt.Errorf("message %d: %w", i, err)
		}
		if got != key {
			return nil, fmt.Errorf("message %d: keys differ", i)
		}
		if len(kinds) == 2*int(ct2Sampled) && states[0].ph.epoch > 4 {
			return cases, nil
		}
	}
	return nil, fmt.Errorf("the honest run did not reach every phase: %v", kinds)
})

func fuzzCases(f *testing.F) []recvCase {
	f.Helper()
	cases, err := honestCases()
	if err != nil {
		f.Fatal(err)
	}
	return cases
}

// vectorMessages returns the SPQR messages of the embedded spqr vectors.
func vectorMessages(f *testing.F) [][]byte {
	f.Helper()
	files, err := testdata.Kind("spqr")
	if err != nil {
		f.Fatal(err)
	}
	var out [][]byte
	for _, file := range files {
		for _, h := range file.Values("body") {
			b, err := hex.DecodeString(h)
			if err != nil {
				f.Fatal(err)
			}
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		f.Fatal("no SPQR messages in the spqr vectors")
	}
	return out
}

// recvErrors are the errors Recv may return for any input on a state an
// honest run reached. ErrCorruptState is not among them: input must never
// lead to it.
var recvErrors = []error{ErrMalformed, ErrVersion, ErrEpoch, ErrKeyJump, ErrKeyTrimmed, ErrKeyUsed, ErrAuthentication, ErrErroneousData}

func isRecvError(err error) bool {
	for _, e := range recvErrors {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// FuzzRecv feeds arbitrary bytes to Recv on states an honest run reached,
// in every phase of the braid and both directions. Recv must not panic;
// on error it must return one of the receive errors and a zero key and
// leave the state's Marshal output unchanged; on success the state must
// survive Marshal and Unmarshal unchanged and be able to send. Seeds are
// the message each state got next in the run, and the messages of the
// spqr vectors.
func FuzzRecv(f *testing.F) {
	cases := fuzzCases(f)
	for i, c := range cases {
		f.Add(uint16(i), c.msg)
	}
	for i, m := range vectorMessages(f) {
		f.Add(uint16(i), m)
	}
	f.Fuzz(func(t *testing.T, sel uint16, msg []byte) {
		c := cases[int(sel)%len(cases)]
		s, err := Unmarshal(c.state)
		if err != nil {
			t.Fatal(err)
		}
		key, err := s.Recv(msg)
		if err != nil {
			if !isRecvError(err) {
				t.Fatalf("Recv(%x): unexpected error %v", msg, err)
			}
			if key != ([KeySize]byte{}) {
				t.Fatalf("Recv(%x) = %x with error %v", msg, key, err)
			}
			if !bytes.Equal(s.Marshal(), c.state) {
				t.Fatalf("Recv(%x) failed (%v) but changed the state", msg, err)
			}
			return
		}
		stored := s.Marshal()
		s2, err := Unmarshal(stored)
		if err != nil {
			t.Fatalf("the state after Recv(%x) does not load: %v", msg, err)
		}
		if !bytes.Equal(s2.Marshal(), stored) {
			t.Fatalf("the state after Recv(%x) changes through Marshal and Unmarshal", msg)
		}
		if _, _, err := s.Send(fuzzReader(1)); err != nil {
			t.Fatalf("Send after Recv(%x): %v", msg, err)
		}
	})
}

// FuzzUnmarshal feeds arbitrary bytes to Unmarshal. It must not panic,
// and must return nil and an error matching ErrCorruptState or a state.
// A state it returns must survive Marshal and Unmarshal unchanged, and
// Send and Recv (of four honest messages of a run) on it must not panic
// and, when they fail, leave it unchanged. Seeds are the stored states of
// an honest run in every phase.
func FuzzUnmarshal(f *testing.F) {
	cases := fuzzCases(f)
	for _, c := range cases {
		f.Add(c.state)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Unmarshal(b)
		if err != nil {
			if s != nil || !errors.Is(err, ErrCorruptState) {
				t.Fatalf("Unmarshal = %v, %v", s, err)
			}
			return
		}
		_ = s.String()
		stored := s.Marshal()
		s2, err := Unmarshal(stored)
		if err != nil {
			t.Fatalf("re-marshalled state does not load: %v", err)
		}
		if !bytes.Equal(s2.Marshal(), stored) {
			t.Fatal("Marshal and Unmarshal are not stable")
		}
		if _, _, err := s2.Send(fuzzReader(2)); err != nil && !bytes.Equal(s2.Marshal(), stored) {
			t.Fatalf("Send failed (%v) but changed the state", err)
		}
		for i := range 4 {
			c := cases[(len(b)+i)%len(cases)]
			before := s.Marshal()
			if _, err := s.Recv(c.msg); err != nil && !bytes.Equal(s.Marshal(), before) {
				t.Fatalf("Recv failed (%v) but changed the state", err)
			}
		}
	})
}

// Actions of an interaction script: one byte each, op % fiOps, followed by
// its argument bytes (0 past the end of the script).
const (
	fiSendA    = iota // a sends to b
	fiSendB           // b sends to a
	fiOldest          // [dir] deliver the oldest pending message
	fiNewest          // [dir] deliver the newest pending message
	fiRandom          // [dir, i] deliver pending message i
	fiDrop            // [dir, i] lose pending message i
	fiReplay          // [i] deliver delivered message i again
	fiRestart         // [who] reload a party from its stored state
	fiBurst           // [dir, n] send 1 to 16 messages
	fiFlush           // [dir] deliver every pending message, oldest first
	fiPingPong        // [n] 1 to 64 rounds: a sends, b receives, b sends, a receives
	fiOps
)

// Bounds of one script, to keep iterations fast (a braid epoch takes
// about a hundred messages).
const (
	fiMaxSteps    = 300
	fiMaxMessages = 600
)

type fiMessage struct {
	to  int // receiver: 0 a, 1 b
	msg []byte
	key [KeySize]byte
}

// messageEpoch returns the epoch of an SPQR message produced by Send.
func messageEpoch(t *testing.T, msg []byte) uint64 {
	m, err := parseMessage(msg)
	if err != nil {
		t.Fatalf("Send produced a message that does not parse: %v", err)
	}
	return m.epoch
}

// FuzzInteraction runs a two-party schedule that a byte string drives:
// sends (one or a burst), deliveries of the oldest, newest, any or all
// pending messages, rounds of ping-pong, losses, replays, and reloads from
// the stored state. The first byte seeds the
// randomness of the sends. Every delivered message must give exactly its
// sender's key, except that a message from an epoch older than the one its
// receiver works on may be refused with ErrEpoch or ErrKeyTrimmed (its
// keys are gone); a replay must fail with ErrKeyUsed, ErrEpoch or
// ErrKeyTrimmed; a failed Recv must leave the state unchanged; Send must
// not fail; a reload must give the same state. Seeds are short scripts of
// ping-pong, bursts delivered in order, bursts with reordering and
// replays, and bursts with losses, replays and reloads.
func FuzzInteraction(f *testing.F) {
	// Short scripts, so that the fuzzer's minimization (quadratic in the
	// length) stays fast; each completes at least one epoch. Strict
	// ping-pong:
	f.Add([]byte{0, fiPingPong, 63, fiPingPong, 63})
	// Bursts of 16 each way, all delivered:
	rounds := []byte{1}
	for range 6 {
		rounds = append(rounds, fiBurst, 0, 15, fiFlush, 1, fiBurst, 1, 15, fiFlush, 0)
	}
	f.Add(rounds)
	// Reordering and replays:
	f.Add([]byte{2, fiPingPong, 40,
		fiBurst, 1, 10, fiNewest, 1, fiRandom, 1, 3, fiFlush, 1, fiBurst, 0, 12, fiRandom, 0, 5, fiFlush, 0, fiReplay, 9,
		fiPingPong, 20, fiBurst, 0, 15, fiRandom, 0, 7, fiNewest, 0, fiBurst, 1, 15, fiFlush, 0, fiFlush, 1, fiReplay, 200,
		fiPingPong, 30, fiReplay, 77})
	// Losses, replays and reloads:
	f.Add([]byte{3, fiPingPong, 30,
		fiBurst, 0, 12, fiDrop, 1, 0, fiDrop, 1, 7, fiFlush, 1, fiRestart, 0, fiBurst, 1, 11, fiDrop, 0, 3, fiFlush, 0,
		fiReplay, 40, fiPingPong, 25, fiRestart, 1, fiBurst, 0, 15, fiDrop, 1, 14, fiFlush, 1, fiPingPong, 40, fiReplay, 90})

	f.Fuzz(runInteraction)
}

// runInteraction runs one FuzzInteraction script.
func runInteraction(t *testing.T, script []byte) {
	{
		if len(script) == 0 {
			return
		}
		rnd := fuzzReader(script[0])
		script = script[1:]
		arg := func() int {
			if len(script) == 0 {
				return 0
			}
			b := script[0]
			script = script[1:]
			return int(b)
		}
		parties := [2]*State{New(fuzzAuthKey, A2B), New(fuzzAuthKey, B2A)}
		var pending [2][]fiMessage // by receiver
		var delivered []fiMessage
		sent := 0
		send := func(from int) {
			if sent == fiMaxMessages {
				return
			}
			sent++
			msg, key, err := parties[from].Send(rnd)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			pending[1-from] = append(pending[1-from], fiMessage{to: 1 - from, msg: msg, key: key})
		}
		recv := func(m fiMessage) ([KeySize]byte, error) {
			s := parties[m.to]
			before := s.Clone()
			key, err := s.Recv(m.msg)
			if err != nil && !bytes.Equal(s.Marshal(), before.Marshal()) {
				t.Fatalf("Recv failed (%v) but changed the state", err)
			}
			return key, err
		}
		deliver := func(dir, i int) {
			q := &pending[dir]
			if len(*q) == 0 {
				return
			}
			i %= len(*q)
			m := (*q)[i]
			*q = append((*q)[:i], (*q)[i+1:]...)
			epoch := parties[m.to].Epoch()
			key, err := recv(m)
			switch {
			case err == nil && key != m.key:
				t.Fatalf("message %x gives another key than its sender's", m.msg)
			case err == nil:
				delivered = append(delivered, m)
			case (errors.Is(err, ErrEpoch) || errors.Is(err, ErrKeyTrimmed)) && messageEpoch(t, m.msg) < epoch:
				// a late message whose keys are gone
			default:
				t.Fatalf("delivering %x (epoch %d to a party in epoch %d): %v", m.msg, messageEpoch(t, m.msg), epoch, err)
			}
		}
		for steps := 0; len(script) > 0 && steps < fiMaxSteps; steps++ {
			switch arg() % fiOps {
			case fiSendA:
				send(0)
			case fiSendB:
				send(1)
			case fiOldest:
				deliver(arg()%2, 0)
			case fiNewest:
				dir := arg() % 2
				deliver(dir, len(pending[dir])-1)
			case fiRandom:
				dir := arg() % 2
				deliver(dir, arg())
			case fiDrop:
				dir, i := arg()%2, arg()
				if q := &pending[dir]; len(*q) > 0 {
					i %= len(*q)
					*q = append((*q)[:i], (*q)[i+1:]...)
				}
			case fiReplay:
				if len(delivered) == 0 {
					break
				}
				m := delivered[arg()%len(delivered)]
				_, err := recv(m)
				if err == nil || !(errors.Is(err, ErrKeyUsed) || errors.Is(err, ErrEpoch) || errors.Is(err, ErrKeyTrimmed)) {
					t.Fatalf("replaying %x: %v", m.msg, err)
				}
			case fiRestart:
				who := arg() % 2
				stored := parties[who].Marshal()
				s, err := Unmarshal(stored)
				if err != nil {
					t.Fatalf("reloading: %v", err)
				}
				if !bytes.Equal(s.Marshal(), stored) {
					t.Fatal("a reloaded state differs")
				}
				parties[who] = s
			case fiBurst:
				from, n := arg()%2, arg()%16+1
				for range n {
					send(from)
				}
			case fiFlush:
				dir := arg() % 2
				for len(pending[dir]) > 0 {
					deliver(dir, 0)
				}
			case fiPingPong:
				for range arg()%64 + 1 {
					send(0)
					deliver(1, len(pending[1])-1)
					send(1)
					deliver(0, len(pending[0])-1)
				}
			}
		}
	}
}
