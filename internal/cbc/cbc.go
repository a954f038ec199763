// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package cbc implements AES-256-CBC with PKCS#7 padding, the body cipher of
// Signal messages. It provides no integrity: callers verify the message MAC
// before calling Decrypt (encrypt-then-MAC).
package cbc

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"errors"
)

// Sizes.
const (
	KeySize   = 32
	IVSize    = aes.BlockSize
	BlockSize = aes.BlockSize
)

// ErrInvalidCiphertext is returned for a ciphertext that is not a whole
// number of blocks or whose padding is malformed.
var ErrInvalidCiphertext = errors.New("cbc: invalid ciphertext")

// Encrypt returns AES-256-CBC(key, iv, PKCS#7(plaintext)).
func Encrypt(key, iv, plaintext []byte) []byte {
	block, err := aes.NewCipher(key)
	if err != nil || len(iv) != IVSize {
		panic("crossseal/cbc: internal error: bad key or IV size")
	}
	pad := BlockSize - len(plaintext)%BlockSize
	out := make([]byte, len(plaintext)+pad)
	copy(out, plaintext)
	for i := len(plaintext); i < len(out); i++ {
		out[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(out, out)
	return out
}

// Decrypt reverses Encrypt. It returns ErrInvalidCiphertext for a length
// that is not a positive multiple of the block size or for bad padding. The
// padding check does not branch on secret bytes.
func Decrypt(key, iv, ciphertext []byte) ([]byte, error) {
	if len(ciphertext) == 0 || len(ciphertext)%BlockSize != 0 {
		return nil, ErrInvalidCiphertext
	}
	block, err := aes.NewCipher(key)
	if err != nil || len(iv) != IVSize {
		panic("crossseal/cbc: internal error: bad key or IV size")
	}
	out := make([]byte, len(ciphertext))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, ciphertext)
	pad := int(out[len(out)-1])
	// good = 1 <= pad <= 16 and the last pad bytes all equal pad.
	good := subtle.ConstantTimeLessOrEq(1, pad) & subtle.ConstantTimeLessOrEq(pad, BlockSize)
	for i := 1; i <= BlockSize; i++ {
		inPad := subtle.ConstantTimeLessOrEq(i, pad)
		eq := subtle.ConstantTimeByteEq(out[len(out)-i], byte(pad))
		good &= subtle.ConstantTimeSelect(inPad, eq, 1)
	}
	if good != 1 {
		clear(out)
		return nil, ErrInvalidCiphertext
	}
	return out[:len(out)-pad], nil
}
