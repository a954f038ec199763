// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package inprocess

import (
	"encoding/json"
	"sync"

	"github.com/crossseal/crossseal/interop/driver"
	"github.com/crossseal/crossseal/interop/internal/maupeer"
	"github.com/crossseal/crossseal/interop/internal/maustore"
)

// MauName is what [Mau.Implementation] returns.
const MauName = "mau"

// Mau is a go.mau.fi/libsignal account as a [driver.Endpoint], through
// internal/maupeer: the code the maupeer command runs, with its
// compensations for mau's quirks (a failed decrypt restores the session, a
// version byte other than 3 is rejected, a panic inside mau is an error).
type Mau struct {
	name string
	p    *maupeer.Peer
}

var (
	_ driver.Endpoint            = (*Mau)(nil)
	_ driver.ImplementationNamer = (*Mau)(nil)
)

var silenceMau sync.Once

// NewMau returns an endpoint named name with no account; the driver's
// first call is Init. The first call installs a logger for mau that drops
// everything (mau's default prints every debug line, key material
// included, to stdout); a caller may install its own afterwards with
// maustore.SetupLogger.
func NewMau(name string) *Mau {
	silenceMau.Do(func() { maustore.SetupLogger(nil) })
	return &Mau{name: name, p: maupeer.New()}
}

// Name returns the name given to NewMau.
func (m *Mau) Name() string { return m.name }

// Implementation returns "mau".
func (m *Mau) Implementation() string { return MauName }

// fail reports err, from op, as the implementation's error.
func (m *Mau) fail(op string, err error) error {
	return &driver.PeerError{Peer: m.name, Impl: MauName, Op: op, Message: err.Error(), Err: err}
}

// Init replaces the account. A zero regID picks one in 1..16380.
func (m *Mau) Init(regID uint32) (*driver.Bundle, error) {
	var reg *uint32
	if regID != 0 {
		reg = &regID
	}
	b, err := m.p.Init(m.name, reg)
	if err != nil {
		return nil, m.fail("init", err)
	}
	db, err := fromMau(b)
	if err != nil {
		return nil, m.fail("init", err)
	}
	return db, nil
}

// ProcessBundle starts a session with peer from b's decoded fields.
func (m *Mau) ProcessBundle(peer string, b *driver.Bundle) error {
	if err := m.p.ProcessBundle(peer, toMau(b)); err != nil {
		return m.fail("process_bundle", err)
	}
	return nil
}

// Encrypt encrypts plaintext for peer.
func (m *Mau) Encrypt(peer string, plaintext []byte) (driver.Message, error) {
	typ, body, err := m.p.Encrypt(peer, plaintext)
	if err != nil {
		return driver.Message{}, m.fail("encrypt", err)
	}
	return driver.Message{Type: int(typ), Body: body}, nil
}

// Decrypt decrypts a message from peer.
func (m *Mau) Decrypt(peer string, msg driver.Message) ([]byte, error) {
	pt, err := m.p.Decrypt(peer, msg.Type, msg.Body)
	if err != nil {
		return nil, m.fail("decrypt", err)
	}
	if pt == nil {
		pt = []byte{}
	}
	return pt, nil
}

// fromMau converts a bundle to the driver's form, with Raw as the maupeer
// command would send it.
func fromMau(b *maupeer.BundleJSON) (*driver.Bundle, error) {
	raw, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	db := &driver.Bundle{Raw: raw, IdentityPub: b.IdentityPub, RegID: b.RegID, DeviceID: b.DeviceID}
	if s := b.SignedPreKey; s != nil {
		db.SignedPreKey = &driver.BundleSignedPreKey{ID: s.ID, Pub: s.Pub, Sig: s.Sig}
	}
	if p := b.PreKey; p != nil {
		db.PreKey = &driver.BundlePreKey{ID: p.ID, Pub: p.Pub}
	}
	return db, nil
}

// toMau converts a driver bundle to maupeer's form (nil stays nil, which
// maupeer rejects).
func toMau(b *driver.Bundle) *maupeer.BundleJSON {
	if b == nil {
		return nil
	}
	mb := &maupeer.BundleJSON{IdentityPub: b.IdentityPub, RegID: b.RegID, DeviceID: b.DeviceID}
	if s := b.SignedPreKey; s != nil {
		mb.SignedPreKey = &maupeer.SignedPreKeyJSON{ID: s.ID, Pub: s.Pub, Sig: s.Sig}
	}
	if p := b.PreKey; p != nil {
		mb.PreKey = &maupeer.PreKeyJSON{ID: p.ID, Pub: p.Pub}
	}
	return mb
}
