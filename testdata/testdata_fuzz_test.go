// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package testdata

import (
	"bytes"
	"io/fs"
	"testing"
)

// FuzzParse checks that Parse never panics, returns nil on error, and
// accepts only canonical files: Marshal gives back the input. Seeds are
// the embedded vectors.
func FuzzParse(f *testing.F) {
	err := fs.WalkDir(Vectors, "vectors", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := Vectors.ReadFile(p)
		f.Add(b)
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := Parse(b)
		if err != nil {
			if v != nil {
				t.Fatalf("Parse returned %v with error %v", v, err)
			}
			return
		}
		if got := v.Marshal(); !bytes.Equal(got, b) {
			t.Fatalf("Marshal(Parse(b)) = %q, want %q", got, b)
		}
	})
}
