// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"errors"
	"fmt"

	"github.com/crossseal/crossseal/session"
)

var (
	// ErrMalformed matches every parse failure: addresses, envelopes,
	// contents, scanned safety numbers. See [ParseError].
	ErrMalformed = errors.New("envelope: malformed")
	// ErrUnsupportedVersion matches an envelope format version, or a
	// Signal message version, that this package does not know.
	ErrUnsupportedVersion = errors.New("envelope: unsupported version")
	// ErrUnsupportedType matches an envelope message type other than
	// PreKey and Whisper.
	ErrUnsupportedType = errors.New("envelope: unsupported message type")
	// ErrBadPadding is returned when a decrypted content is not padded
	// exactly as [Client.Seal] pads.
	ErrBadPadding = errors.New("envelope: bad padding")
	// ErrWrongRecipient is returned by [Client.Open] for an envelope
	// addressed to another device. See [RecipientError].
	ErrWrongRecipient = errors.New("envelope: wrong recipient")
	// ErrSenderMismatch is returned when the sender named inside the
	// encrypted content differs from the envelope's sender: a relay
	// relabelled the envelope.
	ErrSenderMismatch = errors.New("envelope: sender mismatch")
	// ErrPolicy is returned for an envelope below the client's minimum
	// profile. See [ProfileError].
	ErrPolicy = errors.New("envelope: profile below policy")
	// ErrDowngrade is returned for an envelope from a device whose bundle
	// advertised a stronger profile than the envelope uses. See
	// [DowngradeError].
	ErrDowngrade = errors.New("envelope: profile downgrade")
	// ErrProfileUnavailable is returned when a profile is known but not
	// implemented in this build (v4).
	ErrProfileUnavailable = errors.New("envelope: profile not available in this build")
	// ErrNoDevices is returned by [Client.Seal] when the recipient account
	// has no device in the directory and no session.
	ErrNoDevices = errors.New("envelope: recipient has no devices")
	// ErrNotFound is returned by a [Directory] for an unknown account or
	// device.
	ErrNotFound = errors.New("envelope: not found")
	// ErrInvalidBundle is returned for a bundle or upload that is
	// incomplete or does not match the device it was fetched for.
	ErrInvalidBundle = errors.New("envelope: invalid bundle")
	// ErrAccountMismatch is returned by [NewClient] when the store belongs
	// to another address or holds a different identity than the one given
	// with [WithIdentityKey].
	ErrAccountMismatch = errors.New("envelope: store belongs to another account")
	// ErrTooLarge is returned for a content above [MaxContentSize] or a
	// field above its limit when sealing.
	ErrTooLarge = errors.New("envelope: too large")

	// ErrDuplicate is returned by [Client.Open] for an envelope whose
	// message was already delivered (a redelivery or a relay duplicate).
	// Treat it as success: the message was stored when it was first
	// opened; acknowledge it to the server. It is
	// session.ErrDuplicateMessage.
	ErrDuplicate = session.ErrDuplicateMessage
	// ErrInvalidMessage matches every Signal message that failed to parse,
	// authenticate or decrypt. Authentication failures carry no detail.
	ErrInvalidMessage = session.ErrInvalidMessage
	// ErrUntrustedIdentity is returned when a peer's identity key changed;
	// see [Client.TrustIdentity].
	ErrUntrustedIdentity = session.ErrUntrustedIdentity
)

// ParseError reports malformed input. It matches [ErrMalformed].
type ParseError struct {
	// What names the input ("address", "envelope", "content", ...).
	What string
	// Reason says what was wrong, without secret data.
	Reason string
}

// Error implements the error interface.
func (e *ParseError) Error() string { return "envelope: malformed " + e.What + ": " + e.Reason }

// Unwrap returns [ErrMalformed].
func (e *ParseError) Unwrap() error { return ErrMalformed }

// VersionError reports an unknown version. It matches
// [ErrUnsupportedVersion].
type VersionError struct {
	// What names the versioned thing ("envelope", "signal message",
	// "record").
	What string
	// Got is the version seen.
	Got uint32
}

// Error implements the error interface.
func (e *VersionError) Error() string {
	return fmt.Sprintf("envelope: unsupported %s version %d", e.What, e.Got)
}

// Unwrap returns [ErrUnsupportedVersion].
func (e *VersionError) Unwrap() error { return ErrUnsupportedVersion }

// RecipientError names the recipient of an envelope that was not for this
// client. It matches [ErrWrongRecipient].
type RecipientError struct {
	Got, Want Address
}

// Error implements the error interface.
func (e *RecipientError) Error() string {
	return fmt.Sprintf("envelope: envelope for %s opened by %s", e.Got, e.Want)
}

// Unwrap returns [ErrWrongRecipient].
func (e *RecipientError) Unwrap() error { return ErrWrongRecipient }

// ProfileError reports an envelope below the client's minimum profile. It
// matches [ErrPolicy].
type ProfileError struct {
	Sender   Address
	Got, Min Profile
}

// Error implements the error interface.
func (e *ProfileError) Error() string {
	return fmt.Sprintf("envelope: %s envelope from %s is below the minimum profile %s", e.Got, e.Sender, e.Min)
}

// Unwrap returns [ErrPolicy].
func (e *ProfileError) Unwrap() error { return ErrPolicy }

// DowngradeError reports an envelope weaker than what its sender's bundle
// advertised. It matches [ErrDowngrade].
type DowngradeError struct {
	Sender     Address
	Got        Profile
	Advertised Profile
}

// Error implements the error interface.
func (e *DowngradeError) Error() string {
	return fmt.Sprintf("envelope: %s envelope from %s, whose bundle advertised %s", e.Got, e.Sender, e.Advertised)
}

// Unwrap returns [ErrDowngrade].
func (e *DowngradeError) Unwrap() error { return ErrDowngrade }
