// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package ratchet

import (
	"errors"
	"fmt"
)

var (
	// ErrInvalidMessage is returned when a message fails authentication or
	// decryption. It carries no detail on purpose.
	ErrInvalidMessage = errors.New("ratchet: invalid message")
	// ErrDuplicateMessage is returned for a message whose key was already
	// used (or dropped): a replay or a very late duplicate.
	ErrDuplicateMessage = errors.New("ratchet: duplicate message")
	// ErrTooManySkipped is returned when a message's counter is further
	// ahead than [MaxForwardJumps].
	ErrTooManySkipped = errors.New("ratchet: too many skipped messages")
	// ErrVersionMismatch is returned for a message whose version differs
	// from the session's.
	ErrVersionMismatch = errors.New("ratchet: message version does not match session")
	// ErrCorruptState is returned when a stored state cannot be decoded.
	ErrCorruptState = errors.New("ratchet: corrupt state")
)

// SkipError reports a counter jump beyond the limit. It matches
// [ErrTooManySkipped].
type SkipError struct {
	// Counter is the message counter received; Next is the chain's next
	// expected index; Limit is [MaxForwardJumps].
	Counter, Next, Limit uint32
}

// Error implements the error interface.
func (e *SkipError) Error() string {
	return fmt.Sprintf("ratchet: message counter %d is %d past the chain, limit %d", e.Counter, e.Counter-e.Next, e.Limit)
}

// Unwrap returns [ErrTooManySkipped].
func (e *SkipError) Unwrap() error { return ErrTooManySkipped }

// DuplicateError reports a replayed counter. It matches [ErrDuplicateMessage].
type DuplicateError struct {
	// Counter is the message counter received; Next is the chain's next
	// expected index.
	Counter, Next uint32
}

// Error implements the error interface.
func (e *DuplicateError) Error() string {
	return fmt.Sprintf("ratchet: duplicate message: counter %d, chain at %d", e.Counter, e.Next)
}

// Unwrap returns [ErrDuplicateMessage].
func (e *DuplicateError) Unwrap() error { return ErrDuplicateMessage }
