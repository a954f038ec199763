// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package erasure

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// decodeFrom feeds the chunks at indices of msg's encoding to a new
// decoder, checking after each one that Message succeeds exactly when
// enough distinct chunks are held, and returns the decoder.
func decodeFrom(t *testing.T, msg []byte, indices []uint16) *Decoder {
	t.Helper()
	e, err := NewEncoder(msg)
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDecoder(len(msg))
	if err != nil {
		t.Fatal(err)
	}
	n := chunksNeeded(len(msg))
	seen := make(map[uint16]bool)
	for _, idx := range indices {
		d.AddChunk(e.ChunkAt(idx))
		seen[idx] = true
		got, ok := d.Message()
		if wantOK := len(seen) >= n; ok != wantOK {
			t.Fatalf("after %d distinct chunks of %d needed: ok = %v", len(seen), n, ok)
		}
		if ok && !bytes.Equal(got, msg) {
			t.Fatalf("decoded %x, want %x", got, msg)
		}
	}
	return d
}

func TestRoundTrip(t *testing.T) {
	for _, length := range testLengths {
		t.Run(fmt.Sprint(length), func(t *testing.T) {
			t.Parallel()
			msg := randomMessage(length, 6)
			n := chunksNeeded(length)
			rng := rand.New(rand.NewPCG(7, uint64(length)))

			var systematic, redundant []uint16
			for i := range n {
				systematic = append(systematic, uint16(i))
				redundant = append(redundant, uint16(n+i))
			}
			rng.Shuffle(len(systematic), func(i, j int) {
				systematic[i], systematic[j] = systematic[j], systematic[i]
			})
			t.Run("systematic", func(t *testing.T) { decodeFrom(t, msg, systematic) })
			t.Run("redundant", func(t *testing.T) { decodeFrom(t, msg, redundant) })
			t.Run("random subset", func(t *testing.T) {
				for range 20 {
					var subset []uint16
					for _, i := range rng.Perm(3 * n)[:n] {
						subset = append(subset, uint16(i))
					}
					decodeFrom(t, msg, subset)
				}
			})
			t.Run("high indices", func(t *testing.T) {
				var high []uint16
				for i := range n {
					high = append(high, uint16(65535-i))
				}
				decodeFrom(t, msg, high)
			})
			t.Run("duplicates and extras", func(t *testing.T) {
				e, err := NewEncoder(msg)
				if err != nil {
					t.Fatal(err)
				}
				d, err := NewDecoder(length)
				if err != nil {
					t.Fatal(err)
				}
				for i := range n {
					c := e.ChunkAt(uint16(2*n - 1 - i))
					d.AddChunk(c)
					// A second copy with other data must be ignored.
					c.Data[0] ^= 0xFF
					d.AddChunk(c)
					if len(d.Chunks()) != i+1 {
						t.Fatalf("holding %d chunks after %d distinct", len(d.Chunks()), i+1)
					}
				}
				for i := range 3 * n {
					// Extra chunks with garbage data, after completion.
					d.AddChunk(Chunk{Index: uint16(i), Data: [32]byte{byte(i), 1}})
				}
				if len(d.Chunks()) != n {
					t.Fatalf("holding %d chunks, want %d", len(d.Chunks()), n)
				}
				if got, ok := d.Message(); !ok || !bytes.Equal(got, msg) {
					t.Fatalf("Message() = %x, %v; want %x", got, ok, msg)
				}
			})
		})
	}
}

func TestDecoderTooFewChunks(t *testing.T) {
	for _, length := range testLengths {
		msg := randomMessage(length, 8)
		n := chunksNeeded(length)
		e, err := NewEncoder(msg)
		if err != nil {
			t.Fatal(err)
		}
		d, err := NewDecoder(length)
		if err != nil {
			t.Fatal(err)
		}
		for i := range n - 1 {
			d.AddChunk(e.ChunkAt(uint16(3 * i)))
			d.AddChunk(e.ChunkAt(uint16(3 * i))) // duplicates do not count
		}
		if got, ok := d.Message(); ok || got != nil {
			t.Errorf("length %d with %d of %d chunks: Message() = %x, %v", length, n-1, n, got, ok)
		}
	}
}

func TestDecoderPersistence(t *testing.T) {
	msg := randomMessage(1152, 9)
	n := chunksNeeded(len(msg))
	e, err := NewEncoder(msg)
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDecoder(len(msg))
	if err != nil {
		t.Fatal(err)
	}
	for i := range n / 2 {
		d.AddChunk(e.ChunkAt(uint16(100 - 3*i)))
	}
	saved := d.Chunks()
	if !slices.IsSortedFunc(saved, compareIndex) || len(saved) != n/2 {
		t.Fatalf("Chunks() not sorted or wrong length %d", len(saved))
	}
	// Restore from a shuffled copy: order must not matter.
	shuffled := slices.Clone(saved)
	rand.New(rand.NewPCG(10, 11)).Shuffle(len(shuffled), func(i, j int) {
		shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
	})
	r, err := RestoreDecoder(d.Length(), shuffled)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Chunks(), saved) {
		t.Fatalf("restored Chunks() differ")
	}
	shuffled[0].Data[0] ^= 1 // the decoder holds its own copy
	for i := range n - n/2 {
		r.AddChunk(e.ChunkAt(uint16(200 + i)))
	}
	if got, ok := r.Message(); !ok || !bytes.Equal(got, msg) {
		t.Fatalf("restored decoder: Message() = %x, %v", got, ok)
	}
	// Chunks returns a copy.
	r.Chunks()[0].Data[0] ^= 1
	if got, _ := r.Message(); !bytes.Equal(got, msg) {
		t.Fatalf("Chunks() shares the decoder's storage")
	}
	// A complete set of chunks restores to a complete decoder.
	full, err := RestoreDecoder(len(msg), r.Chunks())
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := full.Message(); !ok || !bytes.Equal(got, msg) {
		t.Fatalf("restored complete decoder: Message() = %x, %v", got, ok)
	}
}

func TestRestoreDecoderRejects(t *testing.T) {
	chunks := func(indices ...uint16) []Chunk {
		var cs []Chunk
		for _, i := range indices {
			cs = append(cs, Chunk{Index: i})
		}
		return cs
	}
	tests := []struct {
		name   string
		length int
		chunks []Chunk
		want   error
	}{
		{"duplicate", 96, chunks(0, 5, 0), ErrInvalidChunks},
		{"duplicate with other data", 96, append(chunks(7), Chunk{Index: 7, Data: [32]byte{1}}), ErrInvalidChunks},
		{"too many", 96, chunks(0, 1, 2, 3), ErrInvalidChunks},
		{"too many for partial chunk", 34, chunks(0, 1, 2), ErrInvalidChunks},
		{"any chunk for empty message", 0, chunks(0), ErrInvalidChunks},
		{"odd length", 95, nil, ErrInvalidLength},
		{"negative length", -2, nil, ErrInvalidLength},
		{"too long", MaxDecoderMessageSize + 2, nil, ErrInvalidLength},
	}
	for _, tt := range tests {
		d, err := RestoreDecoder(tt.length, tt.chunks)
		if !errors.Is(err, tt.want) || d != nil {
			t.Errorf("%s: RestoreDecoder = %v, %v; want nil, %v", tt.name, d, err, tt.want)
		}
	}
	for _, length := range []int{0, 96, 34, MaxDecoderMessageSize} {
		if _, err := RestoreDecoder(length, chunks(1, 0)[:min(2, chunksNeeded(length))]); err != nil {
			t.Errorf("RestoreDecoder(%d, valid chunks) = %v", length, err)
		}
	}
}

func TestNewDecoderLengths(t *testing.T) {
	for _, length := range []int{-1, -2, 1, 97, MaxDecoderMessageSize + 1, MaxDecoderMessageSize + 2, 1 << 40} {
		if d, err := NewDecoder(length); !errors.Is(err, ErrInvalidLength) || d != nil {
			t.Errorf("NewDecoder(%d) = %v, %v; want ErrInvalidLength", length, d, err)
		}
	}
	// The largest decoder rebuilds its message from redundant chunks.
	msg := randomMessage(MaxDecoderMessageSize, 12)
	var indices []uint16
	for i := range chunksNeeded(len(msg)) {
		indices = append(indices, uint16(40000+i))
	}
	decodeFrom(t, msg, indices[:len(indices)-1])
	d := decodeFrom(t, msg, indices)
	if len(d.Chunks()) != 2048 {
		t.Errorf("largest decoder holds %d chunks, want 2048", len(d.Chunks()))
	}
}

func TestEmptyDecoder(t *testing.T) {
	for _, d := range []*Decoder{{}, must(NewDecoder(0))} {
		d.AddChunk(Chunk{Index: 3})
		if got, ok := d.Message(); !ok || len(got) != 0 || len(d.Chunks()) != 0 {
			t.Errorf("empty decoder: Message() = %x, %v; %d chunks", got, ok, len(d.Chunks()))
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
