// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package erasure

import (
	"bytes"
	"encoding/hex"
	"testing"
)

// Known-answer tests. Each pinned chunk was produced by this package and is
// cross-checked here against slowChunk, which evaluates the definition with
// separately written arithmetic, so a pinned value is not merely recorded
// output. Messages are built from formulas, not from a seeded generator.

func TestKnownAnswers(t *testing.T) {
	tests := []struct {
		name   string
		length int
		byteAt func(i int) byte
		chunks map[uint16]string
	}{
		{
			// Message bytes 0, 1, ..., 95. Value i is 0x0001 + 0x0202·i
			// (as integers), so polynomial j takes the values v, v^0x2020,
			// v^0x4040 at x = 0, 1, 2 and is v + 0x2020·x, of degree 1.
			// That is why chunk 3 continues the byte count (0x2020·3 =
			// 0x6060); chunk 65535 does not.
			name:   "counting 96",
			length: 96,
			byteAt: func(i int) byte { return byte(i) },
			chunks: map[uint16]string{
				3:     "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f",
				65535: "cde1cfe3c9e5cbe7c5e9c7ebc1edc3efddf1dff3d9f5dbf7d5f9d7fbd1fdd3ff",
			},
		},
		{
			// Polynomials of degree 4, the SPQR length of ciphertext part 2
			// with its MAC.
			name:   "squares 160",
			length: 160,
			byteAt: func(i int) byte { return byte(i*i + 3) },
			chunks: map[uint16]string{
				5:     "034487cc135ca7f44394e73c93ec47a40364c72c93fc67d443b4279c138c0784",
				9:     "17449120075cb1181794b1d087ec1148176491c087fc713817b47170478c5168",
				65535: "86a57dc496bd5dfcc9f512b4160db22c868532a4161d9ddcc9d5d21499edf20c",
			},
		},
		{
			// A partial last chunk: polynomial 0 has two points, the others
			// one, so they are constant and their values repeat in every
			// chunk.
			name:   "squares 34",
			length: 34,
			byteAt: func(i int) byte { return byte(i*i + 3) },
			chunks: map[uint16]string{
				1:     "0344070c131c27344354677c93acc7e40324476c93bce7144374a7dc134c87c4",
				2:     "0384070c131c27344354677c93acc7e40324476c93bce7144374a7dc134c87c4",
				65535: "3d60070c131c27344354677c93acc7e40324476c93bce7144374a7dc134c87c4",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			msg := make([]byte, tt.length)
			for i := range msg {
				msg[i] = tt.byteAt(i)
			}
			e, err := NewEncoder(msg)
			if err != nil {
				t.Fatal(err)
			}
			for c := 0; (c+1)*ChunkSize <= tt.length; c++ {
				if got := e.NextChunk(); !bytes.Equal(got.Data[:], msg[c*ChunkSize:(c+1)*ChunkSize]) {
					t.Errorf("chunk %d = %x, want message bytes", c, got.Data)
				}
			}
			for idx, want := range tt.chunks {
				got := e.ChunkAt(idx)
				if h := hex.EncodeToString(got.Data[:]); h != want || got.Index != idx {
					t.Errorf("chunk %d = %d:%s, want %s", idx, got.Index, h, want)
				}
				if slow := slowChunk(msg, idx); hex.EncodeToString(slow.Data[:]) != want {
					t.Errorf("slow evaluation of chunk %d = %x, pinned %s", idx, slow.Data, want)
				}
			}
		})
	}
}
