// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package session

import (
	"fmt"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/pb"
	"github.com/crossseal/crossseal/ratchet"
	"google.golang.org/protobuf/proto"
)

// recordVersion is the SessionRecord format version written and accepted.
const recordVersion = 1

// record is the decoded session record for one device.
type record struct {
	current  *state
	previous []*state // newest first, at most MaxArchivedStates
}

// state is one session: the ratchet plus what X3DH agreed.
type state struct {
	ratchet     *ratchet.State
	local       curve.PublicKey
	remote      curve.PublicKey
	pending     *pendingPreKey
	localRegID  uint32
	remoteRegID uint32
	aliceBase   curve.PublicKey
}

// pendingPreKey is kept by the initiator until the first reply, so that
// every message it sends carries what the responder needs for X3DH.
type pendingPreKey struct {
	hasPreKeyID    bool
	preKeyID       uint32
	signedPreKeyID uint32
	baseKey        curve.PublicKey
}

func (s *state) clone() *state {
	c := *s
	c.ratchet = s.ratchet.Clone()
	if s.pending != nil {
		p := *s.pending
		c.pending = &p
	}
	return &c
}

func (r *record) clone() *record {
	c := &record{previous: make([]*state, len(r.previous), len(r.previous)+1)}
	if r.current != nil {
		c.current = r.current.clone()
	}
	// Archived states are only read or promoted (then cloned), never
	// mutated in place, so sharing them is safe.
	copy(c.previous, r.previous)
	return c
}

// promote makes s the current state, archiving the old current one.
func (r *record) promote(s *state) {
	if r.current != nil {
		r.previous = append([]*state{r.current}, r.previous...)
		if len(r.previous) > MaxArchivedStates {
			r.previous = r.previous[:MaxArchivedStates]
		}
	}
	r.current = s
}

// withBaseKey returns the state (current or archived) started by the X3DH
// run with this base key, and its index (-1 for current), or nil.
func (r *record) withBaseKey(version uint8, base curve.PublicKey) (*state, int) {
	if r.current != nil && r.current.ratchet.Version == version && r.current.aliceBase.Equal(base) {
		return r.current, -1
	}
	for i, s := range r.previous {
		if s.ratchet.Version == version && s.aliceBase.Equal(base) {
			return s, i
		}
	}
	return nil, 0
}

func encodeState(s *state) *pb.SessionState {
	p := &pb.SessionState{
		LocalIdentity:        s.local.Bytes(),
		RemoteIdentity:       s.remote.Bytes(),
		LocalRegistrationId:  s.localRegID,
		RemoteRegistrationId: s.remoteRegID,
		AliceBaseKey:         s.aliceBase.Bytes(),
	}
	s.ratchet.ToProto(p)
	if s.pending != nil {
		p.PendingPreKey = &pb.PendingPreKey{
			SignedPreKeyId: s.pending.signedPreKeyID,
			BaseKey:        s.pending.baseKey.Bytes(),
		}
		if s.pending.hasPreKeyID {
			p.PendingPreKey.PreKeyId = proto.Uint32(s.pending.preKeyID)
		}
	}
	return p
}

func decodeState(p *pb.SessionState) (*state, error) {
	r, err := ratchet.FromProto(p)
	if err != nil {
		return nil, err
	}
	s := &state{ratchet: r, localRegID: p.LocalRegistrationId, remoteRegID: p.RemoteRegistrationId}
	if s.local, err = curve.NewPublicKey(p.LocalIdentity); err != nil {
		return nil, err
	}
	if s.remote, err = curve.NewPublicKey(p.RemoteIdentity); err != nil {
		return nil, err
	}
	if s.aliceBase, err = curve.NewPublicKey(p.AliceBaseKey); err != nil {
		return nil, err
	}
	if pp := p.PendingPreKey; pp != nil {
		s.pending = &pendingPreKey{
			hasPreKeyID:    pp.PreKeyId != nil,
			preKeyID:       pp.GetPreKeyId(),
			signedPreKeyID: pp.SignedPreKeyId,
		}
		if s.pending.baseKey, err = curve.NewPublicKey(pp.BaseKey); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// marshal encodes the record.
func (r *record) marshal() []byte {
	p := &pb.SessionRecord{Version: recordVersion, Previous: make([]*pb.SessionState, len(r.previous))}
	if r.current != nil {
		p.Current = encodeState(r.current)
	}
	for i, s := range r.previous {
		p.Previous[i] = encodeState(s)
	}
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(p)
	if err != nil {
		panic("crossseal/session: internal error: " + err.Error())
	}
	return b
}

// unmarshalRecord decodes a stored record. Errors match ErrCorruptRecord or
// ErrUnsupportedVersion and never expose protobuf's own errors.
func unmarshalRecord(b []byte) (*record, error) {
	var p pb.SessionRecord
	if err := proto.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%w: session record", ErrCorruptRecord)
	}
	if p.Version != recordVersion {
		return nil, fmt.Errorf("%w: session record version %d", ErrUnsupportedVersion, p.Version)
	}
	if len(p.Previous) > MaxArchivedStates {
		return nil, fmt.Errorf("%w: %d archived states", ErrCorruptRecord, len(p.Previous))
	}
	r := &record{previous: make([]*state, len(p.Previous))}
	var err error
	if p.Current != nil {
		if r.current, err = decodeState(p.Current); err != nil {
			return nil, fmt.Errorf("%w: current state", ErrCorruptRecord)
		}
	}
	for i, ps := range p.Previous {
		if r.previous[i], err = decodeState(ps); err != nil {
			return nil, fmt.Errorf("%w: archived state %d", ErrCorruptRecord, i)
		}
	}
	return r, nil
}
