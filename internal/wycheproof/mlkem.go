// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package wycheproof

import "testing"

// MLKEMTest is one test of an ML-KEM Wycheproof file: the union of the
// fields of mlkem_test_schema, mlkem_encaps_test_schema,
// mlkem_keygen_seed_test_schema and mlkem_semi_expanded_decaps_test_schema.
// A byte field that the file's schema does not have, or that the test
// omits, is nil.
type MLKEMTest struct {
	TcID    int      `json:"tcId"`
	Comment string   `json:"comment"`
	Flags   []string `json:"flags"`
	Result  string   `json:"result"`
	Seed    HexBytes `json:"seed"`
	M       HexBytes `json:"m"`
	EK      HexBytes `json:"ek"`
	DK      HexBytes `json:"dk"`
	C       HexBytes `json:"c"`
	K       HexBytes `json:"K"`
}

// MLKEMTests loads the ML-KEM Wycheproof file name with [Load] and returns
// the tests of all its groups, in file order. It calls t.Fatal if the
// file's algorithm is not "ML-KEM", if any group is for a parameter set
// other than parameterSet (for example "ML-KEM-768"), or if the file holds
// no tests or not as many as its numberOfTests header declares.
func MLKEMTests(t testing.TB, name, parameterSet string) []MLKEMTest {
	t.Helper()
	var f struct {
		Algorithm     string `json:"algorithm"`
		NumberOfTests int    `json:"numberOfTests"`
		TestGroups    []struct {
			ParameterSet string      `json:"parameterSet"`
			Tests        []MLKEMTest `json:"tests"`
		} `json:"testGroups"`
	}
	Load(t, name, &f)
	var tests []MLKEMTest
	for _, g := range f.TestGroups {
		if g.ParameterSet != parameterSet {
			t.Fatalf("wycheproof: %s: group for %q, want %q", name, g.ParameterSet, parameterSet)
		}
		tests = append(tests, g.Tests...)
	}
	if f.Algorithm != "ML-KEM" || len(tests) == 0 || len(tests) != f.NumberOfTests {
		t.Fatalf("wycheproof: %s: algorithm %q, %d tests, header says %d", name, f.Algorithm, len(tests), f.NumberOfTests)
	}
	return tests
}
