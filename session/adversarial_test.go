// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package session

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/pb"
	"github.com/crossseal/crossseal/internal/wire"
	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/ratchet"
	"google.golang.org/protobuf/proto"
)

// established returns alice and bob after one message each way, plus one
// further whisper message from alice that bob has not yet received.
func established(t *testing.T) (alice, bob *party, pending Ciphertext) {
	t.Helper()
	alice, bob = newParty(t, "alice", 1), newParty(t, "bob", 2)
	connect(t, alice, bob, 3)
	bob.mustDecrypt(t, alice, alice.encrypt(t, bob, "one"), "one")
	alice.mustDecrypt(t, bob, bob.encrypt(t, alice, "two"), "two")
	return alice, bob, alice.encrypt(t, bob, "three")
}

// reject checks that c is rejected with want and that bob's store is
// byte-identical afterwards.
func reject(t *testing.T, bob, alice *party, c Ciphertext, want error) {
	t.Helper()
	before := bob.storeDigest(t, alice)
	_, err := bob.decrypt(alice, c)
	if !errors.Is(err, want) {
		t.Fatalf("decrypt error = %v, want %v", err, want)
	}
	if bob.storeDigest(t, alice) != before {
		t.Fatalf("rejected message (%v) changed the stored state", err)
	}
}

func TestRejectedMessagesChangeNothing(t *testing.T) {
	alice, bob, good := established(t)
	flip := func(i int) Ciphertext {
		b := append([]byte(nil), good.Body...)
		b[(i+len(b))%len(b)] ^= 0x01
		return Ciphertext{Type: good.Type, Body: b}
	}
	sm, err := wire.ParseSignalMessage(good.Body)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		c    Ciphertext
		want error
	}{
		{"mac last byte", flip(-1), ErrInvalidMessage},
		{"mac first byte", flip(-wire.MACSize), ErrInvalidMessage},
		{"ciphertext byte", flip(-wire.MACSize - 3), ErrInvalidMessage},
		{"version byte v2", Ciphertext{TypeWhisper, append([]byte{0x22}, good.Body[1:]...)}, ErrUnsupportedVersion},
		{"version byte v4", Ciphertext{TypeWhisper, append([]byte{0x44}, good.Body[1:]...)}, ErrInvalidMessage}, // v4 message, v3 session
		{"version byte v15", Ciphertext{TypeWhisper, append([]byte{0xFF}, good.Body[1:]...)}, ErrUnsupportedVersion},
		{"extended", Ciphertext{TypeWhisper, append(append([]byte(nil), good.Body...), 0)}, ErrInvalidMessage},
		{"empty", Ciphertext{TypeWhisper, nil}, ErrMalformed},
		{"wrong type", Ciphertext{TypePreKey, good.Body}, ErrInvalidMessage},
		{"unknown type", Ciphertext{8, good.Body}, ErrUnsupportedVersion},
		{"counter past limit", forge(t, sm, func(p *pb.SignalMessage) { *p.Counter += ratchet.MaxForwardJumps + 1 }), ErrTooManySkipped},
		{"counter changed", forge(t, sm, func(p *pb.SignalMessage) { *p.Counter += 1 }), ErrInvalidMessage},
		{"low-order ratchet key", forge(t, sm, func(p *pb.SignalMessage) { p.RatchetKey = append([]byte{5}, make([]byte, 32)...) }), ErrInvalidMessage},
		{"unknown ratchet key", forge(t, sm, func(p *pb.SignalMessage) { p.RatchetKey = randomKey(t).Bytes() }), ErrInvalidMessage},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { reject(t, bob, alice, tc.c, tc.want) })
	}
	t.Run("every truncation", func(t *testing.T) {
		for n := range len(good.Body) {
			reject(t, bob, alice, Ciphertext{TypeWhisper, good.Body[:n]}, ErrInvalidMessage)
		}
	})
	// After all of that, the untampered message still decrypts, once.
	bob.mustDecrypt(t, alice, good, "three")
	reject(t, bob, alice, good, ErrDuplicateMessage)
}

// forge re-encodes a parsed message with a modification, keeping its MAC.
func forge(t *testing.T, m *wire.SignalMessage, mod func(*pb.SignalMessage)) Ciphertext {
	t.Helper()
	raw := m.Bytes()
	var p pb.SignalMessage
	if err := proto.Unmarshal(raw[1:len(raw)-wire.MACSize], &p); err != nil {
		t.Fatal(err)
	}
	mod(&p)
	body, err := proto.Marshal(&p)
	if err != nil {
		t.Fatal(err)
	}
	out := append([]byte{raw[0]}, body...)
	return Ciphertext{TypeWhisper, append(out, raw[len(raw)-wire.MACSize:]...)}
}

func randomKey(t *testing.T) curve.PublicKey {
	k, err := curve.GeneratePrivateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return k.PublicKey()
}

func TestOutOfOrderAndSkipped(t *testing.T) {
	alice, bob := newParty(t, "alice", 1), newParty(t, "bob", 2)
	connect(t, alice, bob, 3)
	// Five PreKey messages, delivered out of order.
	var first []Ciphertext
	for i := range 5 {
		first = append(first, alice.encrypt(t, bob, fmt.Sprint("pk", i)))
	}
	for _, i := range []int{2, 0, 4, 1, 3} {
		bob.mustDecrypt(t, alice, first[i], fmt.Sprint("pk", i))
	}
	// Withhold two messages, then ratchet twice in each direction.
	late := []Ciphertext{alice.encrypt(t, bob, "late0"), alice.encrypt(t, bob, "late1")}
	for i := range 4 {
		bob.mustDecrypt(t, alice, alice.encrypt(t, bob, fmt.Sprint("a", i)), fmt.Sprint("a", i))
		alice.mustDecrypt(t, bob, bob.encrypt(t, alice, fmt.Sprint("b", i)), fmt.Sprint("b", i))
	}
	bob.mustDecrypt(t, alice, late[1], "late1")
	bob.mustDecrypt(t, alice, late[0], "late0")
	for _, c := range append(late, first...) {
		reject(t, bob, alice, c, ErrDuplicateMessage)
	}
}

func TestSkipLimits(t *testing.T) {
	alice, bob, _ := established(t)
	// Exactly MaxForwardJumps skipped is accepted; the skipped keys kept
	// are capped at MaxMessageKeys per chain.
	alice.skipSending(t, bob, ratchet.MaxForwardJumps-1)
	bob.mustDecrypt(t, alice, alice.encrypt(t, bob, "far"), "far")
	rec := bob.record(t, alice)
	if n := rec.current.ratchet.SkippedKeys(); n != ratchet.MaxMessageKeys {
		t.Fatalf("stored %d skipped keys, want %d", n, ratchet.MaxMessageKeys)
	}
}

// skipSending advances p's sending chain by n without delivering anything.
func (p *party) skipSending(t *testing.T, to *party, n int) {
	for range n {
		p.encrypt(t, to, "")
	}
}

func (p *party) record(t *testing.T, peer *party) *record {
	var rec *record
	err := p.store.Update(context.Background(), func(tx keystore.Tx) error {
		var err error
		rec, err = p.m.loadRecord(tx, peer.addr)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestUntrustedIdentity(t *testing.T) {
	alice, bob, _ := established(t)
	// Bob reinstalls: new identity, same address.
	bob2 := newParty(t, "bob", 2)
	bundle, err := bob2.m.Bundle(context.Background(), 1, 1, true, 1)
	if err != nil {
		t.Fatal(err)
	}
	err = alice.m.ProcessBundle(context.Background(), bob.addr, bundle)
	var ue *UntrustedIdentityError
	if !errors.Is(err, ErrUntrustedIdentity) || !errors.As(err, &ue) || ue.Address != bob.addr {
		t.Fatalf("ProcessBundle with changed identity: %v", err)
	}
	// A PreKey message from the new identity is rejected by alice too.
	connect(t, bob2, alice, 5)
	reject(t, alice, bob2, bob2.encrypt(t, alice, "hi"), ErrUntrustedIdentity)
	// After the user accepts the new key, it works.
	pub, _, err := bob2.m.LocalIdentity(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := alice.m.TrustIdentity(context.Background(), bob.addr, pub); err != nil {
		t.Fatal(err)
	}
	alice.mustDecrypt(t, bob2, bob2.encrypt(t, alice, "hi again"), "hi again")
}

func TestBadBundle(t *testing.T) {
	alice, bob := newParty(t, "alice", 1), newParty(t, "bob", 2)
	b, err := bob.m.Bundle(context.Background(), 1, 1, true, 1)
	if err != nil {
		t.Fatal(err)
	}
	bad := *b
	bad.SignedPreKeySignature = append([]byte(nil), b.SignedPreKeySignature...)
	bad.SignedPreKeySignature[5] ^= 1
	if err := alice.m.ProcessBundle(context.Background(), bob.addr, &bad); !errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("bad signature: %v", err)
	}
	low := *b
	low.PreKey, _ = curve.NewPublicKeyRaw(append([]byte{1}, make([]byte, 31)...)) // u = 1 has order 4
	if err := alice.m.ProcessBundle(context.Background(), bob.addr, &low); !errors.Is(err, ErrLowOrderKey) {
		t.Fatalf("low-order one-time prekey: %v", err)
	}
	if ok, _ := alice.m.HasSession(context.Background(), bob.addr); ok {
		t.Fatal("a rejected bundle created a session")
	}
}

func TestPreKeyConsumedOnce(t *testing.T) {
	alice, bob := newParty(t, "alice", 1), newParty(t, "bob", 2)
	connect(t, alice, bob, 4)
	first := alice.encrypt(t, bob, "x")
	bob.mustDecrypt(t, alice, first, "x")
	ids, _ := bob.m.PreKeyIDs(context.Background())
	for _, id := range ids {
		if id == 4 {
			t.Fatal("one-time prekey 4 was not removed")
		}
	}
	// Replaying the first message is a duplicate, not a new session.
	reject(t, bob, alice, first, ErrDuplicateMessage)
	// A different X3DH run naming the consumed prekey is refused.
	carol := newParty(t, "alice", 1)
	connectWith(t, carol, bob, 4, 1)
	if _, err := bob.decrypt(carol, carol.encrypt(t, bob, "y")); !errors.Is(err, ErrInvalidPreKeyID) && !errors.Is(err, ErrUntrustedIdentity) {
		t.Fatalf("reuse of consumed prekey: %v", err)
	}
}

// connectWith builds a bundle of b naming prekey id pk even if b no longer
// stores it (as a stale directory would).
func connectWith(t *testing.T, a, b *party, pk, spk uint32) {
	t.Helper()
	bundle, err := b.m.Bundle(context.Background(), 1, spk, false, 0)
	if err != nil {
		t.Fatal(err)
	}
	bundle.HasPreKey, bundle.PreKeyID, bundle.PreKey = true, pk, randomKey(t)
	if err := a.m.ProcessBundle(context.Background(), b.addr, bundle); err != nil {
		t.Fatal(err)
	}
}

func TestCallbackErrorCommitsNothing(t *testing.T) {
	alice, bob, c := established(t)
	before := bob.storeDigest(t, alice)
	boom := errors.New("app storage full")
	err := bob.m.Decrypt(context.Background(), alice.addr, c, func([]byte) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want callback error", err)
	}
	if bob.storeDigest(t, alice) != before {
		t.Fatal("failed callback committed state")
	}
	bob.mustDecrypt(t, alice, c, "three") // redelivery works
}

func TestArchivedSessionStillDecrypts(t *testing.T) {
	alice, bob, inflight := established(t)
	// Alice starts a fresh session (new bundle): the old one is archived,
	// but bob can still decrypt what was in flight on it, and vice versa.
	connect(t, alice, bob, 7)
	fresh := alice.encrypt(t, bob, "new session")
	bob.mustDecrypt(t, alice, fresh, "new session")
	bob.mustDecrypt(t, alice, inflight, "three")
	if n := len(alice.record(t, bob).previous); n != 1 {
		t.Fatalf("alice archived %d states, want 1", n)
	}
}

// TestDecryptTxCommitsAppRecordsAtomically: what the callback writes
// through tx commits together with the session, or not at all.
func TestDecryptTxCommitsAppRecordsAtomically(t *testing.T) {
	alice, bob, c := established(t)
	ctx := context.Background()
	inbox := func() ([]byte, error) {
		var v []byte
		err := bob.store.Update(ctx, func(tx keystore.Tx) error {
			var err error
			v, err = tx.Value("inbox")
			return err
		})
		return v, err
	}
	boom := errors.New("disk full")
	err := bob.m.DecryptTx(ctx, alice.addr, c, func(tx keystore.Tx, pt []byte) error {
		if err := tx.SetValue("inbox", pt); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	if _, err := inbox(); !errors.Is(err, keystore.ErrNotFound) {
		t.Fatalf("app record of a failed callback was committed: %v", err)
	}
	if err := bob.m.DecryptTx(ctx, alice.addr, c, func(tx keystore.Tx, pt []byte) error {
		return tx.SetValue("inbox", pt)
	}); err != nil {
		t.Fatal(err)
	}
	if v, err := inbox(); err != nil || string(v) != "three" {
		t.Fatalf("inbox = %q, %v", v, err)
	}
	reject(t, bob, alice, c, ErrDuplicateMessage)
}
