// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package testdata

import (
	"bytes"
	"crypto/sha256"
	"io/fs"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	good := "expect: success\ncomment: a b\nkey.1-x_y: 00ff\nempty:\n\n" + strings.Repeat("ab", 32) + "\n01\n"
	v, err := Parse([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if v.Expect() != ExpectSuccess || len(v.Fields) != 4 || v.Fields[3] != (Field{"empty", ""}) {
		t.Fatalf("parsed %+v", v)
	}
	if want := append(bytes.Repeat([]byte{0xab}, 32), 1); !bytes.Equal(v.Artifact, want) {
		t.Fatalf("artifact %x", v.Artifact)
	}
	if b, err := v.Hex("key.1-x_y"); err != nil || !bytes.Equal(b, []byte{0, 0xff}) {
		t.Fatalf("Hex = %x, %v", b, err)
	}
	if got := v.Marshal(); string(got) != good {
		t.Fatalf("Marshal = %q", got)
	}
	for _, tc := range []struct{ name, in string }{
		{"no final newline", "expect: success"},
		{"no expect", "comment: x\n"},
		{"unknown expect", "expect: maybe\n"},
		{"empty", ""},
		{"no space", "expect:success\n"},
		{"two spaces", "expect:  success\n"},
		{"trailing space", "expect: success \n"},
		{"upper-case key", "Expect: success\n"},
		{"no colon", "expect success\n"},
		{"CR", "expect: success\r\n"},
		{"upper-case hex artifact", "expect: success\n\nAB\n"},
		{"odd artifact", "expect: success\n\nabc\n"},
		{"short artifact line", "expect: success\n\nab\ncd\n"},
		{"blank artifact line", "expect: success\n\nab\n\n"},
		{"long artifact line", "expect: success\n\n" + strings.Repeat("ab", 33) + "\n"},
	} {
		if v, err := Parse([]byte(tc.in)); err == nil || v != nil {
			t.Errorf("%s: Parse = %v, %v", tc.name, v, err)
		}
	}
	empty, err := Parse([]byte("expect: parse failure\n\n"))
	if err != nil || empty.Artifact == nil || len(empty.Artifact) != 0 {
		t.Errorf("empty artifact: %v, %v", empty, err)
	}
	none, err := Parse([]byte("expect: success\n"))
	if err != nil || none.Artifact != nil {
		t.Errorf("no artifact: %v, %v", none, err)
	}
}

func TestStream(t *testing.T) {
	a := NewStream([]byte("seed")).Bytes(64)
	for i := range 2 {
		want := sha256.Sum256(append([]byte("seed"), 0, 0, 0, 0, 0, 0, 0, byte(i)))
		if !bytes.Equal(a[32*i:32*i+32], want[:]) {
			t.Fatalf("block %d = %x, want SHA-256(seed ‖ uint64(%d)) = %x", i, a[32*i:32*i+32], i, want)
		}
	}
	s := NewStream([]byte("seed"))
	var b []byte
	for _, n := range []int{1, 31, 3, 29} {
		b = append(b, s.Bytes(n)...)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("reads of different sizes give different streams")
	}
}

// TestEmbedded checks that every embedded vector parses and is in
// canonical form, and that every kind directory has vectors.
func TestEmbedded(t *testing.T) {
	n := 0
	err := fs.WalkDir(Vectors, "vectors", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := Vectors.ReadFile(p)
		if err != nil {
			return err
		}
		v, err := Parse(b)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		if !bytes.Equal(v.Marshal(), b) {
			t.Errorf("%s is not in canonical form", p)
		}
		n++
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("walked %d vectors: %v", n, err)
	}
	if _, err := RecordFiles(); err != nil {
		t.Fatal(err)
	}
}
