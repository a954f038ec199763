// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"context"
	"encoding/hex"
	"errors"
	"regexp"
	"testing"

	"github.com/crossseal/crossseal/x3dh"
)

func mustKey(t *testing.T, h string) x3dh.PublicKey {
	t.Helper()
	b, err := hex.DecodeString(h)
	if err != nil {
		t.Fatal(err)
	}
	k, err := x3dh.NewPublicKey(b)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestSafetyNumberLibsignalVectors checks the computation against
// libsignal's fingerprint_test_v1 (rust/protocol/src/fingerprint.rs), which
// uses phone numbers as stable ids; crossseal itself uses empty ones.
func TestSafetyNumberLibsignalVectors(t *testing.T) {
	aliceKey := mustKey(t, "0506863bc66d02b40d27b8d49ca7c09e9239236f9d7d25d6fcca5ce13c7064d868")
	bobKey := mustKey(t, "05f781b6fb32fed9ba1cf2de978d4d5da28dc34046ae814402b5c0dbd96fda907b")
	aliceID, bobID := []byte("+14152222222"), []byte("+14153333333")
	const display = "300354477692869396892869876765458257569162576843440918079131"
	const aliceScannable = "080112220a201e301a0353dce3dbe7684cb8336e85136cdc0ee96219494ada305d62a7bd61df1a220a20d62cbf73a11592015b6b9f1682ac306fea3aaf3885b84d12bca631e9d4fb3a4d"
	const bobScannable = "080112220a20d62cbf73a11592015b6b9f1682ac306fea3aaf3885b84d12bca631e9d4fb3a4d1a220a201e301a0353dce3dbe7684cb8336e85136cdc0ee96219494ada305d62a7bd61df"
	a := newSafetyNumber(aliceID, aliceKey, bobID, bobKey)
	b := newSafetyNumber(bobID, bobKey, aliceID, aliceKey)
	if a.String() != display || b.String() != display {
		t.Fatalf("display %s / %s, want %s", a, b, display)
	}
	if got := hex.EncodeToString(a.scannable(1)); got != aliceScannable {
		t.Fatalf("alice scannable %s", got)
	}
	if got := hex.EncodeToString(b.scannable(1)); got != bobScannable {
		t.Fatalf("bob scannable %s", got)
	}
}

func TestSafetyNumberScannable(t *testing.T) {
	k := func() x3dh.PublicKey {
		ik, err := GenerateIdentityKey()
		if err != nil {
			t.Fatal(err)
		}
		return ik.PublicKey()
	}
	alice, bob, mallory := k(), k(), k()
	ab, ba := NewSafetyNumber(alice, bob), NewSafetyNumber(bob, alice)
	if !ab.Equal(ba) || ab.String() != ba.String() || !regexp.MustCompile(`^[0-9]{60}$`).MatchString(ab.String()) {
		t.Fatalf("%s / %s", ab, ba)
	}
	if !regexp.MustCompile(`^([0-9]{5} ){11}[0-9]{5}$`).MatchString(ab.Display()) {
		t.Fatalf("display %q", ab.Display())
	}
	for _, tc := range []struct {
		name    string
		mine    *SafetyNumber
		scanned *SafetyNumber
		want    bool
	}{
		{"match", ab, ba, true},
		{"match reverse", ba, ab, true},
		{"own code", ab, ab, false},
		{"mitm", NewSafetyNumber(alice, mallory), NewSafetyNumber(bob, alice), false},
	} {
		ok, err := tc.mine.VerifyScanned(tc.scanned.Scannable())
		if err != nil || ok != tc.want {
			t.Errorf("%s: VerifyScanned = %v, %v", tc.name, ok, err)
		}
		ok, err = tc.mine.VerifyScannedText(tc.scanned.ScannableText())
		if err != nil || ok != tc.want {
			t.Errorf("%s: VerifyScannedText = %v, %v", tc.name, ok, err)
		}
	}
	if NewSafetyNumber(alice, mallory).Equal(ab) {
		t.Error("different keys, equal numbers")
	}
	code := ba.Scannable()
	if code[1] != ScannableVersion {
		t.Fatal("version not first")
	}
	other := ba.scannable(2)
	if _, err := ab.VerifyScanned(other); !errors.Is(err, ErrUnsupportedVersion) {
		t.Errorf("libsignal version 2 code: %v", err)
	}
	for i := range code {
		if ok, err := ab.VerifyScanned(code[:i]); ok || err == nil {
			t.Errorf("truncated code (%d bytes) accepted", i)
		}
	}
	if _, err := ab.VerifyScannedText("!!"); !errors.Is(err, ErrMalformed) {
		t.Errorf("bad base64: %v", err)
	}
}

// TestSafetyNumberAcrossApps: a business serves Messenger and WhatsApp
// with one identity; a WhatsApp user and an Instagram user each compare
// the same number with it on both apps, from both sides.
func TestSafetyNumberAcrossApps(t *testing.T) {
	ctx := context.Background()
	dir := NewMemoryDirectory()
	key, err := GenerateIdentityKey()
	if err != nil {
		t.Fatal(err)
	}
	bizM := newTestClient(t, dir, "messenger:acme.1", WithIdentityKey(key))
	bizW := newTestClient(t, dir, "whatsapp:+15550001111.1", WithIdentityKey(key))
	alice := newTestClient(t, dir, "whatsapp:+15551234567.1")
	bob := newTestClient(t, dir, "instagram:bob_ig.1")
	for _, user := range []*testClient{alice, bob} {
		var numbers []string
		for _, biz := range []*testClient{bizM, bizW} {
			biz.mustOpenText(t, user.seal(t, biz.self.Account().String(), text("hi"))[0], user.self, "hi")
			fromUser, err := user.SafetyNumber(ctx, biz.self)
			if err != nil {
				t.Fatal(err)
			}
			fromBiz, err := biz.SafetyNumber(ctx, user.self)
			if err != nil {
				t.Fatal(err)
			}
			if fromUser.String() != fromBiz.String() {
				t.Fatalf("%s and %s see %s and %s", user.self, biz.self, fromUser, fromBiz)
			}
			if ok, err := fromBiz.VerifyScanned(fromUser.Scannable()); !ok || err != nil {
				t.Fatalf("scan: %v %v", ok, err)
			}
			numbers = append(numbers, fromUser.String())
		}
		if numbers[0] != numbers[1] {
			t.Fatalf("%s sees different numbers for the business on two apps", user.self)
		}
	}
	if _, err := alice.SafetyNumber(ctx, Address{"instagram", "stranger", 1}); err == nil {
		t.Fatal("safety number with an unknown peer")
	}
}
