// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package x3dh_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/testdata/verify"
	"github.com/crossseal/crossseal/x3dh"
)

// TestVectors checks the x3dh vectors: both parties derive the recorded
// root and chain keys, and bad signatures and low-order keys are refused.
func TestVectors(t *testing.T) {
	sub, err := fs.Sub(testdata.Vectors, "vectors")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range verify.VerifyKinds(sub, "x3dh") {
		t.Run(r.Path, func(t *testing.T) {
			if !r.Pass {
				t.Error(r.Reason)
			}
		})
	}
}

// TestWycheproofLowOrder puts every Wycheproof X25519 public key whose
// shared secret is all zeros into a bundle, as the one-time prekey and as
// the (validly signed) signed prekey, and checks that Initiate refuses it
// with ErrLowOrderKey. The all-zero key itself is refused earlier, as a
// missing key (ErrInvalidBundle).
func TestWycheproofLowOrder(t *testing.T) {
	cases, err := testdata.WycheproofLowOrderX25519()
	if err != nil {
		t.Fatal(err)
	}
	files, err := testdata.Kind("x3dh")
	if err != nil {
		t.Fatal(err)
	}
	v := files[0] // a success vector with a one-time prekey
	key := func(name string) *curve.PrivateKey {
		b, err := v.Hex(name)
		if err != nil {
			t.Fatal(err)
		}
		k, err := curve.NewPrivateKey(b)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	ikA, ekA, ikB, spkB, opkB := key("identity_a_private"), key("base_a_private"), key("identity_b_private"), key("signed_prekey_b_private"), key("onetime_prekey_b_private")
	bundle := func(spk curve.PublicKey) *x3dh.Bundle {
		sig, err := ikB.Sign(nil, spk.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		return &x3dh.Bundle{
			RegistrationID: 1, DeviceID: 1, IdentityKey: ikB.PublicKey(),
			SignedPreKeyID: 1, SignedPreKey: spk, SignedPreKeySignature: sig,
			HasPreKey: true, PreKeyID: 2, PreKey: opkB.PublicKey(),
		}
	}
	good := bundle(spkB.PublicKey())
	if _, err := x3dh.Initiate(x3dh.InitiatorParameters{OurIdentity: ikA, OurBase: ekA, Bundle: good}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("tc%d %s", tc.TcID, tc.Comment), func(t *testing.T) {
			low, err := curve.NewPublicKeyRaw(tc.Public)
			if err != nil {
				t.Fatal(err)
			}
			want := x3dh.ErrLowOrderKey
			if bytes.Equal(tc.Public, make([]byte, 32)) {
				want = x3dh.ErrInvalidBundle
			}
			asOPK := *good
			asOPK.PreKey = low
			asSPK := bundle(low)
			for name, b := range map[string]*x3dh.Bundle{"one-time prekey": &asOPK, "signed prekey": asSPK} {
				ss, err := x3dh.Initiate(x3dh.InitiatorParameters{OurIdentity: ikA, OurBase: ekA, Bundle: b})
				if !errors.Is(err, want) || ss != (x3dh.SharedSecret{}) {
					t.Errorf("as the %s: Initiate = %v, want %v", name, err, want)
				}
			}
		})
	}
}
