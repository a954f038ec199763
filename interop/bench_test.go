// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package interop_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"testing"

	"github.com/crossseal/crossseal/interop/internal/maustore"
	"go.mau.fi/libsignal/ecc"
	"go.mau.fi/libsignal/keys/prekey"
	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/serialize"
	"go.mau.fi/libsignal/session"
	"go.mau.fi/libsignal/state/record"
	"go.mau.fi/libsignal/util/keyhelper"
	"go.mau.fi/libsignal/util/optional"
)

// These benchmarks measure go.mau.fi/libsignal v0.2.1 in-process, as the
// anchor column of /work/shared/PERFORMANCE.md, with the same
// definitions: a "round" is one encrypt plus its decrypt, including the
// wire encoding and parsing; sessions live in mau-style in-memory stores
// holding live records (no serialization). mau's logger is silenced
// (its default prints every debug line to stdout); mau still formats
// each log call, which is part of its cost.

var mauSerializer = serialize.NewProtoBufSerializer()

func init() { maustore.SetupLogger(nil) }

// mauAccount is one party: its store and its published bundle.
type mauAccount struct {
	addr   *protocol.SignalAddress // this account's address, as peers see it
	store  *maustore.Store
	bundle *prekey.Bundle
}

// newMauAccount generates an identity, a signed prekey and a one-time
// prekey.
func newMauAccount(tb testing.TB, name string) *mauAccount {
	id, err := keyhelper.GenerateIdentityKeyPair()
	if err != nil {
		tb.Fatal(err)
	}
	const regID, spkID, opkID = 1234, 7, 42
	spk, err := keyhelper.GenerateSignedPreKey(id, spkID, mauSerializer.SignedPreKeyRecord)
	if err != nil {
		tb.Fatal(err)
	}
	opkPair, err := ecc.GenerateKeyPair()
	if err != nil {
		tb.Fatal(err)
	}
	st := maustore.New(mauSerializer, id, regID)
	ctx := context.Background()
	st.StoreSignedPreKey(ctx, spkID, spk)
	st.StorePreKey(ctx, opkID, record.NewPreKey(opkID, opkPair, mauSerializer.PreKeyRecord))
	return &mauAccount{
		addr:  protocol.NewSignalAddress(name, 1),
		store: st,
		bundle: prekey.NewBundle(regID, 1, optional.NewOptionalUint32(opkID), spkID,
			opkPair.PublicKey(), spk.KeyPair().PublicKey(), spk.Signature(), id.PublicKey()),
	}
}

// cipherFor returns a's session cipher (and builder) towards peer.
func (a *mauAccount) cipherFor(peer *mauAccount) *session.Cipher {
	bld := session.NewBuilder(a.store, a.store, a.store, a.store, peer.addr, mauSerializer)
	return session.NewCipher(bld, peer.addr)
}

// mauSend encrypts pt and returns the wire bytes and message type.
func mauSend(tb testing.TB, c *session.Cipher, pt []byte) (uint32, []byte) {
	m, err := c.Encrypt(context.Background(), pt)
	if err != nil {
		tb.Fatal(err)
	}
	return m.Type(), m.Serialize()
}

// mauReceive parses and decrypts a message and checks the plaintext.
func mauReceive(tb testing.TB, c *session.Cipher, typ uint32, wire, want []byte) {
	ctx := context.Background()
	var pt []byte
	var err error
	switch typ {
	case protocol.PREKEY_TYPE:
		var m *protocol.PreKeySignalMessage
		if m, err = protocol.NewPreKeySignalMessageFromBytes(wire, mauSerializer.PreKeySignalMessage, mauSerializer.SignalMessage); err == nil {
			pt, err = c.DecryptMessage(ctx, m)
		}
	default:
		var m *protocol.SignalMessage
		if m, err = protocol.NewSignalMessageFromBytes(wire, mauSerializer.SignalMessage); err == nil {
			pt, err = c.Decrypt(ctx, m)
		}
	}
	if err != nil {
		tb.Fatal(err)
	}
	if !bytes.Equal(pt, want) {
		tb.Fatal("plaintext mismatch")
	}
}

// mauPair is an established session: alice's PreKey message and bob's
// reply have been exchanged.
type mauPair struct {
	aliceToBob, bobToAlice *session.Cipher
}

func newMauPair(tb testing.TB) *mauPair {
	alice, bob := newMauAccount(tb, "alice"), newMauAccount(tb, "bob")
	bld := session.NewBuilder(alice.store, alice.store, alice.store, alice.store, bob.addr, mauSerializer)
	if err := bld.ProcessBundle(context.Background(), bob.bundle); err != nil {
		tb.Fatal(err)
	}
	p := &mauPair{aliceToBob: alice.cipherFor(bob), bobToAlice: bob.cipherFor(alice)}
	pt := []byte("hello")
	typ, wire := mauSend(tb, p.aliceToBob, pt)
	mauReceive(tb, p.bobToAlice, typ, wire, pt)
	typ, wire = mauSend(tb, p.bobToAlice, pt)
	mauReceive(tb, p.aliceToBob, typ, wire, pt)
	return p
}

func randomPayload(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// BenchmarkMauSetup: process bob's bundle, encrypt the first (PreKey)
// message of 100 B, parse and decrypt it at bob. Key generation for the
// two accounts is outside the timer.
func BenchmarkMauSetup(b *testing.B) {
	b.ReportAllocs()
	pt := randomPayload(100)
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		alice, bob := newMauAccount(b, "alice"), newMauAccount(b, "bob")
		b.StartTimer()

		bld := session.NewBuilder(alice.store, alice.store, alice.store, alice.store, bob.addr, mauSerializer)
		if err := bld.ProcessBundle(ctx, bob.bundle); err != nil {
			b.Fatal(err)
		}
		typ, wire := mauSend(b, session.NewCipher(bld, bob.addr), pt)
		if typ != protocol.PREKEY_TYPE {
			b.Fatalf("first message has type %d", typ)
		}
		mauReceive(b, bob.cipherFor(alice), typ, wire, pt)
	}
}

// benchmarkOneWay: alice keeps sending on one chain; each iteration is
// one encrypt and its decrypt.
func benchmarkOneWay(b *testing.B, size int) {
	p := newMauPair(b)
	pt := randomPayload(size)
	b.ReportAllocs()
	b.SetBytes(int64(size))
	b.ResetTimer()
	for range b.N {
		typ, wire := mauSend(b, p.aliceToBob, pt)
		mauReceive(b, p.bobToAlice, typ, wire, pt)
	}
}

// BenchmarkMauRoundOneWay100B: one-way round (encrypt + decrypt, same
// chain), 100 B.
func BenchmarkMauRoundOneWay100B(b *testing.B) { benchmarkOneWay(b, 100) }

// BenchmarkMauRoundOneWay4KiB: one-way round, 4 KiB.
func BenchmarkMauRoundOneWay4KiB(b *testing.B) { benchmarkOneWay(b, 4<<10) }

// BenchmarkMauPingPong100B: each iteration is one 100 B message, in
// alternating directions, so every decrypt performs a DH ratchet step
// (and every encrypt starts a new sending chain).
func BenchmarkMauPingPong100B(b *testing.B) {
	p := newMauPair(b)
	pt := randomPayload(100)
	b.ReportAllocs()
	b.SetBytes(100)
	b.ResetTimer()
	for i := range b.N {
		send, recv := p.aliceToBob, p.bobToAlice
		if i%2 == 1 {
			send, recv = p.bobToAlice, p.aliceToBob
		}
		typ, wire := mauSend(b, send, pt)
		mauReceive(b, recv, typ, wire, pt)
	}
}
