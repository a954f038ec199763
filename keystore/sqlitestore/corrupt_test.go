// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package sqlitestore

import (
	"database/sql"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/crossseal/crossseal/keystore"
)

// openAndReadAll opens path and reads every record fill(n) wrote; it
// returns the first error. It must never panic.
func openAndReadAll(path string, n int, opts ...Option) error {
	s, err := Open(path, opts...)
	if err != nil {
		return err
	}
	defer s.Close()
	return readAll(s, n)
}

// copyDB copies a closed database to a new file.
func copyDB(t *testing.T, path string) (string, []byte) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "damaged.db")
	return dst, raw
}

func TestTruncatedFile(t *testing.T) {
	const n = 500
	for _, encrypted := range []bool{false, true} {
		var opts []Option
		if encrypted {
			opts = []Option{WithEncryptionKey(testKey)}
		}
		path := createClosed(t, n, opts...)
		for _, frac := range []float64{0.9, 0.5, 0.1} {
			dst, raw := copyDB(t, path)
			size := int(float64(len(raw)) * frac)
			if err := os.WriteFile(dst, raw[:size], 0o600); err != nil {
				t.Fatal(err)
			}
			err := openAndReadAll(dst, n, opts...)
			if err == nil {
				t.Errorf("encrypted=%v: truncated to %d of %d bytes: no error", encrypted, size, len(raw))
				continue
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("truncated to %d bytes: %v, want ErrCorrupt", size, err)
			}
			t.Logf("encrypted=%v, truncated to %d of %d bytes: %v", encrypted, size, len(raw), err)
		}
		// A file cut inside the header is not a database.
		dst, raw := copyDB(t, path)
		if err := os.WriteFile(dst, raw[:50], 0o600); err != nil {
			t.Fatal(err)
		}
		if err := openAndReadAll(dst, n, opts...); !errors.Is(err, ErrCorrupt) {
			t.Errorf("50-byte file: %v, want ErrCorrupt", err)
		}
	}
}

// TestGarbagePages writes random bytes over the middle of the file (at
// least one whole page) and expects an error from Open or a read, never a
// panic and never a silently wrong record.
func TestGarbagePages(t *testing.T) {
	const n = 500
	for _, encrypted := range []bool{false, true} {
		var opts []Option
		if encrypted {
			opts = []Option{WithEncryptionKey(testKey)}
		}
		path := createClosed(t, n, opts...)
		rng := rand.New(rand.NewPCG(1, 2))
		for trial := range 20 {
			dst, raw := copyDB(t, path)
			length := 4096 + rng.IntN(4096)
			off := len(raw)/4 + rng.IntN(len(raw)/2-length)
			for i := off; i < off+length; i++ {
				raw[i] = byte(rng.Uint32())
			}
			if err := os.WriteFile(dst, raw, 0o600); err != nil {
				t.Fatal(err)
			}
			err := openAndReadAll(dst, n, opts...)
			if err == nil {
				t.Errorf("encrypted=%v trial %d: %d garbage bytes at %d: no error", encrypted, trial, length, off)
			} else if !errors.Is(err, ErrCorrupt) {
				t.Errorf("encrypted=%v trial %d: %v, want ErrCorrupt", encrypted, trial, err)
			} else if trial == 0 {
				t.Logf("encrypted=%v: %v", encrypted, err)
			}
		}
		// Garbage over the header.
		dst, raw := copyDB(t, path)
		for i := range 100 {
			raw[i] = byte(rng.Uint32())
		}
		if err := os.WriteFile(dst, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := openAndReadAll(dst, n, opts...); !errors.Is(err, ErrCorrupt) {
			t.Errorf("garbage header: %v, want ErrCorrupt", err)
		}
	}
}

func TestTamperedRecord(t *testing.T) {
	type getter func(keystore.Tx) ([]byte, error)
	cases := []struct {
		name   string
		update string // SQL with one ? for the new blob
		read   string // SQL reading the blob to damage
		get    getter
		flip   bool // damage the blob; otherwise move it unchanged
	}{
		{"local", "UPDATE local_identity SET record = ?", "SELECT record FROM local_identity", keystore.Tx.LocalIdentity, true},
		{"remote", "UPDATE remote_identities SET record = ?", "SELECT record FROM remote_identities", func(tx keystore.Tx) ([]byte, error) { return tx.RemoteIdentity(alice) }, true},
		{"prekey", "UPDATE prekeys SET record = ? WHERE id = 1", "SELECT record FROM prekeys WHERE id = 1", func(tx keystore.Tx) ([]byte, error) { return tx.PreKey(1) }, true},
		{"signed", "UPDATE signed_prekeys SET record = ?", "SELECT record FROM signed_prekeys", func(tx keystore.Tx) ([]byte, error) { return tx.SignedPreKey(7) }, true},
		{"session", "UPDATE sessions SET record = ? WHERE name = 'whatsapp:alice'", "SELECT record FROM sessions WHERE name = 'whatsapp:alice'", func(tx keystore.Tx) ([]byte, error) { return tx.Session(alice) }, true},
		{"value", "UPDATE app_values SET value = ?", "SELECT value FROM app_values", func(tx keystore.Tx) ([]byte, error) { return tx.Value("policy") }, true},
		// Row binding: a valid sealed record moved to another row.
		{"session moved", "UPDATE sessions SET record = ? WHERE name = 'instagram:bob'", "SELECT record FROM sessions WHERE name = 'whatsapp:alice'", func(tx keystore.Tx) ([]byte, error) { return tx.Session(bob) }, false},
		{"prekey moved", "UPDATE prekeys SET record = ? WHERE id = 2", "SELECT record FROM prekeys WHERE id = 1", func(tx keystore.Tx) ([]byte, error) { return tx.PreKey(2) }, false},
		{"moved across tables", "UPDATE signed_prekeys SET record = ?", "SELECT record FROM prekeys WHERE id = 7", func(tx keystore.Tx) ([]byte, error) { return tx.SignedPreKey(7) }, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := createClosed(t, 10, WithEncryptionKey(testKey))
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			var blob []byte
			if err := db.QueryRow(tc.read).Scan(&blob); err != nil {
				t.Fatal(err)
			}
			if tc.flip {
				blob[len(blob)/2] ^= 0x01 // flip one bit
			}
			if _, err := db.Exec(tc.update, blob); err != nil {
				t.Fatal(err)
			}
			db.Close()

			s, err := Open(path, WithEncryptionKey(testKey))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			update(t, s, func(tx keystore.Tx) error {
				v, err := tc.get(tx)
				if !errors.Is(err, ErrCorrupt) || v != nil {
					t.Errorf("get = %x, %v; want nil, ErrCorrupt", v, err)
				}
				return nil
			})
			// Nothing else was harmed, and the library deleted nothing.
			update(t, s, func(tx keystore.Tx) error {
				ids, err := tx.PreKeyIDs()
				if err != nil || len(ids) != 10 {
					t.Errorf("PreKeyIDs = %v, %v", ids, err)
				}
				if v, err := tx.Session(alice); tc.name != "session" && (err != nil || string(v) != "session with alice") {
					t.Errorf("untouched session: %q, %v", v, err)
				}
				return nil
			})
		})
	}
}

// TestTamperedKeyCheck: a damaged key-check value looks like a wrong key.
func TestTamperedKeyCheck(t *testing.T) {
	path := createClosed(t, 1, WithEncryptionKey(testKey))
	rawExec(t, path, "UPDATE meta SET value = zeroblob(40) WHERE name = 'key_check'")
	mustRefuse(t, path, ErrWrongKey, WithEncryptionKey(testKey))
	rawExec(t, path, "DELETE FROM meta WHERE name = 'key_check'")
	mustRefuse(t, path, ErrNotEncrypted, WithEncryptionKey(testKey))
}
