// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package testdata

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const modulePath = "github.com/crossseal/crossseal"

// WycheproofFile reads a Wycheproof test-vector file from the shared/
// directory that sits beside crossseal's module root: it walks up from the
// working directory (a package directory under "go test") to the directory
// whose go.mod declares module github.com/crossseal/crossseal, then reads
// ../shared/wycheproof/name. A missing file is an error: callers fail the
// test rather than skip it.
func WycheproofFile(name string) ([]byte, error) {
	dir, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	for !isModuleRoot(filepath.Join(dir, "go.mod")) {
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, fmt.Errorf("testdata: no go.mod declaring module %s above the working directory", modulePath)
		}
		dir = parent
	}
	return os.ReadFile(filepath.Join(filepath.Dir(dir), "shared", "wycheproof", name))
}

func isModuleRoot(goMod string) bool {
	f, err := os.Open(goMod)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) == 2 && fields[0] == "module" {
			return strings.Trim(fields[1], `"`) == modulePath
		}
	}
	return false
}

// LowOrderCase is a Wycheproof X25519 case whose shared secret is all
// zeros: its public key is a low-order point (or a non-canonical or
// twist encoding of one).
type LowOrderCase struct {
	TcID    int
	Comment string
	// Public is the raw 32-byte u-coordinate.
	Public []byte
}

// WycheproofLowOrderX25519 returns every case of x25519_test.json whose
// expected shared secret is all zeros. It fails if the file is missing or
// holds no such case.
func WycheproofLowOrderX25519() ([]LowOrderCase, error) {
	data, err := WycheproofFile("x25519_test.json")
	if err != nil {
		return nil, err
	}
	var file struct {
		TestGroups []struct {
			Curve string `json:"curve"`
			Tests []struct {
				TcID    int    `json:"tcId"`
				Comment string `json:"comment"`
				Public  string `json:"public"`
				Shared  string `json:"shared"`
			} `json:"tests"`
		} `json:"testGroups"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("testdata: x25519_test.json: %w", err)
	}
	var out []LowOrderCase
	for _, g := range file.TestGroups {
		if g.Curve != "curve25519" {
			continue
		}
		for _, tc := range g.Tests {
			if tc.Shared == "" || strings.Trim(tc.Shared, "0") != "" {
				continue
			}
			pub, err := hex.DecodeString(tc.Public)
			if err != nil || len(pub) != 32 {
				return nil, fmt.Errorf("testdata: x25519 case %d: bad public key", tc.TcID)
			}
			out = append(out, LowOrderCase{tc.TcID, tc.Comment, pub})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("testdata: no low-order cases in x25519_test.json")
	}
	return out, nil
}
