// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package kdf holds the Signal Protocol's key-derivation labels and the
// HKDF-SHA256 and HMAC-SHA256 steps built on them. It is the single place
// the info strings live, so that a typo cannot split two call sites.
//
// The typed key-schedule stages (root, chain and message keys) live in
// package ratchet; this package deals in byte slices only.
package kdf

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"hash"
)

// Info strings (HKDF "info") used by the Signal Protocol.
const (
	// InfoX3DH derives the first root and chain keys from X3DH (v3).
	InfoX3DH = "WhisperText"
	// InfoPQXDH derives root, chain and PQ-ratchet keys from PQXDH (v4).
	InfoPQXDH = "WhisperText_X25519_SHA-256_CRYSTALS-KYBER-1024"
	// InfoRatchet derives a new root key and chain key from a DH output.
	InfoRatchet = "WhisperRatchet"
	// InfoMessageKeys derives AES key, MAC key and IV from a message-key seed.
	InfoMessageKeys = "WhisperMessageKeys"
)

// Sizes of derived material.
const (
	// KeySize is the size of root keys, chain keys and HKDF halves.
	KeySize = 32
	// MessageKeysSize is cipher key (32) ‖ MAC key (32) ‖ IV (16).
	MessageKeysSize = 80
)

// Chain-key HMAC inputs (Signal Double Ratchet spec, KDF_CK as deployed).
const (
	messageKeySeedByte = 0x01
	chainKeySeedByte   = 0x02
)

// HKDF fills out with HKDF-SHA256(salt, ikm, info). A nil salt means 32 zero
// bytes, as RFC 5869 specifies for an absent salt.
func HKDF(out, ikm, salt []byte, info string) {
	prk, err := hkdf.Extract(sha256.New, ikm, salt)
	if err != nil {
		panic("crossseal/kdf: internal error: " + err.Error())
	}
	okm, err := hkdf.Expand(sha256.New, prk, info, len(out))
	if err != nil {
		panic("crossseal/kdf: internal error: " + err.Error())
	}
	copy(out, okm)
	clear(prk)
	clear(okm)
}

// ChainStep computes, from one chain key, the message-key seed
// HMAC-SHA256(ck, 0x01) and the next chain key HMAC-SHA256(ck, 0x02),
// keying the HMAC once for both.
func ChainStep(ck []byte) (seed, next [KeySize]byte) {
	m := hmac.New(sha256.New, ck)
	m.Write([]byte{messageKeySeedByte})
	m.Sum(seed[:0])
	m.Reset()
	m.Write([]byte{chainKeySeedByte})
	m.Sum(next[:0])
	return seed, next
}

// NewMAC returns HMAC-SHA256 keyed with key.
func NewMAC(key []byte) hash.Hash { return hmac.New(sha256.New, key) }
