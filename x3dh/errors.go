// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package x3dh

import "errors"

var (
	// ErrInvalidSignature is returned when a signed prekey's signature does
	// not verify under the bundle's identity key.
	ErrInvalidSignature = errors.New("x3dh: invalid signed prekey signature")
	// ErrInvalidBundle is returned for a bundle with missing or malformed
	// fields.
	ErrInvalidBundle = errors.New("x3dh: invalid bundle")
	// ErrLowOrderKey is returned when a Diffie-Hellman output is all zero,
	// which happens only for a low-order public key.
	ErrLowOrderKey = errors.New("x3dh: low-order public key")
	// ErrInvalidCiphertext is returned by [RespondPQ] for a KEM ciphertext
	// that is malformed (wrong length, or a type byte other than the KEM
	// prekey's).
	ErrInvalidCiphertext = errors.New("x3dh: invalid KEM ciphertext")
	// ErrInvalidBaseKey is returned by [RespondPQ] for a base key that is
	// not the canonical encoding of a point of prime order, which an honest
	// initiator never sends; libsignal rejects the same keys
	// (rust/protocol/src/pqxdh.rs, pqxdh_accept, is_canonical).
	ErrInvalidBaseKey = errors.New("x3dh: invalid base key")
)
