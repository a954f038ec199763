// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/crossseal/crossseal/internal/pb"
	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/session"
	"github.com/crossseal/crossseal/x3dh"
)

// PublishBundle publishes the device's bundle: it generates a signed
// prekey if there is none yet and [WithPreKeyCount] one-time prekeys
// (default 100), and uploads them with the identity key and profile to the
// directory. Call it once when the account is created; afterwards
// [Client.RefillPreKeys] and [Client.RotateSignedPreKey] keep the bundle
// fresh.
func (c *Client) PublishBundle(ctx context.Context) error {
	c.preKeyMu.Lock()
	defer c.preKeyMu.Unlock()
	spk, err := c.signedPreKey(ctx, time.Now())
	if err != nil {
		return err
	}
	pks, err := c.generatePreKeys(ctx, c.cfg.preKeys)
	if err != nil {
		return err
	}
	return c.publish(ctx, &spk, pks)
}

// RefillPreKeys tops up the directory: if fewer than minimum one-time prekeys
// remain there, it generates and uploads enough to reach target. It
// returns how many it uploaded. Apps call it after receiving messages
// that start sessions, or periodically.
func (c *Client) RefillPreKeys(ctx context.Context, minimum, target int) (int, error) {
	if minimum < 0 || target < minimum || target > session.MaxPreKeysPerCall {
		return 0, fmt.Errorf("envelope: refill bounds %d..%d out of range", minimum, target)
	}
	c.preKeyMu.Lock()
	defer c.preKeyMu.Unlock()
	have, err := c.dir.PreKeyCount(ctx, c.self)
	if errors.Is(err, ErrNotFound) {
		have = 0
	} else if err != nil {
		return 0, err
	}
	if have >= minimum {
		return 0, nil
	}
	spk, err := c.signedPreKey(ctx, time.Now())
	if err != nil {
		return 0, err
	}
	pks, err := c.generatePreKeys(ctx, target-have)
	if err != nil {
		return 0, err
	}
	return len(pks), c.publish(ctx, &spk, pks)
}

// RotateSignedPreKey replaces the signed prekey and the last-resort KEM
// prekey if they are older than the rotation interval
// ([WithSignedPreKeyRotation], default 7 days) at now: it generates and
// publishes new ones, keeps the ones they replace (for messages still in
// flight), and deletes every older one. It reports
// whether it rotated. Apps call it on a schedule, say daily.
func (c *Client) RotateSignedPreKey(ctx context.Context, now time.Time) (bool, error) {
	c.preKeyMu.Lock()
	defer c.preKeyMu.Unlock()
	rec, err := c.account(ctx)
	if err != nil {
		return false, err
	}
	if rec.SignedPreKeyId != 0 && now.Sub(time.UnixMilli(rec.SignedPreKeyCreatedMs)) < c.cfg.rotateEvery {
		return false, nil
	}
	old := rec.SignedPreKeyId
	id, err := c.reserveIDs(ctx, 1, true)
	if err != nil {
		return false, err
	}
	spk, err := c.m.GenerateSignedPreKey(ctx, id, now)
	if err != nil {
		return false, err
	}
	if err := c.publish(ctx, &spk, nil); err != nil {
		return false, err
	}
	err = c.store.Update(ctx, func(tx keystore.Tx) error {
		var rec pb.EnvelopeAccountRecord
		if _, err := loadRecord(tx, accountKey, &rec); err != nil {
			return err
		}
		rec.SignedPreKeyId, rec.SignedPreKeyCreatedMs = spk.ID, now.UnixMilli()
		if err := storeRecord(tx, accountKey, &rec); err != nil {
			return err
		}
		ids, err := tx.SignedPreKeyIDs()
		if err != nil {
			return err
		}
		for _, id := range ids {
			if id != spk.ID && id != old {
				if err := session.DeleteSignedPreKey(tx, id); err != nil {
					return err
				}
			}
		}
		// The last-resort KEM prekeys rotate with the signed prekeys (each
		// has its signed prekey's id): keep the new and the previous one.
		kemIDs, err := session.KEMPreKeyIDs(tx)
		if err != nil {
			return err
		}
		for _, id := range kemIDs {
			if id != spk.ID && id != old {
				if err := session.DeleteKEMPreKey(tx, id); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return err == nil, err
}

func (c *Client) publish(ctx context.Context, spk *SignedPreKey, pks []PreKey) error {
	kem, err := c.kemPreKey(ctx, spk.ID)
	if err != nil {
		return err
	}
	return c.dir.Publish(ctx, &Upload{
		Address: c.self, Profile: ProfileV4, RegistrationID: c.regID, IdentityKey: c.identity,
		SignedPreKey: spk, PreKeys: pks, KEMPreKey: kem,
	})
}

// kemPreKey returns the device's last-resort Kyber1024 KEM prekey for the
// signed prekey id, generating it the first time. Each signed prekey has
// its own last-resort KEM prekey, with the same id, so the two rotate
// together ([Client.RotateSignedPreKey]): the post-quantum half of a
// bundle is replaced as often as the elliptic-curve half, and the replay
// marks a last-resort key keeps go with it. Kyber1024 is the type libsignal
// accepts.
func (c *Client) kemPreKey(ctx context.Context, id uint32) (*x3dh.KEMPreKey, error) {
	var b x3dh.Bundle
	err := c.m.AddKEMPreKey(ctx, &b, id)
	if errors.Is(err, session.ErrInvalidPreKeyID) {
		k, err := c.m.GenerateKEMPreKey(ctx, id, session.Kyber1024, true, time.Now())
		if err != nil {
			return nil, err
		}
		return &k, nil
	}
	if err != nil {
		return nil, err
	}
	return b.KEMPreKey, nil
}

func (c *Client) account(ctx context.Context) (*pb.EnvelopeAccountRecord, error) {
	var rec pb.EnvelopeAccountRecord
	err := c.store.Update(ctx, func(tx keystore.Tx) error {
		found, err := loadRecord(tx, accountKey, &rec)
		if err == nil && !found {
			err = fmt.Errorf("envelope: account record missing")
		}
		return err
	})
	return &rec, err
}

// signedPreKey returns the current signed prekey, generating the first one
// if there is none.
func (c *Client) signedPreKey(ctx context.Context, now time.Time) (SignedPreKey, error) {
	rec, err := c.account(ctx)
	if err != nil {
		return SignedPreKey{}, err
	}
	if rec.SignedPreKeyId != 0 {
		all, err := c.m.SignedPreKeys(ctx)
		if err != nil {
			return SignedPreKey{}, err
		}
		for _, k := range all {
			if k.ID == rec.SignedPreKeyId {
				return k, nil
			}
		}
		// The record names a key the store lost: make a new one.
	}
	id, err := c.reserveIDs(ctx, 1, true)
	if err != nil {
		return SignedPreKey{}, err
	}
	spk, err := c.m.GenerateSignedPreKey(ctx, id, now)
	if err != nil {
		return SignedPreKey{}, err
	}
	err = c.store.Update(ctx, func(tx keystore.Tx) error {
		var rec pb.EnvelopeAccountRecord
		if _, err := loadRecord(tx, accountKey, &rec); err != nil {
			return err
		}
		rec.SignedPreKeyId, rec.SignedPreKeyCreatedMs = spk.ID, now.UnixMilli()
		return storeRecord(tx, accountKey, &rec)
	})
	return spk, err
}

// generatePreKeys generates n one-time prekeys under freshly reserved ids.
func (c *Client) generatePreKeys(ctx context.Context, n int) ([]PreKey, error) {
	start, err := c.reserveIDs(ctx, n, false)
	if err != nil {
		return nil, err
	}
	var out []PreKey
	for n > 0 {
		chunk := min(n, int(maxPreKeyID-start+1))
		pks, err := c.m.GeneratePreKeys(ctx, start, chunk)
		if err != nil {
			return nil, err
		}
		out = append(out, pks...)
		n -= chunk
		start = 1
	}
	return out, nil
}

// reserveIDs advances the account's next (signed or one-time) prekey id by
// n, wrapping within 1..maxPreKeyID, and returns the first reserved id.
// Ids are reserved before keys are generated, so a crash can waste ids but
// never reuse one.
func (c *Client) reserveIDs(ctx context.Context, n int, signed bool) (uint32, error) {
	var start uint32
	err := c.store.Update(ctx, func(tx keystore.Tx) error {
		var rec pb.EnvelopeAccountRecord
		if _, err := loadRecord(tx, accountKey, &rec); err != nil {
			return err
		}
		next := &rec.NextPreKeyId
		if signed {
			next = &rec.NextSignedPreKeyId
		}
		if *next < 1 || *next > maxPreKeyID {
			*next = 1
		}
		start = *next
		*next = uint32((uint64(start)-1+uint64(n))%maxPreKeyID) + 1
		return storeRecord(tx, accountKey, &rec)
	})
	return start, err
}
