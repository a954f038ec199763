// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package session

import (
	"errors"
	"fmt"

	"github.com/crossseal/crossseal/internal/wire"
	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/ratchet"
	"github.com/crossseal/crossseal/x3dh"
)

var (
	// ErrNoSession is returned when there is no session with the device.
	ErrNoSession = errors.New("session: no session")
	// ErrUntrustedIdentity is returned when a device presents an identity
	// key different from the one stored for it. See [UntrustedIdentityError].
	ErrUntrustedIdentity = errors.New("session: untrusted identity")
	// ErrInvalidPreKeyID is returned for a PreKeySignalMessage naming a
	// signed or one-time prekey that is not (or no longer) stored.
	ErrInvalidPreKeyID = errors.New("session: unknown prekey id")
	// ErrNoIdentity is returned when the store has no local identity yet.
	ErrNoIdentity = errors.New("session: no local identity")
	// ErrIdentityExists is returned by CreateIdentity when one exists.
	ErrIdentityExists = errors.New("session: local identity already exists")
	// ErrCorruptRecord is returned when a stored record cannot be decoded.
	ErrCorruptRecord = errors.New("session: corrupt record")
	// ErrUnsupportedVersion is returned for a record or message of a
	// version this package does not speak.
	ErrUnsupportedVersion = errors.New("session: unsupported version")
	// ErrTooLarge is returned for a plaintext above [MaxPlaintextSize].
	ErrTooLarge = errors.New("session: plaintext too large")
	// ErrReusedBaseKey is returned for a PreKeySignalMessage that reuses
	// the base key of an earlier session started with the same
	// last-resort KEM prekey (a replayed session start).
	ErrReusedBaseKey = errors.New("session: base key reused with a last-resort KEM prekey")

	// ErrInvalidMessage matches every message that failed to parse,
	// authenticate or decrypt. Authentication failures carry no detail.
	ErrInvalidMessage = ratchet.ErrInvalidMessage
	// ErrMalformed additionally matches messages that failed to parse.
	ErrMalformed = wire.ErrMalformed
	// ErrDuplicateMessage is returned for a replayed message.
	ErrDuplicateMessage = ratchet.ErrDuplicateMessage
	// ErrTooManySkipped is returned for a counter too far ahead.
	ErrTooManySkipped = ratchet.ErrTooManySkipped
	// ErrInvalidSignature is returned for a bundle whose signed prekey
	// signature does not verify.
	ErrInvalidSignature = x3dh.ErrInvalidSignature
	// ErrLowOrderKey is returned when a peer's key is a low-order point.
	ErrLowOrderKey = x3dh.ErrLowOrderKey
)

// UntrustedIdentityError names the device whose identity changed. It
// matches [ErrUntrustedIdentity].
type UntrustedIdentityError struct {
	Address keystore.Address
}

// Error implements the error interface.
func (e *UntrustedIdentityError) Error() string {
	return fmt.Sprintf("session: untrusted identity for %s", e.Address)
}

// Unwrap returns [ErrUntrustedIdentity].
func (e *UntrustedIdentityError) Unwrap() error { return ErrUntrustedIdentity }

// malformed wraps a codec error so it matches ErrInvalidMessage too.
func malformed(err error) error {
	if errors.Is(err, wire.ErrUnsupportedVersion) {
		return fmt.Errorf("%w: %w", ErrUnsupportedVersion, err)
	}
	return fmt.Errorf("%w: %w", ErrInvalidMessage, err)
}
