// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package erasure

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
)

// A Decoder collects chunks of one message of known length until it holds
// enough distinct chunks to rebuild it. The zero value is a decoder for
// the empty message; create others with [NewDecoder] or [RestoreDecoder].
// A Decoder never panics on any chunk and holds at most n chunks, where n
// = ⌈length/32⌉ ≤ 2048.
type Decoder struct {
	length int
	// chunks holds at most chunksNeeded(length) chunks, sorted by
	// strictly increasing index.
	chunks []Chunk
}

// NewDecoder returns a Decoder for a message of length bytes. It returns
// an error wrapping [ErrInvalidLength] if length is negative, odd or
// larger than [MaxDecoderMessageSize].
func NewDecoder(length int) (*Decoder, error) {
	if err := checkLength(length, MaxDecoderMessageSize); err != nil {
		return nil, err
	}
	return &Decoder{length: length}, nil
}

// RestoreDecoder returns a Decoder for a message of length bytes holding
// copies of chunks, as saved from [Decoder.Length] and [Decoder.Chunks].
// The chunks may come in any order. It returns the errors of
// [NewDecoder], and an error wrapping [ErrInvalidChunks] if two chunks
// have the same index or there are more chunks than the message needs.
func RestoreDecoder(length int, chunks []Chunk) (*Decoder, error) {
	d, err := NewDecoder(length)
	if err != nil {
		return nil, err
	}
	if n := chunksNeeded(length); len(chunks) > n {
		return nil, fmt.Errorf("%w: %d chunks for a message that needs %d", ErrInvalidChunks, len(chunks), n)
	}
	sorted := slices.SortedFunc(slices.Values(chunks), compareIndex)
	for i := 1; i < len(sorted); i++ {
		if sorted[i].Index == sorted[i-1].Index {
			return nil, fmt.Errorf("%w: duplicate index %d", ErrInvalidChunks, sorted[i].Index)
		}
	}
	if len(sorted) > 0 {
		d.chunks = sorted
	}
	return d, nil
}

// compareIndex orders chunks by index.
func compareIndex(a, b Chunk) int {
	return cmp.Compare(a.Index, b.Index)
}

// Length returns the length in bytes of the message being decoded.
func (d *Decoder) Length() int {
	return d.length
}

// Chunks returns a copy of the chunks the Decoder holds, sorted by index.
func (d *Decoder) Chunks() []Chunk {
	return slices.Clone(d.chunks)
}

// AddChunk records c. It ignores c if the Decoder already holds a chunk
// with the same index (even if the data differ) or already holds enough
// chunks to rebuild the message. The chunk data are not authenticated: a
// corrupted chunk yields a wrong message.
func (d *Decoder) AddChunk(c Chunk) {
	if len(d.chunks) >= chunksNeeded(d.length) {
		return
	}
	i, found := slices.BinarySearchFunc(d.chunks, c, compareIndex)
	if found {
		return
	}
	d.chunks = slices.Insert(d.chunks, i, c)
}

// Message returns the decoded message and true once the Decoder holds
// enough distinct chunks, and nil and false before that. Each call
// rebuilds the message: it copies the systematic chunks (indices below n)
// it holds and interpolates the rest, at a cost quadratic in n
// (microseconds for SPQR's sizes, under a second for the largest).
func (d *Decoder) Message() ([]byte, bool) {
	n := chunksNeeded(d.length)
	if len(d.chunks) < n {
		return nil, false
	}
	// Copy the systematic chunks held (index x < n holds values x*16 ..
	// x*16+15) and interpolate the others. Every polynomial passes through
	// its value in each held chunk, so all 16 are interpolated through the
	// same n held points and share one basis; a polynomial with fewer
	// points (k_p < n) is still recovered exactly.
	msg := make([]byte, d.length)
	var basis *lagrangeBasis
	held := 0 // d.chunks[:held] are the held systematic chunks below x
	for x := range n {
		if held < n && int(d.chunks[held].Index) == x {
			copy(msg[x*ChunkSize:], d.chunks[held].Data[:])
			held++
			continue
		}
		if basis == nil {
			xs := make([]uint16, n)
			for i, c := range d.chunks {
				xs[i] = c.Index
			}
			basis = newLagrangeBasis(xs)
		}
		var acc [numPolys]uint16
		for i, w := range basis.at(uint16(x)) {
			gfMulAddRow(&acc, d.chunks[i].Data[:], w)
		}
		for p, v := range acc {
			if pos := 2 * (x*numPolys + p); pos < d.length {
				binary.BigEndian.PutUint16(msg[pos:], v)
			}
		}
	}
	return msg, true
}

// NumChunks returns the number of chunks d holds.
func (d *Decoder) NumChunks() int {
	return len(d.chunks)
}

// HeldChunk returns the i-th chunk d holds in increasing index order, for
// 0 ≤ i < [Decoder.NumChunks]: the chunks of [Decoder.Chunks] without the
// copy.
func (d *Decoder) HeldChunk(i int) Chunk {
	return d.chunks[i]
}
