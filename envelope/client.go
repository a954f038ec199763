// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/pb"
	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/session"
	"github.com/crossseal/crossseal/x3dh"
)

// Client is one account on one app: the only type an app needs. It seals
// contents into envelopes, opens envelopes, and keeps its prekeys
// published. It is safe for concurrent use; several Clients (one per
// account) may share an identity key, never a store.
type Client struct {
	self     Address
	store    keystore.Store
	m        *session.Manager
	dir      Directory
	cfg      config
	identity x3dh.PublicKey
	regID    uint32

	preKeyMu sync.Mutex // serializes prekey maintenance
}

type config struct {
	identity    *IdentityKey
	minProfile  Profile
	preKeys     int
	rotateEvery time.Duration
}

// Option configures [NewClient].
type Option func(*config)

// WithIdentityKey makes the account use k as its identity key instead of
// generating one, so that one identity serves several accounts (on several
// apps); safety numbers then match across those apps. If the store already
// holds a different identity, NewClient fails with [ErrAccountMismatch].
func WithIdentityKey(k *IdentityKey) Option { return func(c *config) { c.identity = k } }

// WithMinProfile sets the weakest profile the client accepts (default
// [ProfileV3]); weaker envelopes fail with [ErrPolicy], and so does sealing
// to a device whose bundle is weaker. [ProfileV4] requires post-quantum
// sessions (PQXDH + SPQR) with every peer.
func WithMinProfile(p Profile) Option { return func(c *config) { c.minProfile = p } }

// WithPreKeyCount sets how many one-time prekeys [Client.PublishBundle]
// generates (default [DefaultPreKeyCount], at most
// session.MaxPreKeysPerCall).
func WithPreKeyCount(n int) Option { return func(c *config) { c.preKeys = n } }

// WithSignedPreKeyRotation sets how old the signed prekey must be before
// [Client.RotateSignedPreKey] replaces it (default 7 days, as Signal).
func WithSignedPreKeyRotation(d time.Duration) Option { return func(c *config) { c.rotateEvery = d } }

// NewClient opens the account self on store, creating it if the store is
// empty: it generates an identity key (or imports the one given with
// [WithIdentityKey]) and a registration id. A store holds exactly one
// account: opening it for another address fails with [ErrAccountMismatch].
// Call [Client.PublishBundle] once after creating an account. dir is how
// the client reaches the prekey directory.
func NewClient(ctx context.Context, store keystore.Store, self Address, dir Directory, opts ...Option) (*Client, error) {
	cfg := config{minProfile: ProfileV3, preKeys: DefaultPreKeyCount, rotateEvery: 7 * 24 * time.Hour}
	for _, o := range opts {
		o(&cfg)
	}
	switch {
	case !cfg.minProfile.known():
		return nil, fmt.Errorf("envelope: unknown minimum profile %s", cfg.minProfile)
	case !cfg.minProfile.implemented():
		return nil, fmt.Errorf("%w: %s required", ErrProfileUnavailable, cfg.minProfile)
	case cfg.preKeys < 1 || cfg.preKeys > session.MaxPreKeysPerCall:
		return nil, fmt.Errorf("envelope: prekey count %d out of range", cfg.preKeys)
	case cfg.rotateEvery <= 0:
		return nil, errors.New("envelope: signed prekey rotation interval must be positive")
	case store == nil || dir == nil:
		return nil, errors.New("envelope: nil store or directory")
	}
	if err := self.Validate(); err != nil {
		return nil, err
	}
	c := &Client{self: self, store: store, m: session.New(store), dir: dir, cfg: cfg}
	if err := c.openIdentity(ctx); err != nil {
		return nil, err
	}
	err := store.Update(ctx, func(tx keystore.Tx) error {
		var rec pb.EnvelopeAccountRecord
		found, err := loadRecord(tx, accountKey, &rec)
		if err != nil {
			return err
		}
		if found {
			if rec.Address != self.String() {
				return fmt.Errorf("%w: store is for %q", ErrAccountMismatch, rec.Address)
			}
			return nil
		}
		return storeRecord(tx, accountKey, &pb.EnvelopeAccountRecord{
			Version: recordVersion, Address: self.String(),
			NextPreKeyId: randomPreKeyID(), NextSignedPreKeyId: randomPreKeyID(),
		})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Client) openIdentity(ctx context.Context) error {
	pub, regID, err := c.m.LocalIdentity(ctx)
	if errors.Is(err, session.ErrNoIdentity) {
		regID = randomRegistrationID()
		if k := c.cfg.identity; k != nil {
			err = c.m.ImportIdentity(ctx, k.priv.Bytes(), regID, false)
		} else {
			err = c.m.CreateIdentity(ctx, regID)
		}
		if err != nil {
			return err
		}
		pub, regID, err = c.m.LocalIdentity(ctx)
	}
	if err != nil {
		return err
	}
	if k := c.cfg.identity; k != nil && !k.PublicKey().Equal(pub) {
		return fmt.Errorf("%w: store holds another identity key", ErrAccountMismatch)
	}
	c.identity, c.regID = pub, regID
	return nil
}

// randomRegistrationID returns a registration id in 1..16380, Signal's
// range.
func randomRegistrationID() uint32 { return randomUint32()%16380 + 1 }

// randomPreKeyID returns a prekey id in 1..maxPreKeyID; Signal's clients
// start their id sequences at random points.
func randomPreKeyID() uint32 { return randomUint32()%maxPreKeyID + 1 }

func randomUint32() uint32 {
	var b [4]byte
	rand.Read(b[:]) // crypto/rand.Read never fails
	return binary.BigEndian.Uint32(b[:])
}

// Address returns the client's own address.
func (c *Client) Address() Address { return c.self }

// IdentityKey returns the client's identity public key.
func (c *Client) IdentityKey() x3dh.PublicKey { return c.identity }

// String prints the client's address only.
func (c *Client) String() string { return "envelope.Client(" + c.self.String() + ")" }

// PeerIdentity returns the identity key trusted for peer (learned from its
// bundle or its first message), or an error matching session.ErrNoSession
// if none is known.
func (c *Client) PeerIdentity(ctx context.Context, peer Address) (x3dh.PublicKey, error) {
	return c.m.RemoteIdentity(ctx, peer.KeystoreAddress())
}

// TrustIdentity accepts key as peer's identity, replacing the one stored.
// Call it after [ErrUntrustedIdentity], once the user accepted the change
// (typically after comparing safety numbers).
func (c *Client) TrustIdentity(ctx context.Context, peer Address, key x3dh.PublicKey) error {
	if err := peer.Validate(); err != nil {
		return err
	}
	return c.m.TrustIdentity(ctx, peer.KeystoreAddress(), key)
}

// IdentityKey is an identity private key. It is secret: String, GoString
// and Format print only the public key.
type IdentityKey struct{ priv *curve.PrivateKey }

// GenerateIdentityKey returns a new random identity key.
func GenerateIdentityKey() (*IdentityKey, error) {
	k, err := curve.GeneratePrivateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("envelope: generating identity key: %w", err)
	}
	return &IdentityKey{k}, nil
}

// NewIdentityKey parses a 32-byte identity private key.
func NewIdentityKey(b []byte) (*IdentityKey, error) {
	k, err := curve.NewPrivateKey(b)
	if err != nil {
		return nil, fmt.Errorf("envelope: identity key: %w", err)
	}
	return &IdentityKey{k}, nil
}

// Bytes returns a copy of the 32-byte private key, which must be kept
// secret.
func (k *IdentityKey) Bytes() []byte { return k.priv.Bytes() }

// PublicKey returns the public identity key.
func (k *IdentityKey) PublicKey() x3dh.PublicKey { return k.priv.PublicKey() }

// String prints the public key only.
func (k *IdentityKey) String() string { return "envelope.IdentityKey(" + k.PublicKey().String() + ")" }

// GoString prints the public key only.
func (k *IdentityKey) GoString() string { return k.String() }

// Format prints the public key only, for every verb.
func (k *IdentityKey) Format(f fmt.State, _ rune) { fmt.Fprint(f, k.String()) }
