// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package verify

import (
	"fmt"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/testdata"
)

// entry is one header field as a checker sees it.
type entry struct {
	testdata.Field
	own  bool // from the file being verified (not from its source)
	used bool
}

// view is the header a checker reads, with typed accessors. Accessors
// record the first error and return zero values after it, so checkers read
// straight through and look at v.err once. Every field of the file itself
// must be read, so that no field can be changed without effect.
type view struct {
	kind     string
	expect   string
	entries  []*entry
	mutated  map[string]bool // fields (and "artifact") a mutation produced
	artifact []byte          // nil if none
	err      error
}

func newView(kind string, fields []testdata.Field, own bool) *view {
	v := &view{kind: kind, mutated: make(map[string]bool)}
	for _, f := range fields {
		v.entries = append(v.entries, &entry{Field: f, own: own})
	}
	return v
}

func (v *view) fail(format string, args ...any) {
	if v.err == nil {
		v.err = fmt.Errorf(format, args...)
	}
}

// all returns the values of key in order, marking them used, after
// checking that key has type t in the kind's schema.
func (v *view) all(key string, t fieldType) []string {
	if got := typeOf(v.kind, key); got != t {
		v.fail("internal error: %s field %q read as %v, schema says %v", v.kind, key, t, got)
		return nil
	}
	var out []string
	for _, e := range v.entries {
		if e.Key == key {
			e.used = true
			out = append(out, e.Value)
		}
	}
	return out
}

func (v *view) has(key string) bool {
	for _, e := range v.entries {
		if e.Key == key {
			return true
		}
	}
	return false
}

// opt returns the value of key and whether it is present; a repeated key
// is an error.
func (v *view) opt(key string, t fieldType) (string, bool) {
	vals := v.all(key, t)
	switch len(vals) {
	case 0:
		return "", false
	case 1:
		return vals[0], true
	}
	v.fail("field %q appears %d times", key, len(vals))
	return "", false
}

func (v *view) one(key string, t fieldType) string {
	s, ok := v.opt(key, t)
	if !ok {
		v.fail("missing field %q", key)
	}
	return s
}

func (v *view) decodeHex(key, s string) []byte {
	b, err := testdata.DecodeHex(s)
	if err != nil {
		v.fail("field %q: %v", key, err)
	}
	return b
}

func (v *view) bytes(key string) []byte { return v.decodeHex(key, v.one(key, typeHex)) }

func (v *view) optBytes(key string) ([]byte, bool) {
	s, ok := v.opt(key, typeHex)
	if !ok {
		return nil, false
	}
	return v.decodeHex(key, s), true
}

func (v *view) allBytes(key string) [][]byte {
	var out [][]byte
	for _, s := range v.all(key, typeHex) {
		out = append(out, v.decodeHex(key, s))
	}
	return out
}

func (v *view) parseUint(key, s string, bits int) uint64 {
	n, err := testdata.ParseUint(s, bits)
	if err != nil {
		v.fail("field %q: %v", key, err)
	}
	return n
}

func (v *view) uint32(key string) uint32 {
	return uint32(v.parseUint(key, v.one(key, typeInt), 32))
}

func (v *view) optUint32(key string) (uint32, bool) {
	s, ok := v.opt(key, typeInt)
	if !ok {
		return 0, false
	}
	return uint32(v.parseUint(key, s, 32)), true
}

func (v *view) int(key string) int { return int(v.parseUint(key, v.one(key, typeInt), 31)) }

func (v *view) optInt(key string) (int, bool) {
	s, ok := v.opt(key, typeInt)
	if !ok {
		return 0, false
	}
	return int(v.parseUint(key, s, 31)), true
}

func (v *view) int64(key string) int64 { return int64(v.parseUint(key, v.one(key, typeInt), 63)) }

func (v *view) name(key string) string { return v.one(key, typeName) }

func (v *view) text(key string) string { return v.one(key, typeText) }

// publicKey reads a serialized public key.
func (v *view) publicKey(key string) curve.PublicKey {
	b := v.bytes(key)
	if v.err != nil {
		return curve.PublicKey{}
	}
	k, err := curve.NewPublicKey(b)
	if err != nil {
		v.fail("field %q: %v", key, err)
	}
	return k
}

func (v *view) optPublicKey(key string) (curve.PublicKey, bool) {
	if !v.has(key) {
		return curve.PublicKey{}, false
	}
	return v.publicKey(key), true
}

// privateKey reads prefix_private and checks that prefix_public is its
// public key, unless a mutation replaced prefix_public. It returns nil if
// prefix_private is absent.
func (v *view) privateKey(prefix string) *curve.PrivateKey {
	b, ok := v.optBytes(prefix + "_private")
	if !ok || v.err != nil {
		return nil
	}
	k, err := curve.NewPrivateKey(b)
	if err != nil {
		v.fail("field %q: %v", prefix+"_private", err)
		return nil
	}
	if !v.mutated[prefix+"_public"] {
		if pub := v.publicKey(prefix + "_public"); v.err == nil && !pub.Equal(k.PublicKey()) {
			v.fail("%s_public is not the public key of %s_private", prefix, prefix)
		}
	}
	return k
}

// equal compares a computed value with the recorded field key.
func (v *view) equal(key string, got []byte) {
	if want := v.bytes(key); v.err == nil && string(got) != string(want) {
		v.fail("%s: computed %x, recorded %x", key, got, want)
	}
}

func (v *view) equalUint(key string, got uint64) {
	if want := v.parseUint(key, v.one(key, typeInt), 64); v.err == nil && got != want {
		v.fail("%s: computed %d, recorded %d", key, got, want)
	}
}

// outcome compares the class of err with the expected one.
func (v *view) outcome(what string, got string) {
	if v.err == nil && got != v.expect {
		v.fail("%s: %s, expected %s", what, got, v.expect)
	}
}

// unused returns an error naming the first field of the file itself that
// no check read.
func (v *view) unused() error {
	for _, e := range v.entries {
		if e.own && !e.used {
			return fmt.Errorf("field %q is not used by any check", e.Key)
		}
	}
	return nil
}
