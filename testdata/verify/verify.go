// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package verify checks crossseal's known-answer vectors (the format is in
// testdata/README.md) against the library. Every check recomputes its
// result: signatures are re-made from the recorded key and randomness and
// verified, key agreements (X3DH and PQXDH, with KEM prekeys made from
// their recorded seeds) and KDF steps are run by x3dh and ratchet,
// messages are encoded and parsed by the wire codec, records are decoded by
// ratchet and used by session, prekey records are generated and loaded by
// session, envelopes, padded contents and safety numbers are built and
// parsed by envelope, transcripts are replayed by two session.Managers,
// SPQR runs by two internal/spqr states and v4 sessions by x3dh and two
// ratchet states, whose randomness is exactly the recorded bytes. Derived
// (negative) vectors are re-derived from their source by their mutation.
//
// It is used by the tests and by "crossseal vectors verify".
package verify

import (
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/testdata/internal/mutate"
)

// Result is the outcome of one vector.
type Result struct {
	// Path is the vector's path in the file system given ("<kind>/NNN-name.txt").
	Path string
	// Kind is the vector kind: the name of the file's directory.
	Kind string
	// Pass reports whether the library reproduced the vector.
	Pass bool
	// Reason says why it did not; it is empty when Pass is true.
	Reason string
}

// checkers run the kind-specific checks on a prepared view.
var checkers = map[string]func(*view){
	"xeddsa":         checkXEdDSA,
	"x3dh":           checkX3DH,
	"kdf-rk":         checkKDFRK,
	"kdf-ck":         checkKDFCK,
	"message-keys":   checkMessageKeys,
	"message":        checkMessage,
	"prekey-message": checkPreKeyMessage,
	"transcript":     checkTranscript,
	"session-record": checkSessionRecord,
	"ratchet-digest": checkDigest,
	"envelope":       checkEnvelope,
	"content":        checkContent,
	"safety-number":  checkSafetyNumber,
	"prekey-record":  checkPreKeyRecord,
	"pqxdh":          checkPQXDH,
	"spqr":           checkSPQR,
	"v4-session":     checkV4Session,
}

// stepKinds are the kinds whose vectors are made of steps, each delivery
// with its own expect field; they are never derived.
var stepKinds = map[string]bool{"transcript": true, "spqr": true, "v4-session": true}

// VerifyFS checks every vector in fsys, whose root holds one directory per
// kind (testdata/vectors, or fs.Sub(testdata.Vectors, "vectors")). Files
// ending in .txt in a directory of an unknown kind fail. Results are sorted
// by path.
func VerifyFS(fsys fs.FS) []Result {
	return VerifyKinds(fsys)
}

// VerifyKinds is VerifyFS restricted to the given kinds (all if none are
// given).
func VerifyKinds(fsys fs.FS, kinds ...string) []Result {
	var paths []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".txt") {
			return err
		}
		if len(kinds) == 0 || slices.Contains(kinds, path.Dir(p)) {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return []Result{{Path: ".", Reason: err.Error()}}
	}
	if len(paths) == 0 {
		return []Result{{Path: ".", Reason: "no vectors found"}}
	}
	return VerifyFiles(fsys, paths...)
}

// VerifyFiles checks the named vectors of fsys, in parallel, and returns
// their results sorted by path.
func VerifyFiles(fsys fs.FS, paths ...string) []Result {
	results := make([]Result, len(paths))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = verifyFile(fsys, p)
		})
	}
	wg.Wait()
	slices.SortFunc(results, func(a, b Result) int { return strings.Compare(a.Path, b.Path) })
	return results
}

func verifyFile(fsys fs.FS, p string) (r Result) {
	r = Result{Path: p, Kind: path.Base(path.Dir(p))}
	defer func() {
		if e := recover(); e != nil {
			r.Pass, r.Reason = false, fmt.Sprintf("panic: %v", e)
		}
	}()
	if err := verify(fsys, p, r.Kind); err != nil {
		r.Reason = err.Error()
		return r
	}
	r.Pass = true
	return r
}

func load(fsys fs.FS, p string) (*testdata.Vector, error) {
	b, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, err
	}
	return testdata.Parse(b)
}

func verify(fsys fs.FS, p, kind string) error {
	check, ok := checkers[kind]
	if !ok {
		return fmt.Errorf("unknown kind %q", kind)
	}
	vec, err := load(fsys, p)
	if err != nil {
		return err
	}
	self := newView(kind, vec.Fields, true)
	for _, e := range self.entries {
		if typeOf(kind, e.Key) == typeUnknown {
			return fmt.Errorf("unknown field %q", e.Key)
		}
	}
	v := self
	v.artifact = vec.Artifact
	if stepKinds[kind] {
		// A vector of steps has an expect field per delivery; it reads its own.
		check(v)
		if v.err != nil {
			return v.err
		}
		return self.unused()
	}
	if self.has("source") {
		if v, err = derive(fsys, kind, p, self, vec); err != nil {
			return err
		}
	}
	v.expect = v.name("expect")
	v.opt("comment", typeText)
	check(v)
	if v.err != nil {
		return v.err
	}
	return self.unused()
}

// derive builds the view of a derived vector: its source's fields with the
// mutation's targets replaced by the vector's own values, after checking
// that those values are what the mutation makes of the source's.
func derive(fsys fs.FS, kind, p string, self *view, vec *testdata.Vector) (*view, error) {
	srcName := self.text("source")
	if srcName == "" || strings.ContainsAny(srcName, "/\\") || srcName == ".." {
		return nil, fmt.Errorf("source %q is not a file name", srcName)
	}
	src, err := load(fsys, path.Join(path.Dir(p), srcName))
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	if len(src.Values("source")) != 0 {
		return nil, fmt.Errorf("source %s is itself derived", srcName)
	}
	op := self.name("mutation")
	targets := self.all("target", typeName)
	if self.err != nil {
		return nil, self.err
	}
	if len(targets) == 0 || (op != "replace" && len(targets) != 1) {
		return nil, fmt.Errorf("mutation %s with %d targets", op, len(targets))
	}
	// Each target's old value and new value.
	value := func(vec *testdata.Vector, key string) ([]byte, error) {
		if key == "artifact" {
			if vec.Artifact == nil {
				return nil, fmt.Errorf("no artifact")
			}
			return vec.Artifact, nil
		}
		if typeOf(kind, key) != typeHex {
			return nil, fmt.Errorf("target %q is not a hex field", key)
		}
		return vec.Hex(key)
	}
	for _, t := range targets {
		if self.mutated[t] {
			return nil, fmt.Errorf("target %q named twice", t)
		}
		self.mutated[t] = true
		got, err := value(vec, t)
		if err != nil {
			return nil, fmt.Errorf("target %s: %w", t, err)
		}
		if t != "artifact" {
			self.all(t, typeHex) // read: its value is checked below or by the checker
		}
		var want []byte
		switch op {
		case "replace":
			continue // taken as given; the expected outcome must still hold
		case "public-from":
			other := self.text("other")
			if other == "" || strings.ContainsAny(other, "/\\") {
				return nil, fmt.Errorf("other %q is not a file name", other)
			}
			o, err := load(fsys, path.Join(path.Dir(p), other))
			if err != nil {
				return nil, fmt.Errorf("other: %w", err)
			}
			if want, err = value(o, t); err != nil {
				return nil, fmt.Errorf("other: %w", err)
			}
		default:
			old, err := value(src, t)
			if err != nil {
				return nil, fmt.Errorf("source: %w", err)
			}
			var params mutate.Params
			switch op {
			case "flip-bit":
				params.Bit = self.int("bit")
			case "truncate":
				params.Length = self.int("length")
			case "append":
				params.Suffix = self.bytes("suffix")
			case "set-byte":
				params.Offset = self.int("offset")
				if b := self.bytes("byte"); len(b) == 1 {
					params.Byte = b[0]
				} else if self.err == nil {
					self.fail("byte must be one byte")
				}
			}
			if self.err != nil {
				return nil, self.err
			}
			if want, err = mutate.Apply(op, old, params); err != nil {
				return nil, err
			}
		}
		if string(got) != string(want) {
			return nil, fmt.Errorf("%s: recorded %x, but %s of the source gives %x", t, got, op, want)
		}
	}
	if !self.mutated["artifact"] && vec.Artifact != nil {
		return nil, fmt.Errorf("a derived vector has an artifact only if the mutation targets it")
	}

	// The merged view: the source's fields except expect, comment and the
	// targets, then the vector's own.
	merged := newView(kind, nil, false)
	merged.mutated = self.mutated
	for _, f := range src.Fields {
		if f.Key != "expect" && f.Key != "comment" && !self.mutated[f.Key] {
			merged.entries = append(merged.entries, &entry{Field: f})
		}
	}
	merged.entries = append(merged.entries, self.entries...)
	merged.artifact = src.Artifact
	if self.mutated["artifact"] {
		merged.artifact = vec.Artifact
	}
	return merged, nil
}
