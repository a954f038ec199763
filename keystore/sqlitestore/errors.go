// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package sqlitestore

import (
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

var (
	// ErrCorrupt matches every error caused by damaged stored data: a record
	// that fails authentication under the encryption key, and a database
	// file SQLite reports as malformed or not a database. The library never
	// deletes or repairs anything in response; restore from a backup.
	ErrCorrupt = errors.New("sqlitestore: corrupt database")

	// ErrWrongKey is returned by [Open] when the database is encrypted under
	// a different key than the one given. Nothing is written.
	ErrWrongKey = errors.New("sqlitestore: wrong encryption key")

	// ErrKeyRequired is returned by [Open] for an encrypted database opened
	// without [WithEncryptionKey]. Nothing is written.
	ErrKeyRequired = errors.New("sqlitestore: database is encrypted but no key was given")

	// ErrNotEncrypted is returned by [Open] for a plaintext database opened
	// with [WithEncryptionKey]: the store never mixes plaintext and sealed
	// records. Nothing is written.
	ErrNotEncrypted = errors.New("sqlitestore: database is not encrypted but a key was given")

	// ErrInvalidKey is returned by [Open] for an encryption key that is not
	// [KeySize] bytes long.
	ErrInvalidKey = errors.New("sqlitestore: invalid encryption key")

	// ErrNewerSchema is matched by a [SchemaVersionError]: the database was
	// written by a newer version of this package.
	ErrNewerSchema = errors.New("sqlitestore: database schema is newer than this code")

	// ErrNotKeystore is returned by [Open] for an SQLite database that was
	// not created by this package (a different application id, or tables
	// without a schema version). Nothing is written.
	ErrNotKeystore = errors.New("sqlitestore: not a crossseal keystore")

	// ErrBusy is returned when another process kept the write lock until
	// the busy timeout (see [WithBusyTimeout]) passed or the context ended.
	ErrBusy = errors.New("sqlitestore: database is locked")

	// ErrClosed is returned by [Store.Update] after [Store.Close].
	ErrClosed = errors.New("sqlitestore: store is closed")
)

// SchemaVersionError reports a database whose schema version is newer than
// the newest this code knows. It matches [ErrNewerSchema].
type SchemaVersionError struct {
	// Found is the database's schema version (PRAGMA user_version).
	Found int64
	// Supported is the newest schema version this code can use.
	Supported int64
}

// Error returns a message with both versions.
func (e *SchemaVersionError) Error() string {
	return fmt.Sprintf("sqlitestore: database schema version %d is newer than supported version %d", e.Found, e.Supported)
}

// Unwrap returns [ErrNewerSchema].
func (e *SchemaVersionError) Unwrap() error { return ErrNewerSchema }

// wrapErr adds context to an error from the driver and makes corruption
// match [ErrCorrupt] and lock timeouts [ErrBusy].
func wrapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	switch sqliteCode(err) {
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return fmt.Errorf("sqlitestore: %s: %w: %w", op, ErrCorrupt, err)
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return fmt.Errorf("sqlitestore: %s: %w: %w", op, ErrBusy, err)
	}
	return fmt.Errorf("sqlitestore: %s: %w", op, err)
}

// sqliteCode returns the primary SQLite result code of err, or -1.
func sqliteCode(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code() & 0xff
	}
	return -1
}
