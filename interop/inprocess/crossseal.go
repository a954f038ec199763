// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package inprocess

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/crossseal/crossseal/internal/kem"
	"github.com/crossseal/crossseal/interop/driver"
	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/session"
	"github.com/crossseal/crossseal/x3dh"
)

// CrosssealName is what [Crossseal.Implementation] returns.
const CrosssealName = "crossseal"

// opTimeout bounds one op, as `crossseal peer` bounds one request.
const opTimeout = 30 * time.Second

// Crossseal is a crossseal account as a [driver.Endpoint]: a
// [session.Manager] over an in-memory keystore. Its ops do what `crossseal
// peer --profile v3` does for the same requests (cmd/crossseal/peer.go):
// Init makes a new Manager with a new identity, one signed prekey and one
// one-time prekey, and every peer name is the address (name, 1).
type Crossseal struct {
	name    string
	profile string // "v3" or "v4"
	m       *session.Manager
	bundle  *x3dh.Bundle
}

var (
	_ driver.Endpoint            = (*Crossseal)(nil)
	_ driver.ImplementationNamer = (*Crossseal)(nil)
)

// NewCrossseal returns an endpoint named name with no account; the
// driver's first call is Init.
func NewCrossseal(name string) *Crossseal { return &Crossseal{name: name, profile: "v3"} }

// NewCrosssealV4 returns an endpoint that publishes v4 bundles (with a
// signed Kyber1024 last-resort KEM prekey), as `crossseal peer --profile
// v4` does, so that sessions started with it are v4 (PQXDH + SPQR).
func NewCrosssealV4(name string) *Crossseal { return &Crossseal{name: name, profile: "v4"} }

// Name returns the name given to NewCrossseal.
func (c *Crossseal) Name() string { return c.name }

// Implementation returns "crossseal".
func (c *Crossseal) Implementation() string { return CrosssealName }

// Manager returns the current account's Manager (nil before Init).
func (c *Crossseal) Manager() *session.Manager { return c.m }

// fail reports err, from op, as the implementation's error.
func (c *Crossseal) fail(op string, err error) error {
	return &driver.PeerError{Peer: c.name, Impl: CrosssealName, Op: op, Message: err.Error(), Err: err}
}

// errNotInitialized is what `crossseal peer` answers before init.
var errNotInitialized = errors.New("not initialized: send init first")

// Init replaces the account. A zero regID picks one in 1..16380.
func (c *Crossseal) Init(regID uint32) (*driver.Bundle, error) {
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	if regID == 0 {
		regID = randomUint32(16380) + 1
	}
	m := session.New(keystore.NewMemory())
	if err := m.CreateIdentity(ctx, regID); err != nil {
		return nil, c.fail("init", err)
	}
	spkID := randomUint32(1<<24) + 1
	if _, err := m.GenerateSignedPreKey(ctx, spkID, time.Now()); err != nil {
		return nil, c.fail("init", err)
	}
	pkID := randomUint32(1<<24) + 1
	if _, err := m.GeneratePreKeys(ctx, pkID, 1); err != nil {
		return nil, c.fail("init", err)
	}
	b, err := m.Bundle(ctx, 1, spkID, true, pkID)
	if err != nil {
		return nil, c.fail("init", err)
	}
	if c.profile == "v4" {
		kemID := randomUint32(1<<24) + 1
		if _, err := m.GenerateKEMPreKey(ctx, kemID, session.Kyber1024, true, time.Now()); err != nil {
			return nil, c.fail("init", err)
		}
		if err := m.AddKEMPreKey(ctx, b, kemID); err != nil {
			return nil, c.fail("init", err)
		}
	}
	c.m, c.bundle = m, b
	db, err := fromX3DH(b)
	if err != nil {
		return nil, c.fail("init", err)
	}
	return db, nil
}

// address is the address of the peer named name.
func address(name string) keystore.Address { return keystore.Address{Name: name, DeviceID: 1} }

// ProcessBundle starts a session with peer from b's decoded fields.
func (c *Crossseal) ProcessBundle(peer string, b *driver.Bundle) error {
	if c.m == nil {
		return c.fail("process_bundle", errNotInitialized)
	}
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	xb, err := toX3DH(b)
	if err != nil {
		return c.fail("process_bundle", err)
	}
	if err := c.m.ProcessBundle(ctx, address(peer), xb); err != nil {
		return c.fail("process_bundle", err)
	}
	return nil
}

// Encrypt encrypts plaintext for peer.
func (c *Crossseal) Encrypt(peer string, plaintext []byte) (driver.Message, error) {
	if c.m == nil {
		return driver.Message{}, c.fail("encrypt", errNotInitialized)
	}
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	ct, err := c.m.Encrypt(ctx, address(peer), plaintext)
	if err != nil {
		return driver.Message{}, c.fail("encrypt", err)
	}
	return driver.Message{Type: ct.Type, Body: ct.Body}, nil
}

// Decrypt decrypts a message from peer.
func (c *Crossseal) Decrypt(peer string, msg driver.Message) ([]byte, error) {
	if c.m == nil {
		return nil, c.fail("decrypt", errNotInitialized)
	}
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	var pt []byte
	err := c.m.Decrypt(ctx, address(peer), session.Ciphertext{Type: msg.Type, Body: msg.Body}, func(b []byte) error {
		pt = append([]byte{}, b...)
		return nil
	})
	if err != nil {
		return nil, c.fail("decrypt", err)
	}
	return pt, nil
}

// fromX3DH converts a bundle to the driver's form, with Raw as
// `crossseal peer` would send it.
func fromX3DH(b *x3dh.Bundle) (*driver.Bundle, error) {
	db := &driver.Bundle{
		IdentityPub: b.IdentityKey.Bytes(),
		RegID:       b.RegistrationID,
		DeviceID:    b.DeviceID,
		SignedPreKey: &driver.BundleSignedPreKey{
			ID:  b.SignedPreKeyID,
			Pub: b.SignedPreKey.Bytes(),
			Sig: append([]byte(nil), b.SignedPreKeySignature...),
		},
	}
	if b.HasPreKey {
		db.PreKey = &driver.BundlePreKey{ID: b.PreKeyID, Pub: b.PreKey.Bytes()}
	}
	if k := b.KEMPreKey; k != nil {
		db.KEMPreKey = &driver.BundleKEMPreKey{ID: k.ID, Pub: k.PublicKey.Bytes(), Sig: append([]byte(nil), k.Signature...), KEMType: int(k.PublicKey.Type())}
	}
	raw, err := json.Marshal(db)
	if err != nil {
		return nil, err
	}
	db.Raw = raw
	return db, nil
}

// toX3DH converts a driver bundle as `crossseal peer` parses a JSON one.
func toX3DH(j *driver.Bundle) (*x3dh.Bundle, error) {
	if j == nil || j.SignedPreKey == nil {
		return nil, errors.New("bundle: missing identity or signed prekey")
	}
	b := &x3dh.Bundle{RegistrationID: j.RegID, DeviceID: j.DeviceID, SignedPreKeyID: j.SignedPreKey.ID, SignedPreKeySignature: j.SignedPreKey.Sig}
	var err error
	if b.IdentityKey, err = x3dh.NewPublicKey(j.IdentityPub); err != nil {
		return nil, fmt.Errorf("bundle: identity_pub: %w", err)
	}
	if b.SignedPreKey, err = x3dh.NewPublicKey(j.SignedPreKey.Pub); err != nil {
		return nil, fmt.Errorf("bundle: signed_prekey: %w", err)
	}
	if j.PreKey != nil {
		b.HasPreKey, b.PreKeyID = true, j.PreKey.ID
		if b.PreKey, err = x3dh.NewPublicKey(j.PreKey.Pub); err != nil {
			return nil, fmt.Errorf("bundle: prekey: %w", err)
		}
	}
	if k := j.KEMPreKey; k != nil {
		pub, err := kem.ParsePublicKey(k.Pub)
		if err != nil {
			return nil, fmt.Errorf("bundle: kem_prekey: %w", err)
		}
		b.KEMPreKey = &x3dh.KEMPreKey{ID: k.ID, PublicKey: pub, Signature: k.Sig}
	}
	return b, nil
}

// randomUint32 returns a uniform value in [0, n) from crypto/rand.
func randomUint32(n uint32) uint32 {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails since Go 1.24
	return uint32(binary.LittleEndian.Uint64(b[:]) % uint64(n))
}
