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
	"slices"
	"strconv"
	"strings"
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
		// A replaced key's marks say nothing about the new key.
		if err := deleteKEMMarksOf(tx, id); err != nil {
			return err
		}
		if err := tx.SetValue(kemPreKeyKey(id), rec); err != nil {
			return fmt.Errorf("session: storing KEM prekey %d: %w", id, err)
		}
		out = pub
		return nil
	})
	return out, err
}

// RemoveKEMPreKey deletes a KEM prekey and, for a last-resort one, the
// marks it keeps of the session starts it answered; a missing key is not an
// error.
func (m *Manager) RemoveKEMPreKey(ctx context.Context, id uint32) error {
	return m.store.Update(ctx, func(tx keystore.Tx) error { return DeleteKEMPreKey(tx, id) })
}

// DeleteKEMPreKey deletes KEM prekey id and its marks in tx, for callers
// that rotate prekeys inside their own transaction (see
// [Manager.RemoveKEMPreKey]).
func DeleteKEMPreKey(tx keystore.Tx, id uint32) error {
	if err := deleteKEMMarksOf(tx, id); err != nil {
		return err
	}
	if err := tx.SetValue(kemPreKeyKey(id), nil); err != nil {
		return fmt.Errorf("session: deleting KEM prekey %d: %w", id, err)
	}
	return nil
}

// KEMPreKeyIDs returns the ids of the KEM prekeys stored in tx, ascending.
func KEMPreKeyIDs(tx keystore.Tx) ([]uint32, error) {
	keys, err := tx.ValueKeys(kemPreKeyPrefix)
	if err != nil {
		return nil, fmt.Errorf("session: listing KEM prekeys: %w", err)
	}
	ids := make([]uint32, 0, len(keys))
	for _, k := range keys {
		id, err := strconv.ParseUint(strings.TrimPrefix(k, kemPreKeyPrefix), 10, 32)
		if err != nil || kemPreKeyKey(uint32(id)) != k {
			return nil, fmt.Errorf("%w: KEM prekey value %q", ErrCorruptRecord, k)
		}
		ids = append(ids, uint32(id))
	}
	slices.Sort(ids)
	return ids, nil
}

// A last-resort KEM prekey's marks are opaque values named
//
//	session/kem-used/<signed prekey id>/<KEM prekey id>/<hex SHA-256(signed prekey id ‖ base key)>
//
// so that deleting a signed prekey ([DeleteSignedPreKey]) deletes its
// marks with one prefix listing, and deleting a KEM prekey deletes its own.

// kemMarkKey returns the name of the mark of a session start.
func kemMarkKey(kemID, spkID uint32, base curve.PublicKey) string {
	h := sha256.New()
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], spkID)
	h.Write(b[:])
	h.Write(base.Bytes())
	return kemUsedPrefix + strconv.FormatUint(uint64(spkID), 10) + "/" +
		strconv.FormatUint(uint64(kemID), 10) + "/" + hex.EncodeToString(h.Sum(nil))
}

// deleteKEMMarksOf deletes every mark of KEM prekey kemID.
func deleteKEMMarksOf(tx keystore.Tx, kemID uint32) error {
	id := strconv.FormatUint(uint64(kemID), 10)
	return deleteKEMMarks(tx, kemUsedPrefix, func(key string) bool {
		// key is <prefix><spk id>/<kem id>/<hash>
		rest := strings.TrimPrefix(key, kemUsedPrefix)
		parts := strings.Split(rest, "/")
		return len(parts) == 3 && parts[1] == id
	})
}

// deleteKEMMarks deletes the marks whose names start with prefix and, if
// match is not nil, satisfy match.
func deleteKEMMarks(tx keystore.Tx, prefix string, match func(key string) bool) error {
	keys, err := tx.ValueKeys(prefix)
	if err != nil {
		return fmt.Errorf("session: listing KEM prekey marks: %w", err)
	}
	for _, k := range keys {
		if match != nil && !match(k) {
			continue
		}
		if err := tx.SetValue(k, nil); err != nil {
			return fmt.Errorf("session: deleting KEM prekey mark: %w", err)
		}
	}
	return nil
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
	key := kemMarkKey(id, spkID, base)
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
