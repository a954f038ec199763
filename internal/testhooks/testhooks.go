// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package testhooks gives crossseal's own tests and vector generators
// access to deterministic entry points that the public API does not offer:
// a session.Manager whose randomness comes from a given reader, and the
// unexported codecs that the conformance vectors check (envelope contents
// and their padding, stored prekey records). Being internal, it cannot be
// imported from outside the module.
//
// Each hook is set once, by the init function of the package it belongs
// to, and never written again.
package testhooks

import (
	"io"

	"github.com/crossseal/crossseal/keystore"
)

// NewManagerWithRand returns a *session.Manager over store that draws all
// randomness from r (as `any`, since this package cannot import session).
// Package session sets it in its init function.
var NewManagerWithRand func(store keystore.Store, r io.Reader) any

// LoadPreKeyRecord decodes raw, a stored one-time prekey record, as
// session does when a PreKeySignalMessage names prekey id, and returns the
// private key it loads (as stored: clamped) and its public key. Its errors
// are session's (matching session.ErrCorruptRecord or
// session.ErrUnsupportedVersion). Package session sets it in its init
// function.
var LoadPreKeyRecord func(id uint32, raw []byte) (private, public []byte, err error)

// LoadSignedPreKeyRecord decodes raw, a stored signed prekey record, as
// session does when it uses signed prekey id, and returns its public key,
// private key, signature and creation time (Unix milliseconds). Its errors
// are session's. Package session sets it in its init function.
var LoadSignedPreKeyRecord func(id uint32, raw []byte) (public, private, signature []byte, timestampMillis int64, err error)

// MarshalContent encodes content (an *envelope.Content) with sender (an
// envelope.Address) bound inside, unpadded, as envelope seals it. Package
// envelope sets it in its init function.
var MarshalContent func(content, sender any) ([]byte, error)

// ParseContent decodes an unpadded content as envelope opens it, and
// returns it (an *envelope.Content) and the bound sender (an
// envelope.Address). Package envelope sets it in its init function.
var ParseContent func(b []byte) (content, sender any, err error)

// Pad pads a content as envelope does before encrypting it. Package
// envelope sets it in its init function.
var Pad func(content []byte) []byte

// Unpad strips the padding of a decrypted content as envelope does, or
// returns an error matching envelope.ErrBadPadding. Package envelope sets
// it in its init function.
var Unpad func(padded []byte) ([]byte, error)
