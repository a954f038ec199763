// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package erasure

const (
	// MaxEncoderMessageSize is the longest message an [Encoder] accepts:
	// 65536 chunks of [ChunkSize] bytes. Every value of a longer message
	// would not get its own 16-bit chunk index, so the code would not be
	// systematic. The encoder's only use in SPQR is with messages of at
	// most 1184 bytes; see [NewEncoder] for the cost of long messages.
	MaxEncoderMessageSize = 65536 * ChunkSize

	// MaxDecoderMessageSize is the longest message a [Decoder] accepts:
	// 2048 chunks of [ChunkSize] bytes (64 KiB). It bounds the memory a
	// decoder holds (one chunk per needed index) and the quadratic cost of
	// interpolation. SPQR messages are at most 1184 bytes (37 chunks).
	MaxDecoderMessageSize = 2048 * ChunkSize
)
