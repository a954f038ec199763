// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package spqr

import (
	"fmt"
	"io"
)

// KeySize is the size of the message key SPQR contributes to each message.
const KeySize = 32

// State is one party's SPQR state in one session. It is secret. A State is
// not safe for concurrent use.
type State struct {
	dir   Direction
	chain chain
	ph    phase
}

// New starts the state of a session from authKey, the 32-byte SPQR key
// agreed by PQXDH. The session initiator uses [A2B], the responder [B2A].
func New(authKey []byte, dir Direction) *State {
	return &State{dir: dir, chain: newChain(authKey, dir), ph: newPhase(authKey, dir)}
}

// String prints only public data.
func (s *State) String() string {
	if s == nil {
		return "spqr.State(nil)"
	}
	return fmt.Sprintf("spqr.State{epoch %d, phase %d}", s.ph.epoch, s.ph.kind)
}

// Epoch returns the epoch the braid is working on; epoch e-1 is the newest
// whose secret is in the chain.
func (s *State) Epoch() uint64 { return s.ph.epoch }

// Send produces the SPQR message for the next outgoing message and the key
// that salts its message keys. It draws randomness from rand when the
// braid samples a key pair or encapsulates. On error s is unchanged.
func (s *State) Send(rand io.Reader) (msg []byte, key [KeySize]byte, err error) {
	// Everything after the phase step is checked first, and the phase step
	// changes nothing when it fails (it only fails reading rand), so s is
	// updated in place without a copy.
	if err := s.sendCheck(); err != nil {
		return nil, key, err
	}
	epoch := s.ph.epoch
	typ, chunk, ek, err := s.ph.send(rand)
	if err != nil {
		return nil, key, err
	}
	if ek != nil {
		err = s.chain.addEpoch(ek.epoch, ek.secret[:])
		clear(ek.secret[:])
		if err != nil {
			return nil, key, err // unreachable after sendCheck
		}
	}
	index, key, err := s.chain.sendKey(epoch - 1)
	if err != nil {
		return nil, key, err // unreachable after sendCheck
	}
	m := message{epoch: epoch, index: index, typ: typ, chunk: chunk}
	return m.appendTo(make([]byte, 0, MaxMessageSize)), key, nil
}

// sendCheck reports, before anything changes, whether the chain can give
// the key of the next outgoing message (after the epoch this message may
// complete). Only a corrupt or exhausted state fails it.
func (s *State) sendCheck() error {
	c := &s.chain
	cur, n := c.current, len(c.links)
	if s.ph.kind == headerReceived {
		if s.ph.epoch != cur+1 {
			return fmt.Errorf("%w: phase epoch %d, chain epoch %d", ErrCorruptState, s.ph.epoch, cur)
		}
		cur, n = cur+1, n+1
	}
	e := s.ph.epoch - 1
	if s.ph.epoch == 0 || e < c.sendEpoch || e > cur || cur-e >= uint64(n) {
		return fmt.Errorf("%w: cannot send in epoch %d", ErrCorruptState, e)
	}
	if i := n - 1 - int(cur-e); i < len(c.links) {
		if d := &c.links[i].send; !d.usable || d.counter == ^uint32(0) {
			return fmt.Errorf("%w: sending chain of epoch %d exhausted", ErrCorruptState, e)
		}
	}
	return nil
}

// Recv processes the SPQR message of an incoming message and returns the
// key that salts its message keys. An empty msg (a peer without SPQR), a
// version other than 1, or a message without a key is an error: a v4
// session is never downgraded. On error s is unchanged.
func (s *State) Recv(msg []byte) (key [KeySize]byte, err error) {
	c := s.Clone()
	key, err = c.RecvInPlace(msg)
	if err != nil {
		c.Wipe()
		return key, err
	}
	s.commit(c)
	return key, nil
}

// RecvInPlace is [State.Recv] without the copy that makes it atomic: on
// error s may be partly updated. It is for callers that already work on a
// copy and discard it on error, as package ratchet does.
func (s *State) RecvInPlace(msg []byte) (key [KeySize]byte, err error) {
	m, err := parseMessage(msg)
	if err != nil {
		return key, err
	}
	if m.index == 0 {
		return key, fmt.Errorf("%w: message without a key", ErrVersion)
	}
	ek, err := s.ph.recv(&m)
	if err == nil && ek != nil {
		err = s.chain.addEpoch(ek.epoch, ek.secret[:])
		clear(ek.secret[:])
	}
	if err == nil {
		key, err = s.chain.recvKey(m.epoch-1, m.index)
	}
	if err != nil {
		return [KeySize]byte{}, err
	}
	return key, nil
}

// commit replaces s by c, wiping what c does not share.
func (s *State) commit(c *State) {
	s.chain.wipe()
	s.ph.wipe()
	*s = *c
}

// Clone returns a deep copy of s.
func (s *State) Clone() *State {
	return &State{dir: s.dir, chain: s.chain.clone(), ph: s.ph.clone()}
}

// Wipe overwrites the secrets held by s.
func (s *State) Wipe() {
	s.chain.wipe()
	s.ph.wipe()
}
