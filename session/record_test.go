// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package session

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/crossseal/crossseal/internal/pb"
	"google.golang.org/protobuf/proto"
)

// TestRecordEncodingMatchesGenerated checks the hand-written record
// encoder against the generated protobuf code on records in every shape:
// pending prekey, skipped keys, several receiver chains, archived states.
func TestRecordEncodingMatchesGenerated(t *testing.T) {
	alice, bob := newParty(t, "alice", 1), newParty(t, "bob", 16380)
	check := func(step string) {
		t.Helper()
		for _, p := range []struct {
			me, peer *party
		}{{alice, bob}, {bob, alice}} {
			has, err := p.me.m.HasSession(context.Background(), p.peer.addr)
			if err != nil || !has {
				continue
			}
			rec := p.me.record(t, p.peer)
			got, want := rec.marshal(), rec.marshalGenerated()
			if !bytes.Equal(got, want) {
				var g, w pb.SessionRecord
				_ = proto.Unmarshal(got, &g)
				_ = proto.Unmarshal(want, &w)
				t.Fatalf("%s, %s: hand encoding differs from generated\n got %v\nwant %v", step, p.me.name, &g, &w)
			}
			back, err := unmarshalRecord(got)
			if err != nil {
				t.Fatalf("%s: decoding own record: %v", step, err)
			}
			if !bytes.Equal(back.marshal(), got) {
				t.Fatalf("%s: decode/encode not stable", step)
			}
		}
	}
	connect(t, alice, bob, 2)
	check("pending")
	bob.mustDecrypt(t, alice, alice.encrypt(t, bob, "a"), "a")
	check("first message")
	for i := range 7 {
		alice.skipSending(t, bob, 3)
		bob.mustDecrypt(t, alice, alice.encrypt(t, bob, "s"), "s")
		alice.mustDecrypt(t, bob, bob.encrypt(t, alice, "r"), "r")
		check(fmt.Sprint("round ", i))
	}
	connect(t, alice, bob, 3)
	check("archived")
}
