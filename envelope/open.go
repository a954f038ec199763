// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"

	"github.com/crossseal/crossseal/internal/pb"
	"github.com/crossseal/crossseal/internal/wire"
	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/session"
)

// Received is a message [Client.Open] delivers.
type Received struct {
	// Sender is the device that sent the message. It was checked against
	// the sender bound inside the encrypted content.
	Sender Address
	// Profile is the profile the message used.
	Profile Profile
	// Content is the decrypted message; it belongs to the callback.
	Content *Content
	// NewSession reports that this is the first message delivered from a
	// session the sender just started: first contact, a reinstall or a
	// session reset. Apps may show it (and, if the identity key changed,
	// [ErrUntrustedIdentity] was returned instead).
	NewSession bool
}

// Open decrypts env and calls fn with the message, inside the store
// transaction that advances the session: the new session state commits
// only if fn returns nil. That gives exactly-once delivery:
//
//  1. in fn, store the message durably;
//  2. after Open returns nil, acknowledge the envelope to the server;
//  3. if Open returns [ErrDuplicate], the message was already delivered
//     (the server redelivered it after a crash, or a relay duplicated it):
//     acknowledge it too, and do not show it again.
//
// If fn fails, nothing is committed and Open returns fn's error as is; the
// envelope can be opened again later. If the app's message store is not
// the keystore's database, a crash between the app's write and the
// keystore's commit can hand the app the same message again: key the
// app's store by [Content].ID and skip ids it already has. A duplicate that
// arrives after its session moved on by more than ratchet.MaxReceiverChains
// turns fails with [ErrInvalidMessage] rather than [ErrDuplicate]; it is not
// delivered twice either.
//
// Open checks, before any decryption, that fn is not nil, that env is valid
// (known version, PreKey or Whisper type: [ErrUnsupportedVersion],
// [ErrUnsupportedType]), is addressed to this client ([ErrWrongRecipient]),
// meets the minimum profile ([ErrPolicy]) and is not weaker than what the
// sender's bundle advertised ([ErrDowngrade]); v4 envelopes fail with
// [ErrProfileUnavailable]. After decryption it checks the padding
// ([ErrBadPadding]), the content ([ErrMalformed]) and that the sender bound
// inside the content is env.Sender ([ErrSenderMismatch]). Authentication
// failures match [ErrInvalidMessage]; a changed identity key matches
// [ErrUntrustedIdentity]. Whatever the error, no stored state changes.
//
// After a message with NewSession set, the app should top up its prekeys
// with [Client.RefillPreKeys].
func (c *Client) Open(ctx context.Context, env *Envelope, fn func(Received) error) error {
	if fn == nil {
		return errors.New("envelope: Open needs a callback to deliver the message to")
	}
	if env == nil {
		return &ParseError{"envelope", "nil"}
	}
	if err := env.Validate(); err != nil {
		return err
	}
	if env.Recipient != c.self {
		return &RecipientError{Got: env.Recipient, Want: c.self}
	}
	sender, p := env.Sender, env.Profile()
	if sender == c.self {
		return &ParseError{"envelope", "sender is the recipient"}
	}
	if p < c.cfg.minProfile {
		return &ProfileError{Sender: sender, Got: p, Min: c.cfg.minProfile}
	}
	var peer pb.EnvelopePeerRecord
	err := c.store.Update(ctx, func(tx keystore.Tx) error {
		_, err := loadRecord(tx, peerKey(sender), &peer)
		return err
	})
	if err != nil {
		return err
	}
	if adv := Profile(peer.HighestProfile); adv > p {
		return &DowngradeError{Sender: sender, Got: p, Advertised: adv}
	}
	if !p.implemented() {
		return fmt.Errorf("%w: %s envelope from %s", ErrProfileUnavailable, p, sender)
	}
	var cbErr error // an error of the callback below: already in context
	err = c.m.DecryptTx(ctx, sender.KeystoreAddress(), session.Ciphertext{Type: int(env.Type), Body: env.Body}, func(tx keystore.Tx, pt []byte) error {
		cbErr = c.deliver(tx, env, pt, fn)
		return cbErr
	})
	if err != nil && err != cbErr && !errors.Is(err, ErrDuplicate) {
		return fmt.Errorf("envelope: opening %s from %s: %w", env.Type, sender, err)
	}
	return err
}

// deliver runs inside the decrypting transaction tx: it unpads and parses
// the plaintext, checks the bound sender, records the session's base key
// and calls fn.
func (c *Client) deliver(tx keystore.Tx, env *Envelope, pt []byte, fn func(Received) error) error {
	b, err := unpad(pt)
	if err != nil {
		return fmt.Errorf("%w in %s from %s", err, env.Type, env.Sender)
	}
	content, bound, err := parseContent(b)
	if err != nil {
		return err
	}
	if bound != env.Sender {
		return fmt.Errorf("%w: envelope from %s, content from %s", ErrSenderMismatch, env.Sender, bound)
	}
	var baseKey []byte
	if env.Type == TypePreKey {
		m, err := wire.ParsePreKeySignalMessage(env.Body) // parsed by session already
		if err != nil {
			return fmt.Errorf("envelope: internal error: %w", err)
		}
		baseKey = m.BaseKey.Bytes()
	}
	newSession, err := noteBaseKey(tx, env.Sender, baseKey)
	if err != nil {
		return err
	}
	return fn(Received{Sender: env.Sender, Profile: env.Profile(), Content: content, NewSession: newSession})
}

// noteBaseKey records, in the decrypting transaction, the base key of a
// PreKey message, and reports whether it differs from the last one seen
// from sender (a new session). baseKey is nil for Whisper messages.
func noteBaseKey(tx keystore.Tx, sender Address, baseKey []byte) (bool, error) {
	if baseKey == nil {
		return false, nil
	}
	if tx == nil {
		return false, errors.New("crossseal/envelope: internal error: no transaction in decrypt callback")
	}
	var rec pb.EnvelopePeerRecord
	if _, err := loadRecord(tx, peerKey(sender), &rec); err != nil {
		return false, err
	}
	if subtle.ConstantTimeCompare(rec.LastBaseKey, baseKey) == 1 {
		return false, nil
	}
	rec.Version, rec.LastBaseKey = recordVersion, baseKey
	return true, storeRecord(tx, peerKey(sender), &rec)
}

// OpenBytes parses an envelope with [Parse] and opens it with
// [Client.Open].
func (c *Client) OpenBytes(ctx context.Context, b []byte, fn func(Received) error) error {
	env, err := Parse(b)
	if err != nil {
		return err
	}
	return c.Open(ctx, env, fn)
}
