// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package nodepeer

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/crossseal/crossseal/internal/wire"
	"github.com/crossseal/crossseal/interop/driver"
	"github.com/crossseal/crossseal/interop/inprocess"
	"github.com/crossseal/crossseal/keystore"
)

// TestV4FirstMessages is the first end-to-end check of v4 against
// libsignal: each side starts a session, the first messages decrypt on the
// other side (which confirms PQXDH's keys and SPQR's first key), and
// replies flow back.
func TestV4FirstMessages(t *testing.T) {
	for _, goFirst := range []bool{true, false} {
		name := "node_initiates"
		if goFirst {
			name = "crossseal_initiates"
		}
		t.Run(name, func(t *testing.T) {
			node := start(t, driver.NameA)
			cs := inprocess.NewCrosssealV4(driver.NameB)
			nb, err := node.Init(0)
			if err != nil {
				t.Fatal(err)
			}
			cb, err := cs.Init(0)
			if err != nil {
				t.Fatal(err)
			}
			var from, to driver.Endpoint = node, cs
			if goFirst {
				from, to = cs, node
				if err := cs.ProcessBundle(node.Name(), nb); err != nil {
					t.Fatal(err)
				}
			} else if err := node.ProcessBundle(cs.Name(), cb); err != nil {
				t.Fatal(err)
			}
			for i := range 6 {
				pt := []byte("hello " + name)
				m, err := from.Encrypt(to.Name(), pt)
				if err != nil {
					t.Fatalf("message %d: encrypt: %v", i, err)
				}
				got, err := to.Decrypt(from.Name(), m)
				if err != nil {
					t.Fatalf("message %d (type %d, %d bytes): decrypt: %v", i, m.Type, len(m.Body), err)
				}
				if string(got) != string(pt) {
					t.Fatalf("message %d: got %q", i, got)
				}
				from, to = to, from
			}
		})
	}
}

// TestV4Scenarios runs the driver's scenarios between crossseal (v4
// profile, in process) and libsignal 0.103 (Node), each side initiating:
// basic exchange, out-of-order PreKey messages, payload sizes 1 B-64 KiB,
// messages delivered after several DH steps, replays, tampering and
// ping-pong, garbage.
func TestV4Scenarios(t *testing.T) {
	for _, sc := range driver.Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Run("crossseal_initiates", func(t *testing.T) {
				cs, node := inprocess.NewCrosssealV4(driver.NameA), start(t, driver.NameB)
				sc.Run(t, cs, node)
			})
			t.Run("node_initiates", func(t *testing.T) {
				node, cs := start(t, driver.NameA), inprocess.NewCrosssealV4(driver.NameB)
				sc.Run(t, node, cs)
			})
		})
	}
}

// csEpoch is crossseal's SPQR epoch in its session with peer.
func csEpoch(t *testing.T, cs *inprocess.Crossseal, peer string) uint64 {
	t.Helper()
	info, err := cs.Manager().Session(context.Background(), keystore.Address{Name: peer, DeviceID: 1})
	if err != nil {
		t.Fatal(err)
	}
	if info.Version != 4 {
		t.Fatalf("session version %d, want 4", info.Version)
	}
	return info.PQEpoch
}

// TestV4PingPongEpochs: 200 ping-pong rounds (400 messages) between
// crossseal and libsignal complete several SPQR epochs (each needs the
// ~3+36 chunks of a key and the 30+5 of a ciphertext); a message withheld
// from an early epoch still decrypts after the next epoch completed; a
// replay and a tampered SPQR field are refused and change nothing.
func TestV4PingPongEpochs(t *testing.T) {
	node := start(t, driver.NameA)
	cs := inprocess.NewCrosssealV4(driver.NameB)
	nb, err := node.Init(0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Init(0); err != nil {
		t.Fatal(err)
	}
	if err := cs.ProcessBundle(node.Name(), nb); err != nil {
		t.Fatal(err)
	}
	for i := range 400 {
		var from, to driver.Endpoint = cs, node
		if i%2 == 1 {
			from, to = node, cs
		}
		pt := fmt.Appendf(nil, "round %d from %s", i, from.Name())
		m, err := from.Encrypt(to.Name(), pt)
		if err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
		if m.Body[0] != 0x44 {
			t.Fatalf("round %d: version byte %#x", i, m.Body[0])
		}
		got, err := to.Decrypt(from.Name(), m)
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("round %d: %q, %v", i, got, err)
		}
	}
	pingPongEpoch := csEpoch(t, cs, node.Name())
	t.Logf("SPQR epoch after 400 ping-pong messages: %d", pingPongEpoch)
	if pingPongEpoch < 4 {
		t.Fatalf("only %d SPQR epochs completed in 400 ping-pong messages", pingPongEpoch)
	}

	// Bursts of 45 messages each way (few DH steps, so the Double
	// Ratchet keeps the chains): a message withheld from libsignal's first
	// burst is delivered once crossseal has moved to the next SPQR epoch.
	var withheld driver.Message
	var withheldPT []byte
	start := csEpoch(t, cs, node.Name())
	for turn := 0; withheld.Body == nil || csEpoch(t, cs, node.Name()) == start; turn++ {
		if turn > 5 {
			t.Fatalf("no SPQR epoch completed in %d bursts", turn)
		}
		var from, to driver.Endpoint = node, cs
		if turn%2 == 1 {
			from, to = cs, node
		}
		for j := range 45 {
			pt := fmt.Appendf(nil, "burst %d message %d", turn, j)
			m, err := from.Encrypt(to.Name(), pt)
			if err != nil {
				t.Fatal(err)
			}
			if turn == 0 && j == 3 {
				withheld, withheldPT = m, pt
				continue
			}
			if got, err := to.Decrypt(from.Name(), m); err != nil || !bytes.Equal(got, pt) {
				t.Fatalf("burst %d message %d: %q, %v", turn, j, got, err)
			}
		}
	}
	if got, err := cs.Decrypt(node.Name(), withheld); err != nil || !bytes.Equal(got, withheldPT) {
		t.Fatalf("message withheld in SPQR epoch %d, delivered in epoch %d: %q, %v", start, csEpoch(t, cs, node.Name()), got, err)
	}
	// Replay and tamper, from libsignal to crossseal and back.
	pt := []byte("last")
	m, err := node.Encrypt(cs.Name(), pt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Decrypt(node.Name(), m); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Decrypt(node.Name(), m); err == nil {
		t.Fatal("crossseal accepted a replay")
	}
	m2, err := cs.Encrypt(node.Name(), pt)
	if err != nil {
		t.Fatal(err)
	}
	sm, err := wire.ParseSignalMessage(m2.Body)
	if err != nil || len(sm.PQRatchet) == 0 {
		t.Fatalf("crossseal's message: %v, pq_ratchet %d bytes", err, len(sm.PQRatchet))
	}
	bad := bytes.Clone(m2.Body)
	i := bytes.Index(bad, sm.PQRatchet)
	bad[i+len(sm.PQRatchet)-1] ^= 1
	if _, err := node.Decrypt(cs.Name(), driver.Message{Type: m2.Type, Body: bad}); err == nil {
		t.Fatal("libsignal accepted a message with a tampered pq_ratchet field")
	}
	if got, err := node.Decrypt(cs.Name(), m2); err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("original after tamper: %q, %v", got, err)
	}
}

// csSession is the protocol version of crossseal's session with peer.
func csSession(t *testing.T, cs *inprocess.Crossseal, peer string) uint8 {
	t.Helper()
	info, err := cs.Manager().Session(context.Background(), keystore.Address{Name: peer, DeviceID: 1})
	if err != nil {
		t.Fatal(err)
	}
	return info.Version
}
