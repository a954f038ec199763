// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package spqr

import "errors"

var (
	// ErrMalformed is returned for an SPQR message that does not parse.
	ErrMalformed = errors.New("spqr: malformed message")
	// ErrVersion is returned for a missing SPQR message or one of a
	// version other than 1.
	ErrVersion = errors.New("spqr: unsupported version")
	// ErrEpoch is returned for a message from an epoch this state cannot
	// use (too far ahead, or whose keys are gone).
	ErrEpoch = errors.New("spqr: epoch out of range")
	// ErrKeyJump is returned for a message index too far ahead of the
	// chain (more than the maximum jump).
	ErrKeyJump = errors.New("spqr: message index too far ahead")
	// ErrKeyTrimmed is returned for a message index whose key was dropped
	// because it is older than the out-of-order window.
	ErrKeyTrimmed = errors.New("spqr: message key no longer kept")
	// ErrKeyUsed is returned for a message index whose key was already
	// used (a replay).
	ErrKeyUsed = errors.New("spqr: message key already used")
	// ErrAuthentication is returned when the MAC over an encapsulation
	// key header or a ciphertext does not verify.
	ErrAuthentication = errors.New("spqr: authentication failed")
	// ErrErroneousData is returned when the peer's encapsulation key does
	// not match the header it sent.
	ErrErroneousData = errors.New("spqr: encapsulation key does not match its header")
	// ErrCorruptState is returned when a stored state does not decode or
	// is inconsistent.
	ErrCorruptState = errors.New("spqr: corrupt state")
)
