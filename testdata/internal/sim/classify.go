// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package sim

import (
	"errors"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/spqr"
	"github.com/crossseal/crossseal/internal/wire"
	"github.com/crossseal/crossseal/ratchet"
	"github.com/crossseal/crossseal/session"
	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/x3dh"
)

// Classify returns the "expect" value that err belongs to, or a string
// outside the closed list (which no vector can expect) for an error of no
// known class. The order matters: session wraps parse errors in
// ErrInvalidMessage too, and a low-order ratchet key in ErrInvalidMessage;
// ratchet wraps SPQR's errors in ErrInvalidMessage. SPQR's ErrEpoch,
// ErrKeyTrimmed, ErrErroneousData and ErrCorruptState have no class.
func Classify(err error) string {
	switch {
	case err == nil:
		return testdata.ExpectSuccess
	case errors.Is(err, session.ErrUntrustedIdentity):
		return testdata.ExpectUntrustedIdentity
	case errors.Is(err, ratchet.ErrDuplicateMessage), errors.Is(err, spqr.ErrKeyUsed):
		return testdata.ExpectDuplicate
	case errors.Is(err, ratchet.ErrTooManySkipped), errors.Is(err, spqr.ErrKeyJump):
		return testdata.ExpectTooManySkipped
	case errors.Is(err, x3dh.ErrInvalidSignature):
		return testdata.ExpectInvalidSignature
	case errors.Is(err, x3dh.ErrLowOrderKey), errors.Is(err, curve.ErrLowOrderPoint):
		return testdata.ExpectLowOrderKey
	case errors.Is(err, wire.ErrMalformed), errors.Is(err, wire.ErrUnsupportedVersion),
		errors.Is(err, session.ErrUnsupportedVersion), errors.Is(err, session.ErrCorruptRecord),
		errors.Is(err, ratchet.ErrCorruptState), errors.Is(err, x3dh.ErrInvalidCiphertext),
		errors.Is(err, spqr.ErrMalformed), errors.Is(err, spqr.ErrVersion):
		return testdata.ExpectParseFailure
	case errors.Is(err, spqr.ErrAuthentication):
		return testdata.ExpectMACFailure
	case errors.Is(err, spqr.ErrEpoch), errors.Is(err, spqr.ErrKeyTrimmed),
		errors.Is(err, spqr.ErrErroneousData), errors.Is(err, spqr.ErrCorruptState):
		return "unclassified error (" + err.Error() + ")"
	case errors.Is(err, ratchet.ErrInvalidMessage):
		return testdata.ExpectMACFailure
	default:
		return "unclassified error (" + err.Error() + ")"
	}
}
