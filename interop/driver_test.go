// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package interop_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/crossseal/crossseal/interop/driver"
)

// peerSpec says how to build and run one peer implementation.
type peerSpec struct {
	name string   // short name, used in test names
	dir  string   // module directory to build in, relative to this module
	pkg  string   // package to build there
	args []string // arguments after the binary
}

// peerSpecs lists the peers that TestInterop pairs with each other. To add
// a pairing, add one line.
var peerSpecs = []peerSpec{
	{name: "mau", dir: ".", pkg: "./cmd/maupeer"},
	// ADD CROSSSEAL HERE (one line, then go test ./...):
	{name: "crossseal", dir: "..", pkg: "github.com/crossseal/crossseal/cmd/crossseal", args: []string{"peer", "--profile", "v3"}},
}

// binDir holds the peer binaries, built once per test process.
var binDir string

type buildResult struct {
	once sync.Once
	path string
	err  error
}

var builds sync.Map // peer name → *buildResult

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "crossseal-interop-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// build builds spec once per test process (only when a test needs it, so
// benchmarks do not pay for it). A build failure fails the test: a peer
// that does not build is a broken pairing, not a skipped one.
func build(t *testing.T, spec peerSpec) string {
	t.Helper()
	v, _ := builds.LoadOrStore(spec.name, new(buildResult))
	r := v.(*buildResult)
	r.once.Do(func() {
		out := filepath.Join(binDir, spec.name)
		cmd := exec.Command("go", "build", "-o", out, spec.pkg)
		cmd.Dir = spec.dir
		if msg, err := cmd.CombinedOutput(); err != nil {
			r.err = fmt.Errorf("building peer %s (go build %s in %s): %v\n%s", spec.name, spec.pkg, spec.dir, err, msg)
			return
		}
		r.path = out
	})
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.path
}

// newPeer returns a driver.NewPeerFunc for spec.
func newPeer(t *testing.T, spec peerSpec) driver.NewPeerFunc {
	argv := append([]string{build(t, spec)}, spec.args...)
	return driver.Command(argv...)
}

// TestInterop runs the driver scenarios for every pairing of peers,
// including each peer with itself. RunScenarios runs every scenario with
// either side initiating, so the pair (a, b) also covers (b, a).
func TestInterop(t *testing.T) {
	for i, a := range peerSpecs {
		for _, b := range peerSpecs[i:] {
			t.Run(a.name+"-"+b.name, func(t *testing.T) {
				driver.RunScenarios(t, newPeer(t, a), newPeer(t, b))
			})
		}
	}
}
