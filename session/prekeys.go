// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package session

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/pb"
	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/x3dh"
	"google.golang.org/protobuf/proto"
)

const preKeyRecordVersion = 1

// MaxPreKeysPerCall bounds one [Manager.GeneratePreKeys] call.
const MaxPreKeysPerCall = 10_000

// PreKey is the public half of a one-time prekey.
type PreKey struct {
	ID        uint32
	PublicKey x3dh.PublicKey
}

// SignedPreKey is the public half of a signed prekey and its signature.
type SignedPreKey struct {
	ID        uint32
	PublicKey x3dh.PublicKey
	// Signature is the identity key's XEdDSA signature over the
	// serialized PublicKey.
	Signature []byte
	Created   time.Time
}

// GeneratePreKeys generates count one-time prekeys with ids start,
// start+1, ... and stores their private halves. Existing prekeys with those
// ids are replaced.
func (m *Manager) GeneratePreKeys(ctx context.Context, start uint32, count int) ([]PreKey, error) {
	if count < 0 || count > MaxPreKeysPerCall || uint64(start)+uint64(count) > 1<<32 {
		return nil, fmt.Errorf("session: cannot generate %d prekeys from id %d", count, start)
	}
	out := make([]PreKey, count)
	recs := make([][]byte, count)
	for i := range out {
		k, err := curve.GeneratePrivateKey(m.rand)
		if err != nil {
			return nil, fmt.Errorf("session: generating prekey: %w", err)
		}
		id := start + uint32(i)
		out[i] = PreKey{ID: id, PublicKey: k.PublicKey()}
		recs[i], err = proto.Marshal(&pb.PreKeyRecord{Version: preKeyRecordVersion, Id: id, PublicKey: out[i].PublicKey.Bytes(), PrivateKey: k.Bytes()})
		if err != nil {
			return nil, fmt.Errorf("session: internal error: %w", err)
		}
	}
	err := m.store.Update(ctx, func(tx keystore.Tx) error {
		for i, p := range out {
			if err := tx.SetPreKey(p.ID, recs[i]); err != nil {
				return fmt.Errorf("session: storing prekey %d: %w", p.ID, err)
			}
		}
		return nil
	})
	for _, r := range recs {
		clear(r)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GenerateSignedPreKey generates a signed prekey with this id, signs it
// with the local identity, and stores it.
func (m *Manager) GenerateSignedPreKey(ctx context.Context, id uint32, now time.Time) (SignedPreKey, error) {
	k, err := curve.GeneratePrivateKey(m.rand)
	if err != nil {
		return SignedPreKey{}, fmt.Errorf("session: generating signed prekey: %w", err)
	}
	var spk SignedPreKey
	err = m.store.Update(ctx, func(tx keystore.Tx) error {
		ident, err := m.loadIdentity(tx)
		if err != nil {
			return err
		}
		pub := k.PublicKey()
		sig, err := ident.priv.Sign(m.rand, pub.Bytes())
		if err != nil {
			return fmt.Errorf("session: signing prekey: %w", err)
		}
		spk = SignedPreKey{ID: id, PublicKey: pub, Signature: sig, Created: now}
		rec, err := proto.Marshal(&pb.SignedPreKeyRecord{
			Version: preKeyRecordVersion, Id: id, PublicKey: pub.Bytes(), PrivateKey: k.Bytes(),
			Signature: sig, Timestamp: now.UnixMilli(),
		})
		if err != nil {
			return fmt.Errorf("session: internal error: %w", err)
		}
		return tx.SetSignedPreKey(id, rec)
	})
	return spk, err
}

// RemovePreKey deletes a one-time prekey.
func (m *Manager) RemovePreKey(ctx context.Context, id uint32) error {
	return m.store.Update(ctx, func(tx keystore.Tx) error { return tx.DeletePreKey(id) })
}

// RemoveSignedPreKey deletes a signed prekey, with the marks kept of the
// session starts it answered with a last-resort KEM prekey (see
// [DeleteSignedPreKey]).
func (m *Manager) RemoveSignedPreKey(ctx context.Context, id uint32) error {
	return m.store.Update(ctx, func(tx keystore.Tx) error { return DeleteSignedPreKey(tx, id) })
}

// DeleteSignedPreKey deletes signed prekey id in tx, for callers that
// rotate prekeys inside their own transaction. It also deletes the marks
// a last-resort KEM prekey keeps of the session starts (signed prekey,
// base key) it answered with this signed prekey: once the signed prekey is
// gone such a start can no longer be replayed, so the marks, one per
// session started, live only as long as the signed prekey. Deleting a
// missing signed prekey is not an error.
func DeleteSignedPreKey(tx keystore.Tx, id uint32) error {
	if err := tx.DeleteSignedPreKey(id); err != nil {
		return fmt.Errorf("session: deleting signed prekey %d: %w", id, err)
	}
	return deleteKEMMarks(tx, kemUsedPrefix+strconv.FormatUint(uint64(id), 10)+"/", nil)
}

// PreKeyIDs returns the ids of the one-time prekeys still stored.
func (m *Manager) PreKeyIDs(ctx context.Context) ([]uint32, error) {
	var ids []uint32
	err := m.store.Update(ctx, func(tx keystore.Tx) error {
		var err error
		ids, err = tx.PreKeyIDs()
		return err
	})
	return ids, err
}

// SignedPreKeys returns the public halves of all stored signed prekeys.
func (m *Manager) SignedPreKeys(ctx context.Context) ([]SignedPreKey, error) {
	var out []SignedPreKey
	err := m.store.Update(ctx, func(tx keystore.Tx) error {
		ids, err := tx.SignedPreKeyIDs()
		if err != nil {
			return err
		}
		for _, id := range ids {
			p, _, err := loadSignedPreKey(tx, id)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// Bundle assembles the local prekey bundle for deviceID from the stored
// signed prekey signedID and, if withPreKey, the one-time prekey preKeyID.
func (m *Manager) Bundle(ctx context.Context, deviceID, signedID uint32, withPreKey bool, preKeyID uint32) (*x3dh.Bundle, error) {
	var b *x3dh.Bundle
	err := m.store.Update(ctx, func(tx keystore.Tx) error {
		ident, err := m.loadIdentity(tx)
		if err != nil {
			return err
		}
		spk, _, err := loadSignedPreKey(tx, signedID)
		if err != nil {
			return err
		}
		b = &x3dh.Bundle{
			RegistrationID: ident.regID, DeviceID: deviceID, IdentityKey: ident.pub,
			SignedPreKeyID: signedID, SignedPreKey: spk.PublicKey, SignedPreKeySignature: spk.Signature,
		}
		if withPreKey {
			pk, err := loadPreKey(tx, preKeyID)
			if err != nil {
				return err
			}
			b.HasPreKey, b.PreKeyID, b.PreKey = true, preKeyID, pk.PublicKey()
		}
		return nil
	})
	return b, err
}

func loadPreKey(tx keystore.Tx, id uint32) (*curve.PrivateKey, error) {
	raw, err := tx.PreKey(id)
	if errors.Is(err, keystore.ErrNotFound) {
		return nil, fmt.Errorf("%w: one-time prekey %d", ErrInvalidPreKeyID, id)
	} else if err != nil {
		return nil, fmt.Errorf("session: loading prekey %d: %w", id, err)
	}
	var p pb.PreKeyRecord
	if err := proto.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("%w: prekey %d", ErrCorruptRecord, id)
	}
	if p.Version != preKeyRecordVersion {
		return nil, fmt.Errorf("%w: prekey record version %d", ErrUnsupportedVersion, p.Version)
	}
	k, err := curve.NewPrivateKey(p.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("%w: prekey %d", ErrCorruptRecord, id)
	}
	return k, nil
}

func loadSignedPreKey(tx keystore.Tx, id uint32) (SignedPreKey, []byte, error) {
	raw, err := tx.SignedPreKey(id)
	if errors.Is(err, keystore.ErrNotFound) {
		return SignedPreKey{}, nil, fmt.Errorf("%w: signed prekey %d", ErrInvalidPreKeyID, id)
	} else if err != nil {
		return SignedPreKey{}, nil, fmt.Errorf("session: loading signed prekey %d: %w", id, err)
	}
	var p pb.SignedPreKeyRecord
	if err := proto.Unmarshal(raw, &p); err != nil {
		return SignedPreKey{}, nil, fmt.Errorf("%w: signed prekey %d", ErrCorruptRecord, id)
	}
	if p.Version != preKeyRecordVersion {
		return SignedPreKey{}, nil, fmt.Errorf("%w: signed prekey record version %d", ErrUnsupportedVersion, p.Version)
	}
	pub, err := curve.NewPublicKey(p.PublicKey)
	if err != nil || len(p.PrivateKey) != curve.PrivateKeySize {
		return SignedPreKey{}, nil, fmt.Errorf("%w: signed prekey %d", ErrCorruptRecord, id)
	}
	return SignedPreKey{ID: id, PublicKey: pub, Signature: p.Signature, Created: time.UnixMilli(p.Timestamp)}, p.PrivateKey, nil
}

// signedPreKeyPrivate returns the parsed private half of a signed prekey.
// Signed prekeys answer many sessions and parsing costs a scalar
// multiplication, so the parsed key is cached, keyed by the stored bytes.
func (m *Manager) signedPreKeyPrivate(tx keystore.Tx, id uint32) (*curve.PrivateKey, error) {
	_, raw, err := loadSignedPreKey(tx, id)
	if err != nil {
		return nil, err
	}
	defer clear(raw)
	m.mu.Lock()
	c := m.signedPreKey
	m.mu.Unlock()
	if c != nil && c.id == id && subtle.ConstantTimeCompare(c.raw, raw) == 1 {
		return c.key, nil
	}
	k, err := curve.NewPrivateKey(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: signed prekey %d", ErrCorruptRecord, id)
	}
	m.mu.Lock()
	m.signedPreKey = &cachedKey{id: id, raw: append([]byte(nil), raw...), key: k}
	m.mu.Unlock()
	return k, nil
}

// cachedKey is a parsed private key and the stored bytes it came from.
type cachedKey struct {
	id  uint32
	raw []byte
	key *curve.PrivateKey
}
