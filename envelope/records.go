// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"context"
	"errors"
	"fmt"

	"github.com/crossseal/crossseal/internal/pb"
	"github.com/crossseal/crossseal/keystore"
	"google.golang.org/protobuf/proto"
)

// Package envelope keeps two kinds of records in the keystore's opaque
// values (keystore.Tx.Value), both versioned protobufs:
//
//   - the account record (accountKey): the address the store belongs to,
//     the next prekey ids and the current signed prekey;
//   - one peer record per remote device (peerKey): the strongest profile
//     its bundles advertised and the base key of the last session it
//     started.
const (
	recordVersion = 1
	accountKey    = "crossseal/envelope/account"
	peerKeyPrefix = "crossseal/envelope/peer/"
)

func peerKey(a Address) string { return peerKeyPrefix + a.String() }

// loadRecord reads the value under key into m; found is false if absent.
func loadRecord(tx keystore.Tx, key string, m interface {
	proto.Message
	GetVersion() uint32
}) (found bool, err error) {
	raw, err := tx.Value(key)
	if errors.Is(err, keystore.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("envelope: loading %s: %w", key, err)
	}
	if err := proto.Unmarshal(raw, m); err != nil {
		return false, &ParseError{"record", key}
	}
	if v := m.GetVersion(); v != recordVersion {
		return false, &VersionError{"record", v}
	}
	return true, nil
}

func storeRecord(tx keystore.Tx, key string, m proto.Message) error {
	raw, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		return fmt.Errorf("envelope: internal error: %w", err)
	}
	if err := tx.SetValue(key, raw); err != nil {
		return fmt.Errorf("envelope: storing %s: %w", key, err)
	}
	return nil
}

// raisePeerProfile records that a bundle of peer advertised p, keeping the
// strongest profile seen.
func raisePeerProfile(tx keystore.Tx, peer Address, p Profile) error {
	var rec pb.EnvelopePeerRecord
	if _, err := loadRecord(tx, peerKey(peer), &rec); err != nil {
		return err
	}
	if uint32(p) <= rec.HighestProfile {
		return nil
	}
	rec.Version, rec.HighestProfile = recordVersion, uint32(p)
	return storeRecord(tx, peerKey(peer), &rec)
}

// txStore wraps the client's store so that code running inside a
// session.Manager call can use that call's transaction. The Manager passes
// the caller's context to Store.Update; a context carrying a *txSlot gets
// the transaction recorded in the slot while Update's function runs. Open
// uses this to commit its own records together with the session state, in
// one transaction.
type txStore struct{ keystore.Store }

var _ keystore.Store = txStore{}

type txSlot struct{ tx keystore.Tx }

type txSlotKey struct{}

func withTxSlot(ctx context.Context) (context.Context, *txSlot) {
	s := new(txSlot)
	return context.WithValue(ctx, txSlotKey{}, s), s
}

// Update implements keystore.Store.
func (s txStore) Update(ctx context.Context, fn func(keystore.Tx) error) error {
	slot, _ := ctx.Value(txSlotKey{}).(*txSlot)
	if slot == nil {
		return s.Store.Update(ctx, fn)
	}
	return s.Store.Update(ctx, func(tx keystore.Tx) error {
		slot.tx = tx
		defer func() { slot.tx = nil }()
		return fn(tx)
	})
}
