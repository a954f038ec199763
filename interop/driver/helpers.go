// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package driver

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"testing"
)

// Limits of the registration id INTEROP.md asks a peer to pick.
const (
	minRegID = 1
	maxRegID = 16380
)

// Sizes of bundle fields (INTEROP.md, "Bundle").
const (
	publicKeySize = 33
	signatureSize = 64
)

// randomBytes returns n random bytes.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// text returns a distinct plaintext for a message from one peer to
// another.
func text(from, to Endpoint, label string) []byte {
	return fmt.Appendf(nil, "%s→%s %s %x", from.Name(), to.Name(), label, randomBytes(6))
}

// mustInit initializes p and checks the bundle's shape. A zero regID
// lets the peer pick one, which must be in 1..16380.
func mustInit(t *testing.T, p Endpoint, regID uint32) *Bundle {
	t.Helper()
	b, err := p.Init(regID)
	if err != nil {
		t.Fatal(err)
	}
	checkKey := func(field string, k []byte) {
		t.Helper()
		if len(k) != publicKeySize || k[0] != 0x05 {
			t.Fatalf("peer %s: bundle %s is %d bytes (first %x), want %d bytes starting 0x05",
				Describe(p), field, len(k), k[:min(len(k), 1)], publicKeySize)
		}
	}
	checkKey("identity_pub", b.IdentityPub)
	if b.DeviceID != 1 {
		t.Errorf("peer %s: bundle device_id = %d, want 1", Describe(p), b.DeviceID)
	}
	switch {
	case regID != 0 && b.RegID != regID:
		t.Errorf("peer %s: bundle reg_id = %d, want the requested %d", Describe(p), b.RegID, regID)
	case regID == 0 && (b.RegID < minRegID || b.RegID > maxRegID):
		t.Errorf("peer %s: picked reg_id %d, want 1..16380", Describe(p), b.RegID)
	}
	if b.SignedPreKey == nil {
		t.Fatalf("peer %s: bundle has no signed_prekey", Describe(p))
	}
	checkKey("signed_prekey.pub", b.SignedPreKey.Pub)
	if len(b.SignedPreKey.Sig) != signatureSize {
		t.Fatalf("peer %s: signed_prekey.sig is %d bytes, want %d", Describe(p), len(b.SignedPreKey.Sig), signatureSize)
	}
	if b.PreKey == nil {
		t.Fatalf("peer %s: bundle has no one-time prekey", Describe(p))
	}
	checkKey("prekey.pub", b.PreKey.Pub)
	return b
}

// start initializes both peers and has x process y's bundle, so that x
// can send the first (PreKey) message.
func start(t *testing.T, x, y Endpoint) {
	t.Helper()
	mustInit(t, x, 0)
	by := mustInit(t, y, 0)
	if err := x.ProcessBundle(y.Name(), by); err != nil {
		t.Fatal(err)
	}
}

// establish runs start, then one message each way: x's PreKey message and
// y's reply. Afterwards x sends SignalMessages.
func establish(t *testing.T, x, y Endpoint) {
	t.Helper()
	start(t, x, y)
	exchange(t, x, y, TypePreKey, "hello")
	exchange(t, y, x, TypeSignal, "hello back")
}

// send encrypts pt from one peer to another and checks the message type
// (0: any type).
func send(t *testing.T, from, to Endpoint, pt []byte, wantType int) Message {
	t.Helper()
	m, err := from.Encrypt(to.Name(), pt)
	if err != nil {
		t.Fatal(err)
	}
	if wantType != 0 && m.Type != wantType {
		t.Fatalf("peer %s: encrypt for %s returned type %d, want %d", Describe(from), Describe(to), m.Type, wantType)
	}
	return m
}

// recv decrypts m at to and checks that it yields want.
func recv(t *testing.T, to, from Endpoint, m Message, want []byte) {
	t.Helper()
	got, err := to.Decrypt(from.Name(), m)
	if err != nil {
		t.Fatalf("%v\n(type %d message from %s, %d bytes)", err, m.Type, Describe(from), len(m.Body))
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("peer %s: decrypt of message from %s = %d bytes %.40x, want %d bytes %.40x",
			Describe(to), Describe(from), len(got), got, len(want), want)
	}
}

// exchange sends one fresh message from one peer to another and checks
// that it decrypts.
func exchange(t *testing.T, from, to Endpoint, wantType int, label string) {
	t.Helper()
	pt := text(from, to, label)
	recv(t, to, from, send(t, from, to, pt, wantType), pt)
}

// mustReject decrypts m at to and requires the peer to answer with an
// error. A transport failure (crash, timeout) is fatal.
func mustReject(t *testing.T, to, from Endpoint, m Message, what string) {
	t.Helper()
	got, err := to.Decrypt(from.Name(), m)
	var pe *PeerError
	switch {
	case err == nil:
		t.Errorf("peer %s: decrypt of %s (type %d, %d bytes) succeeded with %d bytes of plaintext, want an error",
			Describe(to), what, m.Type, len(m.Body), len(got))
	case !errors.As(err, &pe):
		t.Fatalf("%s: %v", what, err)
	default:
		t.Logf("%s: rejected by %s as expected: %s", what, Describe(to), pe.Message)
	}
}
