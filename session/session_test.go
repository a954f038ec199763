// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package session

import (
	"fmt"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	alice, bob := newParty(t, "alice", 1), newParty(t, "bob", 2)
	connect(t, alice, bob, 3)
	c := alice.encrypt(t, bob, "hello bob")
	if c.Type != TypePreKey {
		t.Fatalf("first message type %d, want PreKey", c.Type)
	}
	bob.mustDecrypt(t, alice, c, "hello bob")
	r := bob.encrypt(t, alice, "hi alice")
	if r.Type != TypeWhisper {
		t.Fatalf("reply type %d, want Whisper", r.Type)
	}
	alice.mustDecrypt(t, bob, r, "hi alice")
	for i := range 20 {
		from, to := alice, bob
		if i%3 == 1 {
			from, to = bob, alice
		}
		msg := fmt.Sprintf("message %d", i)
		c := from.encrypt(t, to, msg)
		if c.Type != TypeWhisper {
			t.Fatalf("message %d type %d after reply", i, c.Type)
		}
		to.mustDecrypt(t, from, c, msg)
	}
}
