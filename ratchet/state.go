// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package ratchet

import (
	"fmt"
	"io"
	"slices"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/spqr"
)

// State is one Double Ratchet session: the root key, our sending chain, and
// the receiving chains for the peer's recent ratchet keys. It is secret.
// A State is not safe for concurrent use.
type State struct {
	// Version is the protocol version of every message in this session.
	Version uint8
	root    RootKey
	sender  senderChain
	// receivers holds at most MaxReceiverChains chains, oldest first.
	receivers []receiverChain
	// previousCounter is written into every message sent on this chain.
	previousCounter uint32
	// pq is the SPQR post-quantum ratchet of a v4 session, nil in v3.
	pq *spqr.State
}

type senderChain struct {
	public  curve.PublicKey
	private [curve.PrivateKeySize]byte
	// parsed is private as a *curve.PrivateKey, set lazily: parsing costs a
	// scalar multiplication, which a message on an existing chain never
	// needs. It is immutable once set and shared between clones.
	parsed *curve.PrivateKey
	chain  ChainKey
}

type receiverChain struct {
	their   curve.PublicKey
	chain   ChainKey
	skipped []skippedKey // oldest first, at most MaxMessageKeys
}

type skippedKey struct {
	index uint32
	seed  [KeySize]byte
}

// String prints only public data. It has a value receiver so that a State
// printed by value does not reveal its fields either.
func (s State) String() string {
	return fmt.Sprintf("ratchet.State{v%d, sending index %d, %d receiving chains}", s.Version, s.sender.chain.Index, len(s.receivers))
}

// GoString prints only public data.
func (s State) GoString() string { return s.String() }

// Format prints only public data, whatever the verb.
func (s State) Format(f fmt.State, _ rune) { fmt.Fprint(f, s.String()) }

func newSenderChain(k *curve.PrivateKey, ck ChainKey) senderChain {
	sc := senderChain{public: k.PublicKey(), parsed: k, chain: ck}
	copy(sc.private[:], k.Bytes())
	return sc
}

// InitializeAlice starts the initiator's state (libsignal
// initialize_alice_session): theirRatchetKey is Bob's signed prekey, which
// serves as his first ratchet key, and chainKey its receiving chain. A new
// sending ratchet key is drawn from rand and one KDF_RK step derives the
// sending chain.
func InitializeAlice(version uint8, root RootKey, chainKey ChainKey, theirRatchetKey curve.PublicKey, rand io.Reader) (*State, error) {
	sending, err := curve.GeneratePrivateKey(rand)
	if err != nil {
		return nil, fmt.Errorf("ratchet: generating ratchet key: %w", err)
	}
	return InitializeAliceWithKey(version, root, chainKey, theirRatchetKey, sending)
}

// InitializeAliceWithKey is [InitializeAlice] with the sending ratchet key
// given, for known-answer tests.
func InitializeAliceWithKey(version uint8, root RootKey, chainKey ChainKey, theirRatchetKey curve.PublicKey, sending *curve.PrivateKey) (*State, error) {
	nextRoot, sendCK, err := root.KDF_RK(sending, theirRatchetKey)
	if err != nil {
		return nil, fmt.Errorf("ratchet: initial step: %w", err)
	}
	return &State{
		Version:   version,
		root:      nextRoot,
		sender:    newSenderChain(sending, sendCK),
		receivers: []receiverChain{{their: theirRatchetKey, chain: chainKey}},
	}, nil
}

// InitializeBob starts the responder's state (libsignal
// initialize_bob_session): our signed prekey is our first ratchet key and
// chainKey its sending chain.
func InitializeBob(version uint8, root RootKey, chainKey ChainKey, ourRatchetKey *curve.PrivateKey) *State {
	return &State{
		Version: version,
		root:    root,
		sender:  newSenderChain(ourRatchetKey, chainKey),
	}
}

// Clone returns a deep copy of s that shares no mutable memory with it.
func (s *State) Clone() *State {
	c := *s
	c.receivers = make([]receiverChain, len(s.receivers))
	for i, r := range s.receivers {
		c.receivers[i] = r
		c.receivers[i].skipped = slices.Clone(r.skipped)
	}
	if s.pq != nil {
		c.pq = s.pq.Clone()
	}
	return &c
}

// StartPQ attaches the SPQR post-quantum ratchet to a v4 session, keyed by
// the SPQR key of PQXDH. The session initiator passes initiator=true.
// From then on every message carries an SPQR message and its message keys
// are salted with SPQR's key.
func (s *State) StartPQ(authKey []byte, initiator bool) error {
	if s.Version != 4 {
		return fmt.Errorf("%w: SPQR needs a v4 session, this is v%d", ErrVersionMismatch, s.Version)
	}
	dir := spqr.B2A
	if initiator {
		dir = spqr.A2B
	}
	s.pq = spqr.New(authKey, dir)
	return nil
}

// PQEpoch returns the SPQR epoch of a v4 session (0 in v3).
func (s *State) PQEpoch() uint64 {
	if s.pq == nil {
		return 0
	}
	return s.pq.Epoch()
}

// SenderRatchetKey returns our current ratchet public key.
func (s *State) SenderRatchetKey() curve.PublicKey { return s.sender.public }

// SendingIndex returns the index of the next message we will send.
func (s *State) SendingIndex() uint32 { return s.sender.chain.Index }

// ReceiverChains returns how many receiving chains are kept.
func (s *State) ReceiverChains() int { return len(s.receivers) }

// SkippedKeys returns how many skipped message keys are stored in total.
func (s *State) SkippedKeys() int {
	n := 0
	for _, r := range s.receivers {
		n += len(r.skipped)
	}
	return n
}

// senderPrivate returns our sending ratchet private key, parsing it once.
func (s *State) senderPrivate() (*curve.PrivateKey, error) {
	if s.sender.parsed == nil {
		k, err := curve.NewPrivateKey(s.sender.private[:])
		if err != nil {
			return nil, ErrCorruptState
		}
		s.sender.parsed = k
	}
	return s.sender.parsed, nil
}

// receiverChain finds the receiving chain for their ratchet key, or -1.
func (s *State) receiverChain(their curve.PublicKey) int {
	for i := len(s.receivers) - 1; i >= 0; i-- {
		if s.receivers[i].their.Equal(their) {
			return i
		}
	}
	return -1
}

// addReceiverChain appends a chain, dropping the oldest beyond the limit.
func (s *State) addReceiverChain(their curve.PublicKey, ck ChainKey) int {
	if len(s.receivers) >= MaxReceiverChains {
		drop := len(s.receivers) - MaxReceiverChains + 1
		for i := range drop {
			wipeChain(&s.receivers[i])
		}
		s.receivers = append(s.receivers[:0], s.receivers[drop:]...)
	}
	s.receivers = append(s.receivers, receiverChain{their: their, chain: ck})
	return len(s.receivers) - 1
}

func wipeChain(r *receiverChain) {
	clear(r.chain.Key[:])
	for i := range r.skipped {
		clear(r.skipped[i].seed[:])
	}
}

// Wipe overwrites the secrets held by s. Go cannot guarantee that no other
// copy exists (the garbage collector may have moved memory).
func (s *State) Wipe() {
	clear(s.root[:])
	clear(s.sender.private[:])
	clear(s.sender.chain.Key[:])
	for i := range s.receivers {
		wipeChain(&s.receivers[i])
	}
	if s.pq != nil {
		s.pq.Wipe()
	}
}
