// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package curvecheck

import (
	"fmt"

	"go.mau.fi/libsignal/ecc"
)

// MauVerify verifies v with go.mau.fi/libsignal's ecc.VerifySignature.
func MauVerify(v SigVector) (bool, error) {
	pub, msg, sig, err := v.Decoded()
	if err != nil {
		return false, err
	}
	key, err := MauPublicKey(pub)
	if err != nil {
		return false, fmt.Errorf("vector %d: %w", v.ID, err)
	}
	if len(sig) != 64 {
		return false, fmt.Errorf("vector %d: signature is %d bytes", v.ID, len(sig))
	}
	return ecc.VerifySignature(key, msg, [64]byte(sig)), nil
}

// MauPublicKey parses a 33-byte serialized key with mau, after checking
// the length that mau's DecodePoint does not check.
func MauPublicKey(serialized []byte) (ecc.ECPublicKeyable, error) {
	if len(serialized) != 33 {
		return nil, fmt.Errorf("public key is %d bytes, want 33", len(serialized))
	}
	return ecc.DecodePoint(serialized, 0)
}
