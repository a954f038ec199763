// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package gen builds every file under testdata/vectors and the current
// release's golden records under testdata/records, deterministically: all
// randomness comes from testdata.Streams with fixed seeds, and expected
// values of the primitive kinds are computed here from the standard
// library (crypto/ecdh, crypto/hkdf, crypto/hmac, crypto/aes,
// protowire), not by the crossseal code they test (PQXDH's KEM, the one
// exception, is internal/kem's, over circl).
//
// Run it with "go generate ./testdata" or "crossseal vectors gen DIR".
package gen

import (
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/crossseal/crossseal/testdata"
)

// RecordsDir is the directory under records/ that this release's golden
// records go to. Directories of earlier releases are never rewritten.
const RecordsDir = "session-v1"

// Files returns every generated file, keyed by slash-separated path
// relative to the testdata directory ("vectors/<kind>/NNN-name.txt",
// "records/<RecordsDir>/NNN-name.bin").
func Files() (map[string][]byte, error) {
	b := &builder{files: make(map[string][]byte), counts: make(map[string]int)}
	for _, kind := range []func(*builder){
		xeddsaVectors, x3dhVectors, kdfRKVectors, kdfCKVectors, messageKeysVectors,
		messageVectors, preKeyMessageVectors, transcriptVectors, sessionRecordVectors, digestVectors,
		envelopeVectors, contentVectors, safetyNumberVectors, preKeyRecordVectors,
		pqxdhVectors, spqrVectors, v4SessionVectors,
	} {
		kind(b)
		if b.err != nil {
			return nil, b.err
		}
	}
	return b.files, nil
}

// Write writes Files under dir (a testdata directory), first removing
// dir/vectors and dir/records/RecordsDir so that no stale file survives.
func Write(dir string) error {
	files, err := Files()
	if err != nil {
		return err
	}
	for _, d := range []string{"vectors", filepath.Join("records", RecordsDir)} {
		if err := os.RemoveAll(filepath.Join(dir, d)); err != nil {
			return err
		}
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// builder collects files; the first error sticks.
type builder struct {
	files  map[string][]byte
	counts map[string]int
	err    error
}

func (b *builder) fail(format string, args ...any) {
	if b.err == nil {
		b.err = fmt.Errorf("gen: "+format, args...)
	}
}

// stream returns the randomness of one kind.
func stream(kind string) *testdata.Stream {
	return testdata.NewStream([]byte("crossseal test vectors v1: " + kind))
}

// vec is a vector under construction.
type vec struct {
	kind, name string
	v          testdata.Vector
}

// newVec starts a vector with its expect and comment fields.
func newVec(kind, name, expect, comment string) *vec {
	v := &vec{kind: kind, name: name}
	v.str("expect", expect)
	v.str("comment", comment)
	return v
}

func (v *vec) str(key, val string) *vec {
	v.v.Fields = append(v.v.Fields, testdata.Field{Key: key, Value: val})
	return v
}

func (v *vec) hex(key string, b []byte) *vec { return v.str(key, hex.EncodeToString(b)) }

func (v *vec) int(key string, n uint64) *vec { return v.str(key, strconv.FormatUint(n, 10)) }

// add writes v as the next file of its kind and returns its file name,
// which derived vectors use as their source.
func (b *builder) add(v *vec) string {
	b.counts[v.kind]++
	name := fmt.Sprintf("%03d-%s.txt", b.counts[v.kind], v.name)
	out := v.v.Marshal()
	if _, err := testdata.Parse(out); err != nil {
		b.fail("%s/%s does not parse: %v", v.kind, name, err)
	}
	b.files["vectors/"+v.kind+"/"+name] = out
	return name
}

// addRecord writes a golden record beside the vectors.
func (b *builder) addRecord(name string, data []byte) {
	b.files["records/"+RecordsDir+"/"+name] = data
}

// check records err, for steps that cannot fail with the fixed inputs.
func (b *builder) check(err error) {
	if err != nil && b.err == nil {
		b.err = fmt.Errorf("gen: %w", err)
	}
}
