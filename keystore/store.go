// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package keystore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrNotFound is returned by a [Tx] getter when there is no such record.
var ErrNotFound = errors.New("keystore: not found")

// ErrInvalidAddress is returned for an address with an empty name, a name
// longer than [MaxNameSize] or containing a NUL byte.
var ErrInvalidAddress = errors.New("keystore: invalid address")

// MaxNameSize bounds an address name, so that a peer-chosen name cannot make
// keys or records arbitrarily large.
const MaxNameSize = 512

// Address identifies one remote device: a name (package envelope uses
// "app:user") and a device number.
type Address struct {
	Name     string
	DeviceID uint32
}

// String returns "name.device".
func (a Address) String() string { return a.Name + "." + strconv.FormatUint(uint64(a.DeviceID), 10) }

// Validate returns an error matching [ErrInvalidAddress] if a cannot be
// stored.
func (a Address) Validate() error {
	if a.Name == "" || len(a.Name) > MaxNameSize || strings.IndexByte(a.Name, 0) >= 0 {
		return fmt.Errorf("%w: name of %d bytes", ErrInvalidAddress, len(a.Name))
	}
	return nil
}

// Store persists crossseal state. Implementations must be safe for
// concurrent use.
type Store interface {
	// Update runs fn in a read-write transaction and commits its writes
	// atomically if and only if fn returns nil. It returns fn's error, or
	// the store's error wrapped with context. The Tx must not be used after
	// fn returns. Update calls are serializable.
	Update(ctx context.Context, fn func(Tx) error) error
}

// Tx is a transaction on a [Store]. Getters return [ErrNotFound] (possibly
// wrapped) when no record exists. Returned slices belong to the caller;
// slices passed in may be reused by the caller after the call returns.
type Tx interface {
	// LocalIdentity returns the local identity record.
	LocalIdentity() ([]byte, error)
	// SetLocalIdentity replaces the local identity record.
	SetLocalIdentity(record []byte) error

	// RemoteIdentity returns the identity key last trusted for addr.
	RemoteIdentity(addr Address) ([]byte, error)
	// SetRemoteIdentity stores the identity key trusted for addr.
	SetRemoteIdentity(addr Address, key []byte) error

	// PreKey returns the one-time prekey record with this id.
	PreKey(id uint32) ([]byte, error)
	// SetPreKey stores a one-time prekey record.
	SetPreKey(id uint32, record []byte) error
	// DeletePreKey removes a one-time prekey; deleting a missing one is not
	// an error.
	DeletePreKey(id uint32) error
	// PreKeyIDs returns the ids of all stored one-time prekeys, ascending.
	PreKeyIDs() ([]uint32, error)

	// SignedPreKey returns the signed prekey record with this id.
	SignedPreKey(id uint32) ([]byte, error)
	// SetSignedPreKey stores a signed prekey record.
	SetSignedPreKey(id uint32, record []byte) error
	// DeleteSignedPreKey removes a signed prekey; missing is not an error.
	DeleteSignedPreKey(id uint32) error
	// SignedPreKeyIDs returns the ids of all stored signed prekeys, ascending.
	SignedPreKeyIDs() ([]uint32, error)

	// Session returns the session record for addr.
	Session(addr Address) ([]byte, error)
	// SetSession stores the session record for addr.
	SetSession(addr Address, record []byte) error
	// DeleteSession removes the session for addr; missing is not an error.
	DeleteSession(addr Address) error
	// SessionDevices returns the device ids that have a session under name,
	// ascending.
	SessionDevices(name string) ([]uint32, error)

	// Value returns an opaque value stored by a higher layer under key.
	Value(key string) ([]byte, error)
	// SetValue stores an opaque value; a nil value deletes the key.
	SetValue(key string, value []byte) error
	// ValueKeys returns the keys of the stored opaque values that start
	// with prefix, ascending by byte order, including this transaction's
	// own writes. Higher layers use it to prune families of values (for
	// example every mark kept for a signed prekey that is deleted).
	ValueKeys(prefix string) ([]string, error)
}
