// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package curve

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/crossseal/crossseal/internal/wycheproof"
)

type wycheproofXDH struct {
	Algorithm     string `json:"algorithm"`
	NumberOfTests int    `json:"numberOfTests"`
	TestGroups    []struct {
		Curve string `json:"curve"`
		Tests []struct {
			TcID    int      `json:"tcId"`
			Comment string   `json:"comment"`
			Flags   []string `json:"flags"`
			Public  string   `json:"public"`
			Private string   `json:"private"`
			Shared  string   `json:"shared"`
			Result  string   `json:"result"`
		} `json:"tests"`
	} `json:"testGroups"`
}

// TestWycheproofX25519 runs every x25519_test.json case through ECDH. An
// all-zero expected secret (LowOrderPublic / ZeroSharedSecret) must give
// ErrLowOrderPoint; every other valid or acceptable case must give the
// expected secret, including twist points and non-canonical u.
func TestWycheproofX25519(t *testing.T) {
	var file wycheproofXDH
	wycheproof.Load(t, "x25519_test.json", &file)
	if file.Algorithm != "XDH" {
		t.Fatalf("algorithm %q, want XDH", file.Algorithm)
	}
	ran, lowOrder := 0, 0
	for _, g := range file.TestGroups {
		if g.Curve != "curve25519" {
			continue
		}
		for _, tc := range g.Tests {
			ran++
			zero := strings.Trim(tc.Shared, "0") == ""
			if zero {
				lowOrder++
			}
			t.Run(fmt.Sprintf("tc%d %s", tc.TcID, tc.Comment), func(t *testing.T) {
				t.Parallel()
				priv, err := NewPrivateKey(mustHex(t, tc.Private))
				if err != nil {
					t.Fatalf("NewPrivateKey: %v", err)
				}
				pub, err := NewPublicKeyRaw(mustHex(t, tc.Public))
				if err != nil {
					if tc.Result == "invalid" {
						return
					}
					t.Fatalf("NewPublicKeyRaw: %v", err)
				}
				shared, err := priv.ECDH(pub)
				switch {
				case zero:
					if !errors.Is(err, ErrLowOrderPoint) || shared != nil {
						t.Errorf("ECDH = %x, %v; want ErrLowOrderPoint (flags %v)", shared, err, tc.Flags)
					}
					if !slices.Contains(tc.Flags, "ZeroSharedSecret") {
						t.Errorf("all-zero secret without the ZeroSharedSecret flag: %v", tc.Flags)
					}
				case tc.Result == "valid" || tc.Result == "acceptable":
					if err != nil {
						t.Fatalf("ECDH: %v (flags %v)", err, tc.Flags)
					}
					if want := mustHex(t, tc.Shared); !bytes.Equal(shared, want) {
						t.Errorf("ECDH = %x, want %x (flags %v)", shared, want, tc.Flags)
					}
				default:
					if err == nil {
						t.Errorf("ECDH of an invalid case = %x, want an error", shared)
					}
				}
			})
		}
	}
	if ran != file.NumberOfTests || ran == 0 {
		t.Errorf("ran %d cases, file declares %d", ran, file.NumberOfTests)
	}
	if lowOrder == 0 {
		t.Error("no low-order cases found")
	}
}
