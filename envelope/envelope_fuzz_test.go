// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"bytes"
	"reflect"
	"testing"
)

func FuzzParseEnvelope(f *testing.F) {
	for _, typ := range []MessageType{TypeWhisper, TypePreKey} {
		e := testEnvelope()
		e.Type = typ
		b, err := e.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	// A real conversation's envelopes.
	dir := NewMemoryDirectory()
	alice := newTestClient(f, dir, "whatsapp:+15551234567.1")
	bob := newTestClient(f, dir, "instagram:bob_ig.2")
	for _, env := range []*Envelope{alice.seal(f, "instagram:bob_ig", text("hi"))[0], bob.seal(f, "whatsapp:+15551234567", text("hey"))[0]} {
		b, err := env.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := Parse(b)
		if err != nil {
			if e != nil {
				t.Fatal("non-nil envelope with an error")
			}
			return
		}
		out, err := e.Marshal()
		if err != nil {
			t.Fatalf("parsed envelope does not marshal: %v", err)
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("re-encoding differs:\n%x\n%x", b, out)
		}
		if e.Validate() != nil || e.Sender.Validate() != nil || !e.Profile().known() {
			t.Fatal("parsed envelope does not validate")
		}
	})
}

func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{
		"whatsapp:+15551234567.1", "instagram:bob_ig.2", "messenger:100004217.1", "x:a.b.c.7",
		"x:a:b.1", "wa:bob.01", "wa:bob.0", "wa:bob.2147483648", "WA:bob.1", "wa:b\x00b.1", "wa:\xff.1", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAddress(s)
		if err != nil {
			if a != (Address{}) {
				t.Fatal("non-zero address with an error")
			}
			return
		}
		if a.String() != s {
			t.Fatalf("String() = %q, input %q", a.String(), s)
		}
		if err := a.Validate(); err != nil {
			t.Fatal(err)
		}
		if err := a.KeystoreAddress().Validate(); err != nil {
			t.Fatal(err)
		}
		acct, err := ParseAccount(a.Account().String())
		if err != nil || acct != a.Account() {
			t.Fatalf("account does not round-trip: %v", err)
		}
	})
}

func FuzzUnpadContent(f *testing.F) {
	f.Add(pad(nil))
	f.Add(pad([]byte("hello")))
	f.Add(pad(make([]byte, 159)))
	f.Add(append(pad([]byte("x")), 1))
	f.Add([]byte{0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := unpad(b)
		if err != nil {
			if out != nil {
				t.Fatal("non-nil content with an error")
			}
			return
		}
		if !bytes.Equal(pad(out), b) {
			t.Fatal("pad(unpad(b)) != b")
		}
	})
}

func FuzzParseContent(f *testing.F) {
	for _, c := range testContents() {
		b, err := marshalContent(c, testSender)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, sender, err := parseContent(b)
		if err != nil {
			if c != nil || sender != (Address{}) {
				t.Fatal("non-nil content with an error")
			}
			return
		}
		// Content is a protobuf from an authenticated peer, so other
		// encodings of the same value are accepted; re-encoding must be
		// stable and preserve the value.
		out, err := marshalContent(c, sender)
		if err != nil {
			t.Fatalf("parsed content does not marshal: %v", err)
		}
		c2, sender2, err := parseContent(out)
		if err != nil || sender2 != sender || !reflect.DeepEqual(c2, c) {
			t.Fatalf("re-encoded content differs: %v", err)
		}
		out2, err := marshalContent(c2, sender2)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatal("encoding is not stable")
		}
	})
}
