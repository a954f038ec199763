// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package session

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/wire"
	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/ratchet"
	"github.com/crossseal/crossseal/testdata"
)

// Actions of an interaction script: one byte each, op % fzOps, followed by
// its argument bytes (0 past the end of the script).
const (
	fzSendAlice = iota // alice sends to bob
	fzSendBob          // bob sends to alice
	fzOldest           // [dir] deliver the oldest pending message
	fzNewest           // [dir] deliver the newest pending message
	fzRandom           // [dir, i] deliver pending message i
	fzDrop             // [dir, i] lose pending message i
	fzSwap             // [dir, i, j] swap two pending messages
	fzReplay           // [i] deliver delivered message i again
	fzTamper           // [dir, i, where] deliver a copy of pending message i with one MAC or ciphertext bit flipped
	fzRestart          // [who] replace a Manager by a new one over the same store
	fzBurst            // [dir, n] send 1 to 8 messages, or (n = 255, once) 2,050: past MaxMessageKeys
	fzOps
)

const (
	// fzMaxScript bounds the actions of one run.
	fzMaxScript = 400
	// fzMaxMessages bounds the messages of one run, bursts included.
	fzMaxMessages = 3000
)

// FuzzInteraction is a stateful two-party fuzzer, after libsignal's
// interaction.rs: the input is a seed for both parties' randomness and a
// script of sends, deliveries in any order, drops, replays, tampering and
// restarts from the store. Alice and Bob are session.Managers over
// keystore.Memory stores. A model of the Double Ratchet's bookkeeping (the
// receiving chains kept, each chain's next index and stored skipped keys)
// predicts each delivery exactly, limits included:
//
//   - a message on a kept chain decrypts if its key was skipped and kept,
//     or if its counter is ahead by at most MaxForwardJumps (else
//     ErrTooManySkipped); an earlier counter whose key is gone (used, or
//     dropped beyond MaxMessageKeys) is ErrDuplicateMessage;
//   - a message on a chain dropped beyond MaxReceiverChains fails with
//     ErrInvalidMessage (the DH step from the current root gives the wrong
//     keys); a message on a new chain decrypts;
//   - a tampered message fails as its original would if that failure comes
//     before the MAC check (duplicate, too many skipped), and otherwise
//     with ErrInvalidMessage.
//
// Every delivered untampered message decrypts exactly once, to its
// plaintext; every failure leaves the receiver's store byte-identical; the
// decoded records match the model (chains, skipped keys, sending index),
// and each sent message carries the counter, previous counter and ratchet
// key the model expects. At the end every pending message is delivered.
func FuzzInteraction(f *testing.F) {
	for _, s := range fzSeeds {
		f.Add(s.seed, s.script)
	}
	f.Fuzz(func(t *testing.T, seed uint64, script []byte) {
		if len(script) > fzMaxScript {
			script = script[:fzMaxScript]
		}
		w := newFzWorld(t, seed)
		w.run(script)
	})
}

var fzSeeds = []struct {
	seed   uint64
	script []byte
}{
	// Ping-pong: a DH step every message.
	{1, []byte{fzSendAlice, fzOldest, 0, fzSendBob, fzOldest, 1, fzSendAlice, fzOldest, 0, fzSendBob, fzOldest, 1, fzSendAlice, fzOldest, 0}},
	// Out of order, skipped keys, a replay, tampering, a drop, restarts.
	{2, []byte{fzSendAlice, fzSendAlice, fzSendAlice, fzNewest, 0, fzOldest, 0, fzReplay, 0, fzTamper, 0, 0, 1, fzOldest, 0,
		fzSendBob, fzSendBob, fzSendBob, fzDrop, 1, 0, fzRestart, 0, fzNewest, 1, fzTamper, 1, 0, 0, fzOldest, 1, fzReplay, 3,
		fzSendAlice, fzRestart, 1, fzOldest, 0}},
	// Seven round trips with one early message held back: its receiving
	// chain is dropped (MaxReceiverChains) before it arrives.
	{3, []byte{fzSendAlice, fzOldest, 0, fzSendBob, fzSendBob, fzOldest, 1,
		fzSendAlice, fzOldest, 0, fzSendBob, fzNewest, 1, fzSendAlice, fzOldest, 0, fzSendBob, fzNewest, 1,
		fzSendAlice, fzOldest, 0, fzSendBob, fzNewest, 1, fzSendAlice, fzOldest, 0, fzSendBob, fzNewest, 1,
		fzSendAlice, fzOldest, 0, fzSendBob, fzNewest, 1, fzSendAlice, fzOldest, 0, fzSendBob, fzNewest, 1,
		fzSendAlice, fzOldest, 0, fzSendBob, fzNewest, 1, fzSendAlice, fzOldest, 0, fzOldest, 1}},
	// A burst past MaxMessageKeys: the newest first, then the oldest,
	// whose key is no longer kept.
	{4, []byte{fzSendAlice, fzOldest, 0, fzBurst, 0, 255, fzNewest, 0, fzOldest, 0, fzRandom, 0, 77, fzSendBob, fzOldest, 1}},
	// Bob cannot send before he has a session; pending PreKey messages
	// reordered.
	{5, []byte{fzSendBob, fzSendAlice, fzSendAlice, fzSwap, 0, 0, 1, fzOldest, 0, fzSendBob, fzTamper, 1, 0, 6, fzRandom, 1, 0}},
}

type fzChain struct {
	epoch   int      // the sender's chain
	next    uint32   // next index
	skipped []uint32 // indexes of kept skipped keys, ascending
}

type fzSide struct {
	name  string
	addr  keystore.Address
	store *keystore.Memory
	m     *Manager
	rand  io.Reader

	// The model.
	hasSession  bool
	received    bool // decrypted something: alice's pending prekey is gone
	epoch       int  // the current sending chain
	counter     uint32
	prevCounter uint32
	recv        []fzChain // oldest first, at most MaxReceiverChains
	seen        map[int]bool
	keys        map[int]curve.PublicKey // the ratchet key of each sending chain
}

type fzMsg struct {
	from, to    *fzSide
	epoch       int
	counter     uint32
	plaintext   []byte
	c           Ciphertext
	decryptions int
}

type fzWorld struct {
	t         *testing.T
	ctx       context.Context
	side      [2]*fzSide  // alice, bob
	pending   [2][]*fzMsg // by sender
	delivered []*fzMsg    // in delivery order
	epochs    int         // chain numbers handed out
	sent      int         // messages sent
	bigBurst  bool        // a burst past MaxMessageKeys happened
	script    []byte      // remaining script
	sides     map[*fzSide]int
}

func newFzWorld(t *testing.T, seed uint64) *fzWorld {
	t.Helper()
	w := &fzWorld{t: t, ctx: context.Background(), sides: map[*fzSide]int{}}
	for i, name := range []string{"alice", "bob"} {
		s := &fzSide{name: name, addr: keystore.Address{Name: name, DeviceID: 1}, store: keystore.NewMemory(),
			seen: map[int]bool{}, keys: map[int]curve.PublicKey{}}
		s.rand = testdata.NewStream(binary.BigEndian.AppendUint64([]byte(name), seed))
		s.m = New(s.store)
		s.m.rand = s.rand
		if err := s.m.CreateIdentity(w.ctx, uint32(i+1)); err != nil {
			t.Fatal(err)
		}
		w.side[i] = s
		w.sides[s] = i
	}
	alice, bob := w.side[0], w.side[1]
	if _, err := bob.m.GenerateSignedPreKey(w.ctx, 1, time.Unix(1767225600, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.m.GeneratePreKeys(w.ctx, 1, 1); err != nil {
		t.Fatal(err)
	}
	b, err := bob.m.Bundle(w.ctx, 1, 1, true, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := alice.m.ProcessBundle(w.ctx, bob.addr, b); err != nil {
		t.Fatal(err)
	}
	// Bob's signed prekey is his first ratchet key: alice starts with a
	// receiving chain for it, on which bob never sends.
	bob.epoch = w.newEpoch()
	alice.epoch = w.newEpoch()
	alice.hasSession = true
	alice.recv = []fzChain{{epoch: bob.epoch}}
	alice.seen[bob.epoch] = true
	return w
}

func (w *fzWorld) newEpoch() int { w.epochs++; return w.epochs }

func (w *fzWorld) arg() byte {
	if len(w.script) == 0 {
		return 0
	}
	b := w.script[0]
	w.script = w.script[1:]
	return b
}

func (w *fzWorld) run(script []byte) {
	w.script = script
	for len(w.script) > 0 && w.sent < fzMaxMessages {
		switch op := w.arg() % fzOps; op {
		case fzSendAlice, fzSendBob:
			w.send(w.side[op-fzSendAlice])
		case fzOldest, fzNewest:
			q := w.queue(w.arg())
			if len(*q) == 0 {
				continue
			}
			i := 0
			if op == fzNewest {
				i = len(*q) - 1
			}
			w.deliver(w.take(q, i), false, 0)
		case fzRandom, fzDrop:
			q := w.queue(w.arg())
			i := int(w.arg())
			if len(*q) == 0 {
				continue
			}
			m := w.take(q, i%len(*q))
			if op == fzRandom {
				w.deliver(m, false, 0)
			}
		case fzSwap:
			q := w.queue(w.arg())
			i, j := int(w.arg()), int(w.arg())
			if len(*q) > 0 {
				(*q)[i%len(*q)], (*q)[j%len(*q)] = (*q)[j%len(*q)], (*q)[i%len(*q)]
			}
		case fzReplay:
			i := int(w.arg())
			if len(w.delivered) > 0 {
				w.deliver(w.delivered[i%len(w.delivered)], false, 0)
			}
		case fzTamper:
			q := w.queue(w.arg())
			i, where := int(w.arg()), w.arg()
			if len(*q) > 0 {
				w.deliver((*q)[i%len(*q)], true, where)
			}
		case fzRestart:
			s := w.side[w.arg()%2]
			s.m = New(s.store)
			s.m.rand = s.rand
		case fzBurst:
			s := w.side[w.arg()%2]
			n := int(w.arg())
			if n == 255 && !w.bigBurst {
				// Once per run, as it is slow: past MaxMessageKeys.
				w.bigBurst = true
				n = ratchet.MaxMessageKeys + 50
			} else {
				n = 1 + n%8
			}
			for range min(n, fzMaxMessages-w.sent) {
				w.send(s)
			}
		}
	}
	// Deliver everything still pending, oldest first, alternating.
	for len(w.pending[0])+len(w.pending[1]) > 0 {
		for d := range 2 {
			if len(w.pending[d]) > 0 {
				w.deliver(w.take(&w.pending[d], 0), false, 0)
			}
		}
	}
}

// queue returns the pending messages of the sender chosen by dir.
func (w *fzWorld) queue(dir byte) *[]*fzMsg { return &w.pending[dir%2] }

func (w *fzWorld) take(q *[]*fzMsg, i int) *fzMsg {
	m := (*q)[i]
	*q = slices.Delete(*q, i, i+1)
	return m
}

// send makes s encrypt a message to the other side and checks it.
func (w *fzWorld) send(s *fzSide) {
	t := w.t
	i := w.sides[s]
	peer := w.side[1-i]
	pt := fmt.Appendf(nil, "%s message %d", s.name, w.sent)
	c, err := s.m.Encrypt(w.ctx, peer.addr, pt)
	if !s.hasSession {
		if !errors.Is(err, ErrNoSession) {
			t.Fatalf("%s encrypted without a session: %v", s.name, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s: Encrypt: %v", s.name, err)
	}
	wantType := TypeWhisper
	if i == 0 && !s.received {
		wantType = TypePreKey
	}
	if c.Type != wantType {
		t.Fatalf("%s sent type %d, want %d", s.name, c.Type, wantType)
	}
	sm := fzInner(t, c)
	if sm.Counter != s.counter || sm.PreviousCounter != s.prevCounter {
		t.Fatalf("%s sent counter %d, previous %d; model %d, %d", s.name, sm.Counter, sm.PreviousCounter, s.counter, s.prevCounter)
	}
	if k, ok := s.keys[s.epoch]; ok {
		if !k.Equal(sm.RatchetKey) {
			t.Fatalf("%s changed its ratchet key without a DH step", s.name)
		}
	} else {
		for _, k := range s.keys {
			if k.Equal(sm.RatchetKey) {
				t.Fatalf("%s reused a ratchet key after a DH step", s.name)
			}
		}
		s.keys[s.epoch] = sm.RatchetKey
	}
	w.pending[i] = append(w.pending[i], &fzMsg{from: s, to: peer, epoch: s.epoch, counter: s.counter, plaintext: pt, c: c})
	s.counter++
	w.sent++
}

// fzInner parses a message and returns its SignalMessage.
func fzInner(t *testing.T, c Ciphertext) *wire.SignalMessage {
	t.Helper()
	if c.Type == TypePreKey {
		pk, err := wire.ParsePreKeySignalMessage(c.Body)
		if err != nil {
			t.Fatal(err)
		}
		return pk.Message
	}
	sm, err := wire.ParseSignalMessage(c.Body)
	if err != nil {
		t.Fatal(err)
	}
	return sm
}

type fzOutcome int

const (
	fzDecrypts fzOutcome = iota
	fzDuplicate
	fzTooMany
	fzInvalid
)

var fzOutcomeErr = map[fzOutcome]error{fzDuplicate: ErrDuplicateMessage, fzTooMany: ErrTooManySkipped, fzInvalid: ErrInvalidMessage}

// predict returns what delivering m does, from the model.
func (w *fzWorld) predict(m *fzMsg) fzOutcome {
	r := m.to
	if ci := r.chain(m.epoch); ci >= 0 {
		c := &r.recv[ci]
		switch {
		case m.counter < c.next && slices.Contains(c.skipped, m.counter):
			return fzDecrypts
		case m.counter < c.next:
			return fzDuplicate
		case m.counter-c.next > ratchet.MaxForwardJumps:
			return fzTooMany
		}
		return fzDecrypts
	}
	// A DH step makes a new chain from index 0.
	switch {
	case m.counter > ratchet.MaxForwardJumps:
		return fzTooMany
	case r.seen[m.epoch]:
		return fzInvalid // its chain was dropped: the DH step uses the wrong root
	}
	return fzDecrypts
}

func (s *fzSide) skippedKeys() int {
	n := 0
	for _, c := range s.recv {
		n += len(c.skipped)
	}
	return n
}

func (s *fzSide) chain(epoch int) int {
	return slices.IndexFunc(s.recv, func(c fzChain) bool { return c.epoch == epoch })
}

// apply updates the model for a successful delivery of m.
func (w *fzWorld) apply(m *fzMsg) {
	r := m.to
	ci := r.chain(m.epoch)
	if ci < 0 { // DH step: a receiving chain, then a new sending chain
		if len(r.recv) == ratchet.MaxReceiverChains {
			r.recv = r.recv[1:]
		}
		r.recv = append(r.recv, fzChain{epoch: m.epoch})
		ci = len(r.recv) - 1
		r.seen[m.epoch] = true
		r.prevCounter = 0
		if r.counter > 0 {
			r.prevCounter = r.counter - 1
		}
		r.epoch, r.counter, r.hasSession = w.newEpoch(), 0, true
	}
	c := &r.recv[ci]
	if m.counter < c.next {
		c.skipped = slices.DeleteFunc(c.skipped, func(i uint32) bool { return i == m.counter })
	} else {
		keepFrom := uint32(0)
		if m.counter > ratchet.MaxMessageKeys {
			keepFrom = m.counter - ratchet.MaxMessageKeys
		}
		for i := max(c.next, keepFrom); i < m.counter; i++ {
			c.skipped = append(c.skipped, i)
		}
		if over := len(c.skipped) - ratchet.MaxMessageKeys; over > 0 {
			c.skipped = c.skipped[over:]
		}
		c.next = m.counter + 1
	}
	r.received = true
}

// tamper returns a copy of m's body with one bit flipped in the MAC (even
// where) or in the ciphertext (odd where) of its SignalMessage.
func (w *fzWorld) tamper(m *fzMsg, where byte) []byte {
	body := bytes.Clone(m.c.Body)
	sm := fzInner(w.t, m.c)
	inner := sm.Bytes()
	base := bytes.Index(body, inner)
	var off int
	if where%2 == 0 {
		off = base + len(inner) - 1 - int(where/2)%wire.MACSize
	} else {
		off = base + bytes.Index(inner, sm.Ciphertext) + int(where/2)%len(sm.Ciphertext)
	}
	body[off] ^= 1 << (where % 8)
	return body
}

// deliver decrypts m (or a tampered copy) at its receiver and checks the
// outcome against the model.
func (w *fzWorld) deliver(m *fzMsg, tampered bool, where byte) {
	t := w.t
	want := w.predict(m)
	body := m.c.Body
	if tampered {
		body = w.tamper(m, where)
		if want == fzDecrypts {
			want = fzInvalid
		}
	}
	if want == fzDecrypts && m.decryptions > 0 {
		t.Fatalf("model error: %s would decrypt a message twice", m.to.name)
	}
	r := m.to
	before := w.digest(r, m.from.addr)
	calls := 0
	var got []byte
	err := r.m.Decrypt(w.ctx, m.from.addr, Ciphertext{Type: m.c.Type, Body: body}, func(pt []byte) error {
		calls++
		got = bytes.Clone(pt)
		return nil
	})
	what := fmt.Sprintf("%s receiving %q (chain %d, counter %d, tampered %v)", r.name, m.plaintext, m.epoch, m.counter, tampered)
	if want == fzDecrypts {
		if err != nil {
			t.Fatalf("%s: %v, want success", what, err)
		}
		if calls != 1 || !bytes.Equal(got, m.plaintext) {
			t.Fatalf("%s: %d callbacks, plaintext %q", what, calls, got)
		}
		m.decryptions++
		w.delivered = append(w.delivered, m)
		dh := r.chain(m.epoch) < 0
		w.apply(m)
		// Decoding a record with thousands of skipped keys is slow: after
		// a burst, check every 32nd delivery (and every DH step).
		if dh || len(w.delivered)%32 == 0 || r.skippedKeys() < 100 {
			w.checkRecord(r, m.from)
		}
		return
	}
	wantErr := fzOutcomeErr[want]
	if !errors.Is(err, wantErr) || (want == fzInvalid && (errors.Is(err, ErrDuplicateMessage) || errors.Is(err, ErrTooManySkipped))) {
		t.Fatalf("%s: %v, want %v", what, err, wantErr)
	}
	if calls != 0 {
		t.Fatalf("%s: callback called on failure", what)
	}
	if w.digest(r, m.from.addr) != before {
		t.Fatalf("%s: the refused message changed the store", what)
	}
}

// digest hashes everything in s's store a message from addr may change.
func (w *fzWorld) digest(s *fzSide, addr keystore.Address) [32]byte {
	h := sha256.New()
	err := s.store.Update(w.ctx, func(tx keystore.Tx) error {
		for _, get := range []func() ([]byte, error){
			func() ([]byte, error) { return tx.Session(addr) },
			func() ([]byte, error) { return tx.RemoteIdentity(addr) },
			tx.LocalIdentity,
		} {
			v, err := get()
			if err != nil && !errors.Is(err, keystore.ErrNotFound) {
				return err
			}
			h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(v))))
			h.Write(v)
			if err != nil {
				h.Write([]byte{0xFF})
			}
		}
		ids, err := tx.PreKeyIDs()
		for _, id := range ids {
			h.Write(binary.BigEndian.AppendUint32(nil, id))
		}
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return [32]byte(h.Sum(nil))
}

// checkRecord compares s's stored session with peer against the model.
func (w *fzWorld) checkRecord(s, peer *fzSide) {
	t := w.t
	var rec *record
	err := s.store.Update(w.ctx, func(tx keystore.Tx) error {
		raw, err := tx.Session(peer.addr)
		if err == nil {
			rec, err = unmarshalRecord(raw)
		}
		return err
	})
	if err != nil {
		t.Fatalf("%s's record: %v", s.name, err)
	}
	if rec.current == nil || len(rec.previous) != 0 {
		t.Fatalf("%s's record: current %v, %d archived", s.name, rec.current != nil, len(rec.previous))
	}
	st := rec.current.ratchet
	skipped := s.skippedKeys()
	if st.ReceiverChains() != len(s.recv) || st.SkippedKeys() != skipped || st.SendingIndex() != s.counter {
		t.Fatalf("%s's record: %d chains, %d skipped keys, sending index %d; model %d, %d, %d",
			s.name, st.ReceiverChains(), st.SkippedKeys(), st.SendingIndex(), len(s.recv), skipped, s.counter)
	}
	if (rec.current.pending != nil) != (w.sides[s] == 0 && !s.received) {
		t.Fatalf("%s's record: pending prekey %v", s.name, rec.current.pending != nil)
	}
}
