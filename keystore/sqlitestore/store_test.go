// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package sqlitestore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/keystore/keystoretest"
)

// testKey is a fixed encryption key for tests.
var testKey = []byte("0123456789abcdef0123456789abcdef")

func openTemp(t testing.TB, opts ...Option) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "keystore.db")
	s, err := Open(path, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, path
}

func TestConformance(t *testing.T) {
	keystoretest.Run(t, func(t *testing.T) keystore.Store { s, _ := openTemp(t); return s })
}

func TestConformanceEncrypted(t *testing.T) {
	keystoretest.Run(t, func(t *testing.T) keystore.Store { s, _ := openTemp(t, WithEncryptionKey(testKey)); return s })
}

var (
	alice = keystore.Address{Name: "whatsapp:alice", DeviceID: 1}
	bob   = keystore.Address{Name: "instagram:bob", DeviceID: 2}
)

func update(t testing.TB, s keystore.Store, fn func(keystore.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// fill stores one record of every kind, plus n prekeys of 200 bytes.
func fill(t testing.TB, s keystore.Store, n int) {
	t.Helper()
	update(t, s, func(tx keystore.Tx) error {
		for _, err := range []error{
			tx.SetLocalIdentity([]byte("local identity")),
			tx.SetRemoteIdentity(alice, []byte("identity of alice")),
			tx.SetSignedPreKey(7, []byte("signed prekey 7")),
			tx.SetSession(alice, []byte("session with alice")),
			tx.SetSession(bob, []byte("session with bob")),
			tx.SetValue("policy", []byte("v4")),
		} {
			if err != nil {
				return err
			}
		}
		for i := range n {
			if err := tx.SetPreKey(uint32(i+1), bytes.Repeat([]byte{byte(i)}, 200)); err != nil {
				return err
			}
		}
		return nil
	})
}

// readAll reads every record fill wrote and returns the first error.
func readAll(s keystore.Store, n int) error {
	return s.Update(context.Background(), func(tx keystore.Tx) error {
		for _, get := range []func() ([]byte, error){
			tx.LocalIdentity,
			func() ([]byte, error) { return tx.RemoteIdentity(alice) },
			func() ([]byte, error) { return tx.SignedPreKey(7) },
			func() ([]byte, error) { return tx.Session(alice) },
			func() ([]byte, error) { return tx.Session(bob) },
			func() ([]byte, error) { return tx.Value("policy") },
		} {
			if _, err := get(); err != nil {
				return err
			}
		}
		ids, err := tx.PreKeyIDs()
		if err != nil {
			return err
		}
		if len(ids) != n {
			return fmt.Errorf("%d prekeys, want %d", len(ids), n)
		}
		for _, id := range ids {
			v, err := tx.PreKey(id)
			if err != nil {
				return err
			}
			if !bytes.Equal(v, bytes.Repeat([]byte{byte(id - 1)}, 200)) {
				return fmt.Errorf("prekey %d changed", id)
			}
		}
		_, err = tx.SessionDevices(alice.Name)
		return err
	})
}

func TestReopen(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []Option
	}{{"plaintext", nil}, {"encrypted", []Option{WithEncryptionKey(testKey)}}} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "keystore.db")
			s, err := Open(path, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			fill(t, s, 10)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s, err = Open(path, tc.opts...)
			if err != nil {
				t.Fatalf("reopen: %v", err)
			}
			defer s.Close()
			if err := readAll(s, 10); err != nil {
				t.Fatalf("after reopen: %v", err)
			}
			update(t, s, func(tx keystore.Tx) error {
				v, err := tx.Session(alice)
				if err != nil || string(v) != "session with alice" {
					t.Errorf("Session(alice) = %q, %v", v, err)
				}
				return nil
			})
		})
	}
}

// TestPragmas checks the settings the durability contract promises.
func TestPragmas(t *testing.T) {
	s, _ := openTemp(t)
	for _, c := range []struct{ pragma, want string }{
		{"journal_mode", "wal"},
		{"synchronous", "2"},  // FULL
		{"busy_timeout", "0"}, // waiting is done by retryBusy
		{"secure_delete", "1"},
		{"application_id", fmt.Sprint(applicationID)},
		{"user_version", fmt.Sprint(schemaVersion)},
	} {
		var got string
		if err := s.db.QueryRow("PRAGMA " + c.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("PRAGMA %s = %s, want %s", c.pragma, got, c.want)
		}
	}
}

// TestEncryptedAtRest checks that records do not reach the file in the
// clear with a key, and do without one (so the check can fail).
func TestEncryptedAtRest(t *testing.T) {
	marker := []byte("MARKER-0123456789-MARKER")
	for _, encrypted := range []bool{false, true} {
		var opts []Option
		if encrypted {
			opts = append(opts, WithEncryptionKey(testKey))
		}
		s, path := openTemp(t, opts...)
		update(t, s, func(tx keystore.Tx) error { return tx.SetSession(alice, marker) })
		update(t, s, func(tx keystore.Tx) error { return tx.SetValue("v", marker) })
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if found := bytes.Contains(raw, marker); found == encrypted {
			t.Errorf("encrypted=%v: marker in file = %v", encrypted, found)
		}
	}
}

func TestUpdateAfterClose(t *testing.T) {
	s, _ := openTemp(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(context.Background(), func(keystore.Tx) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Errorf("Update after Close = %v, want ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

func TestTxAfterUpdate(t *testing.T) {
	s, _ := openTemp(t)
	var leaked keystore.Tx
	update(t, s, func(tx keystore.Tx) error { leaked = tx; return nil })
	if err := leaked.SetSession(alice, []byte("late")); err == nil {
		t.Error("write through a finished Tx succeeded")
	}
	update(t, s, func(tx keystore.Tx) error {
		if _, err := tx.Session(alice); !errors.Is(err, keystore.ErrNotFound) {
			t.Errorf("late write is visible: %v", err)
		}
		return nil
	})
}

func TestInvalidPath(t *testing.T) {
	for _, p := range []string{"", ":memory:", "file:x.db?mode=memory"} {
		if s, err := Open(p); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", p)
		}
	}
}

// TestOddPath checks that URI metacharacters in the path are escaped.
func TestOddPath(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a?b#c%20d.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	fill(t, s, 1)
	s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database not at the given path: %v", err)
	}
}

// TestFilePermissions: the keystore holds private keys, so a new file and
// its WAL are readable by the owner only.
func TestFilePermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	s, path := openTemp(t)
	fill(t, s, 1)
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has permissions %v, want none for group and others", filepath.Base(p), perm)
		}
	}
}
