// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package nodepeer

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/crossseal/crossseal/interop/driver"
)

// crosssealV4 returns a driver.NewPeerFunc that starts the crossseal
// binary bin as `crossseal peer --profile v4`.
func crosssealV4(bin string) driver.NewPeerFunc {
	return driver.Command(bin, "peer", "--profile", "v4")
}

// TestPeerV4Scenarios runs the driver's scenarios over the JSON protocol
// between two processes, `crossseal peer --profile v4` and the Node
// libsignal 0.103 peer, each side initiating, garbage included.
func TestPeerV4Scenarios(t *testing.T) {
	newCS, newNode := crosssealV4(buildCrossseal(t)), Command()
	for _, sc := range driver.Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Run("crossseal_initiates", func(t *testing.T) {
				cs, node := newCS(t, driver.NameA), newNode(t, driver.NameB)
				sc.Run(t, cs, node)
			})
			t.Run("node_initiates", func(t *testing.T) {
				node, cs := newNode(t, driver.NameA), newCS(t, driver.NameB)
				sc.Run(t, node, cs)
			})
		})
	}
}

// TestPeerV4PingPong: 200 rounds of ping-pong (400 messages) between the
// crossseal peer process (v4 profile, initiating) and the Node peer. Every
// message is v4 (version byte 0x44), the first a PreKey message and the
// rest SignalMessages, and every one decrypts to what was sent.
func TestPeerV4PingPong(t *testing.T) {
	cs := crosssealV4(buildCrossseal(t))(t, driver.NameA).(*driver.Peer)
	node := start(t, driver.NameB)
	cb, err := cs.Init(0)
	if err != nil {
		t.Fatal(err)
	}
	if cb.KEMPreKey == nil || cb.KEMPreKey.KEMType != 8 {
		t.Fatalf("crossseal's v4 bundle: kem_prekey %+v, want kem_type 8", cb.KEMPreKey)
	}
	nb, err := node.Init(0)
	if err != nil {
		t.Fatal(err)
	}
	if err := cs.ProcessBundle(node.Name(), nb); err != nil {
		t.Fatal(err)
	}
	for i := range 400 {
		from, to := cs, node
		if i%2 == 1 {
			from, to = node, cs
		}
		pt := fmt.Appendf(nil, "round %d, message %d from %s", i/2, i, from.Name())
		m := mustSend(t, from, to, pt)
		if want := map[bool]int{true: driver.TypePreKey, false: driver.TypeSignal}[i == 0]; m.Type != want {
			t.Fatalf("message %d: type %d, want %d", i, m.Type, want)
		}
		if m.Body[0] != 0x44 {
			t.Fatalf("message %d from %s: version byte %#x, want 0x44", i, from.Name(), m.Body[0])
		}
		got, err := to.Decrypt(from.Name(), m)
		if err != nil {
			t.Fatalf("message %d from %s (%d bytes): %v", i, from.Name(), len(m.Body), err)
		}
		if !bytes.Equal(got, pt) {
			t.Fatalf("message %d: decrypted %q, want %q", i, got, pt)
		}
	}
}
