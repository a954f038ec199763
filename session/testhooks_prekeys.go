// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package session

import (
	"context"

	"github.com/crossseal/crossseal/internal/testhooks"
	"github.com/crossseal/crossseal/keystore"
)

// The prekey record loaders, for the conformance vectors (testdata,
// kind prekey-record): they run the loaders session itself uses on a
// record stored in a fresh in-memory store.
func init() {
	testhooks.LoadPreKeyRecord = func(id uint32, raw []byte) (private, public []byte, err error) {
		store := keystore.NewMemory()
		err = store.Update(context.Background(), func(tx keystore.Tx) error {
			if err := tx.SetPreKey(id, raw); err != nil {
				return err
			}
			k, err := loadPreKey(tx, id)
			if err != nil {
				return err
			}
			private, public = k.Bytes(), k.PublicKey().Bytes()
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
		return private, public, nil
	}
	testhooks.LoadSignedPreKeyRecord = func(id uint32, raw []byte) (public, private, signature []byte, timestampMillis int64, err error) {
		store := keystore.NewMemory()
		err = store.Update(context.Background(), func(tx keystore.Tx) error {
			if err := tx.SetSignedPreKey(id, raw); err != nil {
				return err
			}
			spk, priv, err := loadSignedPreKey(tx, id)
			if err != nil {
				return err
			}
			public, private, signature, timestampMillis = spk.PublicKey.Bytes(), priv, spk.Signature, spk.Created.UnixMilli()
			return nil
		})
		if err != nil {
			return nil, nil, nil, 0, err
		}
		return public, private, signature, timestampMillis, nil
	}
}
