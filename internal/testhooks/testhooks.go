// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package testhooks gives crossseal's own tests and vector generators
// access to deterministic entry points that the public API does not offer:
// a session.Manager whose randomness comes from a given reader. Being
// internal, it cannot be imported from outside the module.
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
