// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package gen

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/crossseal/crossseal/internal/pb"
	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/testdata/internal/mutate"
	"github.com/crossseal/crossseal/testdata/internal/sim"
	"google.golang.org/protobuf/proto"
)

// stateFields writes what a stored SessionState decodes to, decoded here
// with the generated protobuf code.
func stateFields(v *vec, prefix string, s *pb.SessionState) {
	v.int(prefix+"session_version", uint64(s.SessionVersion)).
		hex(prefix+"local_identity", s.LocalIdentity).hex(prefix+"remote_identity", s.RemoteIdentity).
		int(prefix+"local_registration_id", uint64(s.LocalRegistrationId)).
		int(prefix+"remote_registration_id", uint64(s.RemoteRegistrationId)).
		hex(prefix+"alice_base_key", s.AliceBaseKey).hex(prefix+"root_key", s.RootKey).
		int(prefix+"previous_counter", uint64(s.PreviousCounter)).
		hex(prefix+"sender_ratchet_public", s.SenderChain.RatchetPublic).
		hex(prefix+"sender_ratchet_private", s.SenderChain.RatchetPrivate).
		hex(prefix+"sender_chain_key", s.SenderChain.ChainKey).
		int(prefix+"sender_index", uint64(s.SenderChain.Index)).
		int(prefix+"receiver_chains", uint64(len(s.ReceiverChains)))
	for i, rc := range s.ReceiverChains {
		p := fmt.Sprintf("%sreceiver.%d.", prefix, i)
		var idx []string
		var seeds []byte
		for _, k := range rc.Skipped {
			idx = append(idx, strconv.FormatUint(uint64(k.Index), 10))
			seeds = append(seeds, k.Seed...)
		}
		v.hex(p+"ratchet_public", rc.RatchetPublic).hex(p+"chain_key", rc.ChainKey).int(p+"index", uint64(rc.Index)).
			str(p+"skipped_indexes", strings.Join(idx, " ")).hex(p+"skipped_seeds", seeds)
	}
	if pp := s.PendingPreKey; pp != nil {
		if pp.PreKeyId != nil {
			v.int(prefix+"pending_prekey_id", uint64(*pp.PreKeyId))
		}
		v.int(prefix+"pending_signed_prekey_id", uint64(pp.SignedPreKeyId)).hex(prefix+"pending_base_key", pp.BaseKey)
	}
}

func sessionRecordVectors(b *builder) {
	const kind = "session-record"
	r := stream(kind)
	c := sim.NewConversation()
	check := b.check
	record := func(name, peer string) []byte {
		rec, err := c.Record(name, peer)
		check(err)
		return rec
	}
	// behaviour is a message a record's owner sends next, or one it
	// receives; index is its number in the conversation.
	type behaviour struct {
		plaintext []byte
		index     int
		m         sim.Message
	}
	send := func(from, to, text string) *behaviour {
		i, m, err := c.Send(from, to, []byte(text))
		check(err)
		return &behaviour{[]byte(text), i, m}
	}
	deliver := func(to, from string, m *behaviour) {
		_, derr, err := c.Deliver(to, from, m.index, nil, r)
		check(err)
		check(derr)
	}
	add := func(name, comment string, raw []byte, send, receive *behaviour) string {
		var p pb.SessionRecord
		check(proto.Unmarshal(raw, &p))
		if b.err != nil {
			return ""
		}
		v := newVec(kind, name, testdata.ExpectSuccess, comment).
			int("record_version", uint64(p.Version)).int("archived_states", uint64(len(p.Previous)))
		stateFields(v, "current.", p.Current)
		for i, s := range p.Previous {
			stateFields(v, fmt.Sprintf("archived.%d.", i), s)
		}
		if send != nil {
			v.hex("send_plaintext", send.plaintext).int("send_type", uint64(send.m.Type)).hex("send_body", send.m.Body)
		}
		if receive != nil {
			v.int("receive_type", uint64(receive.m.Type)).hex("receive_body", receive.m.Body).hex("receive_plaintext", receive.plaintext)
		}
		v.v.Artifact = raw
		f := b.add(v)
		b.addRecord(strings.TrimSuffix(f, ".txt")+".bin", raw)
		return f
	}

	_, err := c.Identity("alice", "alice", 21, r)
	check(err)
	_, err = c.Identity("bob", "bob", 22, r)
	check(err)
	_, err = c.SignedPreKey("bob", 1, 1767225600000, r)
	check(err)
	for _, id := range []uint32{3, 4} {
		_, err = c.PreKey("bob", id, r)
		check(err)
	}
	pk := uint32(3)
	check(c.Bundle("alice", "bob", 1, &pk, r))
	a0 := send("alice", "bob", "a0")
	// Each record's "send" is the message its owner sends next in the
	// live conversation, and its "receive" a message it has not yet seen.
	pending := record("alice", "bob")
	src := add("initiator-pending", "alice after starting a session from bob's bundle and sending one message: a pending prekey, one receiving chain (bob's signed prekey)",
		pending, send("alice", "bob", "a1"), nil)
	a2 := send("alice", "bob", "a2")
	deliver("bob", "alice", a2) // skips a0 and a1
	skipped := record("bob", "alice")
	b0 := send("bob", "alice", "b0")
	add("responder-skipped-keys", "bob after receiving alice's third message first: two skipped message keys",
		skipped, b0, a0)
	deliver("alice", "bob", b0)
	a3 := send("alice", "bob", "a3")
	deliver("bob", "alice", a3)
	b1, b2, b3 := send("bob", "alice", "b1"), send("bob", "alice", "b2"), send("bob", "alice", "b3")
	deliver("alice", "bob", b3)
	add("three-receiver-chains", "alice after two DH steps: bob's signed prekey chain and two more, with two skipped keys on the latest",
		record("alice", "bob"), send("alice", "bob", "a4"), b1)
	pk = 4
	check(c.Bundle("alice", "bob", 1, &pk, r))
	add("archived-state", "alice after starting a second session: the first is archived, and a message in flight on it still decrypts",
		record("alice", "bob"), send("alice", "bob", "a5"), b2)

	derived := func(name, comment, op string, p mutate.Params, param func(*vec)) {
		v := derive(kind, name, testdata.ExpectParseFailure, comment, src, op, "artifact")
		param(v)
		v.v.Artifact = b.mutated(op, pending, p)
		b.add(v)
	}
	var p pb.SessionRecord
	check(proto.Unmarshal(pending, &p))
	if b.err != nil {
		return
	}
	rootLen := bytes.Index(pending, p.Current.RootKey) - 1
	half := len(pending) / 2
	derived("truncated", "the first half of the record", "truncate", mutate.Params{Length: half}, func(v *vec) { v.int("length", uint64(half)) })
	derived("version-2", "record version 2: unsupported", "set-byte", mutate.Params{Offset: 1, Byte: 2}, func(v *vec) { v.int("offset", 1).hex("byte", []byte{2}) })
	derived("short-root-key", "the root key's length byte changed from 32 to 31", "set-byte", mutate.Params{Offset: rootLen, Byte: 31}, func(v *vec) { v.int("offset", uint64(rootLen)).hex("byte", []byte{31}) })
	derived("trailing-garbage", "a 0xff byte appended: wire type 7 does not exist", "append", mutate.Params{Suffix: []byte{0xff}}, func(v *vec) { v.hex("suffix", []byte{0xff}) })
}

func digestVectors(b *builder) {
	seed := []byte("crossseal ratchet digest v1")
	const conversations, steps = 200, 48
	d, err := sim.RatchetDigest(seed, conversations, steps)
	b.check(err)
	b.add(newVec("ratchet-digest", "200-conversations", testdata.ExpectSuccess,
		"SHA-256 over 200 seeded two-party Double Ratchet conversations with random sends, deliveries in any order, drops, replays and tampering").
		hex("seed", seed).int("conversations", conversations).int("steps", steps).hex("digest", d[:]))
}
