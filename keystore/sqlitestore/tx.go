// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/crossseal/crossseal/keystore"
)

// tx implements [keystore.Tx] on one SQLite transaction.
type tx struct {
	s     *Store
	ctx   context.Context
	tx    *sql.Tx
	stmts [numStmts]*sql.Stmt // the Store's statements bound to tx, on first use
}

var _ keystore.Tx = (*tx)(nil)

// stmt returns statement id bound to the transaction. database/sql reuses
// the statement already prepared on the connection.
func (t *tx) stmt(id stmtID) *sql.Stmt {
	if t.stmts[id] == nil {
		t.stmts[id] = t.tx.StmtContext(t.ctx, t.s.stmts[id])
	}
	return t.stmts[id]
}

// get reads one record and opens it.
func (t *tx) get(id stmtID, k rowKey, args ...any) ([]byte, error) {
	var blob []byte
	err := t.stmt(id).QueryRowContext(t.ctx, args...).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, keystore.ErrNotFound
	} else if err != nil {
		return nil, wrapErr("reading "+k.table, err)
	}
	return t.s.seal.open(k, blob)
}

// exec runs a write.
func (t *tx) exec(id stmtID, table string, args ...any) error {
	if _, err := t.stmt(id).ExecContext(t.ctx, args...); err != nil {
		return wrapErr("writing "+table, err)
	}
	return nil
}

// ids lists one integer column.
func (t *tx) ids(id stmtID, table string, args ...any) ([]uint32, error) {
	rows, err := t.stmt(id).QueryContext(t.ctx, args...)
	if err != nil {
		return nil, wrapErr("listing "+table, err)
	}
	defer rows.Close()
	out := []uint32{}
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, wrapErr("listing "+table, err)
		}
		if v < 0 || v > 1<<32-1 {
			return nil, fmt.Errorf("sqlitestore: listing %s: %w: id %d out of range", table, ErrCorrupt, v)
		}
		out = append(out, uint32(v))
	}
	if err := rows.Err(); err != nil {
		return nil, wrapErr("listing "+table, err)
	}
	return out, nil
}

func localKey() rowKey { return rowKey{table: tableLocalIdentity} }

func addrKey(table string, a keystore.Address) rowKey {
	return rowKey{table: table, name: a.Name, num: uint64(a.DeviceID)}
}

func idKey(table string, id uint32) rowKey { return rowKey{table: table, num: uint64(id)} }

// LocalIdentity implements [keystore.Tx.LocalIdentity].
func (t *tx) LocalIdentity() ([]byte, error) { return t.get(stmtGetLocal, localKey()) }

// SetLocalIdentity implements [keystore.Tx.SetLocalIdentity].
func (t *tx) SetLocalIdentity(record []byte) error {
	return t.exec(stmtSetLocal, tableLocalIdentity, t.s.seal.seal(localKey(), record))
}

// RemoteIdentity implements [keystore.Tx.RemoteIdentity].
func (t *tx) RemoteIdentity(a keystore.Address) ([]byte, error) {
	return t.get(stmtGetRemote, addrKey(tableRemoteIdentities, a), a.Name, int64(a.DeviceID))
}

// SetRemoteIdentity implements [keystore.Tx.SetRemoteIdentity].
func (t *tx) SetRemoteIdentity(a keystore.Address, key []byte) error {
	if err := a.Validate(); err != nil {
		return err
	}
	blob := t.s.seal.seal(addrKey(tableRemoteIdentities, a), key)
	return t.exec(stmtSetRemote, tableRemoteIdentities, a.Name, int64(a.DeviceID), blob)
}

// PreKey implements [keystore.Tx.PreKey].
func (t *tx) PreKey(id uint32) ([]byte, error) {
	return t.get(stmtGetPreKey, idKey(tablePreKeys, id), int64(id))
}

// SetPreKey implements [keystore.Tx.SetPreKey].
func (t *tx) SetPreKey(id uint32, record []byte) error {
	return t.exec(stmtSetPreKey, tablePreKeys, int64(id), t.s.seal.seal(idKey(tablePreKeys, id), record))
}

// DeletePreKey implements [keystore.Tx.DeletePreKey].
func (t *tx) DeletePreKey(id uint32) error { return t.exec(stmtDelPreKey, tablePreKeys, int64(id)) }

// PreKeyIDs implements [keystore.Tx.PreKeyIDs].
func (t *tx) PreKeyIDs() ([]uint32, error) { return t.ids(stmtListPreKeys, tablePreKeys) }

// SignedPreKey implements [keystore.Tx.SignedPreKey].
func (t *tx) SignedPreKey(id uint32) ([]byte, error) {
	return t.get(stmtGetSigned, idKey(tableSignedPreKeys, id), int64(id))
}

// SetSignedPreKey implements [keystore.Tx.SetSignedPreKey].
func (t *tx) SetSignedPreKey(id uint32, record []byte) error {
	return t.exec(stmtSetSigned, tableSignedPreKeys, int64(id), t.s.seal.seal(idKey(tableSignedPreKeys, id), record))
}

// DeleteSignedPreKey implements [keystore.Tx.DeleteSignedPreKey].
func (t *tx) DeleteSignedPreKey(id uint32) error {
	return t.exec(stmtDelSigned, tableSignedPreKeys, int64(id))
}

// SignedPreKeyIDs implements [keystore.Tx.SignedPreKeyIDs].
func (t *tx) SignedPreKeyIDs() ([]uint32, error) { return t.ids(stmtListSigned, tableSignedPreKeys) }

// Session implements [keystore.Tx.Session].
func (t *tx) Session(a keystore.Address) ([]byte, error) {
	return t.get(stmtGetSession, addrKey(tableSessions, a), a.Name, int64(a.DeviceID))
}

// SetSession implements [keystore.Tx.SetSession].
func (t *tx) SetSession(a keystore.Address, record []byte) error {
	if err := a.Validate(); err != nil {
		return err
	}
	blob := t.s.seal.seal(addrKey(tableSessions, a), record)
	return t.exec(stmtSetSession, tableSessions, a.Name, int64(a.DeviceID), blob)
}

// DeleteSession implements [keystore.Tx.DeleteSession].
func (t *tx) DeleteSession(a keystore.Address) error {
	return t.exec(stmtDelSession, tableSessions, a.Name, int64(a.DeviceID))
}

// SessionDevices implements [keystore.Tx.SessionDevices].
func (t *tx) SessionDevices(name string) ([]uint32, error) {
	return t.ids(stmtListDevices, tableSessions, name)
}

// Value implements [keystore.Tx.Value].
func (t *tx) Value(key string) ([]byte, error) {
	return t.get(stmtGetValue, rowKey{table: tableValues, name: key}, key)
}

// SetValue implements [keystore.Tx.SetValue]; a nil value deletes key.
func (t *tx) SetValue(key string, value []byte) error {
	if value == nil {
		return t.exec(stmtDelValue, tableValues, key)
	}
	return t.exec(stmtSetValue, tableValues, key, t.s.seal.seal(rowKey{table: tableValues, name: key}, value))
}

// ValueKeys implements [keystore.Tx.ValueKeys].
func (t *tx) ValueKeys(prefix string) ([]string, error) {
	var upper any // nil: no upper bound
	if succ, ok := prefixSuccessor(prefix); ok {
		upper = succ
	}
	rows, err := t.stmt(stmtListValues).QueryContext(t.ctx, prefix, upper)
	if err != nil {
		return nil, wrapErr("listing "+tableValues, err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, wrapErr("listing "+tableValues, err)
		}
		if !strings.HasPrefix(k, prefix) {
			return nil, fmt.Errorf("sqlitestore: listing %s: %w: key outside the prefix range", tableValues, ErrCorrupt)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, wrapErr("listing "+tableValues, err)
	}
	return out, nil
}

// prefixSuccessor returns the smallest string greater than every string
// that starts with prefix, or false if there is none (prefix is empty or
// all 0xFF bytes).
func prefixSuccessor(prefix string) (string, bool) {
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] != 0xff {
			b[i]++
			return string(b[:i+1]), true
		}
	}
	return "", false
}
