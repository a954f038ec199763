// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package x3dh_test

import (
	"errors"
	"testing"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/x3dh"
)

// fuzzKey makes a public key of any bytes: a serialized key if it parses,
// else the first 32 bytes (zero-padded) as a raw u-coordinate.
func fuzzKey(b []byte) curve.PublicKey {
	if k, err := curve.NewPublicKey(b); err == nil {
		return k
	}
	raw := make([]byte, curve.PublicKeySize)
	copy(raw, b)
	k, _ := curve.NewPublicKeyRaw(raw)
	return k
}

// FuzzBundleVerify builds bundles from arbitrary fields and checks that
// Verify never panics and fails only with ErrInvalidBundle or
// ErrInvalidSignature, and that Initiate on a bundle that verifies either
// succeeds or reports ErrLowOrderKey. Seeds are the x3dh vectors.
func FuzzBundleVerify(f *testing.F) {
	files, err := testdata.Kind("x3dh")
	if err != nil {
		f.Fatal(err)
	}
	get := func(v testdata.File, k string) []byte {
		b, _ := v.Hex(k)
		return b
	}
	byPath := map[string]testdata.File{}
	for _, v := range files {
		byPath[v.Path] = v
	}
	for _, v := range files {
		src := v // a derived vector records only what it changes
		if s := v.Values("source"); len(s) == 1 {
			src = byPath["x3dh/"+s[0]]
		}
		field := func(k string) []byte {
			if len(v.Values(k)) > 0 {
				return get(v, k)
			}
			return get(src, k)
		}
		opk := field("onetime_prekey_b_public")
		f.Add(field("identity_b_public"), field("signed_prekey_b_public"), field("signed_prekey_signature"), opk, opk != nil)
	}
	base := files[0]
	key := func(k string) *curve.PrivateKey {
		p, err := curve.NewPrivateKey(get(base, k))
		if err != nil {
			f.Fatal(err)
		}
		return p
	}
	ikA, ekA := key("identity_a_private"), key("base_a_private")
	if err := (*x3dh.Bundle)(nil).Verify(); !errors.Is(err, x3dh.ErrInvalidBundle) {
		f.Fatalf("nil bundle: %v", err)
	}
	f.Fuzz(func(t *testing.T, ik, spk, sig, opk []byte, hasOPK bool) {
		b := &x3dh.Bundle{
			IdentityKey: fuzzKey(ik), SignedPreKey: fuzzKey(spk), SignedPreKeySignature: sig,
			HasPreKey: hasOPK, PreKey: fuzzKey(opk),
		}
		err := b.Verify()
		if err != nil {
			if !errors.Is(err, x3dh.ErrInvalidBundle) && !errors.Is(err, x3dh.ErrInvalidSignature) {
				t.Fatalf("Verify = %v", err)
			}
			return
		}
		ss, err := x3dh.Initiate(x3dh.InitiatorParameters{OurIdentity: ikA, OurBase: ekA, Bundle: b})
		if err != nil && (!errors.Is(err, x3dh.ErrLowOrderKey) || ss != (x3dh.SharedSecret{})) {
			t.Fatalf("Initiate on a verified bundle = %v", err)
		}
	})
}
