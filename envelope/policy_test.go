// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"context"
	"errors"
	"testing"
)

// TestDowngrade: Bob's bundle advertises v4. Alice, who fetched it,
// refuses v3 envelopes from Bob's device from then on, and her store does
// not change.
func TestDowngrade(t *testing.T) {
	ctx := context.Background()
	dir := NewMemoryDirectory()
	alice := newTestClient(t, dir, "whatsapp:alice.1")
	bob := newTestClient(t, dir, "instagram:bob.1")
	// Bob's directory entry now claims v4 capability.
	err := dir.Publish(ctx, &Upload{Address: bob.self, Profile: ProfileV4, RegistrationID: bob.regID, IdentityKey: bob.IdentityKey()})
	if err != nil {
		t.Fatal(err)
	}
	env := alice.seal(t, "instagram:bob", text("hi")) // Alice can only speak v3 to him
	bob.mustOpenText(t, env[0], alice.self, "hi")
	reply := bob.seal(t, "whatsapp:alice", text("v3 reply"))[0]
	if reply.Profile() != ProfileV3 {
		t.Fatalf("reply profile %v", reply.Profile())
	}
	expectRejected(t, alice, reply, ErrDowngrade)
	var de *DowngradeError
	if err := alice.Open(ctx, reply, func(Received) error { return nil }); !errors.As(err, &de) || de.Advertised != ProfileV4 || de.Got != ProfileV3 || de.Sender != bob.self {
		t.Fatalf("Open = %v", err)
	}
	// A v4 envelope would pass the downgrade check, and is refused as
	// unavailable rather than faked.
	v4 := cloneEnvelope(reply)
	v4.Body[0] = 0x44
	expectRejected(t, alice, v4, ErrProfileUnavailable)

	// A bundle advertising v3 later does not lower what was recorded.
	if err := dir.Publish(ctx, &Upload{Address: bob.self, Profile: ProfileV3, RegistrationID: bob.regID, IdentityKey: bob.IdentityKey()}); err != nil {
		t.Fatal(err)
	}
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
	if !ProfileV3.implemented() || ProfileV4.implemented() {
		t.Fatal("this build implements v3 only")
	}
}
