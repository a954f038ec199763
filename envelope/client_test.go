// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/session"
)

// TestThreeApps has a WhatsApp user, an Instagram user with two devices and
// a Messenger user exchange messages in every direction.
func TestThreeApps(t *testing.T) {
	dir := NewMemoryDirectory()
	alice := newTestClient(t, dir, "whatsapp:+15551234567.1")
	bobKey, err := GenerateIdentityKey()
	if err != nil {
		t.Fatal(err)
	}
	bob1 := newTestClient(t, dir, "instagram:bob_ig.1", WithIdentityKey(bobKey))
	bob2 := newTestClient(t, dir, "instagram:bob_ig.2", WithIdentityKey(bobKey))
	carol := newTestClient(t, dir, "messenger:100004217.1")
	all := []*testClient{alice, bob1, bob2, carol}
	accountOf := func(c *testClient) string { return c.self.Account().String() }
	heard := make(map[[2]Address]bool) // {a, b}: a has opened a message from b

	for round := range 3 {
		for _, from := range all {
			for _, to := range []*testClient{alice, bob1, carol} {
				if to.self.Account() == from.self.Account() {
					continue
				}
				msg := fmt.Sprintf("round %d: %s to %s", round, from.self, accountOf(to))
				envs := from.seal(t, accountOf(to), text(msg))
				var recipients []*testClient
				for _, c := range all {
					if c.self.Account() == to.self.Account() {
						recipients = append(recipients, c)
					}
				}
				if len(envs) != len(recipients) {
					t.Fatalf("%s: %d envelopes for %d devices", msg, len(envs), len(recipients))
				}
				var id MessageID
				for _, rc := range recipients {
					env := rc.envelopeFor(t, envs)
					if env.Sender != from.self {
						t.Fatalf("envelope sender %s", env.Sender)
					}
					// Until a device has heard from the other, it sends PreKey
					// messages; afterwards Whisper messages.
					if wantPreKey := !heard[[2]Address{from.self, rc.self}]; (env.Type == TypePreKey) != wantPreKey {
						t.Fatalf("%s: %s message to %s", msg, env.Type, rc.self)
					}
					heard[[2]Address{rc.self, from.self}] = true
					r := rc.mustOpenText(t, env, from.self, msg)
					if id.IsZero() {
						id = r.Content.ID
					} else if r.Content.ID != id {
						t.Fatal("devices received different message ids")
					}
				}
			}
		}
	}

	// bob1 fans out to his own other device.
	envs := bob1.seal(t, "instagram:bob_ig", text("note to self"))
	if len(envs) != 1 || envs[0].Recipient != bob2.self {
		t.Fatalf("self fan-out: %v", envs)
	}
	bob2.mustOpenText(t, envs[0], bob1.self, "note to self")
}

func TestNewSessionFlag(t *testing.T) {
	dir := NewMemoryDirectory()
	alice := newTestClient(t, dir, "whatsapp:alice.1")
	bob := newTestClient(t, dir, "instagram:bob.1")
	e1 := alice.seal(t, "instagram:bob", text("1"))[0]
	e2 := alice.seal(t, "instagram:bob", text("2"))[0]
	if e1.Type != TypePreKey || e2.Type != TypePreKey {
		t.Fatal("first messages are not PreKey messages")
	}
	if r := bob.mustOpenText(t, e2, alice.self, "2"); !r.NewSession {
		t.Error("first delivered message of a session: NewSession false")
	}
	if r := bob.mustOpenText(t, e1, alice.self, "1"); r.NewSession {
		t.Error("second message of the session: NewSession true")
	}
	reply := bob.seal(t, "whatsapp:alice", text("r"))[0]
	if reply.Type != TypeWhisper {
		t.Fatal("reply is not a Whisper message")
	}
	if r := alice.mustOpenText(t, reply, bob.self, "r"); r.NewSession {
		t.Error("whisper message: NewSession true")
	}
	e3 := alice.seal(t, "instagram:bob", text("3"))[0]
	if e3.Type != TypeWhisper {
		t.Fatal("after a reply, messages are not Whisper messages")
	}
	if r := bob.mustOpenText(t, e3, alice.self, "3"); r.NewSession {
		t.Error("whisper message: NewSession true")
	}
	// Alice reinstalls: a new session from a new store with her identity.
	alice2 := newTestClient(t, dir, "whatsapp:alice.1")
	e4 := alice2.seal(t, "instagram:bob", text("4"))[0]
	if _, err := bob.open(e4); !errors.Is(err, ErrUntrustedIdentity) {
		t.Fatalf("reinstall with a new identity: %v", err)
	}
	if err := bob.TrustIdentity(context.Background(), alice.self, alice2.IdentityKey()); err != nil {
		t.Fatal(err)
	}
	if r := bob.mustOpenText(t, e4, alice.self, "4"); !r.NewSession {
		t.Error("session reset: NewSession false")
	}
}

func TestCallbackErrorCommitsNothing(t *testing.T) {
	dir := NewMemoryDirectory()
	alice := newTestClient(t, dir, "whatsapp:alice.1")
	bob := newTestClient(t, dir, "instagram:bob.1")
	env := alice.seal(t, "instagram:bob", text("hi"))[0]
	before := bob.stateHash(t, alice.self)
	boom := errors.New("disk full")
	err := bob.Open(context.Background(), env, func(Received) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("Open = %v, want the callback's error", err)
	}
	if bob.stateHash(t, alice.self) != before {
		t.Fatal("failed callback changed the store")
	}
	if err := bob.Open(context.Background(), env, nil); err == nil {
		t.Fatal("Open without a callback succeeded")
	}
	if bob.stateHash(t, alice.self) != before {
		t.Fatal("Open without a callback changed the store")
	}
	bob.mustOpenText(t, env, alice.self, "hi")
	if _, err := bob.open(env); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("second open: %v", err)
	}
}

func TestPreKeyMaintenance(t *testing.T) {
	ctx := context.Background()
	dir := NewMemoryDirectory()
	bob := newTestClient(t, dir, "instagram:bob.1", WithSignedPreKeyRotation(24*time.Hour))
	if n, _ := dir.PreKeyCount(ctx, bob.self); n != testPreKeys {
		t.Fatalf("published %d prekeys", n)
	}
	alice := newTestClient(t, dir, "whatsapp:alice.1")
	early := alice.seal(t, "instagram:bob", text("early"))[0] // uses bob's first signed prekey
	for range testPreKeys - 3 {
		if _, err := dir.FetchBundle(ctx, bob.self); err != nil {
			t.Fatal(err)
		}
	}
	n, err := bob.RefillPreKeys(ctx, 5, 10)
	if err != nil || n != 8 {
		t.Fatalf("refill uploaded %d: %v", n, err)
	}
	if n, err := bob.RefillPreKeys(ctx, 5, 10); err != nil || n != 0 {
		t.Fatalf("second refill uploaded %d: %v", n, err)
	}
	if n, _ := dir.PreKeyCount(ctx, bob.self); n != 10 {
		t.Fatalf("directory has %d prekeys", n)
	}
	signedIDs := func() []uint32 {
		var ids []uint32
		bob.store.Update(ctx, func(tx keystore.Tx) error { ids, _ = tx.SignedPreKeyIDs(); return nil })
		return ids
	}
	kemIDs := func() []uint32 {
		var ids []uint32
		err := bob.store.Update(ctx, func(tx keystore.Tx) error {
			var err error
			ids, err = session.KEMPreKeyIDs(tx)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	// The published bundle's last-resort KEM prekey is the one of the
	// current signed prekey (same id), and it verifies.
	checkPublished := func() {
		t.Helper()
		b, err := dir.FetchBundle(ctx, bob.self)
		if err != nil {
			t.Fatal(err)
		}
		k := b.Keys.KEMPreKey
		if k == nil || k.ID != b.Keys.SignedPreKeyID {
			t.Fatalf("published KEM prekey %+v for signed prekey %d", k, b.Keys.SignedPreKeyID)
		}
		if err := k.Verify(b.Keys.IdentityKey); err != nil {
			t.Fatalf("published KEM prekey: %v", err)
		}
	}
	now := time.Now()
	if rotated, err := bob.RotateSignedPreKey(ctx, now); err != nil || rotated {
		t.Fatalf("fresh key rotated: %v %v", rotated, err)
	}
	first := signedIDs()
	if got := kemIDs(); !slices.Equal(got, first) {
		t.Fatalf("KEM prekeys %v, want one per signed prekey %v", got, first)
	}
	checkPublished()
	if rotated, err := bob.RotateSignedPreKey(ctx, now.Add(25*time.Hour)); err != nil || !rotated {
		t.Fatalf("rotate: %v %v", rotated, err)
	}
	if got := signedIDs(); len(got) != 2 {
		t.Fatalf("after one rotation: signed prekeys %v", got)
	}
	if got, want := kemIDs(), signedIDs(); !slices.Equal(got, want) {
		t.Fatalf("after one rotation: KEM prekeys %v, want %v", got, want)
	}
	checkPublished()
	// A message built on the previous signed prekey still opens.
	bob.mustOpenText(t, early, alice.self, "early")
	carol := newTestClient(t, dir, "messenger:carol.1")
	late := carol.seal(t, "instagram:bob", text("late"))[0] // uses the second one
	// The session Alice started with the first signed prekey and Bob's
	// last-resort KEM prekey left a replay mark (package session files them
	// under session/kem-used/<signed prekey id>/); rotation deletes it with
	// the signed prekey.
	marks := func(spk uint32) int {
		var keys []string
		bob.store.Update(ctx, func(tx keystore.Tx) error {
			var err error
			keys, err = tx.ValueKeys(fmt.Sprintf("session/kem-used/%d/", spk))
			return err
		})
		return len(keys)
	}
	if n := marks(first[0]); n != 1 {
		t.Fatalf("marks of the first signed prekey before it is deleted: %d, want 1", n)
	}
	if rotated, err := bob.RotateSignedPreKey(ctx, now.Add(50*time.Hour)); err != nil || !rotated {
		t.Fatalf("rotate: %v %v", rotated, err)
	}
	if n := marks(first[0]); n != 0 {
		t.Fatalf("marks of the deleted first signed prekey: %d, want 0", n)
	}
	got := signedIDs()
	if len(got) != 2 {
		t.Fatalf("after two rotations: signed prekeys %v", got)
	}
	if k := kemIDs(); !slices.Equal(k, got) {
		t.Fatalf("after two rotations: KEM prekeys %v, want %v", k, got)
	}
	checkPublished()
	for _, id := range got {
		if id == first[0] {
			t.Fatalf("signed prekey %d, two rotations old, was kept", id)
		}
	}
	bob.mustOpenText(t, late, carol.self, "late")
	if _, err := bob.RefillPreKeys(ctx, 5, 1); err == nil {
		t.Error("refill with target < min accepted")
	}
}

func TestNewClient(t *testing.T) {
	ctx := context.Background()
	dir := NewMemoryDirectory()
	st := keystore.NewMemory()
	self := Address{"whatsapp", "alice", 1}
	c1, err := NewClient(ctx, st, self, dir)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := NewClient(ctx, st, self, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !c1.IdentityKey().Equal(c2.IdentityKey()) {
		t.Fatal("reopening generated a new identity")
	}
	if _, err := NewClient(ctx, st, Address{"whatsapp", "mallory", 1}, dir); !errors.Is(err, ErrAccountMismatch) {
		t.Fatalf("other address on the store: %v", err)
	}
	k, _ := GenerateIdentityKey()
	if _, err := NewClient(ctx, st, self, dir, WithIdentityKey(k)); !errors.Is(err, ErrAccountMismatch) {
		t.Fatalf("other identity on the store: %v", err)
	}
	c3, err := NewClient(ctx, keystore.NewMemory(), Address{"messenger", "alice", 1}, dir, WithIdentityKey(k))
	if err != nil || !c3.IdentityKey().Equal(k.PublicKey()) {
		t.Fatalf("imported identity: %v", err)
	}
	k2, err := NewIdentityKey(k.Bytes())
	if err != nil || !k2.PublicKey().Equal(k.PublicKey()) {
		t.Fatal("NewIdentityKey does not round-trip")
	}
	if _, err := NewClient(ctx, keystore.NewMemory(), self, dir, WithMinProfile(Profile(5))); err == nil {
		t.Fatal("requiring an unknown profile: accepted")
	}
	if _, err := NewClient(ctx, keystore.NewMemory(), Address{"WA", "x", 1}, dir); !errors.Is(err, ErrMalformed) {
		t.Fatalf("bad address: %v", err)
	}
	if _, err := c1.Seal(ctx, Account{"instagram", "nobody"}, text("x")); !errors.Is(err, ErrNoDevices) {
		t.Fatalf("seal to unknown account: %v", err)
	}
	if _, err := c1.SealToDevice(ctx, self, text("x")); err == nil {
		t.Fatal("sealed to own device")
	}
}
