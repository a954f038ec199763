// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/crossseal/crossseal/keystore"
)

// testPreKeys keeps tests fast: a few one-time prekeys per device.
const testPreKeys = 8

type testClient struct {
	*Client
	store *keystore.Memory
}

func mustAddress(t testing.TB, s string) Address {
	t.Helper()
	a, err := ParseAddress(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// newTestClient creates and publishes an account on a fresh memory store.
func newTestClient(t testing.TB, dir Directory, addr string, opts ...Option) *testClient {
	t.Helper()
	st := keystore.NewMemory()
	opts = append([]Option{WithPreKeyCount(testPreKeys)}, opts...)
	c, err := NewClient(context.Background(), st, mustAddress(t, addr), dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.PublishBundle(context.Background()); err != nil {
		t.Fatal(err)
	}
	return &testClient{Client: c, store: st}
}

func text(s string) *Content { return &Content{Body: &Text{Text: s}} }

func (c *testClient) seal(t testing.TB, to string, content *Content) []*Envelope {
	t.Helper()
	acct, err := ParseAccount(to)
	if err != nil {
		t.Fatal(err)
	}
	envs, err := c.Seal(context.Background(), acct, content)
	if err != nil {
		t.Fatalf("%s seal to %s: %v", c.self, to, err)
	}
	return envs
}

// open opens env and returns what was delivered.
func (c *testClient) open(env *Envelope) (*Received, error) {
	var got *Received
	err := c.Open(context.Background(), env, func(r Received) error {
		got = &r
		return nil
	})
	if err != nil {
		return nil, err
	}
	return got, nil
}

func (c *testClient) mustOpenText(t testing.TB, env *Envelope, wantFrom Address, want string) *Received {
	t.Helper()
	r, err := c.open(env)
	if err != nil {
		t.Fatalf("%s open from %s: %v", c.self, env.Sender, err)
	}
	if r.Sender != wantFrom {
		t.Fatalf("%s: sender %s, want %s", c.self, r.Sender, wantFrom)
	}
	if tx, ok := r.Content.Body.(*Text); !ok || tx.Text != want {
		t.Fatalf("%s: got %#v, want text %q", c.self, r.Content.Body, want)
	}
	if r.Content.OriginApp != wantFrom.App {
		t.Fatalf("%s: origin app %q, want %q", c.self, r.Content.OriginApp, wantFrom.App)
	}
	return r
}

// envelopeFor returns the envelope in envs addressed to c.
func (c *testClient) envelopeFor(t testing.TB, envs []*Envelope) *Envelope {
	t.Helper()
	for _, e := range envs {
		if e.Recipient == c.self {
			return e
		}
	}
	t.Fatalf("no envelope for %s", c.self)
	return nil
}

// stateHash hashes everything c's store holds about peer and itself: the
// session record, the trusted identity, envelope's peer and account
// records, the prekey ids and the number of records.
func (c *testClient) stateHash(t testing.TB, peer Address) [32]byte {
	t.Helper()
	h := sha256.New()
	put := func(b []byte, err error) {
		if errors.Is(err, keystore.ErrNotFound) {
			h.Write([]byte("absent"))
			return
		} else if err != nil {
			t.Fatal(err)
		}
		h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(b))))
		h.Write(b)
	}
	ka := peer.KeystoreAddress()
	err := c.store.Update(context.Background(), func(tx keystore.Tx) error {
		put(tx.Session(ka))
		put(tx.RemoteIdentity(ka))
		put(tx.Value(peerKey(peer)))
		put(tx.Value(accountKey))
		put(tx.LocalIdentity())
		ids, err := tx.PreKeyIDs()
		for _, id := range ids {
			put(tx.PreKey(id))
		}
		put(nil, err)
		ids, err = tx.SignedPreKeyIDs()
		for _, id := range ids {
			put(tx.SignedPreKey(id))
		}
		put(nil, err)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(c.store.Len())))
	var out [32]byte
	h.Sum(out[:0])
	return out
}

func cloneEnvelope(e *Envelope) *Envelope {
	c := *e
	c.Body = bytes.Clone(e.Body)
	return &c
}
