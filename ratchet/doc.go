// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package ratchet implements the Double Ratchet (Signal, "The Double Ratchet
// Algorithm", revision 4, 2025-11-04, sections 3.1-3.5) as libsignal deploys
// it for protocol version 3: KDF_RK is HKDF-SHA256 with info
// "WhisperRatchet", KDF_CK is HMAC-SHA256 with inputs 0x01 (message-key seed)
// and 0x02 (next chain key), message keys are HKDF-SHA256 with info
// "WhisperMessageKeys", and the body is AES-256-CBC with a truncated
// HMAC-SHA256 over both identity keys and the message.
//
// # Guarantees
//
// Each message is encrypted under a fresh key (forward secrecy within a
// chain); every reply carries a new ratchet key and triggers a DH step
// (post-compromise security). Skipped message keys are stored as 32-byte
// seeds, bounded by [MaxForwardJumps], [MaxMessageKeys] and
// [MaxReceiverChains]. A message key is used at most once, so a replayed
// message fails with [ErrDuplicateMessage].
//
// [State.Decrypt] mutates the state it is called on even when it fails: the
// caller (package session) always decrypts on a [State.Clone] and keeps the
// clone only on success.
//
// # Layering
//
// ratchet sits above internal/curve, internal/kdf, internal/cbc and
// internal/wire. It does not import x3dh: package session turns an X3DH
// shared secret into the [RootKey] and [ChainKey] passed to
// [InitializeAlice] and [InitializeBob].
package ratchet
