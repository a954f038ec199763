// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package ratchet_test

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/ratchet"
	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/testdata/verify"
)

// TestVectors checks KDF_RK, KDF_CK and DeriveMessageKeys against their
// vectors, and recomputes the accumulated digest of 200 seeded
// conversations (random send and delivery orders, drops, replays,
// tampering) stored in testdata/vectors/ratchet-digest.
func TestVectors(t *testing.T) {
	sub, err := fs.Sub(testdata.Vectors, "vectors")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range verify.VerifyKinds(sub, "kdf-rk", "kdf-ck", "message-keys", "ratchet-digest") {
		t.Run(r.Path, func(t *testing.T) {
			if !r.Pass {
				t.Error(r.Reason)
			}
		})
	}
}

// TestWycheproofLowOrder runs KDF_RK with every Wycheproof X25519 public
// key whose shared secret is all zeros as the peer's ratchet key: each is
// refused with curve.ErrLowOrderPoint.
func TestWycheproofLowOrder(t *testing.T) {
	cases, err := testdata.WycheproofLowOrderX25519()
	if err != nil {
		t.Fatal(err)
	}
	our, err := curve.GeneratePrivateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	var rk ratchet.RootKey
	for _, tc := range cases {
		t.Run(fmt.Sprintf("tc%d %s", tc.TcID, tc.Comment), func(t *testing.T) {
			their, err := curve.NewPublicKeyRaw(tc.Public)
			if err != nil {
				t.Fatal(err)
			}
			if next, ck, err := rk.KDF_RK(our, their); !errors.Is(err, curve.ErrLowOrderPoint) || next != (ratchet.RootKey{}) || ck != (ratchet.ChainKey{}) {
				t.Errorf("KDF_RK = %v", err)
			}
		})
	}
}
