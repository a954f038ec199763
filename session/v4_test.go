// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package session

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/crossseal/crossseal/internal/pb"
	"github.com/crossseal/crossseal/internal/wire"
	"github.com/crossseal/crossseal/keystore"
	"google.golang.org/protobuf/proto"
)

// connectV4 makes a start a v4 session with b from a bundle carrying b's
// KEM prekey kemID (generated here, last-resort or one-time).
func connectV4(t testing.TB, a, b *party, preKeyID, kemID uint32, lastResort bool) {
	t.Helper()
	ctx := context.Background()
	if _, err := b.m.GenerateKEMPreKey(ctx, kemID, Kyber1024, lastResort, time.Unix(1700000000, 0)); err != nil {
		t.Fatal(err)
	}
	bundle, err := b.m.Bundle(ctx, 1, 1, preKeyID != 0, preKeyID)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.m.AddKEMPreKey(ctx, bundle, kemID); err != nil {
		t.Fatal(err)
	}
	if err := a.m.ProcessBundle(ctx, b.addr, bundle); err != nil {
		t.Fatal(err)
	}
}

func sessionInfo(t testing.TB, p, peer *party) SessionInfo {
	t.Helper()
	info, err := p.m.Session(context.Background(), peer.addr)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// TestV4Conversation: a PQXDH bundle starts a v4 session; messages carry
// SPQR and version 0x44 both ways; 300 alternating messages complete
// several SPQR epochs; out-of-order delivery within an epoch works.
func TestV4Conversation(t *testing.T) {
	alice, bob := newParty(t, "alice", 1), newParty(t, "bob", 2)
	connectV4(t, alice, bob, 3, 7, true)
	first := alice.encrypt(t, bob, "hello v4")
	pk, err := wire.ParsePreKeySignalMessage(first.Body)
	if err != nil {
		t.Fatal(err)
	}
	if first.Type != TypePreKey || first.Body[0] != 0x44 || !pk.HasKyberPreKeyID || pk.KyberPreKeyID != 7 || len(pk.Message.PQRatchet) == 0 {
		t.Fatalf("first message: type %d, version %#x, kyber %v/%d, pq_ratchet %d bytes",
			first.Type, first.Body[0], pk.HasKyberPreKeyID, pk.KyberPreKeyID, len(pk.Message.PQRatchet))
	}
	bob.mustDecrypt(t, alice, first, "hello v4")
	for i := range 300 {
		from, to := alice, bob
		if i%2 == 1 {
			from, to = bob, alice
		}
		msg := fmt.Sprintf("message %d", i)
		c := from.encrypt(t, to, msg)
		if c.Body[0] != 0x44 {
			t.Fatalf("message %d: version %#x", i, c.Body[0])
		}
		to.mustDecrypt(t, from, c, msg)
	}
	a, b := sessionInfo(t, alice, bob), sessionInfo(t, bob, alice)
	if a.Version != 4 || b.Version != 4 || a.PQEpoch < 3 || b.PQEpoch < 3 || a.Pending {
		t.Fatalf("after 300 messages: alice %+v, bob %+v", a, b)
	}
	// Out of order on one chain.
	var cs []Ciphertext
	for i := range 8 {
		cs = append(cs, alice.encrypt(t, bob, fmt.Sprint("late ", i)))
	}
	for _, i := range []int{7, 0, 5, 2, 1, 6, 3, 4} {
		bob.mustDecrypt(t, alice, cs[i], fmt.Sprint("late ", i))
	}
	// Records survive a reload (the cache is bypassed by a new Manager).
	bob2 := &party{name: "bob", addr: bob.addr, store: bob.store, m: New(bob.store)}
	c := alice.encrypt(t, bob, "after reload")
	bob2.mustDecrypt(t, alice, c, "after reload")
}

// TestV4Rejections: tampering with any v4-specific part (the SPQR field,
// the address binding, the KEM ciphertext, the version byte) or replaying
// is refused, and the stored state stays byte-identical.
func TestV4Rejections(t *testing.T) {
	alice, bob := newParty(t, "alice", 1), newParty(t, "bob", 2)
	connectV4(t, alice, bob, 3, 7, true)
	first := alice.encrypt(t, bob, "one")

	// PreKey message tampering, before the session exists.
	forgePreKey := func(mod func(*pb.PreKeySignalMessage)) Ciphertext {
		var p pb.PreKeySignalMessage
		if err := proto.Unmarshal(first.Body[1:], &p); err != nil {
			t.Fatal(err)
		}
		mod(&p)
		b, err := proto.Marshal(&p)
		if err != nil {
			t.Fatal(err)
		}
		return Ciphertext{TypePreKey, append([]byte{first.Body[0]}, b...)}
	}
	before := bob.storeDigest(t, alice)
	for name, c := range map[string]Ciphertext{
		"kem ciphertext flipped": forgePreKey(func(p *pb.PreKeySignalMessage) { p.KyberCiphertext[100] ^= 1 }),
		"kem ciphertext cut":     forgePreKey(func(p *pb.PreKeySignalMessage) { p.KyberCiphertext = p.KyberCiphertext[:500] }),
		"no kem part":            forgePreKey(func(p *pb.PreKeySignalMessage) { p.KyberCiphertext, p.KyberPreKeyId = nil, nil }),
		"unknown kem prekey":     forgePreKey(func(p *pb.PreKeySignalMessage) { *p.KyberPreKeyId = 99 }),
		"as v3":                  {TypePreKey, append([]byte{0x33}, first.Body[1:]...)},
	} {
		if _, err := bob.decrypt(alice, c); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if bob.storeDigest(t, alice) != before {
			t.Fatalf("%s: store changed", name)
		}
	}
	bob.mustDecrypt(t, alice, first, "one")
	alice.mustDecrypt(t, bob, bob.encrypt(t, alice, "two"), "two")

	good := alice.encrypt(t, bob, "three")
	sm, err := wire.ParseSignalMessage(good.Body)
	if err != nil {
		t.Fatal(err)
	}
	flipPQ := func(i int) Ciphertext {
		b := bytes.Clone(good.Body)
		at := bytes.Index(b, sm.PQRatchet)
		b[at+i] ^= 1
		return Ciphertext{TypeWhisper, b}
	}
	cases := map[string]Ciphertext{
		"spqr version byte": flipPQ(0),
		"spqr epoch":        flipPQ(1),
		"spqr last byte":    flipPQ(len(sm.PQRatchet) - 1),
		"version byte 0x33": {TypeWhisper, append([]byte{0x33}, good.Body[1:]...)},
		"no spqr field":     forge(t, sm, func(p *pb.SignalMessage) { p.PqRatchet = nil }),
		"addresses added":   forge(t, sm, func(p *pb.SignalMessage) { p.Addresses = make([]byte, 36) }),
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) { reject(t, bob, alice, c, ErrInvalidMessage) })
	}
	bob.mustDecrypt(t, alice, good, "three")
	reject(t, bob, alice, good, ErrDuplicateMessage)
}

// TestV4KEMPreKeyUse: a one-time KEM prekey is deleted by the session it
// starts; a last-resort one is kept and serves several sessions, but the
// same session start (same base key) cannot be replayed after its session
// is gone.
func TestV4KEMPreKeyUse(t *testing.T) {
	ctx := context.Background()
	bob := newParty(t, "bob", 2)
	alice := newParty(t, "alice", 1)
	connectV4(t, alice, bob, 3, 50, false)
	c := alice.encrypt(t, bob, "one-time")
	bob.mustDecrypt(t, alice, c, "one-time")
	err := bob.store.Update(ctx, func(tx keystore.Tx) error {
		_, err := tx.Value(kemPreKeyKey(50))
		return err
	})
	if !errors.Is(err, keystore.ErrNotFound) {
		t.Fatalf("one-time KEM prekey after use: %v", err)
	}

	carol := newParty(t, "carol", 3)
	dave := newParty(t, "dave", 4)
	connectV4(t, carol, bob, 0, 60, true)
	if _, err := bob.m.GenerateKEMPreKey(ctx, 61, Kyber1024, true, time.Now()); err != nil {
		t.Fatal(err)
	}
	b, err := bob.m.Bundle(ctx, 1, 1, false, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := bob.m.AddKEMPreKey(ctx, b, 60); err != nil {
		t.Fatal(err)
	}
	if err := dave.m.ProcessBundle(ctx, bob.addr, b); err != nil {
		t.Fatal(err)
	}
	cc := carol.encrypt(t, bob, "carol")
	bob.mustDecrypt(t, carol, cc, "carol")
	bob.mustDecrypt(t, dave, dave.encrypt(t, bob, "dave"), "dave")
	// Carol's session start replayed after Bob lost the session.
	if err := bob.m.DeleteSession(ctx, carol.addr); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.decrypt(carol, cc); !errors.Is(err, ErrReusedBaseKey) {
		t.Fatalf("replayed session start: %v, want ErrReusedBaseKey", err)
	}
}

// TestV4KEMMarksPruned: a last-resort KEM prekey keeps one mark per
// session start, filed under the signed prekey used; deleting the signed
// prekey deletes its marks (and its old session starts still fail),
// deleting or regenerating the KEM prekey deletes the KEM prekey's marks,
// so the store does not grow with every session a peer starts.
func TestV4KEMMarksPruned(t *testing.T) {
	ctx := context.Background()
	bob := newParty(t, "bob", 2)
	if _, err := bob.m.GenerateKEMPreKey(ctx, 70, Kyber1024, true, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.m.GenerateKEMPreKey(ctx, 71, Kyber1024, true, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.m.GenerateSignedPreKey(ctx, 2, time.Now()); err != nil {
		t.Fatal(err)
	}
	marks := func(prefix string) int {
		t.Helper()
		var n int
		err := bob.store.Update(ctx, func(tx keystore.Tx) error {
			keys, err := tx.ValueKeys(kemUsedPrefix + prefix)
			n = len(keys)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// start makes a new peer start a session with Bob's signed prekey spk
	// and KEM prekey kem, and returns it with its first message.
	var first []Ciphertext
	var peers []*party
	start := func(spk, kem uint32) {
		t.Helper()
		p := newParty(t, fmt.Sprintf("peer%d", len(peers)), uint32(10+len(peers)))
		b, err := bob.m.Bundle(ctx, 1, spk, false, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := bob.m.AddKEMPreKey(ctx, b, kem); err != nil {
			t.Fatal(err)
		}
		if err := p.m.ProcessBundle(ctx, bob.addr, b); err != nil {
			t.Fatal(err)
		}
		c := p.encrypt(t, bob, "hello")
		bob.mustDecrypt(t, p, c, "hello")
		peers, first = append(peers, p), append(first, c)
	}
	start(1, 70)
	start(1, 70)
	start(1, 71)
	start(2, 70)
	start(2, 71)
	if n, n1, n2 := marks(""), marks("1/"), marks("2/"); n != 5 || n1 != 3 || n2 != 2 {
		t.Fatalf("marks: %d (signed prekey 1: %d, 2: %d), want 5 (3, 2)", n, n1, n2)
	}

	if err := bob.m.RemoveSignedPreKey(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if n, n2 := marks(""), marks("2/"); n != 2 || n2 != 2 {
		t.Fatalf("after deleting signed prekey 1: %d marks (%d for signed prekey 2), want 2 (2)", n, n2)
	}
	// Peer 0's session start can still not be replayed: its signed prekey
	// is gone.
	if err := bob.m.DeleteSession(ctx, peers[0].addr); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.decrypt(peers[0], first[0]); !errors.Is(err, ErrInvalidPreKeyID) {
		t.Fatalf("session start with a deleted signed prekey: %v, want ErrInvalidPreKeyID", err)
	}
	// ... while peer 3's (signed prekey 2) is still refused by its mark.
	if err := bob.m.DeleteSession(ctx, peers[3].addr); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.decrypt(peers[3], first[3]); !errors.Is(err, ErrReusedBaseKey) {
		t.Fatalf("replayed session start: %v, want ErrReusedBaseKey", err)
	}

	if err := bob.m.RemoveKEMPreKey(ctx, 70); err != nil {
		t.Fatal(err)
	}
	if n := marks(""); n != 1 {
		t.Fatalf("after deleting KEM prekey 70: %d marks, want 1 (KEM prekey 71's)", n)
	}
	if _, err := bob.m.GenerateKEMPreKey(ctx, 71, Kyber1024, true, time.Now()); err != nil {
		t.Fatal(err)
	}
	if n := marks(""); n != 0 {
		t.Fatalf("after regenerating KEM prekey 71: %d marks, want 0", n)
	}
}

// TestV4AddressBinding: with service-id names, v4 messages carry both
// devices' addresses (36 bytes); a message delivered as if from another
// device, or to another device, fails.
func TestV4AddressBinding(t *testing.T) {
	const aliceID, bobID, eveID = "0b8dc7ce-5e47-4a8b-b1a4-2c8f1a3e9d10", "9f2d4f5e-1c3b-4e2a-8d7f-6a5b4c3d2e1f", "11111111-2222-4333-8444-555555555555"
	alice, bob := newParty(t, aliceID, 1), newParty(t, bobID, 2)
	alice.m.SetLocalAddress(alice.addr)
	bob.m.SetLocalAddress(bob.addr)
	connectV4(t, alice, bob, 3, 7, true)
	c := alice.encrypt(t, bob, "bound")
	pk, err := wire.ParsePreKeySignalMessage(c.Body)
	if err != nil {
		t.Fatal(err)
	}
	if len(pk.Message.Addresses) != 36 || pk.Message.Addresses[0] != 0 || pk.Message.Addresses[17] != 1 || pk.Message.Addresses[35] != 1 {
		t.Fatalf("addresses % x", pk.Message.Addresses)
	}
	// Delivered to another device of Bob's account: the binding names
	// device 1.
	bob.m.SetLocalAddress(keystore.Address{Name: bobID, DeviceID: 2})
	reject(t, bob, alice, c, ErrInvalidMessage)
	// Delivered to a device whose name is not a service id.
	bob.m.SetLocalAddress(keystore.Address{Name: "app:bob", DeviceID: 1})
	reject(t, bob, alice, c, ErrInvalidMessage)
	bob.m.SetLocalAddress(bob.addr)
	bob.mustDecrypt(t, alice, c, "bound")
	// And the other way: Alice's view of her own address changed.
	reply := bob.encrypt(t, alice, "reply")
	alice.m.SetLocalAddress(keystore.Address{Name: eveID, DeviceID: 1})
	reject(t, alice, bob, reply, ErrInvalidMessage)
	alice.m.SetLocalAddress(alice.addr)
	alice.mustDecrypt(t, bob, reply, "reply")
}

// TestKEMPreKeyIDs: the stored KEM prekey ids in numeric order (not the
// byte order of their value names), without the deleted ones; a value
// name that is not a canonical id is a corrupt record.
func TestKEMPreKeyIDs(t *testing.T) {
	ctx := context.Background()
	bob := newParty(t, "bob", 2)
	for _, id := range []uint32{9, 10, 2, 4000000000} {
		if _, err := bob.m.GenerateKEMPreKey(ctx, id, MLKEM1024, false, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if err := bob.m.RemoveKEMPreKey(ctx, 9); err != nil {
		t.Fatal(err)
	}
	ids := func() ([]uint32, error) {
		var ids []uint32
		err := bob.store.Update(ctx, func(tx keystore.Tx) error {
			var err error
			ids, err = KEMPreKeyIDs(tx)
			return err
		})
		return ids, err
	}
	got, err := ids()
	if err != nil || fmt.Sprint(got) != "[2 10 4000000000]" {
		t.Fatalf("KEMPreKeyIDs = %v, %v; want [2 10 4000000000]", got, err)
	}
	for _, bad := range []string{"x", "07", "4294967296", ""} {
		err := bob.store.Update(ctx, func(tx keystore.Tx) error {
			if err := tx.SetValue(kemPreKeyPrefix+bad, []byte{1}); err != nil {
				return err
			}
			_, err := KEMPreKeyIDs(tx)
			return err
		})
		if !errors.Is(err, ErrCorruptRecord) {
			t.Errorf("value %q: KEMPreKeyIDs error %v, want ErrCorruptRecord", kemPreKeyPrefix+bad, err)
		}
	}
}
