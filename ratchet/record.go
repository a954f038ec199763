// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package ratchet

import (
	"fmt"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/pb"
	"github.com/crossseal/crossseal/internal/spqr"
)

// ToProto writes the ratchet part of a session record into p (root key,
// chains, previous counter). The other fields of p are left as they are.
func (s *State) ToProto(p *pb.SessionState) {
	p.SessionVersion = uint32(s.Version)
	p.RootKey = append(p.RootKey[:0], s.root[:]...)
	p.PreviousCounter = s.previousCounter
	p.SenderChain = &pb.SenderChain{
		RatchetPublic:  s.sender.public.Bytes(),
		RatchetPrivate: append([]byte(nil), s.sender.private[:]...),
		ChainKey:       append([]byte(nil), s.sender.chain.Key[:]...),
		Index:          s.sender.chain.Index,
	}
	p.ReceiverChains = make([]*pb.ReceiverChain, len(s.receivers))
	for i, r := range s.receivers {
		rc := &pb.ReceiverChain{
			RatchetPublic: r.their.Bytes(),
			ChainKey:      append([]byte(nil), r.chain.Key[:]...),
			Index:         r.chain.Index,
			Skipped:       make([]*pb.SkippedKey, len(r.skipped)),
		}
		for j, k := range r.skipped {
			rc.Skipped[j] = &pb.SkippedKey{Index: k.index, Seed: append([]byte(nil), k.seed[:]...)}
		}
		p.ReceiverChains[i] = rc
	}
	p.PqRatchetState = nil
	if s.pq != nil {
		p.PqRatchetState = s.pq.Marshal()
	}
}

// AppendPQProto appends field 12 of a storage.proto SessionState
// (pq_ratchet_state) for a v4 session, nothing for v3.
func (s *State) AppendPQProto(b []byte) []byte {
	if s.pq == nil {
		return b
	}
	return s.pq.AppendField(b, fieldPQRatchetState)
}

// FromProto decodes the ratchet part of a stored session. It checks every
// length and bound and returns an error matching [ErrCorruptState] for
// anything out of range; it never panics.
func FromProto(p *pb.SessionState) (*State, error) {
	bad := func(what string) (*State, error) { return nil, fmt.Errorf("%w: %s", ErrCorruptState, what) }
	if p.SessionVersion < 3 || p.SessionVersion > 4 {
		return bad("session version")
	}
	s := &State{Version: uint8(p.SessionVersion), previousCounter: p.PreviousCounter}
	if len(p.RootKey) != KeySize {
		return bad("root key")
	}
	copy(s.root[:], p.RootKey)
	sc := p.SenderChain
	if sc == nil || len(sc.RatchetPrivate) != curve.PrivateKeySize || len(sc.ChainKey) != KeySize {
		return bad("sender chain")
	}
	pub, err := curve.NewPublicKey(sc.RatchetPublic)
	if err != nil {
		return bad("sender ratchet key")
	}
	s.sender.public = pub
	copy(s.sender.private[:], sc.RatchetPrivate)
	copy(s.sender.chain.Key[:], sc.ChainKey)
	s.sender.chain.Index = sc.Index
	if len(p.ReceiverChains) > MaxReceiverChains {
		return bad("too many receiver chains")
	}
	s.receivers = make([]receiverChain, len(p.ReceiverChains), MaxReceiverChains)
	for i, rc := range p.ReceiverChains {
		their, err := curve.NewPublicKey(rc.RatchetPublic)
		if err != nil || len(rc.ChainKey) != KeySize || len(rc.Skipped) > MaxMessageKeys {
			return bad("receiver chain")
		}
		r := &s.receivers[i]
		r.their = their
		copy(r.chain.Key[:], rc.ChainKey)
		r.chain.Index = rc.Index
		r.skipped = make([]skippedKey, len(rc.Skipped))
		for j, k := range rc.Skipped {
			if len(k.Seed) != KeySize || k.Index >= rc.Index {
				return bad("skipped key")
			}
			r.skipped[j].index = k.Index
			copy(r.skipped[j].seed[:], k.Seed)
		}
	}
	switch {
	case s.Version >= 4 && len(p.PqRatchetState) > 0:
		if s.pq, err = spqr.Unmarshal(p.PqRatchetState); err != nil {
			return bad("post-quantum ratchet state")
		}
	case s.Version >= 4 || len(p.PqRatchetState) > 0:
		return bad("post-quantum ratchet state for this version")
	}
	return s, nil
}
