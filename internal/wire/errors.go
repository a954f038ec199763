// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package wire

import (
	"errors"
	"fmt"
)

var (
	// ErrMalformed matches every parse failure of a wire message.
	ErrMalformed = errors.New("wire: malformed message")
	// ErrUnsupportedVersion matches a message whose version byte names a
	// protocol version this package does not speak.
	ErrUnsupportedVersion = errors.New("wire: unsupported message version")
)

// ParseError reports why a message could not be parsed. It matches
// [ErrMalformed] with errors.Is.
type ParseError struct {
	// What names the message type ("SignalMessage", ...).
	What string
	// Reason says what was wrong, without secret data.
	Reason string
}

// Error implements the error interface.
func (e *ParseError) Error() string { return "wire: malformed " + e.What + ": " + e.Reason }

// Unwrap returns [ErrMalformed].
func (e *ParseError) Unwrap() error { return ErrMalformed }

// VersionError reports an unsupported version byte. It matches
// [ErrUnsupportedVersion] with errors.Is.
type VersionError struct {
	// Got is the message version found (the high nibble of the first byte).
	Got uint8
}

// Error implements the error interface.
func (e *VersionError) Error() string {
	return fmt.Sprintf("wire: unsupported message version %d (supported %d..%d)", e.Got, MinVersion, MaxVersion)
}

// Unwrap returns [ErrUnsupportedVersion].
func (e *VersionError) Unwrap() error { return ErrUnsupportedVersion }
