// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package sqlitestore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crossseal/crossseal/keystore"
)

// DefaultBusyTimeout is how long a [Store.Update] waits for the write lock
// held by another process when neither [WithBusyTimeout] nor the context's
// deadline says otherwise.
const DefaultBusyTimeout = 5 * time.Second

// Store is a [keystore.Store] in one SQLite database file. It is safe for
// concurrent use by many goroutines, and several processes may open the
// same file: every [Store.Update] is one SQLite transaction that takes the
// write lock when it starts.
type Store struct {
	db          *sql.DB
	seal        *sealer // nil without encryption at rest
	busyTimeout time.Duration
	stmts       [numStmts]*sql.Stmt

	// running is held shared by every Update and exclusively by Close,
	// so that Close waits for Updates in progress.
	running  sync.RWMutex
	closed   atomic.Bool
	lastBusy atomic.Int64 // when the write lock was last found busy (Unix ns)
}

var _ keystore.Store = (*Store)(nil)

// Option configures [Open].
type Option func(*config)

type config struct {
	key         []byte
	hasKey      bool
	busyTimeout time.Duration
	synchronous string // PRAGMA synchronous; only tests change it
}

// WithEncryptionKey turns on encryption at rest: every record and value is
// sealed with AES-256-GCM under key, which must be [KeySize] bytes (see
// [DeriveKey] for a passphrase). A new database is created encrypted; an
// existing one must have been created with the same key. Open copies the
// key; the Store keeps the expanded key in memory until it is garbage
// collected (Go cannot guarantee erasure).
func WithEncryptionKey(key []byte) Option {
	k := bytes.Clone(key)
	return func(c *config) { c.key, c.hasKey = k, true }
}

// WithBusyTimeout sets how long an Update waits for the write lock while
// another process holds it, if the context has no deadline (default
// [DefaultBusyTimeout]); with a deadline, the Update waits until the
// deadline. Afterwards it fails with [ErrBusy].
func WithBusyTimeout(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.busyTimeout = d
		}
	}
}

// Open opens the keystore database at path, creating it (with permissions
// 0600) if it does not exist, and brings its schema up to date. The file is put in WAL mode with
// synchronous=FULL, so a committed Update survives a process crash and a
// power loss.
//
// Open fails without writing anything with an error matching
// [ErrNewerSchema] (a [*SchemaVersionError]) if the database was written by
// a newer version of this package, [ErrNotKeystore] if it is some other
// SQLite database, [ErrWrongKey], [ErrKeyRequired] or [ErrNotEncrypted] if
// the key does not fit the database, [ErrInvalidKey] for a key of the wrong
// size, and [ErrCorrupt] if SQLite finds the file damaged.
func Open(path string, opts ...Option) (*Store, error) {
	cfg := config{busyTimeout: DefaultBusyTimeout, synchronous: "FULL"}
	for _, o := range opts {
		o(&cfg)
	}
	var seal *sealer
	if cfg.hasKey {
		var err error
		if seal, err = newSealer(cfg.key); err != nil {
			return nil, err
		}
	}
	dsn, err := dataSourceName(path, cfg)
	if err != nil {
		return nil, err
	}
	// A new file is created here, readable by its owner only, since it
	// holds private keys; SQLite gives the -wal and -shm files the same
	// permissions. (O_EXCL: an existing file is never opened here, which
	// could drop the POSIX locks another Store in this process holds.)
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		_ = f.Close()
	} else if !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("sqlitestore: %w", err)
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: %w", err)
	}
	// One connection: every Update takes the write lock anyway, and waiting
	// for the connection in database/sql is cheaper and fairer than
	// polling the file lock. Other processes are waited for by retryBusy.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	s := &Store{db: db, seal: seal, busyTimeout: cfg.busyTimeout}
	if err := s.init(context.Background()); err != nil {
		s.closeStatements()
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

// dataSourceName builds the driver's URI for path. Pragmas in the URI are
// applied to every connection the pool opens.
func dataSourceName(path string, cfg config) (string, error) {
	if path == "" || strings.HasPrefix(path, ":memory:") || strings.HasPrefix(path, "file:") {
		return "", fmt.Errorf("sqlitestore: invalid path %q: want a file name", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("sqlitestore: %w", err)
	}
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows drive letter
	}
	p = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
	// No busy_timeout: waiting for other processes is done by retryBusy.
	return fmt.Sprintf("file:%s?_txlock=immediate&_pragma=synchronous(%s)&_pragma=secure_delete(ON)", p, cfg.synchronous), nil
}

// Update implements [keystore.Store.Update]. fn runs inside one SQLite
// transaction started with BEGIN IMMEDIATE; its writes are committed, with
// synchronous=FULL, if and only if fn returns nil and ctx is not done. If
// fn returns an error or panics, the transaction is rolled back (and the
// panic continues). While fn runs, the Store holds the database's write
// lock, so other goroutines and processes wait: keep fn short. fn must not
// call Update on the same Store: the Store has one connection, so that
// would wait for itself.
//
// Errors are fn's error, ctx's error, or the store's wrapped with context;
// those match [ErrBusy] if the write lock could not be taken in time (and
// also the context's error if its deadline or cancellation ended the wait),
// [ErrCorrupt] if the file is damaged, and [ErrClosed] after [Store.Close].
func (s *Store) Update(ctx context.Context, fn func(keystore.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.running.RLock()
	defer s.running.RUnlock()
	if s.closed.Load() {
		return ErrClosed
	}
	conn, sqlTx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer s.release(conn)
	t := &tx{s: s, ctx: ctx, tx: sqlTx}
	committed := false
	defer func() {
		if !committed {
			_ = sqlTx.Rollback()
		}
	}()
	// Another process may have migrated the file to a newer schema since
	// Open; its records must not be written in this schema's shape.
	var version int64
	if err := t.stmt(stmtUserVersion).QueryRowContext(ctx).Scan(&version); err != nil {
		return wrapErr("reading schema version", err)
	}
	if version > schemaVersion {
		return &SchemaVersionError{Found: version, Supported: schemaVersion}
	} else if version != schemaVersion {
		return fmt.Errorf("sqlitestore: schema version changed to %d while the store was open", version)
	}
	if err := fn(t); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return wrapErr("commit", err)
	}
	committed = true
	return nil
}

// Close waits for running Updates and closes the database. Updates after
// Close fail with [ErrClosed].
func (s *Store) Close() error {
	if !s.closed.CompareAndSwap(false, true) {
		return nil
	}
	s.running.Lock()
	defer s.running.Unlock()
	s.closeStatements()
	if err := s.db.Close(); err != nil {
		return wrapErr("close", err)
	}
	return nil
}

func (s *Store) closeStatements() {
	for i, st := range s.stmts {
		if st != nil {
			_ = st.Close()
			s.stmts[i] = nil
		}
	}
}
