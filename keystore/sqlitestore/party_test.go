// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package sqlitestore

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/session"
)

// party is one account in a session test: an address, a store and a
// Manager over it.
type party struct {
	addr  keystore.Address
	store keystore.Store
	m     *session.Manager
}

// newParty creates an identity, signed prekey 1 and one-time prekeys
// 1..preKeys in store.
func newParty(t testing.TB, name string, regID uint32, store keystore.Store, preKeys int) *party {
	t.Helper()
	ctx := context.Background()
	p := &party{addr: keystore.Address{Name: name, DeviceID: 1}, store: store, m: session.New(store)}
	if err := p.m.CreateIdentity(ctx, regID); err != nil {
		t.Fatal(err)
	}
	if _, err := p.m.GenerateSignedPreKey(ctx, 1, time.Unix(1700000000, 0)); err != nil {
		t.Fatal(err)
	}
	if preKeys > 0 {
		if _, err := p.m.GeneratePreKeys(ctx, 1, preKeys); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// connect starts a session from a to b with b's one-time prekey preKeyID.
func connect(t testing.TB, a, b *party, preKeyID uint32) {
	t.Helper()
	ctx := context.Background()
	bundle, err := b.m.Bundle(ctx, b.addr.DeviceID, 1, true, preKeyID)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.m.ProcessBundle(ctx, b.addr, bundle); err != nil {
		t.Fatal(err)
	}
}

// handshake connects a to b and exchanges one message each way, so that
// both sides then send Whisper messages.
func handshake(t testing.TB, a, b *party, preKeyID uint32) {
	t.Helper()
	connect(t, a, b, preKeyID)
	mustDecrypt(t, b, a, mustEncrypt(t, a, b, "hello"), "hello")
	mustDecrypt(t, a, b, mustEncrypt(t, b, a, "hi"), "hi")
}

func mustEncrypt(t testing.TB, from, to *party, msg string) session.Ciphertext {
	t.Helper()
	c, err := from.m.Encrypt(context.Background(), to.addr, []byte(msg))
	if err != nil {
		t.Fatalf("%s encrypt: %v", from.addr, err)
	}
	return c
}

func mustDecrypt(t testing.TB, to, from *party, c session.Ciphertext, want string) {
	t.Helper()
	var got []byte
	err := to.m.Decrypt(context.Background(), from.addr, c, func(pt []byte) error {
		got = bytes.Clone(pt)
		return nil
	})
	if err != nil {
		t.Fatalf("%s decrypt: %v", to.addr, err)
	}
	if string(got) != want {
		t.Fatalf("%s decrypted %q, want %q", to.addr, got, want)
	}
}

// sessionSize returns the stored size of to's session record with from.
func sessionSize(t testing.TB, s keystore.Store, addr keystore.Address) int {
	t.Helper()
	var n int
	update(t, s, func(tx keystore.Tx) error {
		rec, err := tx.Session(addr)
		n = len(rec)
		return err
	})
	return n
}

// childEnv marks a re-executed test binary as a child and names its
// working directory.
const childEnv = "CROSSSEAL_SQLITESTORE_CHILD"

// childDir returns the child's working directory, or skips the test when
// it runs as an ordinary test.
func childDir(t *testing.T) string {
	dir := os.Getenv(childEnv)
	if dir == "" {
		t.Skip("runs only as a child process of another test")
	}
	return dir
}

// openDB opens the database a parent test prepared in dir.
func openDB(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(filepath.Join(dir, "bob.db"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
