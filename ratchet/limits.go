// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package ratchet

// MaxForwardJumps is the largest gap between a receiving chain's next
// index and a message's counter that is accepted (libsignal consts.rs).
// Every skipped index costs one HMAC, so this bounds the work a single
// forged counter can cause before the MAC check rejects it.
const MaxForwardJumps = 25_000

// MaxMessageKeys is the number of skipped message-key seeds kept per
// receiving chain (libsignal consts.rs); older ones are dropped first. It
// bounds the memory and record size an attacker can cause per chain.
const MaxMessageKeys = 2_000

// MaxReceiverChains is the number of receiving chains kept (libsignal
// consts.rs); the oldest is dropped when a new one is added. Messages still
// in flight on older chains then fail to decrypt.
const MaxReceiverChains = 5
