// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"errors"
	"strings"
	"testing"

	"github.com/crossseal/crossseal/keystore"
)

func TestParseAddress(t *testing.T) {
	valid := []struct {
		in   string
		want Address
	}{
		{"whatsapp:+15551234567.1", Address{"whatsapp", "+15551234567", 1}},
		{"instagram:bob_ig.2", Address{"instagram", "bob_ig", 2}},
		{"messenger:100004217.1", Address{"messenger", "100004217", 1}},
		{"x:a.b.c.7", Address{"x", "a.b.c", 7}},
		{"x:a:b.1", Address{"x", "a:b", 1}},
		{"x::.1", Address{"x", ":", 1}},
		{"x:..2147483647", Address{"x", ".", MaxDevice}},
		{"my-app-2:jürgen 🙂.10", Address{"my-app-2", "jürgen 🙂", 10}},
		{strings.Repeat("a", 32) + ":" + strings.Repeat("u", 256) + ".1", Address{strings.Repeat("a", 32), strings.Repeat("u", 256), 1}},
	}
	for _, tc := range valid {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseAddress(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("got %#v, want %#v", got, tc.want)
			}
			if got.String() != tc.in {
				t.Fatalf("String() = %q", got.String())
			}
			if err := got.Validate(); err != nil {
				t.Fatal(err)
			}
			ka := got.KeystoreAddress()
			if ka.Name != got.App+":"+got.User || ka.DeviceID != got.Device || ka.Validate() != nil {
				t.Fatalf("keystore address %v", ka)
			}
		})
	}
	invalid := []string{
		"", "whatsapp", "whatsapp:", "whatsapp:bob", "whatsapp:bob.", "whatsapp:.1",
		":bob.1", "WhatsApp:bob.1", "what_sapp:bob.1", "-wa:bob.1", "wa-:bob.1",
		strings.Repeat("a", 33) + ":bob.1", "wa:" + strings.Repeat("u", 257) + ".1",
		"wa:bob.0", "wa:bob.01", "wa:bob.+1", "wa:bob.-1", "wa:bob.2147483648", "wa:bob.4294967296",
		"wa:bob.99999999999", "wa:bob.1x", "wa:bob. 1", "wa:b\x00b.1", "wa:b\nb.1", "wa:b\x7fb.1",
		"wa:b\u0085b.1", "wa:\xff.1", "wa:b\xc3.1", "wa bob.1",
	}
	for _, in := range invalid {
		t.Run("invalid/"+in, func(t *testing.T) {
			a, err := ParseAddress(in)
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrMalformed) {
				t.Fatalf("ParseAddress(%q) = %v, %v; want a *ParseError", in, a, err)
			}
			if a != (Address{}) {
				t.Fatalf("non-zero address on error: %v", a)
			}
		})
	}
}

func TestAddressValidate(t *testing.T) {
	for _, a := range []Address{{"wa", "bob", 0}, {"wa", "bob", MaxDevice + 1}, {"", "bob", 1}, {"wa", "", 1}} {
		if err := a.Validate(); !errors.Is(err, ErrMalformed) {
			t.Errorf("%#v: %v", a, err)
		}
	}
	if len(strings.Repeat("a", MaxAppSize)+":"+strings.Repeat("u", MaxUserSize)) > keystore.MaxNameSize {
		t.Fatal("the longest account name does not fit a keystore address")
	}
}

func TestParseAccount(t *testing.T) {
	a, err := ParseAccount("instagram:bob.ig")
	if err != nil || a != (Account{"instagram", "bob.ig"}) || a.String() != "instagram:bob.ig" {
		t.Fatalf("%v %v", a, err)
	}
	if a.Device(3) != (Address{"instagram", "bob.ig", 3}) || a.Device(3).Account() != a {
		t.Fatal("Device/Account do not round-trip")
	}
	for _, in := range []string{"", "instagram", "Instagram:bob", "instagram:", "ig:\x01"} {
		if _, err := ParseAccount(in); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseAccount(%q): %v", in, err)
		}
	}
}
