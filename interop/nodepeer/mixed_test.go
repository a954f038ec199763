// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package nodepeer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/crossseal/crossseal/interop/driver"
	"github.com/crossseal/crossseal/interop/inprocess"
)

// TestMixedGenerations: one crossseal account holds, at the same time, a
// v3 session with a WhatsApp-style peer (go.mau.fi/libsignal, which
// ignores the KEM prekey of crossseal's bundle and has none of its own)
// and a v4 session with a Signal peer (libsignal 0.103), and interleaves
// messages with both, each side initiating once.
func TestMixedGenerations(t *testing.T) {
	for _, csInitiates := range []bool{true, false} {
		t.Run(fmt.Sprintf("crossseal_initiates=%t", csInitiates), func(t *testing.T) {
			cs := inprocess.NewCrosssealV4("carol")
			mau := inprocess.NewMau("wanda")
			node := start(t, "sig")
			bundles := map[string]*driver.Bundle{}
			for _, e := range []driver.Endpoint{cs, mau, node} {
				b, err := e.Init(0)
				if err != nil {
					t.Fatal(err)
				}
				bundles[e.Name()] = b
			}
			peers := []driver.Endpoint{mau, node}
			for _, p := range peers {
				var err error
				if csInitiates {
					err = cs.ProcessBundle(p.Name(), bundles[p.Name()])
				} else {
					b := bundles[cs.Name()]
					if p == node {
						// The one-time prekey went to the other peer.
						b = withoutPreKey(t, b)
					}
					err = p.ProcessBundle(cs.Name(), b)
				}
				if err != nil {
					t.Fatalf("%s: %v", p.Name(), err)
				}
			}
			for i := range 40 {
				p := peers[i%2]
				from, to := driver.Endpoint(cs), p
				if (i/2)%2 == 1 == csInitiates {
					from, to = p, cs
				}
				if i < 2 && !csInitiates {
					from, to = p, cs
				}
				pt := fmt.Appendf(nil, "%d from %s", i, from.Name())
				m, err := from.Encrypt(to.Name(), pt)
				if err != nil {
					t.Fatalf("%d: %v", i, err)
				}
				wantVersion := byte(0x33)
				if p == node {
					wantVersion = 0x44
				}
				if m.Body[0] != wantVersion {
					t.Fatalf("%d: %s→%s version byte %#x, want %#x", i, from.Name(), to.Name(), m.Body[0], wantVersion)
				}
				got, err := to.Decrypt(from.Name(), m)
				if err != nil || !bytes.Equal(got, pt) {
					t.Fatalf("%d: %s→%s: %q, %v", i, from.Name(), to.Name(), got, err)
				}
			}
			for _, p := range peers {
				info := csSession(t, cs, p.Name())
				want := map[bool]uint8{true: 4, false: 3}[p == node]
				if info != want {
					t.Errorf("session with %s is v%d, want v%d", p.Name(), info, want)
				}
			}
		})
	}
}

// withoutPreKey returns b without its one-time prekey.
func withoutPreKey(t *testing.T, b *driver.Bundle) *driver.Bundle {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b.Raw, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "prekey")
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	c := *b
	c.PreKey, c.Raw = nil, raw
	return &c
}
