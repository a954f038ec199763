// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package session

import (
	"fmt"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/pb"
	"github.com/crossseal/crossseal/ratchet"
	"google.golang.org/protobuf/encoding/protowire"
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
	// v4: the KEM prekey used and the ciphertext for it.
	hasKEM        bool
	kemPreKeyID   uint32
	kemCiphertext []byte
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
		if s.pending.hasKEM {
			p.PendingPreKey.KemPreKeyId = proto.Uint32(s.pending.kemPreKeyID)
			p.PendingPreKey.KemCiphertext = s.pending.kemCiphertext
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
			hasKEM:         pp.KemPreKeyId != nil,
			kemPreKeyID:    pp.GetKemPreKeyId(),
			kemCiphertext:  pp.KemCiphertext,
		}
		if s.pending.hasKEM != (len(pp.KemCiphertext) > 0) || s.pending.hasKEM != (s.ratchet.Version >= 4) {
			return nil, fmt.Errorf("%w: pending KEM prekey", ErrCorruptRecord)
		}
		if s.pending.baseKey, err = curve.NewPublicKey(pp.BaseKey); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Field numbers of storage.proto written by the hand encoder below;
// TestRecordEncodingMatchesGenerated checks it against the generated code.
const (
	fieldRecordVersion  = 1
	fieldRecordCurrent  = 2
	fieldRecordPrevious = 3

	fieldSessionVersion = 1
	fieldLocalIdentity  = 2
	fieldRemoteIdentity = 3
	fieldPendingPreKey  = 8
	fieldLocalRegID     = 9
	fieldRemoteRegID    = 10
	fieldAliceBaseKey   = 11

	fieldPendingPreKeyID = 1
	fieldPendingSignedID = 2
	fieldPendingBaseKey  = 3
	fieldPendingKEMID    = 4
	fieldPendingKEMCT    = 5
)

// marshal encodes the record as a storage.proto SessionRecord. Records are
// re-encoded on every message, so this writes one buffer directly rather
// than building the generated structs.
func (r *record) marshal() []byte {
	size := 8
	states := make([]*state, 0, 1+len(r.previous))
	if r.current != nil {
		states = append(states, r.current)
	}
	states = append(states, r.previous...)
	for _, s := range states {
		size += s.ratchet.ProtoSize() + 4*(curve.SerializedPublicKeySize+2) + 40
		if s.pending != nil {
			size += len(s.pending.kemCiphertext) + 16
		}
	}
	b := make([]byte, 0, size)
	b = protowire.AppendTag(b, fieldRecordVersion, protowire.VarintType)
	b = protowire.AppendVarint(b, recordVersion)
	for i, s := range states {
		field := protowire.Number(fieldRecordPrevious)
		if i == 0 && r.current != nil {
			field = fieldRecordCurrent
		}
		// Encode the state in place, then slide it right to make room for
		// its tag and length: one buffer, no scratch copy of the secrets.
		start := len(b)
		b = appendState(b, s)
		n := len(b) - start
		var hdr [16]byte
		h := protowire.AppendVarint(protowire.AppendTag(hdr[:0], field, protowire.BytesType), uint64(n))
		b = append(b, h...)
		copy(b[start+len(h):], b[start:start+n])
		copy(b[start:], h)
	}
	return b
}

func appendState(b []byte, s *state) []byte {
	var k [curve.SerializedPublicKeySize]byte
	b = protowire.AppendTag(b, fieldSessionVersion, protowire.VarintType)
	b = protowire.AppendVarint(b, uint64(s.ratchet.Version))
	b = protowire.AppendTag(b, fieldLocalIdentity, protowire.BytesType)
	b = protowire.AppendBytes(b, s.local.AppendBytes(k[:0]))
	b = protowire.AppendTag(b, fieldRemoteIdentity, protowire.BytesType)
	b = protowire.AppendBytes(b, s.remote.AppendBytes(k[:0]))
	b = s.ratchet.AppendProto(b)
	if p := s.pending; p != nil {
		var pp []byte
		if p.hasPreKeyID {
			pp = protowire.AppendTag(pp, fieldPendingPreKeyID, protowire.VarintType)
			pp = protowire.AppendVarint(pp, uint64(p.preKeyID))
		}
		if p.signedPreKeyID != 0 {
			pp = protowire.AppendTag(pp, fieldPendingSignedID, protowire.VarintType)
			pp = protowire.AppendVarint(pp, uint64(p.signedPreKeyID))
		}
		pp = protowire.AppendTag(pp, fieldPendingBaseKey, protowire.BytesType)
		pp = protowire.AppendBytes(pp, p.baseKey.AppendBytes(k[:0]))
		if p.hasKEM {
			pp = protowire.AppendTag(pp, fieldPendingKEMID, protowire.VarintType)
			pp = protowire.AppendVarint(pp, uint64(p.kemPreKeyID))
			if len(p.kemCiphertext) > 0 {
				pp = protowire.AppendTag(pp, fieldPendingKEMCT, protowire.BytesType)
				pp = protowire.AppendBytes(pp, p.kemCiphertext)
			}
		}
		b = protowire.AppendTag(b, fieldPendingPreKey, protowire.BytesType)
		b = protowire.AppendBytes(b, pp)
	}
	if s.localRegID != 0 {
		b = protowire.AppendTag(b, fieldLocalRegID, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(s.localRegID))
	}
	if s.remoteRegID != 0 {
		b = protowire.AppendTag(b, fieldRemoteRegID, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(s.remoteRegID))
	}
	b = protowire.AppendTag(b, fieldAliceBaseKey, protowire.BytesType)
	b = protowire.AppendBytes(b, s.aliceBase.AppendBytes(k[:0]))
	return s.ratchet.AppendPQProto(b)
}

// marshalGenerated encodes the record through the generated code; the
// tests compare it with marshal.
func (r *record) marshalGenerated() []byte {
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
