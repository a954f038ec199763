// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package wire

// Protocol versions and message types.
const (
	// VersionV3 is X3DH + Double Ratchet (version byte 0x33).
	VersionV3 = 3
	// VersionV4 is PQXDH + Double Ratchet + SPQR (version byte 0x44).
	VersionV4 = 4
	// MinVersion and MaxVersion bound the version nibble this codec parses.
	MinVersion = VersionV3
	MaxVersion = VersionV4

	// TypeWhisper is the CiphertextMessage type of a SignalMessage.
	TypeWhisper = 2
	// TypePreKey is the CiphertextMessage type of a PreKeySignalMessage.
	TypePreKey = 3

	// MACSize is the size of the truncated HMAC-SHA256 on a SignalMessage.
	MACSize = 8
)

// MaxMessageSize bounds the serialized size of any message this package
// parses. Signal bodies are small (attachments travel by pointer); 1 MiB
// leaves room for large texts while bounding work and memory an attacker can
// cause.
const MaxMessageSize = 1 << 20
