// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package maustore

import (
	"context"
	"crypto/subtle"

	"go.mau.fi/libsignal/keys/identity"
	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/serialize"
	"go.mau.fi/libsignal/state/record"
	"go.mau.fi/libsignal/state/store"
)

// Store is an in-memory implementation of the four store interfaces
// that go.mau.fi/libsignal's session builder and cipher need. mau ships
// similar stores only in its tests package, and those key their maps by
// *protocol.SignalAddress pointer, so two equal addresses never meet; this
// one keys by (name, device) instead.
//
// Records are kept as live objects, as mau's own stores do: mau mutates a
// loaded record in place, so callers that need atomicity must snapshot (see
// [Store.Snapshot]). A Store is not safe for concurrent use.
type Store struct {
	serializer *serialize.Serializer

	identity   *identity.KeyPair
	regID      uint32
	trusted    map[addrKey]*identity.Key
	preKeys    map[uint32]*record.PreKey
	signedKeys map[uint32]*record.SignedPreKey
	sessions   map[addrKey]*record.Session
}

// addrKey is a comparable form of *protocol.SignalAddress (whose String
// form is ambiguous when a name contains ':').
type addrKey struct {
	name   string
	device uint32
}

func keyOf(a *protocol.SignalAddress) addrKey { return addrKey{a.Name(), a.DeviceID()} }

var (
	_ store.IdentityKey  = (*Store)(nil)
	_ store.PreKey       = (*Store)(nil)
	_ store.SignedPreKey = (*Store)(nil)
	_ store.Session      = (*Store)(nil)
)

// New returns an empty store for the account with identity id and
// registration id regID. ser is used to create and (for snapshots)
// serialize session records.
func New(ser *serialize.Serializer, id *identity.KeyPair, regID uint32) *Store {
	return &Store{
		serializer: ser,
		identity:   id,
		regID:      regID,
		trusted:    make(map[addrKey]*identity.Key),
		preKeys:    make(map[uint32]*record.PreKey),
		signedKeys: make(map[uint32]*record.SignedPreKey),
		sessions:   make(map[addrKey]*record.Session),
	}
}

// IdentityKey store.

// The methods below implement mau's store.IdentityKey, store.PreKey,
// store.SignedPreKey and store.Session interfaces; see their docs there.

// GetIdentityKeyPair returns the account's identity key pair.
func (s *Store) GetIdentityKeyPair() *identity.KeyPair { return s.identity }

// GetLocalRegistrationID returns the account's registration id.
func (s *Store) GetLocalRegistrationID() uint32 { return s.regID }

func (s *Store) SaveIdentity(_ context.Context, a *protocol.SignalAddress, k *identity.Key) error {
	s.trusted[keyOf(a)] = k
	return nil
}

// IsTrustedIdentity implements trust on first use: an unknown address is
// trusted, a known one only with the same key.
func (s *Store) IsTrustedIdentity(_ context.Context, a *protocol.SignalAddress, k *identity.Key) (bool, error) {
	known, ok := s.trusted[keyOf(a)]
	if !ok {
		return true, nil
	}
	return subtle.ConstantTimeCompare(known.Serialize(), k.Serialize()) == 1, nil
}

// PreKey store.

func (s *Store) LoadPreKey(_ context.Context, id uint32) (*record.PreKey, error) {
	return s.preKeys[id], nil
}

func (s *Store) StorePreKey(_ context.Context, id uint32, r *record.PreKey) error {
	s.preKeys[id] = r
	return nil
}

func (s *Store) ContainsPreKey(_ context.Context, id uint32) (bool, error) {
	_, ok := s.preKeys[id]
	return ok, nil
}

func (s *Store) RemovePreKey(_ context.Context, id uint32) error {
	delete(s.preKeys, id)
	return nil
}

// SignedPreKey store.

func (s *Store) LoadSignedPreKey(_ context.Context, id uint32) (*record.SignedPreKey, error) {
	return s.signedKeys[id], nil
}

func (s *Store) LoadSignedPreKeys(context.Context) ([]*record.SignedPreKey, error) {
	out := make([]*record.SignedPreKey, 0, len(s.signedKeys))
	for _, r := range s.signedKeys {
		out = append(out, r)
	}
	return out, nil
}

func (s *Store) StoreSignedPreKey(_ context.Context, id uint32, r *record.SignedPreKey) error {
	s.signedKeys[id] = r
	return nil
}

func (s *Store) ContainsSignedPreKey(_ context.Context, id uint32) (bool, error) {
	_, ok := s.signedKeys[id]
	return ok, nil
}

func (s *Store) RemoveSignedPreKey(_ context.Context, id uint32) error {
	delete(s.signedKeys, id)
	return nil
}

// Session store.

// LoadSession returns the stored record, or a fresh unsaved one: mau's
// PreKey path fills a fresh record and stores it only after decrypting.
func (s *Store) LoadSession(_ context.Context, a *protocol.SignalAddress) (*record.Session, error) {
	if r, ok := s.sessions[keyOf(a)]; ok {
		return r, nil
	}
	return record.NewSession(s.serializer.Session, s.serializer.State), nil
}

func (s *Store) GetSubDeviceSessions(_ context.Context, name string) ([]uint32, error) {
	var ids []uint32
	for key := range s.sessions {
		if key.name == name && key.device != 1 {
			ids = append(ids, key.device)
		}
	}
	return ids, nil
}

func (s *Store) StoreSession(_ context.Context, a *protocol.SignalAddress, r *record.Session) error {
	s.sessions[keyOf(a)] = r
	return nil
}

func (s *Store) ContainsSession(_ context.Context, a *protocol.SignalAddress) (bool, error) {
	_, ok := s.sessions[keyOf(a)]
	return ok, nil
}

func (s *Store) DeleteSession(_ context.Context, a *protocol.SignalAddress) error {
	delete(s.sessions, keyOf(a))
	return nil
}

func (s *Store) DeleteAllSessions(context.Context) error {
	clear(s.sessions)
	return nil
}

// Snapshot is the part of a Store that a decrypt may change for one
// address: its session record (serialized) and its trusted identity.
type Snapshot struct {
	session    []byte // serialized record; nil if there was none
	identity   *identity.Key
	hadTrusted bool
}

// Snapshot records the session and trusted identity of a, so that
// [Store.Restore] can undo a failed operation. go.mau.fi/libsignal
// mutates the live session record before it verifies a message's MAC.
func (s *Store) Snapshot(a *protocol.SignalAddress) Snapshot {
	var snap Snapshot
	if r, ok := s.sessions[keyOf(a)]; ok {
		snap.session = r.Serialize()
	}
	snap.identity, snap.hadTrusted = s.trusted[keyOf(a)]
	return snap
}

// Restore puts back what Snapshot saw. The one-time prekey needs no
// restoring: mau removes it only after a successful decrypt. If the
// snapshot cannot be decoded, the session is deleted (a possibly
// half-updated record is worse than none) and the error returned.
func (s *Store) Restore(a *protocol.SignalAddress, snap Snapshot) error {
	key := keyOf(a)
	if snap.hadTrusted {
		s.trusted[key] = snap.identity
	} else {
		delete(s.trusted, key)
	}
	if snap.session == nil {
		delete(s.sessions, key)
		return nil
	}
	r, err := record.NewSessionFromBytes(snap.session, s.serializer.Session, s.serializer.State)
	if err != nil {
		// The live record may be half-updated; dropping it is safer
		// than keeping it, and the error is reported to the driver.
		delete(s.sessions, key)
		return err
	}
	s.sessions[key] = r
	return nil
}
