// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package keystore

import (
	"context"
	"slices"
	"strings"
	"sync"
)

// Memory is an in-memory [Store]. Update calls are serialized by a mutex.
// It is meant for tests, short-lived peers and as a model of the contract;
// its contents are lost when the process exits.
type Memory struct {
	mu   sync.Mutex
	data map[memKey][]byte
}

var _ Store = (*Memory)(nil)

type memKind uint8

const (
	kindLocal memKind = iota
	kindRemoteIdentity
	kindPreKey
	kindSignedPreKey
	kindSession
	kindValue
)

type memKey struct {
	kind   memKind
	name   string
	id     uint32
	device uint32
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory { return &Memory{data: make(map[memKey][]byte)} }

// Update implements [Store.Update].
func (m *Memory) Update(ctx context.Context, fn func(Tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	tx := &memTx{m: m}
	if err := fn(tx); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for k, v := range tx.writes {
		if v == nil {
			delete(m.data, k)
		} else {
			m.data[k] = v
		}
	}
	return nil
}

// Len returns the number of records stored (for tests and metrics).
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.data)
}

// memTx buffers writes; a nil value in writes is a deletion.
type memTx struct {
	m      *Memory
	writes map[memKey][]byte
}

func (t *memTx) get(k memKey) ([]byte, error) {
	if v, ok := t.writes[k]; ok {
		if v == nil {
			return nil, ErrNotFound
		}
		return slices.Clone(v), nil
	}
	if v, ok := t.m.data[k]; ok {
		return slices.Clone(v), nil
	}
	return nil, ErrNotFound
}

func (t *memTx) put(k memKey, v []byte) error {
	if t.writes == nil {
		t.writes = make(map[memKey][]byte, 4)
	}
	if v == nil {
		t.writes[k] = nil
	} else {
		t.writes[k] = append(make([]byte, 0, len(v)), v...)
	}
	return nil
}

// ids lists the ids (or devices, for sessions of one name) of a kind.
func (t *memTx) ids(kind memKind, name string) []uint32 {
	set := map[uint32]bool{}
	pick := func(k memKey) (uint32, bool) {
		if k.kind != kind || k.name != name {
			return 0, false
		}
		if kind == kindSession {
			return k.device, true
		}
		return k.id, true
	}
	for k := range t.m.data {
		if id, ok := pick(k); ok {
			set[id] = true
		}
	}
	for k, v := range t.writes {
		if id, ok := pick(k); ok {
			set[id] = v != nil
		}
	}
	out := make([]uint32, 0, len(set))
	for id, present := range set {
		if present {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

func addrKey(kind memKind, a Address) memKey {
	return memKey{kind: kind, name: a.Name, device: a.DeviceID}
}

func (t *memTx) LocalIdentity() ([]byte, error) { return t.get(memKey{kind: kindLocal}) }
func (t *memTx) SetLocalIdentity(rec []byte) error {
	return t.put(memKey{kind: kindLocal}, nonNil(rec))
}
func (t *memTx) RemoteIdentity(a Address) ([]byte, error) {
	return t.get(addrKey(kindRemoteIdentity, a))
}
func (t *memTx) SetRemoteIdentity(a Address, key []byte) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return t.put(addrKey(kindRemoteIdentity, a), nonNil(key))
}
func (t *memTx) PreKey(id uint32) ([]byte, error) { return t.get(memKey{kind: kindPreKey, id: id}) }
func (t *memTx) SetPreKey(id uint32, rec []byte) error {
	return t.put(memKey{kind: kindPreKey, id: id}, nonNil(rec))
}
func (t *memTx) DeletePreKey(id uint32) error { return t.put(memKey{kind: kindPreKey, id: id}, nil) }
func (t *memTx) PreKeyIDs() ([]uint32, error) { return t.ids(kindPreKey, ""), nil }
func (t *memTx) SignedPreKey(id uint32) ([]byte, error) {
	return t.get(memKey{kind: kindSignedPreKey, id: id})
}
func (t *memTx) SetSignedPreKey(id uint32, rec []byte) error {
	return t.put(memKey{kind: kindSignedPreKey, id: id}, nonNil(rec))
}
func (t *memTx) DeleteSignedPreKey(id uint32) error {
	return t.put(memKey{kind: kindSignedPreKey, id: id}, nil)
}
func (t *memTx) SignedPreKeyIDs() ([]uint32, error) { return t.ids(kindSignedPreKey, ""), nil }
func (t *memTx) Session(a Address) ([]byte, error)  { return t.get(addrKey(kindSession, a)) }
func (t *memTx) SetSession(a Address, rec []byte) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return t.put(addrKey(kindSession, a), nonNil(rec))
}
func (t *memTx) DeleteSession(a Address) error { return t.put(addrKey(kindSession, a), nil) }
func (t *memTx) SessionDevices(name string) ([]uint32, error) {
	return t.ids(kindSession, name), nil
}
func (t *memTx) Value(key string) ([]byte, error) { return t.get(memKey{kind: kindValue, name: key}) }
func (t *memTx) SetValue(key string, v []byte) error {
	return t.put(memKey{kind: kindValue, name: key}, v)
}

func (t *memTx) ValueKeys(prefix string) ([]string, error) {
	set := map[string]bool{}
	for k := range t.m.data {
		if k.kind == kindValue && strings.HasPrefix(k.name, prefix) {
			set[k.name] = true
		}
	}
	for k, v := range t.writes {
		if k.kind == kindValue && strings.HasPrefix(k.name, prefix) {
			set[k.name] = v != nil
		}
	}
	out := []string{}
	for k, present := range set {
		if present {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out, nil
}

// nonNil maps a nil record to an empty one, so that storing nil never
// turns into a deletion.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
