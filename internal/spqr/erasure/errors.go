// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package erasure

import "errors"

var (
	// ErrInvalidLength reports a message length that is negative, odd or
	// larger than the limit of the encoder ([MaxEncoderMessageSize]) or
	// decoder ([MaxDecoderMessageSize]). Errors returned by this package
	// wrap it with detail; compare with errors.Is.
	ErrInvalidLength = errors.New("erasure: invalid message length")

	// ErrInvalidChunks reports a set of chunks that no [Decoder] can hold:
	// two chunks with the same index, or more chunks than the message
	// needs. [RestoreDecoder] wraps it with detail; compare with errors.Is.
	ErrInvalidChunks = errors.New("erasure: invalid chunk set")
)
