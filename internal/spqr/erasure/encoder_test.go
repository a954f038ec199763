// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package erasure

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"testing"
)

// testLengths are the lengths SPQR uses (96, 1152, 960, 160) and others
// that exercise short messages and partial last chunks.
var testLengths = []int{96, 1152, 960, 160, 2, 32, 34, 64, 100, 1184, 2048}

// randomMessage returns length pseudorandom bytes determined by seed.
func randomMessage(length int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, uint64(length)))
	msg := make([]byte, length)
	for i := range msg {
		msg[i] = byte(rng.Uint32())
	}
	return msg
}

// slowChunk computes chunk idx of msg from the definition: value i of the
// message is the point (i/16, value) of polynomial i mod 16, and chunk idx
// holds each polynomial evaluated at idx by slowLagrange.
func slowChunk(msg []byte, idx uint16) Chunk {
	c := Chunk{Index: idx}
	for j := range 16 {
		var xs, ys []uint16
		for i := j; 2*i < len(msg); i += 16 {
			xs = append(xs, uint16(i/16))
			ys = append(ys, binary.BigEndian.Uint16(msg[2*i:]))
		}
		binary.BigEndian.PutUint16(c.Data[2*j:], slowLagrange(xs, ys, idx))
	}
	return c
}

func TestSystematic(t *testing.T) {
	for _, length := range testLengths {
		msg := randomMessage(length, 1)
		e, err := NewEncoder(msg)
		if err != nil {
			t.Fatal(err)
		}
		for c := 0; (c+1)*ChunkSize <= length; c++ {
			got := e.NextChunk()
			if int(got.Index) != c || !bytes.Equal(got.Data[:], msg[c*ChunkSize:(c+1)*ChunkSize]) {
				t.Fatalf("length %d: chunk %d = %v, want message bytes %x", length, c, got, msg[c*ChunkSize:(c+1)*ChunkSize])
			}
		}
		if e.bases != nil {
			t.Errorf("length %d: bases computed for systematic chunks only", length)
		}
	}
}

func TestEncoderMatchesDefinition(t *testing.T) {
	for _, length := range testLengths {
		msg := randomMessage(length, 2)
		e, err := NewEncoder(msg)
		if err != nil {
			t.Fatal(err)
		}
		n := chunksNeeded(length)
		indices := []uint16{0, uint16(n - 1), uint16(n), uint16(n + 1), uint16(2 * n), 1000, 65534, 65535}
		// Also the partial last chunk, whose tail is redundancy.
		for _, idx := range indices {
			if got, want := e.ChunkAt(idx), slowChunk(msg, idx); got != want {
				t.Errorf("length %d: ChunkAt(%d) = %v, want %v", length, idx, got, want)
			}
		}
	}
}

func TestEncoderSequenceAndRestore(t *testing.T) {
	msg := randomMessage(160, 3)
	e, err := NewEncoder(msg)
	if err != nil {
		t.Fatal(err)
	}
	var first []Chunk
	for range 10 {
		first = append(first, e.NextChunk())
	}
	if e.Index() != 10 {
		t.Fatalf("Index() = %d after 10 chunks, want 10", e.Index())
	}
	r, err := RestoreEncoder(e.Message(), e.Index())
	if err != nil {
		t.Fatal(err)
	}
	for i := 10; i < 20; i++ {
		a, b := e.NextChunk(), r.NextChunk()
		if a != b || int(a.Index) != i {
			t.Fatalf("chunk %d: original %v, restored %v", i, a, b)
		}
	}
	for i, c := range first {
		if got := r.ChunkAt(uint16(i)); got != c {
			t.Errorf("restored ChunkAt(%d) = %v, want %v", i, got, c)
		}
	}
	// The encoder copies its input and its output.
	msg[0] ^= 1
	e.Message()[1] ^= 1
	if got := e.ChunkAt(0); got.Data[0] == msg[0] || got.Data[1] != msg[1] {
		t.Errorf("encoder shares its message buffer")
	}
}

func TestEncoderWraps(t *testing.T) {
	msg := randomMessage(96, 4)
	e, err := RestoreEncoder(msg, 65535)
	if err != nil {
		t.Fatal(err)
	}
	if c := e.NextChunk(); c.Index != 65535 || c != slowChunk(msg, 65535) {
		t.Errorf("chunk at counter 65535 = %v", c)
	}
	if c := e.NextChunk(); c.Index != 0 || !bytes.Equal(c.Data[:], msg[:32]) {
		t.Errorf("chunk at counter 65536 = %v, want index 0", c)
	}
	if e.Index() != 65537 {
		t.Errorf("Index() = %d, want 65537", e.Index())
	}
}

func TestEncoderEmptyMessage(t *testing.T) {
	e, err := NewEncoder(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c := e.NextChunk(); c != (Chunk{}) {
		t.Errorf("chunk 0 of the empty message = %v, want zeros", c)
	}
}

func TestEncoderBadLengths(t *testing.T) {
	for _, length := range []int{1, 3, 95, 97, MaxEncoderMessageSize + 2, MaxEncoderMessageSize + 1} {
		if _, err := NewEncoder(make([]byte, length)); !errors.Is(err, ErrInvalidLength) {
			t.Errorf("NewEncoder(%d bytes) error = %v, want ErrInvalidLength", length, err)
		}
		if _, err := RestoreEncoder(make([]byte, length), 5); !errors.Is(err, ErrInvalidLength) {
			t.Errorf("RestoreEncoder(%d bytes) error = %v, want ErrInvalidLength", length, err)
		}
	}
	// The largest message is all systematic: every value has its own index.
	msg := randomMessage(MaxEncoderMessageSize, 5)
	e, err := NewEncoder(msg)
	if err != nil {
		t.Fatal(err)
	}
	if c := e.ChunkAt(65535); !bytes.Equal(c.Data[:], msg[len(msg)-32:]) {
		t.Errorf("last chunk of the largest message = %v", c)
	}
}
