// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package sqlitestore is crossseal's durable default keystore: a
// [github.com/crossseal/crossseal/keystore.Store] in one SQLite database
// file, through the pure-Go driver modernc.org/sqlite (no cgo). It lives in
// its own package so that applications bringing their own store do not
// link the driver, and it depends on package keystore only, never on
// package session.
//
//	store, err := sqlitestore.Open(filepath.Join(dir, "keystore.db"))
//	if err != nil { ... }
//	defer store.Close()
//	m := session.New(store)
//
// # Durability
//
// Every [Store.Update] is one SQLite transaction, started with BEGIN
// IMMEDIATE and committed only if the callback returns nil. The database is
// in WAL mode with synchronous=FULL: when Update returns nil, the
// transaction is on stable storage and survives a process crash, a kill
// and a power loss; if it returns an error, or the process dies before it
// returns, none of its writes are visible. This package does not offer
// synchronous=NORMAL: it is several times faster per commit (see the
// benchmarks), but a power loss can undo the last commits, rolling a
// ratchet back after its messages were acked or sent, and an encrypt from
// a rolled-back state reuses message keys.
//
// # Concurrency
//
// BEGIN IMMEDIATE takes the database's write lock before the first read,
// so two processes (or two Stores) sharing the file never both read the
// same session and both write a successor, which would fork the ratchet.
// Within one process, Updates queue for the Store's single connection.
// An Update that finds the lock held by another process waits, polling,
// up to the busy timeout ([WithBusyTimeout]) or the context's deadline,
// and then fails with [ErrBusy]. The Store does its own waiting instead of
// SQLite's busy_timeout, whose back-off grows to 100 ms and lets a busy
// process starve a waiting one. A callback runs with the lock held, so it
// blocks every other writer while it runs.
//
// SQLite's locks are POSIX record locks, which a process loses when it
// closes any descriptor of the file: do not open the database file (or its
// -wal and -shm files) by other means in a process that has it open.
//
// # Exactly-once decryption
//
// With [github.com/crossseal/crossseal/session.Manager.Decrypt], the
// plaintext is handed to a callback inside the transaction that advances
// the session. An application receiving from a server should:
//
//  1. call Decrypt and, in the callback, store the message in its own
//     database (or hand it to whatever must see it exactly once);
//  2. acknowledge the envelope to the server only after Decrypt returns
//     (nil, or an error it has dealt with).
//
// If the process dies before the session commits, the server redelivers
// the envelope and it decrypts again, since the session was not advanced.
// If it dies after the commit but before the ack, the redelivered envelope
// fails with [github.com/crossseal/crossseal/session.ErrDuplicateMessage];
// the application acks it again. No message is lost.
//
// The callback's write and the session commit go to two stores, so a crash
// between them shows the application one message twice. Make the
// application's store idempotent: key it by the message id that the
// envelope layer puts in every content for this purpose, and have the
// callback skip an id it already has. (Writing the message through the
// same transaction would avoid the duplicate, but the callback does not
// get the keystore transaction, by design.) This package's crash test
// kills a client at random points of a stream of thousands of messages and
// checks exactly these outcomes.
//
// # Encryption at rest
//
// Without a key, the records (private keys among them) are protected only
// by the file's permissions: Open creates a new file readable and
// writable by its owner only (0600), and SQLite gives the -wal and -shm
// files the same permissions.
//
// [WithEncryptionKey] seals every record and value with AES-256-GCM under
// a 32-byte key, with a fresh random 96-bit nonce per write and the row's
// table and key columns as additional data, so a record copied to another
// row or table fails to open. A sealed key-check value in the file lets
// [Open] report [ErrWrongKey] before anything is written. [DeriveKey]
// derives a key from a passphrase with Argon2id; the application stores
// the salt from [NewSalt].
//
// Encryption at rest protects the records' confidentiality and integrity.
// It does not hide which addresses, devices and prekey ids exist (they are
// the tables' keys), and it cannot detect a rollback: someone able to
// write the file can put back an older copy of it, or of a row, or delete
// rows. Random nonces are safe for up to 2^32 writes per key, far more
// than a keystore makes.
//
// # Deleted data
//
// The connection sets secure_delete, so deleted and overwritten records
// (used one-time prekeys, old ratchet states) are zeroed in the database
// file. Old page images can still sit in the WAL file until it is reused,
// and in file-system or flash copies; against someone who later obtains
// the device's storage, use encryption at rest with a key kept outside the
// file (in a platform keychain).
//
// # Corruption
//
// A record that fails authentication, and a file SQLite reports as
// malformed, give errors matching [ErrCorrupt]. The library never deletes
// or repairs anything on its own. Without encryption SQLite has no
// checksums, so damage inside a record's bytes goes unnoticed by the store
// (package session then rejects the record if it no longer decodes).
//
// # Schema
//
// The schema version is kept in PRAGMA user_version and the file is marked
// with an application id. Open applies forward migrations in one
// transaction together with the version bump; a file from a newer version of this
// package fails with [ErrNewerSchema] (a [SchemaVersionError]) and is left
// untouched, as does every Update if another process migrated the file
// after Open. Processes sharing one file should be upgraded together.
package sqlitestore
