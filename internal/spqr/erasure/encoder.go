// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package erasure

import (
	"encoding/binary"
	"fmt"
)

// An Encoder produces the chunks of one message, in index order. The zero
// value is not usable; create one with [NewEncoder] or [RestoreEncoder].
// An Encoder is not safe for concurrent use, including concurrent calls to
// [Encoder.ChunkAt].
type Encoder struct {
	msg  []byte
	next uint32
	// bases[p] is the Lagrange basis of polynomial p's x-coordinates
	// 0..k_p-1, computed on the first request for a value beyond the
	// message. Polynomials with the same number of points share a basis.
	bases []*lagrangeBasis
}

// NewEncoder returns an Encoder for a copy of msg whose next chunk is
// chunk 0. It returns an error wrapping [ErrInvalidLength] if len(msg) is
// odd or larger than [MaxEncoderMessageSize].
//
// Chunks below len(msg)/32 are copies of the message and cost nothing.
// The first chunk beyond them prepares the interpolation at a cost
// quadratic in len(msg)/32: microseconds for the sizes SPQR uses, but
// tens of seconds for messages near the maximum size. Each chunk beyond
// them costs about len(msg)/2 multiplications.
func NewEncoder(msg []byte) (*Encoder, error) {
	return RestoreEncoder(msg, 0)
}

// RestoreEncoder returns an Encoder for a copy of msg whose next chunk
// index is next, as saved from [Encoder.Message] and [Encoder.Index]. It
// returns the errors of [NewEncoder].
func RestoreEncoder(msg []byte, next uint32) (*Encoder, error) {
	if err := checkLength(len(msg), MaxEncoderMessageSize); err != nil {
		return nil, err
	}
	return &Encoder{msg: append([]byte{}, msg...), next: next}, nil
}

// checkLength reports whether length is a valid message length of at most
// limit bytes.
func checkLength(length, limit int) error {
	switch {
	case length < 0:
		return fmt.Errorf("%w: %d is negative", ErrInvalidLength, length)
	case length%2 != 0:
		return fmt.Errorf("%w: %d is odd", ErrInvalidLength, length)
	case length > limit:
		return fmt.Errorf("%w: %d exceeds limit %d", ErrInvalidLength, length, limit)
	}
	return nil
}

// Message returns a copy of the message being encoded.
func (e *Encoder) Message() []byte {
	return append([]byte{}, e.msg...)
}

// Index returns the counter of the chunk the next call to
// [Encoder.NextChunk] returns. The chunk's index is the counter modulo
// 65536. Save it with [Encoder.Message] to recreate the Encoder later
// with [RestoreEncoder].
func (e *Encoder) Index() uint32 {
	return e.next
}

// NextChunk returns the chunk at index [Encoder.Index] modulo 65536 and
// advances the counter by one. After 65536 calls the chunk indices repeat.
func (e *Encoder) NextChunk() Chunk {
	c := e.ChunkAt(uint16(e.next))
	e.next++
	return c
}

// ChunkAt returns the chunk at index idx, without changing the counter.
// For idx < len(msg)/32 this is msg[32·idx : 32·idx+32].
func (e *Encoder) ChunkAt(idx uint16) Chunk {
	c := Chunk{Index: idx}
	start := int(idx) * ChunkSize
	if start+ChunkSize <= len(e.msg) {
		copy(c.Data[:], e.msg[start:])
		return c
	}
	// Polynomial p at idx is Σ_x v(x, p)·L_x(idx) over its points x < k_p,
	// where v(x, p) is value 16x+p, in row x of the message.
	var basis *lagrangeBasis
	var acc [numPolys]uint16
	for p := range numPolys {
		var v uint16
		if pos := start + 2*p; pos < len(e.msg) {
			v = binary.BigEndian.Uint16(e.msg[pos:])
		} else {
			if b := e.basis(p); b != basis {
				basis, acc = b, [numPolys]uint16{}
				for x, w := range b.at(idx) {
					gfMulAddRow(&acc, e.msg[x*ChunkSize:], w)
				}
			}
			v = acc[p]
		}
		binary.BigEndian.PutUint16(c.Data[2*p:], v)
	}
	return c
}

// basis returns the Lagrange basis of polynomial p, building the bases of
// all 16 polynomials on first use.
func (e *Encoder) basis(p int) *lagrangeBasis {
	if e.bases == nil {
		e.bases = make([]*lagrangeBasis, numPolys)
		for j := range numPolys {
			k := pointsOf(len(e.msg), j)
			if j > 0 && len(e.bases[j-1].xs) == k {
				e.bases[j] = e.bases[j-1]
				continue
			}
			xs := make([]uint16, k)
			for x := range xs {
				xs[x] = uint16(x)
			}
			e.bases[j] = newLagrangeBasis(xs)
		}
	}
	return e.bases[p]
}

// MessageSize returns the length of the message e encodes.
func (e *Encoder) MessageSize() int {
	return len(e.msg)
}

// AppendMessage appends the message e encodes to b, for saving it without
// the copy [Encoder.Message] makes.
func (e *Encoder) AppendMessage(b []byte) []byte {
	return append(b, e.msg...)
}
