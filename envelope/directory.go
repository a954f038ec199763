// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/crossseal/crossseal/session"
	"github.com/crossseal/crossseal/x3dh"
)

// PreKey is the public half of a one-time prekey.
type PreKey = session.PreKey

// SignedPreKey is the public half of a signed prekey and its signature.
type SignedPreKey = session.SignedPreKey

// Directory is the prekey server of the apps' backend, as the app reaches
// it. The app implements it (with [MemoryDirectory] for tests and demos).
// Everything passed through it is public. A Directory is trusted for
// availability, not for secrecy: a malicious one can withhold bundles or
// claim a profile a device does not have (which makes [Client.Open] refuse
// that device's weaker envelopes), but it cannot read messages; swapping
// identity keys is caught by trust on first use and safety numbers.
type Directory interface {
	// Publish stores u for device u.Address: the identity, registration
	// id, profile and signed prekey replace the published ones (a nil
	// SignedPreKey keeps the current one) and u.PreKeys are added to the
	// device's one-time prekeys.
	Publish(ctx context.Context, u *Upload) error
	// Devices returns the devices of an account, ascending, or an error
	// matching [ErrNotFound].
	Devices(ctx context.Context, a Account) ([]uint32, error)
	// FetchBundle returns the bundle of one device, taking one of its
	// one-time prekeys (each is handed out at most once), or an error
	// matching [ErrNotFound].
	FetchBundle(ctx context.Context, device Address) (*Bundle, error)
	// PreKeyCount returns how many one-time prekeys of device remain.
	PreKeyCount(ctx context.Context, device Address) (int, error)
}

// Upload is what a device publishes to a [Directory].
type Upload struct {
	Address        Address
	Profile        Profile
	RegistrationID uint32
	IdentityKey    x3dh.PublicKey
	// SignedPreKey replaces the published signed prekey; nil keeps it.
	SignedPreKey *SignedPreKey
	// PreKeys are new one-time prekeys.
	PreKeys []PreKey
	// KEMPreKey replaces the published last-resort KEM prekey (profile
	// v4); nil keeps it.
	KEMPreKey *x3dh.KEMPreKey
}

// Bundle is one device's prekey bundle as a [Directory] hands it out.
type Bundle struct {
	Address Address
	// Profile is the strongest profile the device advertises. A client
	// remembers the strongest profile ever seen for a device and refuses
	// its weaker envelopes with [ErrDowngrade]. A v4 bundle must carry a
	// KEM prekey signed by the identity key (Keys.KEMPreKey); the profile
	// number itself is directory data.
	Profile Profile
	// Keys are the X3DH/PQXDH keys; Keys.DeviceID equals Address.Device.
	Keys x3dh.Bundle
}

// MemoryDirectory is an in-memory [Directory] for tests and demos. It is
// safe for concurrent use.
type MemoryDirectory struct {
	mu      sync.Mutex
	devices map[Address]*memoryDevice
}

var _ Directory = (*MemoryDirectory)(nil)

type memoryDevice struct {
	profile  Profile
	regID    uint32
	identity x3dh.PublicKey
	signed   SignedPreKey
	preKeys  []PreKey
	kem      *x3dh.KEMPreKey
}

// NewMemoryDirectory returns an empty directory.
func NewMemoryDirectory() *MemoryDirectory {
	return &MemoryDirectory{devices: make(map[Address]*memoryDevice)}
}

// Publish implements [Directory.Publish]. Like a real server it checks the
// upload: a valid address, a known profile, an identity key, and a signed
// prekey whose signature verifies. Errors match [ErrInvalidBundle].
func (d *MemoryDirectory) Publish(ctx context.Context, u *Upload) error {
	if err := u.Address.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidBundle, err)
	}
	if !u.Profile.known() || u.IdentityKey.IsZero() {
		return fmt.Errorf("%w: profile or identity key missing", ErrInvalidBundle)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	dev := d.devices[u.Address]
	if dev == nil && u.SignedPreKey == nil {
		return fmt.Errorf("%w: first upload has no signed prekey", ErrInvalidBundle)
	}
	if u.SignedPreKey != nil {
		b := x3dh.Bundle{IdentityKey: u.IdentityKey, SignedPreKey: u.SignedPreKey.PublicKey, SignedPreKeySignature: u.SignedPreKey.Signature}
		if err := b.Verify(); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidBundle, err)
		}
	}
	if u.KEMPreKey != nil {
		if err := u.KEMPreKey.Verify(u.IdentityKey); err != nil {
			return fmt.Errorf("%w: KEM prekey: %w", ErrInvalidBundle, err)
		}
	}
	if dev == nil || !dev.identity.Equal(u.IdentityKey) {
		dev = &memoryDevice{} // a new identity invalidates the old prekeys
	}
	dev.profile, dev.regID, dev.identity = u.Profile, u.RegistrationID, u.IdentityKey
	if u.SignedPreKey != nil {
		dev.signed = *u.SignedPreKey
		dev.signed.Signature = slices.Clone(u.SignedPreKey.Signature)
	}
	dev.preKeys = append(dev.preKeys, u.PreKeys...)
	if u.KEMPreKey != nil {
		k := *u.KEMPreKey
		k.Signature = slices.Clone(k.Signature)
		dev.kem = &k
	}
	if dev.profile >= ProfileV4 && dev.kem == nil {
		return fmt.Errorf("%w: profile %s without a KEM prekey", ErrInvalidBundle, dev.profile)
	}
	d.devices[u.Address] = dev
	return nil
}

// Devices implements [Directory.Devices].
func (d *MemoryDirectory) Devices(ctx context.Context, a Account) ([]uint32, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var ids []uint32
	for addr := range d.devices {
		if addr.Account() == a {
			ids = append(ids, addr.Device)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w: account %s", ErrNotFound, a)
	}
	slices.Sort(ids)
	return ids, nil
}

// FetchBundle implements [Directory.FetchBundle]. One-time prekeys are
// handed out oldest first.
func (d *MemoryDirectory) FetchBundle(ctx context.Context, device Address) (*Bundle, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	dev := d.devices[device]
	if dev == nil {
		return nil, fmt.Errorf("%w: device %s", ErrNotFound, device)
	}
	b := &Bundle{Address: device, Profile: dev.profile, Keys: x3dh.Bundle{
		RegistrationID: dev.regID, DeviceID: device.Device, IdentityKey: dev.identity,
		SignedPreKeyID: dev.signed.ID, SignedPreKey: dev.signed.PublicKey,
		SignedPreKeySignature: slices.Clone(dev.signed.Signature),
	}}
	if len(dev.preKeys) > 0 {
		pk := dev.preKeys[0]
		dev.preKeys = dev.preKeys[1:]
		b.Keys.HasPreKey, b.Keys.PreKeyID, b.Keys.PreKey = true, pk.ID, pk.PublicKey
	}
	if dev.kem != nil {
		k := *dev.kem
		k.Signature = slices.Clone(k.Signature)
		b.Keys.KEMPreKey = &k
	}
	return b, nil
}

// PreKeyCount implements [Directory.PreKeyCount].
func (d *MemoryDirectory) PreKeyCount(ctx context.Context, device Address) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	dev := d.devices[device]
	if dev == nil {
		return 0, fmt.Errorf("%w: device %s", ErrNotFound, device)
	}
	return len(dev.preKeys), nil
}
