// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package wycheproof

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// Load reads the Wycheproof file name (for example "x25519_test.json")
// from [Dir] and decodes its JSON into v, which must be a pointer, as for
// json.Unmarshal. It calls t.Fatal if name is not a plain file name in the
// vector directory, if the file is missing, or if it does not decode.
// Load checks nothing about the contents: the caller checks the algorithm,
// the groups and the number of tests against its own schema.
func Load(t testing.TB, name string, v any) {
	t.Helper()
	if !filepath.IsLocal(name) {
		t.Fatalf("wycheproof: %q is not a file name in the vector directory", name)
	}
	path := filepath.Join(Dir(t), name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("wycheproof: vectors are required: %v", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("wycheproof: %s: %v", path, err)
	}
}
