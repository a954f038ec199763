// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package sqlitestore

import (
	"bytes"
	"context"
	"encoding/binary"
	"testing"
	"time"

	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/session"
)

// withSynchronous overrides PRAGMA synchronous, for measuring NORMAL
// against the FULL this package insists on.
func withSynchronous(mode string) Option { return func(c *config) { c.synchronous = mode } }

// benchStores are the configurations both benchmarks run, so that the
// ratio of BenchmarkDurableDecrypt to BenchmarkBareCommit can be read off
// for each.
var benchStores = []struct {
	name string
	opts []Option
}{
	{"full", nil},
	{"full-encrypted", []Option{WithEncryptionKey(testKey)}},
	{"normal", []Option{withSynchronous("NORMAL")}},
}

// BenchmarkDurableDecrypt: Bob decrypts one 100-byte message per op, all
// on the same receiving chain, through session.Manager over the store;
// every op is one committed transaction. Alice's encryption is outside
// the timer. "memory" is keystore.Memory, for the protocol's own cost.
func BenchmarkDurableDecrypt(b *testing.B) {
	b.Run("memory", func(b *testing.B) { benchmarkDecrypt(b, keystore.NewMemory()) })
	for _, c := range benchStores {
		b.Run(c.name, func(b *testing.B) {
			s, _ := openTemp(b, c.opts...)
			benchmarkDecrypt(b, s)
		})
	}
}

func benchmarkDecrypt(b *testing.B, store keystore.Store) {
	ctx := context.Background()
	alice := newParty(b, "whatsapp:alice", 1, keystore.NewMemory(), 0)
	bob := newParty(b, "instagram:bob", 2, store, 1)
	handshake(b, alice, bob, 1)
	msg := make([]byte, 100)
	var queue []session.Ciphertext
	b.ReportAllocs()
	for b.Loop() {
		if len(queue) == 0 {
			b.StopTimer()
			for range 1000 {
				queue = append(queue, mustEncrypt(b, alice, bob, string(msg)))
			}
			b.StartTimer()
		}
		c := queue[0]
		queue = queue[1:]
		if err := bob.m.Decrypt(ctx, alice.addr, c, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(sessionSize(b, store, alice.addr)), "record-bytes")
}

// BenchmarkBareCommit: one Update per op that writes a session record of
// the size Bob's record has in BenchmarkDurableDecrypt: the floor for a
// durable decrypt.
func BenchmarkBareCommit(b *testing.B) {
	size := idleRecordSize(b)
	for _, c := range benchStores {
		b.Run(c.name, func(b *testing.B) {
			s, _ := openTemp(b, c.opts...)
			ctx := context.Background()
			record := bytes.Repeat([]byte{0xa5}, size)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				// SQLite skips writing a cell that did not change, so every
				// op writes different bytes, as a decrypt does.
				binary.BigEndian.PutUint64(record, uint64(i))
				if err := s.Update(ctx, func(tx keystore.Tx) error { return tx.SetSession(alice, record) }); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size), "record-bytes")
		})
	}
}

// idleRecordSize is the size of Bob's session record after a handshake
// and one message on the receiving chain.
func idleRecordSize(t testing.TB) int {
	a := newParty(t, "whatsapp:alice", 1, keystore.NewMemory(), 0)
	bob := newParty(t, "instagram:bob", 2, keystore.NewMemory(), 1)
	handshake(t, a, bob, 1)
	mustDecrypt(t, bob, a, mustEncrypt(t, a, bob, "x"), "x")
	return sessionSize(t, bob.store, a.addr)
}

// TestRecordSize logs the size of a session record when idle and after
// 100 skipped messages (whose keys the record keeps), and the bytes the
// store writes for each with encryption at rest.
func TestRecordSize(t *testing.T) {
	s, _ := openTemp(t, WithEncryptionKey(testKey))
	a := newParty(t, "whatsapp:alice", 1, keystore.NewMemory(), 0)
	bob := newParty(t, "instagram:bob", 2, s, 1)
	handshake(t, a, bob, 1)
	mustDecrypt(t, bob, a, mustEncrypt(t, a, bob, "x"), "x")
	idle := sessionSize(t, s, a.addr)
	for i := range 100 {
		mustEncrypt(t, a, bob, string(rune('a'+i%26))) // never delivered
	}
	mustDecrypt(t, bob, a, mustEncrypt(t, a, bob, "last"), "last")
	skipped := sessionSize(t, s, a.addr)
	var blob int
	if err := s.db.QueryRow("SELECT length(record) FROM sessions WHERE name = ?", a.addr.Name).Scan(&blob); err != nil {
		t.Fatal(err)
	}
	t.Logf("session record: %d bytes idle, %d bytes with 100 skipped message keys (%.1f bytes per key); sealed: %d bytes",
		idle, skipped, float64(skipped-idle)/100, blob)
	if skipped <= idle || blob != skipped+nonceSize+tagSize {
		t.Errorf("sizes idle %d, skipped %d, sealed %d", idle, skipped, blob)
	}
}

// BenchmarkDecryptCommitRatio interleaves the two operations above, one
// durable decrypt and one bare commit of a record of the same size (on a
// second file in the same directory) per op, and reports each one's mean
// time and their ratio. Interleaving makes the ratio robust against disk
// and machine noise that would hit two separate benchmarks differently.
func BenchmarkDecryptCommitRatio(b *testing.B) {
	for _, c := range benchStores {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			bobStore, _ := openTemp(b, c.opts...)
			bare, _ := openTemp(b, c.opts...)
			alice := newParty(b, "whatsapp:alice", 1, keystore.NewMemory(), 0)
			bob := newParty(b, "instagram:bob", 2, bobStore, 1)
			handshake(b, alice, bob, 1)
			record := bytes.Repeat([]byte{0xa5}, sessionSize(b, bobStore, alice.addr))
			var queue []session.Ciphertext
			var decrypt, commit time.Duration
			n := 0
			for b.Loop() {
				if len(queue) == 0 {
					b.StopTimer()
					for range 1000 {
						queue = append(queue, mustEncrypt(b, alice, bob, string(make([]byte, 100))))
					}
					b.StartTimer()
				}
				start := time.Now()
				if err := bob.m.Decrypt(ctx, alice.addr, queue[0], nil); err != nil {
					b.Fatal(err)
				}
				queue = queue[1:]
				mid := time.Now()
				binary.BigEndian.PutUint64(record, uint64(n))
				if err := bare.Update(ctx, func(tx keystore.Tx) error { return tx.SetSession(alice.addr, record) }); err != nil {
					b.Fatal(err)
				}
				decrypt += mid.Sub(start)
				commit += time.Since(mid)
				n++
			}
			b.ReportMetric(float64(decrypt.Nanoseconds())/float64(n), "decrypt-ns/op")
			b.ReportMetric(float64(commit.Nanoseconds())/float64(n), "commit-ns/op")
			b.ReportMetric(float64(decrypt)/float64(commit), "decrypt/commit")
		})
	}
}
