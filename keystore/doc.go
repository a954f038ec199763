// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package keystore defines how crossseal persists its state: the local
// identity, remote identities, one-time and signed prekeys, and sessions.
// Records are opaque bytes produced by package session; a store only keeps
// them, keyed by ids and addresses. [NewMemory] is an in-memory store; the
// SQLite store lives in keystore/sqlitestore so that callers with their own
// database do not link a driver; package keystoretest has the conformance
// suite every store must pass.
//
// # Atomicity and concurrency
//
// Every protocol operation runs inside one [Store.Update] call. A store
// must make all writes of one call visible together, and only if the
// function returns nil; if it returns an error (or panics), no write
// happens. Update calls on one store must be serializable (for example by
// a lock, or SQLite's BEGIN IMMEDIATE), so two operations on one session
// can never both read the same state and fork the ratchet. Reads inside a
// transaction see its own writes.
package keystore
