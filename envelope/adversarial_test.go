// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"context"
	"errors"
	"testing"
	"time"
)

// sealRaw is the test hook for contents Seal would never produce: it
// encrypts plaintext (already "padded", or not) for to through the session
// layer directly and wraps it in an envelope.
func (c *testClient) sealRaw(t *testing.T, to Address, plaintext []byte) *Envelope {
	t.Helper()
	ct, err := c.m.Encrypt(context.Background(), to.KeystoreAddress(), plaintext)
	if err != nil {
		t.Fatal(err)
	}
	return &Envelope{Version: FormatVersion, Sender: c.self, Recipient: to, Type: MessageType(ct.Type), Body: ct.Body}
}

// encodedContent returns a valid encoded (unpadded) content from sender.
func encodedContent(t *testing.T, sender Address, s string) []byte {
	t.Helper()
	c := &Content{ID: newMessageID(), SentAt: time.Now(), OriginApp: sender.App, Body: &Text{Text: s}}
	b, err := marshalContent(c, sender)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// expectRejected opens env at rc and checks the error and that rc's
// stored state about env.Sender is byte-identical afterwards.
func expectRejected(t *testing.T, rc *testClient, env *Envelope, want error) {
	t.Helper()
	before := rc.stateHash(t, env.Sender)
	called := false
	err := rc.Open(context.Background(), env, func(Received) error { called = true; return nil })
	if err == nil || (want != nil && !errors.Is(err, want)) {
		t.Fatalf("Open = %v, want %v", err, want)
	}
	if called && !errors.Is(err, ErrBadPadding) && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrSenderMismatch) {
		t.Fatal("callback called for a rejected envelope")
	}
	if rc.stateHash(t, env.Sender) != before {
		t.Fatalf("rejected envelope (%v) changed the store", err)
	}
}

func TestRejectedEnvelopesChangeNothing(t *testing.T) {
	dir := NewMemoryDirectory()
	alice := newTestClient(t, dir, "whatsapp:+15551234567.1")
	bob := newTestClient(t, dir, "instagram:bob_ig.1")
	carol := newTestClient(t, dir, "messenger:100004217.1")
	bob.mustOpenText(t, alice.seal(t, "instagram:bob_ig", text("hi"))[0], alice.self, "hi")
	alice.mustOpenText(t, bob.seal(t, "whatsapp:+15551234567", text("hello"))[0], bob.self, "hello")
	fresh := func() *Envelope { return alice.seal(t, "instagram:bob_ig", text("payload"))[0] }

	t.Run("tampered whisper, every byte", func(t *testing.T) {
		env := fresh()
		if env.Type != TypeWhisper {
			t.Fatal("not a whisper message")
		}
		for i := range env.Body {
			for _, mask := range []byte{0x01, 0x80} {
				bad := cloneEnvelope(env)
				bad.Body[i] ^= mask
				expectRejected(t, bob, bad, nil)
			}
		}
	})
	t.Run("truncated body", func(t *testing.T) {
		env := fresh()
		for _, n := range []int{1, 2, 9, len(env.Body) / 2, len(env.Body) - 1} {
			bad := cloneEnvelope(env)
			bad.Body = bad.Body[:n]
			expectRejected(t, bob, bad, ErrInvalidMessage)
		}
	})
	cases := []struct {
		name   string
		mutate func(e *Envelope)
		want   error
	}{
		{"wrong recipient device", func(e *Envelope) { e.Recipient.Device = 2 }, ErrWrongRecipient},
		{"wrong recipient app", func(e *Envelope) { e.Recipient.App = "messenger" }, ErrWrongRecipient},
		{"unknown version", func(e *Envelope) { e.Version = 2 }, ErrUnsupportedVersion},
		{"unknown type", func(e *Envelope) { e.Type = 1 }, ErrUnsupportedType},
		{"plaintext type", func(e *Envelope) { e.Type = 0 }, ErrUnsupportedType},
		{"type swapped", func(e *Envelope) { e.Type = TypePreKey }, ErrInvalidMessage},
		{"signal version 2", func(e *Envelope) { e.Body[0] = 0x22 }, ErrUnsupportedVersion},
		{"v3 body", func(e *Envelope) { e.Body[0] = 0x33 }, ErrInvalidMessage}, // v3 bytes for a v4 session
		{"relabelled sender", func(e *Envelope) { e.Sender = carol.self }, nil},
		{"sender is recipient", func(e *Envelope) { e.Sender = bob.self }, ErrMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := cloneEnvelope(fresh())
			tc.mutate(env)
			expectRejected(t, bob, env, tc.want)
		})
	}
	t.Run("wrong recipient error", func(t *testing.T) {
		env := fresh()
		env.Recipient.Device = 2
		var re *RecipientError
		if err := bob.Open(context.Background(), env, func(Received) error { return nil }); !errors.As(err, &re) || re.Got != env.Recipient || re.Want != bob.self {
			t.Fatalf("Open = %v", err)
		}
	})

	// Contents Seal never produces, encrypted through the session layer.
	content := encodedContent(t, alice.self, "raw")
	hooks := []struct {
		name      string
		plaintext []byte
		want      error
	}{
		{"unpadded", content, ErrBadPadding},
		{"padding not 0x80", append(append([]byte{}, content...), 0x81), ErrBadPadding},
		{"nonzero after marker", func() []byte { p := pad(content); p[len(p)-1] = 1; return p }(), ErrBadPadding},
		{"extra padding block", append(pad(content), make([]byte, PaddingBlockSize)...), ErrBadPadding},
		{"empty plaintext", nil, ErrBadPadding},
		{"truncated content", pad(content[:len(content)-3]), ErrMalformed},
		{"garbage content", pad([]byte{0xff, 0xff, 0xff}), ErrMalformed},
		{"empty content", pad(nil), ErrMalformed},
		{"content bound to another sender", pad(encodedContent(t, Address{"whatsapp", "+15550000000", 1}, "x")), ErrSenderMismatch},
		{"content from another app", pad(encodedContent(t, carol.self, "x")), ErrSenderMismatch},
	}
	for _, h := range hooks {
		t.Run(h.name, func(t *testing.T) {
			expectRejected(t, bob, alice.sealRaw(t, bob.self, h.plaintext), h.want)
		})
	}

	t.Run("duplicate", func(t *testing.T) {
		env := fresh()
		bob.mustOpenText(t, env, alice.self, "payload")
		expectRejected(t, bob, env, ErrDuplicate)
	})
	t.Run("tampered prekey message", func(t *testing.T) {
		env := carol.seal(t, "instagram:bob_ig", text("first"))[0]
		if env.Type != TypePreKey {
			t.Fatal("not a prekey message")
		}
		// Outer fields other than the registration id feed X3DH or name
		// keys; the inner SignalMessage is MACed. (The registration id and
		// the low nibble of the outer version byte are not authenticated,
		// in libsignal either.)
		for _, i := range []int{10, 40, len(env.Body) / 2, len(env.Body) - 1, len(env.Body) - 8} {
			bad := cloneEnvelope(env)
			bad.Body[i] ^= 1
			expectRejected(t, bob, bad, nil)
		}
		bob.mustOpenText(t, env, carol.self, "first")
	})
	// After all that, the sessions still work both ways.
	bob.mustOpenText(t, alice.seal(t, "instagram:bob_ig", text("still here"))[0], alice.self, "still here")
	alice.mustOpenText(t, bob.seal(t, "whatsapp:+15551234567", text("me too"))[0], bob.self, "me too")
}

// TestRelabelledSenderSharedIdentity: a business uses one identity on two
// apps. A relay that relabels the business's Messenger envelope as coming
// from its WhatsApp account would pass every cryptographic check (same
// identity key); the sender bound inside the content catches it.
func TestRelabelledSenderSharedIdentity(t *testing.T) {
	dir := NewMemoryDirectory()
	key, err := GenerateIdentityKey()
	if err != nil {
		t.Fatal(err)
	}
	bizM := newTestClient(t, dir, "messenger:acme.1", WithIdentityKey(key))
	bizW := newTestClient(t, dir, "whatsapp:+15550001111.1", WithIdentityKey(key))
	alice := newTestClient(t, dir, "whatsapp:+15551234567.1")
	env := bizM.seal(t, "whatsapp:+15551234567", text("your order shipped"))[0]
	bad := cloneEnvelope(env)
	bad.Sender = bizW.self
	expectRejected(t, alice, bad, ErrSenderMismatch)
	alice.mustOpenText(t, env, bizM.self, "your order shipped")
}
