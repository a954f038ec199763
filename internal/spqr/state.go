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
	c := s.Clone()
	epoch := c.ph.epoch
	typ, chunk, ek, err := c.ph.send(rand)
	if err != nil {
		c.Wipe()
		return nil, key, err
	}
	if ek != nil {
		err = c.chain.addEpoch(ek.epoch, ek.secret[:])
		clear(ek.secret[:])
		if err != nil {
			c.Wipe()
			return nil, key, err
		}
	}
	index, key, err := c.chain.sendKey(epoch - 1)
	if err != nil {
		c.Wipe()
		return nil, key, err
	}
	m := message{epoch: epoch, index: index, typ: typ, chunk: chunk}
	s.commit(c)
	return m.appendTo(make([]byte, 0, MaxMessageSize)), key, nil
}

// Recv processes the SPQR message of an incoming message and returns the
// key that salts its message keys. An empty msg (a peer without SPQR), a
// version other than 1, or a message without a key is an error: a v4
// session is never downgraded. On error s is unchanged.
func (s *State) Recv(msg []byte) (key [KeySize]byte, err error) {
	m, err := parseMessage(msg)
	if err != nil {
		return key, err
	}
	if m.index == 0 {
		return key, fmt.Errorf("%w: message without a key", ErrVersion)
	}
	c := s.Clone()
	ek, err := c.ph.recv(&m)
	if err == nil && ek != nil {
		err = c.chain.addEpoch(ek.epoch, ek.secret[:])
		clear(ek.secret[:])
	}
	if err == nil {
		key, err = c.chain.recvKey(m.epoch-1, m.index)
	}
	if err != nil {
		c.Wipe()
		return [KeySize]byte{}, err
	}
	s.commit(c)
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
