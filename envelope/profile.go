// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import "strconv"

// Profile is a protocol profile; its number is the Signal message version
// it uses (the high nibble of the message's first byte).
type Profile uint8

const (
	// ProfileV3 is X3DH + Double Ratchet, byte-compatible with
	// WhatsApp-style peers.
	ProfileV3 Profile = 3
	// ProfileV4 is PQXDH (Kyber1024 KEM prekeys) + Double Ratchet + SPQR
	// (the ML-KEM-768 braid), byte-compatible with current Signal clients.
	// A client publishes it (a bundle with a signed last-resort KEM
	// prekey) and starts v4 sessions with every device whose bundle has a
	// KEM prekey.
	ProfileV4 Profile = 4
)

// String returns "v3", "v4", or "v<n>" for an unknown profile.
func (p Profile) String() string { return "v" + strconv.Itoa(int(p)) }

// ParseProfile parses "v3" or "v4". Other input is a [*ParseError].
func ParseProfile(s string) (Profile, error) {
	switch s {
	case "v3":
		return ProfileV3, nil
	case "v4":
		return ProfileV4, nil
	}
	return 0, &ParseError{"profile", "want v3 or v4"}
}

// known reports whether p is a profile this package recognizes.
func (p Profile) known() bool { return p == ProfileV3 || p == ProfileV4 }

// implemented reports whether this build can encrypt and decrypt p.
func (p Profile) implemented() bool { return p == ProfileV3 || p == ProfileV4 }
