// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package keystoretest is the conformance suite for [keystore.Store]
// implementations. Every store shipped with crossseal passes it, and a store
// written by an application should too:
//
//	func TestMyStore(t *testing.T) {
//		keystoretest.Run(t, func(t *testing.T) keystore.Store { return newMyStore(t) })
//	}
package keystoretest

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/crossseal/crossseal/keystore"
)

// Run runs the conformance suite. newStore must return a fresh, empty store
// each call.
func Run(t *testing.T, newStore func(t *testing.T) keystore.Store) {
	t.Run("NotFound", func(t *testing.T) { testNotFound(t, newStore(t)) })
	t.Run("RoundTrip", func(t *testing.T) { testRoundTrip(t, newStore(t)) })
	t.Run("Rollback", func(t *testing.T) { testRollback(t, newStore(t)) })
	t.Run("ReadYourWrites", func(t *testing.T) { testReadYourWrites(t, newStore(t)) })
	t.Run("Listing", func(t *testing.T) { testListing(t, newStore(t)) })
	t.Run("ValueKeys", func(t *testing.T) { testValueKeys(t, newStore(t)) })
	t.Run("Aliasing", func(t *testing.T) { testAliasing(t, newStore(t)) })
	t.Run("Serializable", func(t *testing.T) { testSerializable(t, newStore(t)) })
	t.Run("Canceled", func(t *testing.T) { testCanceled(t, newStore(t)) })
	t.Run("InvalidAddress", func(t *testing.T) { testInvalidAddress(t, newStore(t)) })
}

var (
	alice  = keystore.Address{Name: "whatsapp:alice", DeviceID: 1}
	alice2 = keystore.Address{Name: "whatsapp:alice", DeviceID: 7}
	bob    = keystore.Address{Name: "instagram:bob", DeviceID: 1}
)

func update(t *testing.T, s keystore.Store, fn func(keystore.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func testNotFound(t *testing.T, s keystore.Store) {
	update(t, s, func(tx keystore.Tx) error {
		checks := map[string]func() ([]byte, error){
			"LocalIdentity":  tx.LocalIdentity,
			"RemoteIdentity": func() ([]byte, error) { return tx.RemoteIdentity(alice) },
			"PreKey":         func() ([]byte, error) { return tx.PreKey(1) },
			"SignedPreKey":   func() ([]byte, error) { return tx.SignedPreKey(1) },
			"Session":        func() ([]byte, error) { return tx.Session(alice) },
			"Value":          func() ([]byte, error) { return tx.Value("k") },
		}
		for name, get := range checks {
			if v, err := get(); !errors.Is(err, keystore.ErrNotFound) || v != nil {
				t.Errorf("%s on empty store = %x, %v; want nil, ErrNotFound", name, v, err)
			}
		}
		return nil
	})
}

func testRoundTrip(t *testing.T, s keystore.Store) {
	update(t, s, func(tx keystore.Tx) error {
		must(t, tx.SetLocalIdentity([]byte("local")))
		must(t, tx.SetRemoteIdentity(alice, []byte("ik-alice")))
		must(t, tx.SetPreKey(5, []byte("pk5")))
		must(t, tx.SetSignedPreKey(9, []byte("spk9")))
		must(t, tx.SetSession(alice, []byte("sess-alice")))
		must(t, tx.SetValue("policy", []byte("v4")))
		must(t, tx.SetSession(bob, []byte{})) // empty record is a record
		return nil
	})
	update(t, s, func(tx keystore.Tx) error {
		want := map[string][]byte{"local": []byte("local"), "rid": []byte("ik-alice"), "pk": []byte("pk5"), "spk": []byte("spk9"), "sess": []byte("sess-alice"), "val": []byte("v4"), "empty": {}}
		got := map[string][]byte{}
		var err error
		got["local"], err = tx.LocalIdentity()
		must(t, err)
		got["rid"], err = tx.RemoteIdentity(alice)
		must(t, err)
		got["pk"], err = tx.PreKey(5)
		must(t, err)
		got["spk"], err = tx.SignedPreKey(9)
		must(t, err)
		got["sess"], err = tx.Session(alice)
		must(t, err)
		got["val"], err = tx.Value("policy")
		must(t, err)
		got["empty"], err = tx.Session(bob)
		must(t, err)
		for k, w := range want {
			if !bytes.Equal(got[k], w) {
				t.Errorf("%s = %q, want %q", k, got[k], w)
			}
		}
		if _, err := tx.Session(alice2); !errors.Is(err, keystore.ErrNotFound) {
			t.Errorf("other device of same name: %v, want ErrNotFound", err)
		}
		must(t, tx.DeletePreKey(5))
		must(t, tx.DeletePreKey(404)) // missing: not an error
		must(t, tx.DeleteSignedPreKey(9))
		must(t, tx.DeleteSession(alice))
		must(t, tx.SetValue("policy", nil))
		return nil
	})
	update(t, s, func(tx keystore.Tx) error {
		for name, err := range map[string]error{
			"prekey": second(tx.PreKey(5)), "signed": second(tx.SignedPreKey(9)),
			"session": second(tx.Session(alice)), "value": second(tx.Value("policy")),
		} {
			if !errors.Is(err, keystore.ErrNotFound) {
				t.Errorf("%s after delete: %v, want ErrNotFound", name, err)
			}
		}
		return nil
	})
}

func testRollback(t *testing.T, s keystore.Store) {
	update(t, s, func(tx keystore.Tx) error { return tx.SetSession(alice, []byte("v1")) })
	boom := errors.New("boom")
	err := s.Update(context.Background(), func(tx keystore.Tx) error {
		must(t, tx.SetSession(alice, []byte("v2")))
		must(t, tx.SetPreKey(1, []byte("pk")))
		must(t, tx.DeleteSession(alice))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update returned %v, want the callback's error", err)
	}
	func() {
		defer func() { _ = recover() }()
		_ = s.Update(context.Background(), func(tx keystore.Tx) error {
			must(t, tx.SetSession(alice, []byte("v3")))
			panic("callback panics")
		})
	}()
	update(t, s, func(tx keystore.Tx) error {
		v, err := tx.Session(alice)
		if err != nil || string(v) != "v1" {
			t.Errorf("after rolled-back updates: %q, %v; want v1", v, err)
		}
		if _, err := tx.PreKey(1); !errors.Is(err, keystore.ErrNotFound) {
			t.Errorf("prekey written by a failed transaction is visible: %v", err)
		}
		return nil
	})
}

func testReadYourWrites(t *testing.T, s keystore.Store) {
	update(t, s, func(tx keystore.Tx) error {
		must(t, tx.SetSession(alice, []byte("a")))
		if v, err := tx.Session(alice); err != nil || string(v) != "a" {
			t.Errorf("read own write: %q, %v", v, err)
		}
		must(t, tx.DeleteSession(alice))
		if _, err := tx.Session(alice); !errors.Is(err, keystore.ErrNotFound) {
			t.Errorf("read own delete: %v", err)
		}
		must(t, tx.SetPreKey(3, []byte("x")))
		ids, err := tx.PreKeyIDs()
		must(t, err)
		if !slices.Equal(ids, []uint32{3}) {
			t.Errorf("PreKeyIDs inside tx = %v, want [3]", ids)
		}
		return nil
	})
}

func testListing(t *testing.T, s keystore.Store) {
	update(t, s, func(tx keystore.Tx) error {
		for _, id := range []uint32{9, 2, 4000000000, 7} {
			must(t, tx.SetPreKey(id, []byte{1}))
			must(t, tx.SetSignedPreKey(id+1, []byte{1}))
		}
		must(t, tx.SetSession(alice2, []byte{1}))
		must(t, tx.SetSession(alice, []byte{1}))
		must(t, tx.SetSession(bob, []byte{1}))
		return nil
	})
	update(t, s, func(tx keystore.Tx) error {
		must(t, tx.DeletePreKey(7))
		pk, err := tx.PreKeyIDs()
		must(t, err)
		spk, err := tx.SignedPreKeyIDs()
		must(t, err)
		dev, err := tx.SessionDevices(alice.Name)
		must(t, err)
		none, err := tx.SessionDevices("nobody")
		must(t, err)
		if !slices.Equal(pk, []uint32{2, 9, 4000000000}) {
			t.Errorf("PreKeyIDs = %v", pk)
		}
		if !slices.Equal(spk, []uint32{3, 8, 10, 4000000001}) {
			t.Errorf("SignedPreKeyIDs = %v", spk)
		}
		if !slices.Equal(dev, []uint32{1, 7}) {
			t.Errorf("SessionDevices = %v", dev)
		}
		if len(none) != 0 {
			t.Errorf("SessionDevices(nobody) = %v", none)
		}
		return nil
	})
}

// testValueKeys: prefix listing of opaque values is exact (no key that
// merely sorts near the prefix), ascending by bytes, sees the transaction's
// own writes and deletions, and is not confused by multi-byte UTF-8.
func testValueKeys(t *testing.T, s keystore.Store) {
	keys := []string{"m/a", "m/b/2", "m/b/1", "m/b", "m.c", "m0", "m/é", "m/\u00ff", "n", "m", "l/zzz"}
	update(t, s, func(tx keystore.Tx) error {
		for _, k := range keys {
			must(t, tx.SetValue(k, []byte{1}))
		}
		return nil
	})
	list := func(tx keystore.Tx, prefix string) []string {
		got, err := tx.ValueKeys(prefix)
		must(t, err)
		return got
	}
	update(t, s, func(tx keystore.Tx) error {
		for _, c := range []struct {
			prefix string
			want   []string
		}{
			{"m/", []string{"m/a", "m/b", "m/b/1", "m/b/2", "m/é", "m/\u00ff"}},
			{"m/b/", []string{"m/b/1", "m/b/2"}},
			{"m/b", []string{"m/b", "m/b/1", "m/b/2"}},
			{"m/\u00ff", []string{"m/\u00ff"}},
			{"x", []string{}},
			{"", []string{"l/zzz", "m", "m.c", "m/a", "m/b", "m/b/1", "m/b/2", "m/é", "m/\u00ff", "m0", "n"}},
		} {
			if got := list(tx, c.prefix); !slices.Equal(got, c.want) {
				t.Errorf("ValueKeys(%q) = %q, want %q", c.prefix, got, c.want)
			}
		}
		// Writes of this transaction are seen before commit.
		must(t, tx.SetValue("m/b/1", nil))
		must(t, tx.SetValue("m/b/3", []byte{2}))
		if got, want := list(tx, "m/b/"), []string{"m/b/2", "m/b/3"}; !slices.Equal(got, want) {
			t.Errorf("in transaction: ValueKeys(m/b/) = %q, want %q", got, want)
		}
		return nil
	})
	update(t, s, func(tx keystore.Tx) error {
		if got, want := list(tx, "m/b/"), []string{"m/b/2", "m/b/3"}; !slices.Equal(got, want) {
			t.Errorf("after commit: ValueKeys(m/b/) = %q, want %q", got, want)
		}
		return nil
	})
}

func testAliasing(t *testing.T, s keystore.Store) {
	buf := []byte("original")
	update(t, s, func(tx keystore.Tx) error { return tx.SetSession(alice, buf) })
	copy(buf, "XXXXXXXX")
	update(t, s, func(tx keystore.Tx) error {
		v, err := tx.Session(alice)
		must(t, err)
		if string(v) != "original" {
			t.Errorf("store kept the caller's slice: %q", v)
		}
		v[0] = 'Z'
		return nil
	})
	update(t, s, func(tx keystore.Tx) error {
		v, _ := tx.Session(alice)
		if string(v) != "original" {
			t.Errorf("store returned its own slice: %q", v)
		}
		return nil
	})
}

// testSerializable increments a counter from many goroutines; a store whose
// transactions interleave loses increments.
func testSerializable(t *testing.T, s keystore.Store) {
	const workers, each = 8, 25
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				err := s.Update(context.Background(), func(tx keystore.Tx) error {
					v, err := tx.Value("counter")
					n := uint64(0)
					if err == nil {
						n = binary.BigEndian.Uint64(v)
					} else if !errors.Is(err, keystore.ErrNotFound) {
						return err
					}
					return tx.SetValue("counter", binary.BigEndian.AppendUint64(nil, n+1))
				})
				if err != nil {
					t.Errorf("Update: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	update(t, s, func(tx keystore.Tx) error {
		v, err := tx.Value("counter")
		must(t, err)
		if n := binary.BigEndian.Uint64(v); n != workers*each {
			t.Errorf("counter = %d, want %d: transactions interleaved", n, workers*each)
		}
		return nil
	})
}

func testCanceled(t *testing.T, s keystore.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	called := false
	err := s.Update(ctx, func(tx keystore.Tx) error {
		called = true
		return tx.SetSession(alice, []byte("x"))
	})
	if err == nil {
		t.Fatal("Update with a canceled context succeeded")
	}
	update(t, s, func(tx keystore.Tx) error {
		if _, err := tx.Session(alice); !errors.Is(err, keystore.ErrNotFound) {
			t.Errorf("write of a canceled Update (callback called: %v) is visible", called)
		}
		return nil
	})
}

func testInvalidAddress(t *testing.T, s keystore.Store) {
	update(t, s, func(tx keystore.Tx) error {
		for _, a := range []keystore.Address{{Name: ""}, {Name: "a\x00b"}, {Name: string(make([]byte, keystore.MaxNameSize+1))}} {
			if err := tx.SetSession(a, []byte{1}); !errors.Is(err, keystore.ErrInvalidAddress) {
				t.Errorf("SetSession(%q...) = %v, want ErrInvalidAddress", a.Name[:min(len(a.Name), 8)], err)
			}
		}
		return nil
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func second(_ []byte, err error) error { return err }
