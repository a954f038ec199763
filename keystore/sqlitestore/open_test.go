// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package sqlitestore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/crossseal/crossseal/keystore"
)

// fileState is a digest of every file in a database's directory, so a test
// can show that a refused Open wrote nothing.
func fileState(t *testing.T, path string) string {
	t.Helper()
	dir := filepath.Dir(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%s %d %x\n", e.Name(), len(b), sha256.Sum256(b))
	}
	return fmt.Sprintf("%d files, %x", len(entries), h.Sum(nil))
}

// createClosed creates a database with fill(n) and closes it.
func createClosed(t *testing.T, n int, opts ...Option) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "keystore.db")
	s, err := Open(path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	fill(t, s, n)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// rawExec runs statements on the file behind the library's back.
func rawExec(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// mustRefuse opens path with opts, expects an error matching want, and
// checks that no file changed.
func mustRefuse(t *testing.T, path string, want error, opts ...Option) error {
	t.Helper()
	before := fileState(t, path)
	s, err := Open(path, opts...)
	if err == nil {
		s.Close()
		t.Fatalf("Open succeeded, want %v", want)
	}
	if !errors.Is(err, want) {
		t.Fatalf("Open = %v, want %v", err, want)
	}
	if after := fileState(t, path); after != before {
		t.Errorf("refused Open changed the files:\n before %s\n after  %s", before, after)
	}
	return err
}

func TestWrongKey(t *testing.T) {
	path := createClosed(t, 3, WithEncryptionKey(testKey))
	other := bytes.Clone(testKey)
	other[0] ^= 1
	mustRefuse(t, path, ErrWrongKey, WithEncryptionKey(other))
	mustRefuse(t, path, ErrKeyRequired)
	// The right key still opens it, with everything in place.
	s, err := Open(path, WithEncryptionKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := readAll(s, 3); err != nil {
		t.Fatal(err)
	}
}

func TestKeyOnPlaintextDatabase(t *testing.T) {
	path := createClosed(t, 3)
	mustRefuse(t, path, ErrNotEncrypted, WithEncryptionKey(testKey))
}

func TestInvalidKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keystore.db")
	for _, k := range [][]byte{nil, make([]byte, 16), make([]byte, 33)} {
		if _, err := Open(path, WithEncryptionKey(k)); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("key of %d bytes: %v, want ErrInvalidKey", len(k), err)
		}
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("Open with an invalid key created the file: %v", err)
	}
}

func TestNewerSchema(t *testing.T) {
	path := createClosed(t, 3)
	rawExec(t, path, "PRAGMA user_version = 99")
	err := mustRefuse(t, path, ErrNewerSchema)
	var sv *SchemaVersionError
	if !errors.As(err, &sv) || sv.Found != 99 || sv.Supported != schemaVersion {
		t.Errorf("error %v: want a SchemaVersionError{99, %d}", err, schemaVersion)
	}
	t.Logf("error: %v", err)
}

// TestNewerSchemaAfterOpen: a process upgraded the file under a Store
// that is still open; the old Store must stop writing.
func TestNewerSchemaAfterOpen(t *testing.T) {
	s, path := openTemp(t)
	fill(t, s, 1)
	rawExec(t, path, "PRAGMA user_version = 2")
	err := s.Update(context.Background(), func(tx keystore.Tx) error {
		return tx.SetSession(alice, []byte("old shape"))
	})
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Update = %v, want ErrNewerSchema", err)
	}
}

func TestNotKeystore(t *testing.T) {
	t.Run("foreign tables", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "app.db")
		rawExec(t, path, "CREATE TABLE messages (id INTEGER PRIMARY KEY, body TEXT)", "INSERT INTO messages VALUES (1, 'hi')")
		mustRefuse(t, path, ErrNotKeystore)
	})
	t.Run("foreign application id", func(t *testing.T) {
		path := createClosed(t, 1)
		rawExec(t, path, "PRAGMA application_id = 1234")
		mustRefuse(t, path, ErrNotKeystore)
	})
}

// TestMigrationIsAtomic: a migration step that fails leaves the file at its
// old version, and Open can be retried.
func TestMigrationIsAtomic(t *testing.T) {
	path := createClosed(t, 2)
	saved := migrations
	t.Cleanup(func() { migrations, schemaVersion = saved, int64(len(saved)) })
	migrations = append(slices.Clip(saved), []string{
		"CREATE TABLE extra (x INTEGER) STRICT",
		"THIS IS NOT SQL",
	})
	schemaVersion = int64(len(migrations))
	if s, err := Open(path); err == nil {
		s.Close()
		t.Fatal("Open with a failing migration succeeded")
	}
	migrations[len(migrations)-1] = []string{"CREATE TABLE extra (x INTEGER) STRICT", "INSERT INTO extra VALUES (42)"}
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open after fixing the migration: %v", err)
	}
	defer s.Close()
	var n, version int64
	if err := s.db.QueryRow("SELECT count(*) FROM extra").Scan(&n); err != nil || n != 1 {
		t.Errorf("migrated table has %d rows (%v), want 1: the failed attempt left something behind", n, err)
	}
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != 2 {
		t.Errorf("user_version = %d, %v; want 2", version, err)
	}
	if err := readAll(s, 2); err != nil {
		t.Error(err)
	}
}

// TestBusy holds the write lock in one Store and checks that a second
// Store on the same file (as a second process would) waits, gives up with
// ErrBusy or the context's error, and succeeds once the lock is released.
func TestBusy(t *testing.T) {
	a, path := openTemp(t)
	b, err := Open(path, WithBusyTimeout(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	locked, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() {
		done <- a.Update(context.Background(), func(tx keystore.Tx) error {
			close(locked)
			<-release
			return tx.SetValue("holder", []byte("a"))
		})
	}()
	<-locked

	start := time.Now()
	err = b.Update(context.Background(), func(tx keystore.Tx) error { return tx.SetValue("b", []byte("1")) })
	if !errors.Is(err, ErrBusy) {
		t.Errorf("Update while locked = %v, want ErrBusy", err)
	}
	if d := time.Since(start); d < 90*time.Millisecond {
		t.Errorf("gave up after %v, before the busy timeout", d)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	start = time.Now()
	err = b.Update(ctx, func(tx keystore.Tx) error { return tx.SetValue("b", []byte("2")) })
	cancel()
	if !errors.Is(err, ErrBusy) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Update while locked with a deadline = %v, want ErrBusy and DeadlineExceeded", err)
	}
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Errorf("gave up after %v, before the context deadline (%v)", d, err)
	}

	// A deadline beyond the busy timeout keeps waiting and succeeds.
	ctx, cancel = context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go func() { time.Sleep(300 * time.Millisecond); close(release) }()
	if err := b.Update(ctx, func(tx keystore.Tx) error { return tx.SetValue("b", []byte("3")) }); err != nil {
		t.Errorf("Update after the lock was released: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	update(t, a, func(tx keystore.Tx) error {
		for k, want := range map[string]string{"holder": "a", "b": "3"} {
			if v, err := tx.Value(k); err != nil || string(v) != want {
				t.Errorf("value %s = %q, %v; want %q", k, v, err, want)
			}
		}
		return nil
	})
}

// TestConcurrentCreate opens a new file from many goroutines at once, as
// processes starting together would: exactly one creates it, all succeed.
func TestConcurrentCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keystore.db")
	const n = 8
	stores := make([]*Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = Open(path, WithEncryptionKey(testKey)) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Open %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	for i, s := range stores {
		update(t, s, func(tx keystore.Tx) error { return tx.SetPreKey(uint32(i), []byte{byte(i)}) })
	}
	update(t, stores[0], func(tx keystore.Tx) error {
		ids, err := tx.PreKeyIDs()
		if err != nil || len(ids) != n {
			t.Errorf("PreKeyIDs = %v, %v; want %d ids", ids, err, n)
		}
		return err
	})
}
