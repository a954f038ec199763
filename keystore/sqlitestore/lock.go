// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	sqlite3 "modernc.org/sqlite/lib"
)

// Waiting for other processes. SQLite's own busy handler (busy_timeout)
// sleeps 1, 2, 5, ... up to 100 ms between attempts. Against a process
// that keeps committing, a waiter then only gets in if one of its rare
// attempts lands in the microseconds between two of the other's
// transactions: in this package's two-process test, one process finished
// all its work before the other decrypted a single message. So the Store
// does not set busy_timeout and waits itself: it polls every 50 to 250 µs
// (with jitter) while holding its connection, and a Store that has
// recently found the lock busy leaves it free for a moment after each of
// its own transactions, so that the other process's next poll finds it
// free. Without contention none of this costs anything.
const (
	minBusyPoll = 50 * time.Microsecond
	maxBusyPoll = 250 * time.Microsecond
	// yieldWindow is how long a Store that saw contention leaves the lock
	// free after a transaction; longer than maxBusyPoll, so that a polling
	// process notices.
	yieldWindow = 300 * time.Microsecond
	// contentionMemory is how long after the last busy lock a Store keeps
	// yielding.
	contentionMemory = 50 * time.Millisecond
)

// begin takes the Store's connection, which serializes the goroutines of
// this process, and starts a transaction on it with BEGIN IMMEDIATE (the
// _txlock URI parameter). That takes SQLite's write lock at once, so two
// processes can never both read a session and both write a successor.
// The caller must end the transaction and then call release.
func (s *Store) begin(ctx context.Context) (*sql.Conn, *sql.Tx, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, nil, s.beginErr(ctx, false, err)
	}
	var tx *sql.Tx
	busy, err := s.retryBusy(ctx, func() error {
		var err error
		tx, err = conn.BeginTx(ctx, nil)
		return err
	})
	if err != nil {
		_ = conn.Close()
		return nil, nil, s.beginErr(ctx, busy, err)
	}
	return conn, tx, nil
}

// beginErr classifies an error from begin. If another process held the
// lock, the error matches ErrBusy, and also the context's error if the
// context ended the wait.
func (s *Store) beginErr(ctx context.Context, busy bool, err error) error {
	ctxErr := ctx.Err()
	if d, ok := ctx.Deadline(); ok && ctxErr == nil && !time.Now().Before(d) {
		ctxErr = context.DeadlineExceeded // the timer has not fired yet
	}
	switch {
	case s.closed.Load():
		return ErrClosed
	case busy && ctxErr != nil:
		return fmt.Errorf("sqlitestore: begin: %w: %w", ErrBusy, ctxErr)
	case ctxErr != nil:
		return fmt.Errorf("sqlitestore: begin: %w", ctxErr)
	}
	return wrapErr("begin", err)
}

// release returns the connection after its transaction has ended. If
// another process was recently kept waiting, it first leaves the lock free
// for yieldWindow, still holding the connection so that no goroutine of
// this process takes the lock again.
func (s *Store) release(conn *sql.Conn) {
	if last := s.lastBusy.Load(); last != 0 && time.Since(time.Unix(0, last)) < contentionMemory {
		time.Sleep(yieldWindow)
	}
	_ = conn.Close()
}

// retryBusy calls op until it returns anything but SQLITE_BUSY, or until
// the context's deadline (the busy timeout if it has none) has passed or
// the context is done. busy reports whether op ever found the lock busy.
func (s *Store) retryBusy(ctx context.Context, op func() error) (busy bool, err error) {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(s.busyTimeout)
	}
	poll := minBusyPoll
	for {
		err := op()
		if err == nil || sqliteCode(err) != sqlite3.SQLITE_BUSY || s.closed.Load() {
			return busy, err
		}
		busy = true
		s.lastBusy.Store(time.Now().UnixNano())
		if ctx.Err() != nil || time.Now().After(deadline) {
			return busy, err
		}
		t := time.NewTimer(poll/2 + rand.N(poll/2))
		select {
		case <-ctx.Done():
			t.Stop()
			return busy, err
		case <-t.C:
		}
		poll = min(2*poll, maxBusyPoll)
	}
}
