// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package session

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/pb"
	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/ratchet"
	"github.com/crossseal/crossseal/x3dh"
	"google.golang.org/protobuf/proto"
)

// Manager runs the sessions of one local account (one identity and its
// prekeys) over a [keystore.Store]. It is safe for concurrent use; every
// method is one store transaction.
//
// A Manager caches decoded records keyed by their exact stored bytes, so a
// record changed by another process sharing the store is always re-read.
type Manager struct {
	store keystore.Store
	rand  io.Reader // crypto/rand.Reader; only package tests replace it

	mu       sync.Mutex
	identity *localIdentity
	// signedPreKey caches the last signed prekey used to answer a session.
	signedPreKey *cachedKey
	records      map[keystore.Address]cachedRecord
	// localAddress is this device's fixed-width address for the v4
	// address binding, nil if unset or not a service id.
	localAddress []byte
}

// SetLocalAddress tells m the address of the local device. When it and a
// peer's name are service ids (a UUID, or "PNI:" and a UUID, as Signal
// names accounts), v4 messages bind both devices' addresses, as libsignal
// does: a message relabelled to another sender or recipient then fails.
// Other names (crossseal's "app:user") carry no binding; a received message
// that carries one is then rejected.
func (m *Manager) SetLocalAddress(addr keystore.Address) {
	m.mu.Lock()
	m.localAddress = ratchet.EncodeAddress(addr.Name, addr.DeviceID)
	m.mu.Unlock()
}

type cachedRecord struct {
	raw []byte
	rec *record
}

// localIdentity is the decoded local identity record.
type localIdentity struct {
	raw   []byte
	priv  *curve.PrivateKey
	pub   curve.PublicKey
	regID uint32
}

// New returns a Manager over store. Randomness comes from crypto/rand.
func New(store keystore.Store) *Manager {
	return &Manager{store: store, rand: rand.Reader, records: make(map[keystore.Address]cachedRecord)}
}

// String prints no secrets.
func (m *Manager) String() string { return "session.Manager" }

// Store returns the store the Manager works on.
func (m *Manager) Store() keystore.Store { return m.store }

const identityRecordVersion = 1

// CreateIdentity generates and stores a new identity key pair with the
// given registration id. It fails with [ErrIdentityExists] if the store
// already has one.
func (m *Manager) CreateIdentity(ctx context.Context, registrationID uint32) error {
	priv, err := curve.GeneratePrivateKey(m.rand)
	if err != nil {
		return fmt.Errorf("session: generating identity: %w", err)
	}
	return m.importIdentity(ctx, priv, registrationID, false)
}

// ImportIdentity stores an existing identity private key (32 bytes, secret)
// with a registration id, so that one identity can serve several accounts.
// It replaces any identity already stored only if replace is true.
func (m *Manager) ImportIdentity(ctx context.Context, privateKey []byte, registrationID uint32, replace bool) error {
	priv, err := curve.NewPrivateKey(privateKey)
	if err != nil {
		return fmt.Errorf("session: identity key: %w", err)
	}
	return m.importIdentity(ctx, priv, registrationID, replace)
}

func (m *Manager) importIdentity(ctx context.Context, priv *curve.PrivateKey, regID uint32, replace bool) error {
	rec, err := proto.Marshal(&pb.IdentityRecord{
		Version:        identityRecordVersion,
		PublicKey:      priv.PublicKey().Bytes(),
		PrivateKey:     priv.Bytes(),
		RegistrationId: regID,
	})
	if err != nil {
		return fmt.Errorf("session: internal error: %w", err)
	}
	return m.store.Update(ctx, func(tx keystore.Tx) error {
		if !replace {
			if _, err := tx.LocalIdentity(); err == nil {
				return ErrIdentityExists
			} else if !errors.Is(err, keystore.ErrNotFound) {
				return fmt.Errorf("session: loading identity: %w", err)
			}
		}
		return tx.SetLocalIdentity(rec)
	})
}

// LocalIdentity returns the local identity public key and registration id.
func (m *Manager) LocalIdentity(ctx context.Context) (x3dh.PublicKey, uint32, error) {
	var id *localIdentity
	err := m.store.Update(ctx, func(tx keystore.Tx) error {
		var err error
		id, err = m.loadIdentity(tx)
		return err
	})
	if err != nil {
		return curve.PublicKey{}, 0, err
	}
	return id.pub, id.regID, nil
}

// loadIdentity reads the local identity, reusing the parsed key when the
// stored bytes have not changed (parsing costs a scalar multiplication).
func (m *Manager) loadIdentity(tx keystore.Tx) (*localIdentity, error) {
	raw, err := tx.LocalIdentity()
	if errors.Is(err, keystore.ErrNotFound) {
		return nil, ErrNoIdentity
	} else if err != nil {
		return nil, fmt.Errorf("session: loading identity: %w", err)
	}
	m.mu.Lock()
	cached := m.identity
	m.mu.Unlock()
	if cached != nil && subtle.ConstantTimeCompare(cached.raw, raw) == 1 {
		return cached, nil
	}
	var p pb.IdentityRecord
	if err := proto.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("%w: identity record", ErrCorruptRecord)
	}
	if p.Version != identityRecordVersion {
		return nil, fmt.Errorf("%w: identity record version %d", ErrUnsupportedVersion, p.Version)
	}
	priv, err := curve.NewPrivateKey(p.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("%w: identity key", ErrCorruptRecord)
	}
	id := &localIdentity{raw: raw, priv: priv, pub: priv.PublicKey(), regID: p.RegistrationId}
	if pub, err := curve.NewPublicKey(p.PublicKey); err != nil || !pub.Equal(id.pub) {
		return nil, fmt.Errorf("%w: identity public key does not match", ErrCorruptRecord)
	}
	m.mu.Lock()
	m.identity = id
	m.mu.Unlock()
	return id, nil
}

// loadRecord returns a private (mutable) copy of the session record for
// addr, or a new empty record if there is none.
func (m *Manager) loadRecord(tx keystore.Tx, addr keystore.Address) (*record, error) {
	raw, err := tx.Session(addr)
	if errors.Is(err, keystore.ErrNotFound) {
		return &record{}, nil
	} else if err != nil {
		return nil, fmt.Errorf("session: loading session %s: %w", addr, err)
	}
	// Take the cached record out of the cache: the caller owns and may
	// mutate it, and remember puts the committed result back. A failed
	// operation thus leaves no half-updated record in the cache.
	m.mu.Lock()
	c, ok := m.records[addr]
	delete(m.records, addr)
	m.mu.Unlock()
	if ok && subtle.ConstantTimeCompare(c.raw, raw) == 1 {
		return c.rec, nil
	}
	rec, err := unmarshalRecord(raw)
	if err != nil {
		return nil, fmt.Errorf("session %s: %w", addr, err)
	}
	return rec, nil
}

// storeRecord writes rec for addr and returns a cache entry to install once
// the transaction has committed.
func (m *Manager) storeRecord(tx keystore.Tx, addr keystore.Address, rec *record) (cachedRecord, error) {
	raw := rec.marshal()
	if err := tx.SetSession(addr, raw); err != nil {
		return cachedRecord{}, fmt.Errorf("session: storing session %s: %w", addr, err)
	}
	return cachedRecord{raw: raw, rec: rec}, nil
}

// remember installs a committed record in the cache; loadRecord takes it
// out again before anyone mutates it.
func (m *Manager) remember(addr keystore.Address, c cachedRecord) {
	if c.rec == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.records[addr]; !ok && len(m.records) >= recordCacheSize {
		for k := range m.records {
			delete(m.records, k)
			break
		}
	}
	m.records[addr] = c
}

// checkTrust implements trust on first use: a key is trusted if none is
// stored for addr or if it equals the stored one.
func checkTrust(tx keystore.Tx, addr keystore.Address, key curve.PublicKey) (known bool, err error) {
	stored, err := tx.RemoteIdentity(addr)
	if errors.Is(err, keystore.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("session: loading identity of %s: %w", addr, err)
	}
	var k [curve.SerializedPublicKeySize]byte
	if subtle.ConstantTimeCompare(stored, key.AppendBytes(k[:0])) != 1 {
		return true, &UntrustedIdentityError{Address: addr}
	}
	return true, nil
}

// TrustIdentity stores key as the trusted identity of addr, replacing any
// earlier one. Call it only after the user accepted the change (for
// example by comparing safety numbers).
func (m *Manager) TrustIdentity(ctx context.Context, addr keystore.Address, key x3dh.PublicKey) error {
	return m.store.Update(ctx, func(tx keystore.Tx) error {
		return tx.SetRemoteIdentity(addr, key.Bytes())
	})
}

// RemoteIdentity returns the identity key trusted for addr, or
// [ErrNoSession] if none is known.
func (m *Manager) RemoteIdentity(ctx context.Context, addr keystore.Address) (x3dh.PublicKey, error) {
	var key curve.PublicKey
	err := m.store.Update(ctx, func(tx keystore.Tx) error {
		raw, err := tx.RemoteIdentity(addr)
		if errors.Is(err, keystore.ErrNotFound) {
			return ErrNoSession
		} else if err != nil {
			return err
		}
		key, err = curve.NewPublicKey(raw)
		if err != nil {
			return fmt.Errorf("%w: identity of %s", ErrCorruptRecord, addr)
		}
		return nil
	})
	return key, err
}

// HasSession reports whether there is a current session with addr.
func (m *Manager) HasSession(ctx context.Context, addr keystore.Address) (bool, error) {
	var has bool
	err := m.store.Update(ctx, func(tx keystore.Tx) error {
		rec, err := m.loadRecord(tx, addr)
		has = err == nil && rec.current != nil
		return err
	})
	return has, err
}

// DeleteSession removes the session (and archived sessions) with addr.
func (m *Manager) DeleteSession(ctx context.Context, addr keystore.Address) error {
	return m.store.Update(ctx, func(tx keystore.Tx) error { return tx.DeleteSession(addr) })
}

// Devices returns the device ids under name that have a stored session,
// ascending (for fan-out to every device of a user).
func (m *Manager) Devices(ctx context.Context, name string) ([]uint32, error) {
	var ids []uint32
	err := m.store.Update(ctx, func(tx keystore.Tx) error {
		var err error
		ids, err = tx.SessionDevices(name)
		return err
	})
	return ids, err
}

// SessionInfo describes the current session with a device. All fields are
// public.
type SessionInfo struct {
	// Version is the protocol version: [VersionV3] or [VersionV4].
	Version uint8
	// PQEpoch is the SPQR epoch of a v4 session: it grows by one each time
	// the two sides complete an ML-KEM-768 exchange (0 in v3).
	PQEpoch uint64
	// Pending is true until the peer has replied, while every message to
	// it is a PreKeySignalMessage.
	Pending bool
}

// Session describes the current session with addr, or returns
// [ErrNoSession].
func (m *Manager) Session(ctx context.Context, addr keystore.Address) (SessionInfo, error) {
	var info SessionInfo
	err := m.store.Update(ctx, func(tx keystore.Tx) error {
		rec, err := m.loadRecord(tx, addr)
		if err != nil {
			return err
		}
		if rec.current == nil {
			return fmt.Errorf("%w with %s", ErrNoSession, addr)
		}
		r := rec.current.ratchet
		info = SessionInfo{Version: r.Version, PQEpoch: r.PQEpoch(), Pending: rec.current.pending != nil}
		return nil
	})
	return info, err
}
