// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package erasure

// ChunkSize is the number of data bytes in a [Chunk].
const ChunkSize = 32

// numPolys is the number of polynomials a message is spread over: one per
// 16-bit value of a chunk.
const numPolys = ChunkSize / 2

// Chunk is one piece of an encoded message: 16 big-endian GF(2^16) values,
// the evaluations at x = Index of the message's 16 polynomials.
type Chunk struct {
	// Index is the x-coordinate at which the polynomials were evaluated.
	Index uint16
	// Data holds the evaluation of polynomial j in bytes 2j and 2j+1.
	Data [ChunkSize]byte
}

// chunksNeeded returns how many distinct chunks rebuild a message of
// length bytes: the number of points of the largest polynomial, which is
// polynomial 0.
func chunksNeeded(length int) int {
	return pointsOf(length, 0)
}

// pointsOf returns how many message values polynomial p holds (k_p) for a
// message of length bytes: the values with index i < length/2 and
// i mod 16 = p.
func pointsOf(length, p int) int {
	values := length / 2
	if p >= values {
		return 0
	}
	return (values-p-1)/numPolys + 1
}
