// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package spqr_test

import (
	"io/fs"
	"testing"

	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/testdata/verify"
)

// TestVectors replays the SPQR runs of testdata/vectors/spqr: every
// message and key byte for byte, replays and tampered chunks refused with
// the recorded error class, and the final epochs.
func TestVectors(t *testing.T) {
	sub, err := fs.Sub(testdata.Vectors, "vectors")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range verify.VerifyKinds(sub, "spqr") {
		t.Run(r.Path, func(t *testing.T) {
			if !r.Pass {
				t.Error(r.Reason)
			}
		})
	}
}
