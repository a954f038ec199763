// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/testdata/verify"
)

// embeddedVectors returns the checked-in vectors as a MapFS, so tests can
// change files in memory.
func embeddedVectors(t *testing.T) fstest.MapFS {
	t.Helper()
	sub, err := fs.Sub(testdata.Vectors, "vectors")
	if err != nil {
		t.Fatal(err)
	}
	m := fstest.MapFS{}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestVectors runs "crossseal vectors verify" on the embedded vectors,
// which must all pass, and checks that the set covers every kind and every
// expect value of the closed list.
func TestVectors(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"vectors", "verify"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("vectors verify = %d\n%s%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), " 0 failed") {
		t.Errorf("no summary line:\n%s", out.String())
	}
	seen := map[string]bool{}
	perKind := map[string]int{}
	for _, k := range verify.Kinds() {
		files, err := testdata.Kind(k)
		if err != nil {
			t.Fatal(err)
		}
		perKind[k] = len(files)
		for _, f := range files {
			for _, e := range f.Values("expect") {
				seen[e] = true
			}
		}
	}
	for _, e := range testdata.ExpectValues {
		if !seen[e] {
			t.Errorf("no vector expects %q", e)
		}
	}
	t.Logf("vectors per kind: %v", perKind)
}

// TestVectorsUpToDate regenerates the vectors and golden records into a
// temporary directory and fails if any byte differs from the checked-in
// files, or if a checked-in vector (or record of this release) is no
// longer generated. Run "go generate ./testdata" after an intended change.
func TestVectorsUpToDate(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if code := run([]string{"vectors", "gen", dir}, nil, &out, &errOut); code != 0 {
		t.Fatalf("vectors gen = %d: %s", code, errOut.String())
	}
	generated := os.DirFS(dir)
	releases := map[string]bool{}
	err := fs.WalkDir(generated, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		got, err := fs.ReadFile(generated, p)
		if err != nil {
			return err
		}
		var want []byte
		if strings.HasPrefix(p, "records/") {
			releases[path.Dir(p)] = true
			want, err = testdata.Records.ReadFile(p)
		} else {
			want, err = testdata.Vectors.ReadFile(p)
		}
		if err != nil {
			t.Errorf("%s is generated but not checked in", p)
		} else if !bytes.Equal(got, want) {
			t.Errorf("%s differs from its regenerated version (run go generate ./testdata)", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(releases) != 1 {
		t.Fatalf("generator wrote records to %v, want one directory", releases)
	}
	for _, efs := range []fs.FS{testdata.Vectors, testdata.Records} {
		err = fs.WalkDir(efs, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if strings.HasPrefix(p, "records/") && !releases[path.Dir(p)] {
				return nil // an earlier release's records stay as they are
			}
			if _, err := fs.Stat(generated, p); err != nil {
				t.Errorf("%s is checked in but no longer generated", p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestVectorsEveryByteMatters changes one byte in every hex value of every
// header, and in every artifact, of every vector, and checks that verify
// then fails and names that vector. So no recorded value is dead: each is
// an input or an expected output of some check.
func TestVectorsEveryByteMatters(t *testing.T) {
	base := embeddedVectors(t)
	// One full run on a changed set shows VerifyFS names the vector.
	first := "x3dh/001-with-one-time-prekey.txt"
	m := flipped(t, base, first, "root_key")
	var named bool
	for _, r := range verify.VerifyKinds(m, "x3dh") {
		if r.Path == first {
			named = !r.Pass
		} else if !r.Pass && !strings.Contains(r.Reason, "source") {
			t.Errorf("%s failed too: %s", r.Path, r.Reason)
		}
	}
	if !named {
		t.Errorf("changing %s did not make verify fail naming it", first)
	}

	for _, p := range slices.Sorted(maps.Keys(base)) {
		t.Run(p, func(t *testing.T) {
			t.Parallel()
			v, err := testdata.Parse(base[p].Data)
			if err != nil {
				t.Fatal(err)
			}
			changes := 0
			for i, f := range v.Fields {
				if !verify.IsHexField(path.Dir(p), f.Key) || f.Value == "" {
					continue
				}
				changes++
				m := flipped(t, base, p, fmt.Sprint(i))
				if r := verify.VerifyFiles(m, p)[0]; r.Pass || r.Path != p {
					t.Errorf("changing a byte of %s (field %d) went unnoticed", f.Key, i+1)
				}
			}
			if len(v.Artifact) > 0 {
				changes++
				m := flipped(t, base, p, "artifact")
				if r := verify.VerifyFiles(m, p)[0]; r.Pass {
					t.Errorf("changing a byte of the artifact went unnoticed")
				}
			}
			if changes == 0 {
				// Nothing in hex (an empty artifact made by truncation):
				// change the first integer instead.
				for i, f := range v.Fields {
					if n, err := testdata.ParseUint(f.Value, 32); err == nil && f.Key != "expect" {
						w := *v
						w.Fields = slices.Clone(v.Fields)
						w.Fields[i].Value = fmt.Sprint(n + 1)
						m := maps.Clone(base)
						m[p] = &fstest.MapFile{Data: w.Marshal()}
						if r := verify.VerifyFiles(m, p)[0]; r.Pass {
							t.Errorf("changing %s went unnoticed", f.Key)
						}
						changes++
						break
					}
				}
			}
			if changes == 0 {
				t.Fatal("nothing to change")
			}
		})
	}
}

// flipped returns a copy of base in which file p has one byte changed in
// the header field named by which (a key, or a field index), or in the
// artifact.
func flipped(t *testing.T, base fstest.MapFS, p, which string) fstest.MapFS {
	t.Helper()
	v, err := testdata.Parse(base[p].Data)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(b []byte) []byte {
		b = bytes.Clone(b)
		b[len(b)/2] ^= 0x01
		return b
	}
	if which == "artifact" {
		v.Artifact = flip(v.Artifact)
	} else {
		v.Fields = slices.Clone(v.Fields)
		for i := range v.Fields {
			if v.Fields[i].Key == which || fmt.Sprint(i) == which {
				b, err := hex.DecodeString(v.Fields[i].Value)
				if err != nil {
					t.Fatal(err)
				}
				v.Fields[i].Value = hex.EncodeToString(flip(b))
				break
			}
		}
	}
	m := maps.Clone(base)
	m[p] = &fstest.MapFile{Data: v.Marshal()}
	return m
}

// TestVectorsCommand runs "crossseal vectors verify DIR" on a directory
// holding a copy of one kind, first as it is (it must pass), then with one
// hex digit changed (it must fail, naming the vector).
func TestVectorsCommand(t *testing.T) {
	dir := t.TempDir()
	const name = "kdf-ck/001-chain-step.txt"
	files, err := fs.Glob(testdata.Vectors, "vectors/kdf-ck/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no kdf-ck vectors: %v", err)
	}
	for _, f := range files {
		b, err := testdata.Vectors.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "vectors", filepath.FromSlash(strings.TrimPrefix(f, "vectors/")))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"vectors", "verify", dir}, nil, &out, &errOut); code != 0 {
		t.Fatalf("vectors verify of a copy = %d\n%s%s", code, out.String(), errOut.String())
	}
	bad := filepath.Join(dir, "vectors", filepath.FromSlash(name))
	b, err := os.ReadFile(bad)
	if err != nil {
		t.Fatal(err)
	}
	digit := bytes.Index(b, []byte("chain_key: ")) + len("chain_key: ")
	if b[digit] == '0' {
		b[digit] = '1'
	} else {
		b[digit] = '0'
	}
	if err := os.WriteFile(bad, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := run([]string{"vectors", "verify", filepath.Join(dir, "vectors")}, nil, &out, &errOut); code != 1 {
		t.Fatalf("vectors verify with a changed vector = %d, want 1", code)
	}
	named := false
	for _, line := range strings.Split(out.String(), "\n") {
		named = named || strings.HasPrefix(line, "FAIL") && strings.Contains(line, name)
	}
	if !named || !strings.Contains(out.String(), " 1 failed") {
		t.Errorf("output does not name the changed vector:\n%s", out.String())
	}
	if code := run([]string{"vectors"}, nil, &out, &errOut); code != 2 {
		t.Errorf("vectors without a subcommand = %d, want 2", code)
	}
}
