// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package nodepeer

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/crossseal/crossseal/interop/driver"
)

// BenchmarkNodeAnchor measures libsignal 0.103 (through the Node peer) with
// the definitions of PERFORMANCE.md: setup = process a bundle, encrypt the
// first 100 B (PreKey) message and decrypt it (bundle generation outside
// the timer); a round = one encrypt plus its decrypt, one-way (same chain)
// or ping-pong (a DH ratchet step, and in v4 an SPQR step, at every
// decrypt). Every operation here is one JSON request over a pipe, so each
// figure includes per-request overhead; "json-roundtrip" measures that
// overhead alone (a request the peer rejects at once) so it can be
// subtracted: two requests per round, three for setup.
func BenchmarkNodeAnchor(b *testing.B) {
	if err := Check(); err != nil {
		b.Fatal(err)
	}
	argv, err := Argv()
	if err != nil {
		b.Fatal(err)
	}
	startB := func(name string) *driver.Peer { return driver.StartT(b, name, argv) }
	must := func(err error) {
		b.Helper()
		if err != nil {
			b.Fatal(err)
		}
	}
	pair := func() (*driver.Peer, *driver.Peer) {
		alice, bob := startB(driver.NameA), startB(driver.NameB)
		_, err := alice.Init(0)
		must(err)
		bb, err := bob.Init(0)
		must(err)
		must(alice.ProcessBundle(bob.Name(), bb))
		// Establish: a PreKey message and a reply.
		m, err := alice.Encrypt(bob.Name(), []byte("hi"))
		must(err)
		_, err = bob.Decrypt(alice.Name(), m)
		must(err)
		m, err = bob.Encrypt(alice.Name(), []byte("hi"))
		must(err)
		_, err = alice.Decrypt(bob.Name(), m)
		must(err)
		return alice, bob
	}
	round := func(from, to *driver.Peer, pt []byte) {
		m, err := from.Encrypt(to.Name(), pt)
		must(err)
		got, err := to.Decrypt(from.Name(), m)
		must(err)
		if !bytes.Equal(got, pt) {
			b.Fatal("wrong plaintext")
		}
	}
	pt100, pt4k := bytes.Repeat([]byte{'x'}, 100), bytes.Repeat([]byte{'y'}, 4096)

	b.Run("json-roundtrip", func(b *testing.B) {
		p := startB("p")
		for b.Loop() {
			resp, err := p.Call(driver.Request{"op": "nop"})
			must(err)
			if _, ok := resp.ErrorMessage(); !ok {
				b.Fatal("nop accepted")
			}
		}
	})
	b.Run("setup", func(b *testing.B) {
		alice, bob := startB(driver.NameA), startB(driver.NameB)
		_, err := alice.Init(0)
		must(err)
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			bb, err := bob.Init(0)
			must(err)
			// A new name each time: bob's identity changes with every
			// init, and alice trusts an address's first identity only.
			name := fmt.Sprint("bob-", i)
			b.StartTimer()
			must(alice.ProcessBundle(name, bb))
			m, err := alice.Encrypt(name, pt100)
			must(err)
			_, err = bob.Decrypt(alice.Name(), m)
			must(err)
		}
	})
	b.Run("round-100B-one-way", func(b *testing.B) {
		alice, bob := pair()
		for b.Loop() {
			round(alice, bob, pt100)
		}
	})
	b.Run("round-100B-ping-pong", func(b *testing.B) {
		alice, bob := pair()
		i := 0
		for b.Loop() {
			if i%2 == 0 {
				round(alice, bob, pt100)
			} else {
				round(bob, alice, pt100)
			}
			i++
		}
	})
	b.Run("round-4KiB-one-way", func(b *testing.B) {
		alice, bob := pair()
		for b.Loop() {
			round(alice, bob, pt4k)
		}
	})
}
