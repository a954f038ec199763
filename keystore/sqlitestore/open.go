// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// querier is what the schema checks need from a *sql.Conn or *sql.Tx.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// init checks the database read-only, switches it to WAL mode, migrates it
// and prepares the statements.
func (s *Store) init(ctx context.Context) error {
	if _, err := s.retryBusy(ctx, func() error { return s.checkFile(ctx) }); err != nil {
		return err
	}
	if err := s.migrate(ctx); err != nil {
		return err
	}
	for i, q := range statements {
		var err error
		if s.stmts[i], err = s.db.PrepareContext(ctx, q); err != nil {
			return wrapErr("preparing statements", err)
		}
	}
	return nil
}

// checkFile runs everything that can refuse the file before the first
// write, then switches it to WAL mode.
func (s *Store) checkFile(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return wrapErr("opening database", err)
	}
	// One read transaction, so that the checks see one state of a file
	// that another process may be creating at the same time.
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err == nil {
		var version int64
		version, err = checkHeader(ctx, tx)
		if err == nil && version > 0 {
			err = s.checkKey(ctx, tx)
		}
		_ = tx.Rollback()
	} else {
		err = wrapErr("opening database", err)
	}
	if err == nil {
		err = setWAL(ctx, conn)
	}
	if cerr := conn.Close(); err == nil && cerr != nil {
		err = wrapErr("opening database", cerr)
	}
	return err
}

// checkHeader returns the schema version, or an error if the database is
// not one this code may use.
func checkHeader(ctx context.Context, q querier) (int64, error) {
	var appID, version int64
	if err := q.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return 0, wrapErr("reading header", err)
	}
	if err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return 0, wrapErr("reading header", err)
	}
	if appID != 0 && appID != applicationID {
		return 0, fmt.Errorf("%w: application id %#x", ErrNotKeystore, appID)
	}
	if version > schemaVersion {
		return 0, &SchemaVersionError{Found: version, Supported: schemaVersion}
	}
	if version < 0 || version > 0 && appID != applicationID {
		return 0, fmt.Errorf("%w: schema version %d without application id", ErrNotKeystore, version)
	}
	if version == 0 {
		var tables int64
		if err := q.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil {
			return 0, wrapErr("reading schema", err)
		}
		if tables > 0 {
			return 0, fmt.Errorf("%w: %d schema objects but no schema version", ErrNotKeystore, tables)
		}
	}
	return version, nil
}

// checkKey compares the database's encryption state with the Store's key.
func (s *Store) checkKey(ctx context.Context, q querier) error {
	var blob []byte
	err := q.QueryRowContext(ctx, "SELECT value FROM meta WHERE name = ?", metaKeyCheck).Scan(&blob)
	encrypted := true
	if errors.Is(err, sql.ErrNoRows) {
		encrypted = false
	} else if err != nil {
		return wrapErr("reading key check", err)
	}
	switch {
	case encrypted && s.seal == nil:
		return ErrKeyRequired
	case !encrypted && s.seal != nil:
		return ErrNotEncrypted
	case encrypted:
		// A damaged key-check value cannot be told apart from a wrong key.
		pt, err := s.seal.open(rowKey{table: tableMeta, name: metaKeyCheck}, blob)
		if err != nil || string(pt) != keyCheckPlaintext {
			return ErrWrongKey
		}
	}
	return nil
}

// setWAL switches the database to write-ahead logging; the mode is stored
// in the file, so this writes only the first time.
func setWAL(ctx context.Context, q querier) error {
	var mode string
	if err := q.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return wrapErr("reading journal mode", err)
	}
	if strings.EqualFold(mode, "wal") {
		return nil
	}
	if err := q.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
		return wrapErr("setting WAL mode", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("sqlitestore: cannot use WAL mode on this file system (journal mode %q)", mode)
	}
	return nil
}

// migrate brings the schema to schemaVersion in one transaction, and on a
// new database records the key check.
func (s *Store) migrate(ctx context.Context) error {
	conn, tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer s.release(conn)
	defer func() { _ = tx.Rollback() }() // after Commit: a no-op
	// Checked again under the write lock: another process may have created
	// or migrated the database since.
	version, err := checkHeader(ctx, tx)
	if err != nil {
		return err
	}
	for v := version; v < schemaVersion; v++ {
		for _, q := range migrations[v] {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return wrapErr(fmt.Sprintf("migrating to schema version %d", v+1), err)
			}
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			return wrapErr("migrating", err)
		}
	}
	if version == 0 {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
			return wrapErr("creating database", err)
		}
		if s.seal != nil {
			check := s.seal.seal(rowKey{table: tableMeta, name: metaKeyCheck}, []byte(keyCheckPlaintext))
			if _, err := tx.ExecContext(ctx, "INSERT INTO meta (name, value) VALUES (?, ?)", metaKeyCheck, check); err != nil {
				return wrapErr("creating database", err)
			}
		}
	}
	if err := s.checkKey(ctx, tx); err != nil {
		return err
	}
	if version == schemaVersion {
		return nil // nothing to write
	}
	if err := tx.Commit(); err != nil {
		return wrapErr("migrating: commit", err)
	}
	return nil
}
