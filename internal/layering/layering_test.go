// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package layering

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

const mod = "github.com/crossseal/crossseal"

// forbidden maps a package prefix to the crossseal packages it must not
// depend on (directly or indirectly).
var forbidden = map[string][]string{
	mod + "/x3dh":               {mod + "/ratchet", mod + "/session", mod + "/envelope"},
	mod + "/ratchet":            {mod + "/x3dh", mod + "/session", mod + "/envelope", mod + "/keystore"},
	mod + "/keystore":           {mod + "/session", mod + "/x3dh", mod + "/ratchet", mod + "/envelope"},
	mod + "/session":            {mod + "/envelope", mod + "/keystore/sqlitestore"},
	mod + "/internal/curve":     {mod + "/session", mod + "/x3dh", mod + "/ratchet", mod + "/envelope", mod + "/keystore"},
	mod + "/internal/kdf":       {mod + "/session", mod + "/x3dh", mod + "/ratchet", mod + "/envelope", mod + "/keystore"},
	mod + "/internal/wire":      {mod + "/session", mod + "/x3dh", mod + "/ratchet", mod + "/envelope", mod + "/keystore"},
	mod + "/envelope":           {mod + "/keystore/sqlitestore"},
	mod + "/internal/kem":       {mod + "/session", mod + "/x3dh", mod + "/ratchet", mod + "/envelope", mod + "/keystore"},
	mod + "/internal/cbc":       {mod + "/session", mod + "/x3dh", mod + "/ratchet", mod + "/envelope", mod + "/keystore"},
	mod + "/internal/pb":        {mod + "/session", mod + "/x3dh", mod + "/ratchet", mod + "/envelope", mod + "/keystore"},
	mod + "/internal/testhooks": {mod + "/session", mod + "/envelope"},
	// internal/wycheproof imports "testing": only _test.go files, whose
	// imports go list leaves out of Deps, may use it.
	mod: {mod + "/internal/wycheproof"},
}

type pkg struct {
	ImportPath string
	Deps       []string
}

func TestDependencyDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps=false", "-json=ImportPath,Deps", mod+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	seen := 0
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		seen++
		for prefix, bans := range forbidden {
			if p.ImportPath != prefix && !strings.HasPrefix(p.ImportPath, prefix+"/") {
				continue
			}
			for _, d := range p.Deps {
				for _, ban := range bans {
					if d == ban || strings.HasPrefix(d, ban+"/") {
						t.Errorf("%s depends on %s (forbidden by the layering)", p.ImportPath, d)
					}
				}
			}
		}
	}
	if seen < 8 {
		t.Fatalf("go list returned only %d packages", seen)
	}
}

// TestNoCopyleftDependencies keeps the GPL/AGPL interop peers out of the
// root module: importers of crossseal must see only permissive licenses.
func TestNoCopyleftDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "all").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	n := 0
	for sc := bufio.NewScanner(bytes.NewReader(out)); sc.Scan(); n++ {
		m := strings.Fields(sc.Text())[0]
		for _, bad := range []string{"go.mau.fi/", "github.com/signalapp/", "go.mau.fi"} {
			if strings.HasPrefix(m, bad) {
				t.Errorf("root module depends on copyleft module %s", m)
			}
		}
	}
	if n < 3 {
		t.Fatalf("go list -m all listed %d modules", n)
	}
}
