// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package wire encodes and decodes the Signal Protocol's message formats:
// SignalMessage (type 2: version byte ‖ protobuf ‖ 8-byte MAC) and
// PreKeySignalMessage (type 3: version byte ‖ protobuf). It needs no keys to
// parse; MAC verification takes the keys as arguments and always covers the
// bytes exactly as received, never a re-encoding.
//
// Every decoder returns a [*ParseError] (matching [ErrMalformed]) or an
// [*VersionError] (matching [ErrUnsupportedVersion]) and never panics.
package wire
