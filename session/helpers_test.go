// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package session

import (
	"bytes"
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/crossseal/crossseal/keystore"
)

// party is one side of a test conversation.
type party struct {
	name  string
	addr  keystore.Address
	store *keystore.Memory
	m     *Manager
}

func newParty(t testing.TB, name string, regID uint32) *party {
	t.Helper()
	st := keystore.NewMemory()
	p := &party{name: name, addr: keystore.Address{Name: name, DeviceID: 1}, store: st, m: New(st)}
	ctx := context.Background()
	if err := p.m.CreateIdentity(ctx, regID); err != nil {
		t.Fatal(err)
	}
	if _, err := p.m.GenerateSignedPreKey(ctx, 1, time.Unix(1700000000, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := p.m.GeneratePreKeys(ctx, 1, 10); err != nil {
		t.Fatal(err)
	}
	return p
}

// connect makes a start a session with b using b's prekey preKeyID.
func connect(t testing.TB, a, b *party, preKeyID uint32) {
	t.Helper()
	bundle, err := b.m.Bundle(context.Background(), 1, 1, preKeyID != 0, preKeyID)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.m.ProcessBundle(context.Background(), b.addr, bundle); err != nil {
		t.Fatal(err)
	}
}

func (p *party) encrypt(t testing.TB, to *party, msg string) Ciphertext {
	t.Helper()
	c, err := p.m.Encrypt(context.Background(), to.addr, []byte(msg))
	if err != nil {
		t.Fatalf("%s encrypt: %v", p.name, err)
	}
	return c
}

func (p *party) decrypt(from *party, c Ciphertext) ([]byte, error) {
	var got []byte
	err := p.m.Decrypt(context.Background(), from.addr, c, func(pt []byte) error {
		got = bytes.Clone(pt)
		return nil
	})
	return got, err
}

func (p *party) mustDecrypt(t testing.TB, from *party, c Ciphertext, want string) {
	t.Helper()
	got, err := p.decrypt(from, c)
	if err != nil {
		t.Fatalf("%s decrypt: %v", p.name, err)
	}
	if string(got) != want {
		t.Fatalf("%s decrypted %q, want %q", p.name, got, want)
	}
}

// storeDigest hashes every record p's store holds about peer and p itself,
// so a test can show that a rejected message changed nothing.
func (p *party) storeDigest(t testing.TB, peer *party) [32]byte {
	t.Helper()
	h := sha256.New()
	err := p.store.Update(context.Background(), func(tx keystore.Tx) error {
		for _, get := range []func() ([]byte, error){
			func() ([]byte, error) { return tx.Session(peer.addr) },
			func() ([]byte, error) { return tx.RemoteIdentity(peer.addr) },
			tx.LocalIdentity,
		} {
			v, err := get()
			h.Write([]byte{byte(len(v) >> 8), byte(len(v))})
			h.Write(v)
			if err != nil {
				h.Write([]byte(err.Error()))
			}
		}
		ids, _ := tx.PreKeyIDs()
		for _, id := range ids {
			h.Write([]byte{byte(id >> 24), byte(id >> 16), byte(id >> 8), byte(id)})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return [32]byte(h.Sum(nil))
}
