// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package session

import (
	"context"
	"testing"
	"time"
)

// The benchmarks follow the definitions in shared/PERFORMANCE.md, so their
// results can be divided by the primitive floor and compared with the
// go.mau.fi/libsignal anchors measured in the interop module.

// BenchmarkSetup: process a bundle, encrypt the first message, decrypt it
// (bundle generation excluded).
func BenchmarkSetup(b *testing.B) { benchmarkSetup(b, false) }

// BenchmarkV4Setup: as BenchmarkSetup with a PQXDH bundle (Kyber1024
// last-resort KEM prekey): PQXDH both sides, SPQR started, the first v4
// message sent and received.
func BenchmarkV4Setup(b *testing.B) { benchmarkSetup(b, true) }

func benchmarkSetup(b *testing.B, v4 bool) {
	ctx := context.Background()
	msg := make([]byte, 100)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		alice, bob := newParty(b, "alice", 1), newParty(b, "bob", 2)
		bundle, err := bob.m.Bundle(ctx, 1, 1, true, 1)
		if err != nil {
			b.Fatal(err)
		}
		if v4 {
			if _, err := bob.m.GenerateKEMPreKey(ctx, 1, Kyber1024, true, time.Now()); err != nil {
				b.Fatal(err)
			}
			if err := bob.m.AddKEMPreKey(ctx, bundle, 1); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		if err := alice.m.ProcessBundle(ctx, bob.addr, bundle); err != nil {
			b.Fatal(err)
		}
		c, err := alice.m.Encrypt(ctx, bob.addr, msg)
		if err != nil {
			b.Fatal(err)
		}
		if err := bob.m.Decrypt(ctx, alice.addr, c, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func benchmarkOneWay(b *testing.B, size int) { benchmarkOneWayV(b, size, false) }

func connectV(b *testing.B, alice, bob *party, v4 bool) {
	if v4 {
		connectV4(b, alice, bob, 1, 1, true)
	} else {
		connect(b, alice, bob, 1)
	}
}

// BenchmarkV4RoundOneWay100B: v4 encrypt + decrypt on the same chain
// (SPQR sends header chunks, the receiver collects them).
func BenchmarkV4RoundOneWay100B(b *testing.B) { benchmarkOneWayV(b, 100, true) }

// BenchmarkV4RoundOneWay4KiB: as above with 4 KiB.
func BenchmarkV4RoundOneWay4KiB(b *testing.B) { benchmarkOneWayV(b, 4096, true) }

func benchmarkOneWayV(b *testing.B, size int, v4 bool) {
	ctx := context.Background()
	alice, bob := newParty(b, "alice", 1), newParty(b, "bob", 2)
	connectV(b, alice, bob, v4)
	bob.mustDecrypt(b, alice, alice.encrypt(b, bob, "x"), "x")
	alice.mustDecrypt(b, bob, bob.encrypt(b, alice, "y"), "y")
	msg := make([]byte, size)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		c, err := alice.m.Encrypt(ctx, bob.addr, msg)
		if err != nil {
			b.Fatal(err)
		}
		if err := bob.m.Decrypt(ctx, alice.addr, c, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRoundOneWay100B: encrypt + decrypt on the same chain.
func BenchmarkRoundOneWay100B(b *testing.B) { benchmarkOneWay(b, 100) }

// BenchmarkRoundOneWay4KiB: as above with 4 KiB.
func BenchmarkRoundOneWay4KiB(b *testing.B) { benchmarkOneWay(b, 4096) }

// BenchmarkPingPong100B: one message per iteration, alternating direction,
// so every decrypt performs a DH ratchet step.
func BenchmarkPingPong100B(b *testing.B) { benchmarkPingPong(b, false) }

// BenchmarkV4PingPong100B: v4 ping-pong; SPQR epochs complete every ~90
// messages, so over many iterations each message carries its share of an
// ML-KEM-768 key generation, encapsulation and decapsulation.
func BenchmarkV4PingPong100B(b *testing.B) { benchmarkPingPong(b, true) }

func benchmarkPingPong(b *testing.B, v4 bool) {
	ctx := context.Background()
	alice, bob := newParty(b, "alice", 1), newParty(b, "bob", 2)
	connectV(b, alice, bob, v4)
	bob.mustDecrypt(b, alice, alice.encrypt(b, bob, "x"), "x")
	msg := make([]byte, 100)
	from, to := bob, alice
	b.ReportAllocs()
	for b.Loop() {
		c, err := from.m.Encrypt(ctx, to.addr, msg)
		if err != nil {
			b.Fatal(err)
		}
		if err := to.m.Decrypt(ctx, from.addr, c, nil); err != nil {
			b.Fatal(err)
		}
		from, to = to, from
	}
}
