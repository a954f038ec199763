// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package testdata

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// File is one parsed vector and its path under vectors/.
type File struct {
	Path string // "<kind>/NNN-name.txt"
	*Vector
}

// Kind returns the parsed embedded vectors of one kind (a directory name
// under vectors/), in file-name order. It fails if there are none, so that
// a test or fuzz target seeded from it cannot silently run on nothing.
func Kind(kind string) ([]File, error) {
	entries, err := fs.ReadDir(Vectors, path.Join("vectors", kind))
	if err != nil {
		return nil, fmt.Errorf("testdata: %w", err)
	}
	var out []File
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".txt") {
			continue
		}
		p := path.Join(kind, e.Name())
		b, err := Vectors.ReadFile(path.Join("vectors", p))
		if err != nil {
			return nil, fmt.Errorf("testdata: %w", err)
		}
		v, err := Parse(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, File{p, v})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("testdata: no vectors of kind %q", kind)
	}
	return out, nil
}

// RecordFiles returns every embedded golden record, keyed by its path under
// records/. It fails if there are none.
func RecordFiles() (map[string][]byte, error) {
	out := make(map[string][]byte)
	err := fs.WalkDir(Records, "records", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".bin") {
			return err
		}
		b, err := Records.ReadFile(p)
		out[strings.TrimPrefix(p, "records/")] = b
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("testdata: %w", err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("testdata: no golden records")
	}
	return out, nil
}

// Steps splits fields at every field named sep: it returns the fields
// before the first one and, for each, the group it starts (sep included).
// Transcript vectors use sep "step".
func Steps(fields []Field, sep string) (head []Field, groups [][]Field) {
	for i, f := range fields {
		if f.Key == sep {
			groups = append(groups, []Field{f})
			continue
		}
		if len(groups) == 0 {
			head = fields[:i+1]
		} else {
			groups[len(groups)-1] = append(groups[len(groups)-1], f)
		}
	}
	return head, groups
}
