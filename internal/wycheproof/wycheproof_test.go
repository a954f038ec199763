// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package wycheproof

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestHexBytes(t *testing.T) {
	var v struct {
		A HexBytes `json:"a"`
		B HexBytes `json:"b"`
		C HexBytes `json:"c"`
	}
	if err := json.Unmarshal([]byte(`{"a": "00ff10", "b": ""}`), &v); err != nil {
		t.Fatal(err)
	}
	if string(v.A) != "\x00\xff\x10" {
		t.Errorf("a = %x, want 00ff10", v.A)
	}
	if v.B == nil || len(v.B) != 0 {
		t.Errorf("b = %#v, want a non-nil empty slice", v.B)
	}
	if v.C != nil {
		t.Errorf("absent c = %#v, want nil", v.C)
	}
	for _, in := range []string{`{"a": null}`, `{"a": "0"}`, `{"a": "zz"}`, `{"a": 12}`, `{"a": ["00"]}`} {
		var v struct {
			A HexBytes `json:"a"`
		}
		if err := json.Unmarshal([]byte(in), &v); err == nil {
			t.Errorf("%s decoded to %x, want an error", in, v.A)
		}
	}
}

func TestDir(t *testing.T) {
	dir := Dir(t)
	if _, err := os.Stat(filepath.Join(dir, "x25519_test.json")); err != nil {
		t.Fatalf("Dir = %s: %v", dir, err)
	}
}

func TestMLKEMTests(t *testing.T) {
	tests := MLKEMTests(t, "mlkem_768_keygen_seed_test.json", "ML-KEM-768")
	for _, v := range tests {
		if len(v.Seed) != 64 || v.EK == nil || v.DK == nil || v.M != nil || v.C != nil || v.K != nil {
			t.Fatalf("tcId %d: seed %d bytes, ek %v, dk %v, m %v, c %v, K %v", v.TcID,
				len(v.Seed), v.EK != nil, v.DK != nil, v.M != nil, v.C != nil, v.K != nil)
		}
	}
}
