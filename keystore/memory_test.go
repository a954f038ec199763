// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package keystore_test

import (
	"testing"

	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/keystore/keystoretest"
)

func TestMemoryConformance(t *testing.T) {
	keystoretest.Run(t, func(*testing.T) keystore.Store { return keystore.NewMemory() })
}
