// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package session

import (
	"io"

	"github.com/crossseal/crossseal/internal/testhooks"
	"github.com/crossseal/crossseal/keystore"
)

func init() {
	testhooks.NewManagerWithRand = func(store keystore.Store, r io.Reader) any {
		m := New(store)
		m.rand = r
		return m
	}
}
