// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package mlkem768

import "errors"

var (
	// ErrInvalidLength reports an input (seed, header, encapsulation key
	// vector, state or ciphertext part) whose length is not the one this
	// package defines for it. Errors returned by this package wrap it with
	// the input's name and length; compare with errors.Is.
	ErrInvalidLength = errors.New("mlkem768: invalid length")

	// ErrInvalidEncapsulationKey reports an encapsulation key vector that
	// does not match the header it is checked against: its SHA3-256 hash
	// (over vector ‖ ρ) differs from the one in the header, or it fails the
	// modulus check of FIPS 203, section 7.2. The two cases are not told
	// apart.
	ErrInvalidEncapsulationKey = errors.New("mlkem768: encapsulation key does not match header")

	// ErrInvalidDecapsulationKey reports a method called on a nil or zero
	// [DecapsulationKey], one not made by [GenerateKey] or
	// [NewDecapsulationKey].
	ErrInvalidDecapsulationKey = errors.New("mlkem768: uninitialized decapsulation key")
)
