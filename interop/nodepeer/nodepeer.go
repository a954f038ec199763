// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package nodepeer

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/crossseal/crossseal/interop/driver"
)

// Dir returns the absolute path of interop/node, found relative to this
// source file.
func Dir() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("nodepeer: cannot locate the source directory")
	}
	return filepath.Join(filepath.Dir(file), "..", "node"), nil
}

// Check reports why the Node peer cannot run: node missing from PATH, or
// the npm package not installed in interop/node. It returns nil when the
// peer can start.
func Check() error {
	dir, err := Dir()
	if err != nil {
		return err
	}
	if _, err := exec.LookPath("node"); err != nil {
		return fmt.Errorf("nodepeer: node is not on PATH (Node.js 20 or later is needed): %w", err)
	}
	pkg := filepath.Join(dir, "node_modules", "@signalapp", "libsignal-client", "package.json")
	if _, err := os.Stat(pkg); err != nil {
		return fmt.Errorf("nodepeer: @signalapp/libsignal-client is not installed; run `npm ci` in %s (%w)", dir, err)
	}
	return nil
}

// Argv returns the command line that starts the peer.
func Argv() ([]string, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	return []string{"node", filepath.Join(dir, "peer.mjs"), "--profile", "v4"}, nil
}

// Command returns a driver.NewPeerFunc that starts a Node peer for the
// duration of the test. It fails the test (never skips it) if the peer
// cannot run; see [Check].
func Command() driver.NewPeerFunc {
	return func(t *testing.T, name string) driver.Endpoint {
		t.Helper()
		if err := Check(); err != nil {
			t.Fatal(err)
		}
		argv, err := Argv()
		if err != nil {
			t.Fatal(err)
		}
		return driver.StartT(t, name, argv)
	}
}
