// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package kem

import "errors"

var (
	// ErrInvalidKey reports a serialized key that is empty, has an unknown
	// type byte or the wrong length, or fails the FIPS 203 key checks.
	// Errors returned by this package may wrap it with detail; compare
	// with errors.Is.
	ErrInvalidKey = errors.New("kem: invalid key")

	// ErrInvalidCiphertext reports a serialized ciphertext that is empty,
	// has an unknown type byte, a type different from the key's, or the
	// wrong length.
	ErrInvalidCiphertext = errors.New("kem: invalid ciphertext")
)
