// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

// Contents are padded before encryption so that a ciphertext's length
// reveals only a bucket: the content, then 0x80, then zeros up to the next
// multiple of [PaddingBlockSize] (160 bytes, as Signal's clients pad; the
// 0x80 byte is always present, so a 160-byte content takes 320 bytes).
// Unpadding is strict: the padded length must be exactly what pad would
// produce for the content, so every accepted padding is the only one.

// paddedLen returns the padded length of an n-byte content.
func paddedLen(n int) int { return (n/PaddingBlockSize + 1) * PaddingBlockSize }

// pad returns content followed by 0x80 and zeros to paddedLen.
func pad(content []byte) []byte {
	out := make([]byte, paddedLen(len(content)))
	copy(out, content)
	out[len(content)] = 0x80
	return out
}

// unpad returns the content inside b (a subslice of b), or [ErrBadPadding]
// unless b is a non-empty multiple of [PaddingBlockSize] ending in 0x80 and
// fewer than [PaddingBlockSize] zeros.
func unpad(b []byte) ([]byte, error) {
	if len(b) == 0 || len(b)%PaddingBlockSize != 0 {
		return nil, ErrBadPadding
	}
	i := len(b) - 1
	for i >= 0 && b[i] == 0 {
		i--
	}
	if i < 0 || b[i] != 0x80 || len(b)-i > PaddingBlockSize {
		return nil, ErrBadPadding
	}
	return b[:i], nil
}
