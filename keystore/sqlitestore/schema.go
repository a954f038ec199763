// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package sqlitestore

// applicationID marks a keystore file in its header (PRAGMA
// application_id): the bytes "cssk".
const applicationID = 0x6373736b

// migrations[i] takes the schema from version i to version i+1; the schema
// version is PRAGMA user_version. Migrations only ever move forward, run in
// one transaction together with the version bump, and are never edited once
// released: a change is a new step appended here.
var migrations = [][]string{
	// Version 1. Every table keeps its records as opaque BLOBs (sealed when
	// the store has a key); names, devices and ids are in the clear.
	{
		`CREATE TABLE meta (
			name  TEXT PRIMARY KEY NOT NULL,
			value BLOB NOT NULL
		) STRICT`,
		`CREATE TABLE local_identity (
			id     INTEGER PRIMARY KEY CHECK (id = 0),
			record BLOB NOT NULL
		) STRICT`,
		`CREATE TABLE remote_identities (
			name   TEXT NOT NULL,
			device INTEGER NOT NULL,
			record BLOB NOT NULL,
			PRIMARY KEY (name, device)
		) STRICT`,
		`CREATE TABLE prekeys (
			id     INTEGER PRIMARY KEY,
			record BLOB NOT NULL
		) STRICT`,
		`CREATE TABLE signed_prekeys (
			id     INTEGER PRIMARY KEY,
			record BLOB NOT NULL
		) STRICT`,
		`CREATE TABLE sessions (
			name   TEXT NOT NULL,
			device INTEGER NOT NULL,
			record BLOB NOT NULL,
			PRIMARY KEY (name, device)
		) STRICT`,
		`CREATE TABLE app_values (
			key   TEXT PRIMARY KEY NOT NULL,
			value BLOB NOT NULL
		) STRICT`,
	},
}

// schemaVersion is the version this code creates and uses.
var schemaVersion = int64(len(migrations))

// Table names, also bound into sealed records' additional data.
const (
	tableMeta             = "meta"
	tableLocalIdentity    = "local_identity"
	tableRemoteIdentities = "remote_identities"
	tablePreKeys          = "prekeys"
	tableSignedPreKeys    = "signed_prekeys"
	tableSessions         = "sessions"
	tableValues           = "app_values"
)

// metaKeyCheck is the meta row holding the sealed key-check value of an
// encrypted database.
const metaKeyCheck = "key_check"

// stmtID indexes the statements a Store prepares once.
type stmtID int

const (
	stmtUserVersion stmtID = iota
	stmtGetLocal
	stmtSetLocal
	stmtGetRemote
	stmtSetRemote
	stmtGetPreKey
	stmtSetPreKey
	stmtDelPreKey
	stmtListPreKeys
	stmtGetSigned
	stmtSetSigned
	stmtDelSigned
	stmtListSigned
	stmtGetSession
	stmtSetSession
	stmtDelSession
	stmtListDevices
	stmtGetValue
	stmtSetValue
	stmtDelValue
	stmtListValues
	numStmts
)

var statements = [numStmts]string{
	stmtUserVersion: `PRAGMA user_version`,
	stmtGetLocal:    `SELECT record FROM local_identity WHERE id = 0`,
	stmtSetLocal:    `INSERT INTO local_identity (id, record) VALUES (0, ?) ON CONFLICT (id) DO UPDATE SET record = excluded.record`,
	stmtGetRemote:   `SELECT record FROM remote_identities WHERE name = ? AND device = ?`,
	stmtSetRemote:   `INSERT INTO remote_identities (name, device, record) VALUES (?, ?, ?) ON CONFLICT (name, device) DO UPDATE SET record = excluded.record`,
	stmtGetPreKey:   `SELECT record FROM prekeys WHERE id = ?`,
	stmtSetPreKey:   `INSERT INTO prekeys (id, record) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET record = excluded.record`,
	stmtDelPreKey:   `DELETE FROM prekeys WHERE id = ?`,
	stmtListPreKeys: `SELECT id FROM prekeys ORDER BY id`,
	stmtGetSigned:   `SELECT record FROM signed_prekeys WHERE id = ?`,
	stmtSetSigned:   `INSERT INTO signed_prekeys (id, record) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET record = excluded.record`,
	stmtDelSigned:   `DELETE FROM signed_prekeys WHERE id = ?`,
	stmtListSigned:  `SELECT id FROM signed_prekeys ORDER BY id`,
	stmtGetSession:  `SELECT record FROM sessions WHERE name = ? AND device = ?`,
	stmtSetSession:  `INSERT INTO sessions (name, device, record) VALUES (?, ?, ?) ON CONFLICT (name, device) DO UPDATE SET record = excluded.record`,
	stmtDelSession:  `DELETE FROM sessions WHERE name = ? AND device = ?`,
	stmtListDevices: `SELECT device FROM sessions WHERE name = ? ORDER BY device`,
	stmtGetValue:    `SELECT value FROM app_values WHERE key = ?`,
	stmtSetValue:    `INSERT INTO app_values (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
	stmtDelValue:    `DELETE FROM app_values WHERE key = ?`,
	// TEXT keys compare bytewise (BINARY collation), so the keys starting
	// with a prefix are those in [prefix, successor(prefix)); a NULL upper
	// bound means the prefix has no successor (empty or all 0xFF).
	stmtListValues: `SELECT key FROM app_values WHERE key >= ?1 AND (?2 IS NULL OR key < ?2) ORDER BY key`,
}
