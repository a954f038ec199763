// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package testdata

import (
	"crypto/sha256"
	"encoding/binary"
)

// Stream is a deterministic byte stream: SHA-256 in counter mode,
//
//	block i = SHA-256(seed ‖ uint64_be(i)),  i = 0, 1, 2, ...
//
// read in order. The vectors are generated from Streams, and the ratchet
// digest vector is defined by one, so any implementation can reproduce it.
// It is not for production use.
type Stream struct {
	seed  []byte
	block uint64
	buf   [sha256.Size]byte
	off   int
}

// NewStream returns the stream for seed.
func NewStream(seed []byte) *Stream {
	return &Stream{seed: append([]byte(nil), seed...), off: sha256.Size}
}

// Read fills p with the next len(p) bytes of the stream. It never fails.
func (s *Stream) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if s.off == len(s.buf) {
			h := sha256.New()
			h.Write(s.seed)
			h.Write(binary.BigEndian.AppendUint64(nil, s.block))
			h.Sum(s.buf[:0])
			s.block++
			s.off = 0
		}
		c := copy(p[n:], s.buf[s.off:])
		s.off += c
		n += c
	}
	return n, nil
}

// Bytes returns the next n bytes of the stream.
func (s *Stream) Bytes(n int) []byte {
	b := make([]byte, n)
	s.Read(b)
	return b
}
