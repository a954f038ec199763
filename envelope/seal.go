// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/crossseal/crossseal/keystore"
)

// Seal encrypts content for every device of the account to: each device
// listed by the directory and each device the client already has a session
// with (when to is the client's own account, its other devices). It starts
// sessions as needed from bundles fetched from the directory, and returns
// one envelope per device, in device order; they all carry the same
// message id.
//
// Seal fills content.ID if it is zero, content.SentAt if it is zero, and
// sets content.OriginApp to the client's app; it then pads the encoded
// content (see [PaddingBlockSize]) and encrypts it with the Double Ratchet.
// Every envelope is encrypted: there is no way to seal plaintext.
//
// It uses the strongest profile this build implements (v3), even when a
// device advertises v4; that device's policy decides whether to accept it.
// On error no envelope is returned (sessions may have advanced, which
// costs nothing). Errors match [ErrNoDevices], [ErrTooLarge],
// [ErrMalformed] (an invalid content), [ErrInvalidBundle],
// [ErrUntrustedIdentity] (a device's identity key changed), or are the
// directory's or store's.
func (c *Client) Seal(ctx context.Context, to Account, content *Content) ([]*Envelope, error) {
	if err := to.Validate(); err != nil {
		return nil, err
	}
	padded, err := c.prepare(content)
	if err != nil {
		return nil, err
	}
	defer clear(padded)
	devices, err := c.dir.Devices(ctx, to)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("envelope: listing devices of %s: %w", to, err)
	}
	known, err := c.m.Devices(ctx, to.String())
	if err != nil {
		return nil, err
	}
	devices = append(devices, known...)
	slices.Sort(devices)
	devices = slices.Compact(devices)
	if to == c.self.Account() {
		devices = slices.DeleteFunc(devices, func(d uint32) bool { return d == c.self.Device })
	}
	if len(devices) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrNoDevices, to)
	}
	envs := make([]*Envelope, 0, len(devices))
	for _, d := range devices {
		env, err := c.seal(ctx, to.Device(d), padded)
		if err != nil {
			return nil, err
		}
		envs = append(envs, env)
	}
	return envs, nil
}

// SealToDevice is [Client.Seal] for one device only.
func (c *Client) SealToDevice(ctx context.Context, to Address, content *Content) (*Envelope, error) {
	if err := to.Validate(); err != nil {
		return nil, err
	}
	if to == c.self {
		return nil, fmt.Errorf("envelope: cannot seal to own device %s", to)
	}
	padded, err := c.prepare(content)
	if err != nil {
		return nil, err
	}
	defer clear(padded)
	return c.seal(ctx, to, padded)
}

// prepare fills content's id, time and origin app, encodes it with the
// sender bound inside, and pads it.
func (c *Client) prepare(content *Content) ([]byte, error) {
	if content == nil {
		return nil, &ParseError{"content", "nil"}
	}
	if content.ID.IsZero() {
		content.ID = newMessageID()
	}
	if content.SentAt.IsZero() {
		content.SentAt = time.Now()
	}
	content.OriginApp = c.self.App
	b, err := marshalContent(content, c.self)
	if err != nil {
		return nil, err
	}
	defer clear(b)
	return pad(b), nil
}

// seal encrypts one padded content for one device, first starting a
// session from the device's bundle if there is none.
func (c *Client) seal(ctx context.Context, to Address, padded []byte) (*Envelope, error) {
	ka := to.KeystoreAddress()
	has, err := c.m.HasSession(ctx, ka)
	if err != nil {
		return nil, err
	}
	if !has {
		if err := c.startSession(ctx, to); err != nil {
			return nil, fmt.Errorf("envelope: starting session with %s: %w", to, err)
		}
	}
	ct, err := c.m.Encrypt(ctx, ka, padded)
	if err != nil {
		return nil, fmt.Errorf("envelope: sealing for %s: %w", to, err)
	}
	return &Envelope{Version: FormatVersion, Sender: c.self, Recipient: to, Type: MessageType(ct.Type), Body: ct.Body}, nil
}

// startSession fetches to's bundle, records the profile it advertises,
// and runs X3DH with it.
func (c *Client) startSession(ctx context.Context, to Address) error {
	b, err := c.dir.FetchBundle(ctx, to)
	if err != nil {
		return err
	}
	if b == nil || b.Address != to || b.Keys.DeviceID != to.Device || !b.Profile.known() {
		return fmt.Errorf("%w: bundle does not match %s or has an unknown profile", ErrInvalidBundle, to)
	}
	if b.Profile < c.cfg.minProfile {
		return &ProfileError{Sender: to, Got: b.Profile, Min: c.cfg.minProfile}
	}
	// Verify before recording anything: a bundle with a bad signature must
	// not raise the profile (ProcessBundle verifies again).
	if err := b.Keys.Verify(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidBundle, err)
	}
	if b.Profile >= ProfileV4 {
		if b.Keys.KEMPreKey == nil {
			return fmt.Errorf("%w: %s bundle without a KEM prekey", ErrInvalidBundle, b.Profile)
		}
		if err := b.Keys.KEMPreKey.Verify(b.Keys.IdentityKey); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidBundle, err)
		}
	} else {
		// A v3 session with a device that advertises only v3.
		b.Keys.KEMPreKey = nil
	}
	err = c.store.Update(ctx, func(tx keystore.Tx) error { return raisePeerProfile(tx, to, b.Profile) })
	if err != nil {
		return err
	}
	return c.m.ProcessBundle(ctx, to.KeystoreAddress(), &b.Keys)
}
