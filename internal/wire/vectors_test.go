// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package wire_test

import (
	"io/fs"
	"testing"

	"github.com/crossseal/crossseal/internal/wire"
	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/testdata/verify"
)

// TestVectors checks the message and prekey-message vectors: encoding
// every input gives the recorded bytes, parsing gives the inputs back,
// MACs verify only as recorded, and every negative vector is refused.
func TestVectors(t *testing.T) {
	sub, err := fs.Sub(testdata.Vectors, "vectors")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range verify.VerifyKinds(sub, "message", "prekey-message") {
		t.Run(r.Path, func(t *testing.T) {
			if !r.Pass {
				t.Error(r.Reason)
			}
		})
	}
}

// TestTruncations parses every proper prefix of every valid message
// vector: none parses, and none panics.
func TestTruncations(t *testing.T) {
	for kind, parse := range map[string]func([]byte) error{
		"message":        func(b []byte) error { _, err := wire.ParseSignalMessage(b); return err },
		"prekey-message": func(b []byte) error { _, err := wire.ParsePreKeySignalMessage(b); return err },
	} {
		files, err := testdata.Kind(kind)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if f.Expect() != testdata.ExpectSuccess {
				continue
			}
			if err := parse(f.Artifact); err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			for n := range len(f.Artifact) {
				if parse(f.Artifact[:n]) == nil {
					t.Errorf("%s: the first %d bytes parse", f.Path, n)
				}
			}
		}
	}
}
