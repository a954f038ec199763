// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package session

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/kem"
	"github.com/crossseal/crossseal/internal/pb"
	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/x3dh"
	"google.golang.org/protobuf/proto"
)

// KEM prekeys live in the keystore's opaque values under these keys.
const (
	kemPreKeyPrefix = "session/kem-prekey/"
	kemUsedPrefix   = "session/kem-used/"
)

// KEMType is the type of a KEM prekey: [Kyber1024] (what libsignal
// accepts) or [MLKEM1024].
type KEMType = kem.Type

// KEM prekey types.
const (
	Kyber1024 = kem.Kyber1024
	MLKEM1024 = kem.MLKEM1024
)

// GenerateKEMPreKey generates a signed KEM prekey of type t with this id
// and stores its private half, replacing any KEM prekey with the same id.
// A last-resort key is kept after use (and the base keys it answered are
// remembered, so a replayed session start is refused); a one-time key is
// deleted when a session is started with it.
func (m *Manager) GenerateKEMPreKey(ctx context.Context, id uint32, t KEMType, lastResort bool, now time.Time) (x3dh.KEMPreKey, error) {
	var out x3dh.KEMPreKey
	err := m.store.Update(ctx, func(tx keystore.Tx) error {
		ident, err := m.loadIdentity(tx)
		if err != nil {
			return err
		}
		pub, priv, err := x3dh.GenerateKEMPreKey(ident.priv, id, t, m.rand)
		if err != nil {
			return err
		}
		rec, err := proto.Marshal(&pb.KEMPreKeyRecord{
			Version: preKeyRecordVersion, Id: id, PublicKey: pub.PublicKey.Bytes(), PrivateKey: priv.Bytes(),
			Signature: pub.Signature, LastResort: lastResort, Timestamp: now.UnixMilli(),
		})
		if err != nil {
			return fmt.Errorf("session: internal error: %w", err)
		}
		defer clear(rec)
		if err := tx.SetValue(kemPreKeyKey(id), rec); err != nil {
			return fmt.Errorf("session: storing KEM prekey %d: %w", id, err)
		}
		out = pub
		return nil
	})
	return out, err
}

// RemoveKEMPreKey deletes a KEM prekey; a missing one is not an error.
func (m *Manager) RemoveKEMPreKey(ctx context.Context, id uint32) error {
	return m.store.Update(ctx, func(tx keystore.Tx) error { return tx.SetValue(kemPreKeyKey(id), nil) })
}

// AddKEMPreKey puts the stored KEM prekey id into b, making it a PQXDH
// bundle: sessions started from it are v4 sessions.
func (m *Manager) AddKEMPreKey(ctx context.Context, b *x3dh.Bundle, id uint32) error {
	return m.store.Update(ctx, func(tx keystore.Tx) error {
		rec, err := loadKEMPreKey(tx, id)
		if err != nil {
			return err
		}
		pub, err := kem.ParsePublicKey(rec.PublicKey)
		if err != nil {
			return fmt.Errorf("%w: KEM prekey %d", ErrCorruptRecord, id)
		}
		b.KEMPreKey = &x3dh.KEMPreKey{ID: id, PublicKey: pub, Signature: rec.Signature}
		return nil
	})
}

func kemPreKeyKey(id uint32) string { return kemPreKeyPrefix + strconv.FormatUint(uint64(id), 10) }

func loadKEMPreKey(tx keystore.Tx, id uint32) (*pb.KEMPreKeyRecord, error) {
	raw, err := tx.Value(kemPreKeyKey(id))
	if errors.Is(err, keystore.ErrNotFound) {
		return nil, fmt.Errorf("%w: KEM prekey %d", ErrInvalidPreKeyID, id)
	} else if err != nil {
		return nil, fmt.Errorf("session: loading KEM prekey %d: %w", id, err)
	}
	defer clear(raw)
	var p pb.KEMPreKeyRecord
	if err := proto.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("%w: KEM prekey %d", ErrCorruptRecord, id)
	}
	if p.Version != preKeyRecordVersion {
		return nil, fmt.Errorf("%w: KEM prekey record version %d", ErrUnsupportedVersion, p.Version)
	}
	return &p, nil
}

// useKEMPreKey returns the private half of KEM prekey id for a session
// starting with base key base and signed prekey spkID, and records the use:
// a one-time key is deleted, a last-resort key remembers the pair so that
// the same session start cannot be replayed (libsignal
// mark_kyber_pre_key_used). The writes commit with the decryption.
func useKEMPreKey(tx keystore.Tx, id, spkID uint32, base curve.PublicKey) (*kem.PrivateKey, error) {
	rec, err := loadKEMPreKey(tx, id)
	if err != nil {
		return nil, err
	}
	priv, err := kem.ParsePrivateKey(rec.PrivateKey)
	clear(rec.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("%w: KEM prekey %d", ErrCorruptRecord, id)
	}
	if !rec.LastResort {
		if err := tx.SetValue(kemPreKeyKey(id), nil); err != nil {
			return nil, fmt.Errorf("session: removing KEM prekey %d: %w", id, err)
		}
		return priv, nil
	}
	h := sha256.New()
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], spkID)
	h.Write(b[:])
	h.Write(base.Bytes())
	key := kemUsedPrefix + strconv.FormatUint(uint64(id), 10) + "/" + hex.EncodeToString(h.Sum(nil))
	if _, err := tx.Value(key); err == nil {
		return nil, fmt.Errorf("%w: KEM prekey %d", ErrReusedBaseKey, id)
	} else if !errors.Is(err, keystore.ErrNotFound) {
		return nil, fmt.Errorf("session: checking KEM prekey use: %w", err)
	}
	if err := tx.SetValue(key, []byte{1}); err != nil {
		return nil, fmt.Errorf("session: recording KEM prekey use: %w", err)
	}
	return priv, nil
}
