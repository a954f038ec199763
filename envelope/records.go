// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
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
