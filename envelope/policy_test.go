// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"context"
	"errors"
	"testing"
)

// TestDowngrade: once Alice has fetched a bundle in which Bob's device
// advertises v4 (with its signed KEM prekey), she refuses v3 envelopes
// from it, and her store does not change.
func TestDowngrade(t *testing.T) {
	ctx := context.Background()
	dir := NewMemoryDirectory()
	alice := newTestClient(t, dir, "whatsapp:alice.1")
	bob := newTestClient(t, dir, "instagram:bob.1")
	republish := func(p Profile) {
		t.Helper()
		if err := dir.Publish(ctx, &Upload{Address: bob.self, Profile: p, RegistrationID: bob.regID, IdentityKey: bob.IdentityKey()}); err != nil {
			t.Fatal(err)
		}
	}
	// Bob's entry first advertises only v3: Alice starts a v3 session.
	republish(ProfileV3)
	env := alice.seal(t, "instagram:bob", text("hi"))
	if env[0].Profile() != ProfileV3 {
		t.Fatalf("first envelope profile %v", env[0].Profile())
	}
	bob.mustOpenText(t, env[0], alice.self, "hi")
	reply := bob.seal(t, "whatsapp:alice", text("v3 reply"))[0]
	if reply.Profile() != ProfileV3 {
		t.Fatalf("reply profile %v", reply.Profile())
	}
	// Then v4: Alice starts over and sees the v4 bundle.
	republish(ProfileV4)
	if err := alice.m.DeleteSession(ctx, bob.self.KeystoreAddress()); err != nil {
		t.Fatal(err)
	}
	v4 := alice.seal(t, "instagram:bob", text("hi again"))[0]
	if v4.Profile() != ProfileV4 {
		t.Fatalf("envelope after the v4 bundle: %v", v4.Profile())
	}
	bob.mustOpenText(t, v4, alice.self, "hi again")
	expectRejected(t, alice, reply, ErrDowngrade)
	var de *DowngradeError
	if err := alice.Open(ctx, reply, func(Received) error { return nil }); !errors.As(err, &de) || de.Advertised != ProfileV4 || de.Got != ProfileV3 || de.Sender != bob.self {
		t.Fatalf("Open = %v", err)
	}
	alice.mustOpenText(t, bob.seal(t, "whatsapp:alice", text("v4 reply"))[0], bob.self, "v4 reply")

	// A bundle advertising v3 later does not lower what was recorded.
	republish(ProfileV3)
	if err := alice.m.DeleteSession(ctx, bob.self.KeystoreAddress()); err != nil {
		t.Fatal(err)
	}
	alice.seal(t, "instagram:bob", text("again")) // fetches the v3 bundle
	expectRejected(t, alice, reply, ErrDowngrade)

	// Carol, who never saw Bob's v4 claim, accepts his v3 envelopes.
	carol := newTestClient(t, dir, "messenger:carol.1")
	bob.mustOpenText(t, carol.seal(t, "instagram:bob", text("hey"))[0], carol.self, "hey")
	carol.mustOpenText(t, bob.seal(t, "messenger:carol", text("hey back"))[0], bob.self, "hey back")
}

// TestRequireV4: a client with WithMinProfile(ProfileV4) starts v4
// sessions, refuses a device that advertises only v3, and refuses v3
// envelopes.
func TestRequireV4(t *testing.T) {
	ctx := context.Background()
	dir := NewMemoryDirectory()
	alice := newTestClient(t, dir, "whatsapp:alice.1", WithMinProfile(ProfileV4))
	bob := newTestClient(t, dir, "instagram:bob.1")
	env := alice.seal(t, "instagram:bob", text("pq only"))[0]
	if env.Profile() != ProfileV4 {
		t.Fatalf("profile %v", env.Profile())
	}
	bob.mustOpenText(t, env, alice.self, "pq only")
	alice.mustOpenText(t, bob.seal(t, "whatsapp:alice", text("ok"))[0], bob.self, "ok")

	carol := newTestClient(t, dir, "messenger:carol.1")
	if err := dir.Publish(ctx, &Upload{Address: carol.self, Profile: ProfileV3, RegistrationID: carol.regID, IdentityKey: carol.IdentityKey()}); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Seal(ctx, carol.self.Account(), text("x")); !errors.Is(err, ErrPolicy) {
		t.Fatalf("sealing to a v3-only device: %v, want ErrPolicy", err)
	}
	// Carol (v3 to her own taste) writes first: a v3 envelope is refused.
	if err := dir.Publish(ctx, &Upload{Address: alice.self, Profile: ProfileV3, RegistrationID: alice.regID, IdentityKey: alice.IdentityKey()}); err != nil {
		t.Fatal(err)
	}
	v3 := carol.seal(t, "whatsapp:alice", text("v3"))[0]
	if v3.Profile() != ProfileV3 {
		t.Fatalf("carol's envelope %v", v3.Profile())
	}
	expectRejected(t, alice, v3, ErrPolicy)
}

func TestProfiles(t *testing.T) {
	for _, s := range []string{"v3", "v4"} {
		p, err := ParseProfile(s)
		if err != nil || p.String() != s {
			t.Fatalf("ParseProfile(%q) = %v, %v", s, p, err)
		}
	}
	for _, s := range []string{"", "v2", "v5", "V3", "3"} {
		if _, err := ParseProfile(s); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseProfile(%q): %v", s, err)
		}
	}
	if !ProfileV3.implemented() || !ProfileV4.implemented() || Profile(5).implemented() {
		t.Fatal("this build implements v3 and v4")
	}
}
