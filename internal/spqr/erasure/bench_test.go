// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package erasure

import (
	"bytes"
	"fmt"
	"testing"
)

// spqrLengths are the message lengths SPQR encodes: header and MAC,
// encapsulation key, ciphertext part 1, ciphertext part 2 and MAC.
var spqrLengths = []int{96, 1152, 960, 160}

// BenchmarkEncode measures encoding every chunk of a message up to index
// 2n: n systematic chunks, then n redundant ones.
func BenchmarkEncode(b *testing.B) {
	for _, length := range spqrLengths {
		b.Run(fmt.Sprint(length), func(b *testing.B) {
			msg := randomMessage(length, 20)
			n := chunksNeeded(length)
			b.SetBytes(int64(length))
			for b.Loop() {
				e, err := NewEncoder(msg)
				if err != nil {
					b.Fatal(err)
				}
				for range 2 * n {
					e.NextChunk()
				}
			}
		})
	}
}

// BenchmarkDecode measures decoding a message from the redundant chunks
// n..2n-1 only, the worst case: every value is interpolated.
func BenchmarkDecode(b *testing.B) {
	for _, length := range spqrLengths {
		b.Run(fmt.Sprint(length), func(b *testing.B) {
			msg := randomMessage(length, 21)
			n := chunksNeeded(length)
			e, err := RestoreEncoder(msg, uint32(n))
			if err != nil {
				b.Fatal(err)
			}
			chunks := make([]Chunk, n)
			for i := range chunks {
				chunks[i] = e.NextChunk()
			}
			b.SetBytes(int64(length))
			for b.Loop() {
				d, err := NewDecoder(length)
				if err != nil {
					b.Fatal(err)
				}
				for _, c := range chunks {
					d.AddChunk(c)
				}
				got, ok := d.Message()
				if !ok || !bytes.Equal(got, msg) {
					b.Fatal("decoding failed")
				}
			}
		})
	}
}
