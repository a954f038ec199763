// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package wycheproof

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// modulePath is the module whose root [Dir] looks for.
const modulePath = "github.com/crossseal/crossseal"

// Dir returns the directory that holds the Wycheproof vector files:
// shared/wycheproof beside the directory whose go.mod declares module
// github.com/crossseal/crossseal, found by walking up from the working
// directory. It calls t.Fatal if there is no such go.mod or the vector
// directory does not exist, so a test without its vectors fails rather
// than skips.
func Dir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("wycheproof: %v", err)
	}
	for !isModuleRoot(filepath.Join(dir, "go.mod")) {
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("wycheproof: no go.mod declaring module %s above %s", modulePath, dir)
		}
		dir = parent
	}
	vectors := filepath.Join(filepath.Dir(dir), "shared", "wycheproof")
	if fi, err := os.Stat(vectors); err != nil {
		t.Fatalf("wycheproof: vectors are required: %v", err)
	} else if !fi.IsDir() {
		t.Fatalf("wycheproof: vectors are required: %s is not a directory", vectors)
	}
	return vectors
}

// isModuleRoot reports whether goMod is a go.mod file whose module
// directive declares modulePath.
func isModuleRoot(goMod string) bool {
	f, err := os.Open(goMod)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "//")
		if fields := strings.Fields(line); len(fields) == 2 && fields[0] == "module" {
			return strings.Trim(fields[1], `"`) == modulePath
		}
	}
	return false
}
