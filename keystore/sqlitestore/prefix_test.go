// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package sqlitestore

import "testing"

func TestPrefixSuccessor(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"", "", false},
		{"\xff\xff", "", false},
		{"a", "b", true},
		{"session/kem-used/", "session/kem-used0", true},
		{"a\xff", "b", true},
		{"a\xfe\xff\xff", "a\xff", true},
	} {
		got, ok := prefixSuccessor(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("prefixSuccessor(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
