// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package curve

import "errors"

var (
	// ErrInvalidKey reports a key of the wrong length or, for a serialized
	// public key, the wrong type byte. Errors returned by this package may
	// wrap it with detail; compare with errors.Is.
	ErrInvalidKey = errors.New("curve: invalid key")

	// ErrLowOrderPoint reports an X25519 computation whose result is all
	// zeros, which happens when the peer's public key is a low-order point.
	ErrLowOrderPoint = errors.New("curve: low-order point")
)
