// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package curvecheck

import (
	"bytes"
	"encoding/hex"
	"path/filepath"
	"testing"

	"go.mau.fi/libsignal/ecc"
)

var testdata = filepath.Join("..", "..", "internal", "curve", "testdata")

// checkWithMau verifies every vector of a file with go.mau.fi/libsignal
// and, where the private key is recorded, checks that mau derives the
// same public key from it.
func checkWithMau(t *testing.T, name string) {
	f, err := ReadSigVectors(filepath.Join(testdata, name))
	if err != nil {
		t.Fatalf("signature vectors are required: %v", err)
	}
	var valid, invalid int
	var signBits [2]int
	for _, v := range f.Vectors {
		got, err := MauVerify(v)
		if err != nil {
			t.Errorf("vector %d: %v", v.ID, err)
			continue
		}
		if got != v.Valid {
			t.Errorf("vector %d (%s): mau's VerifySignature = %v, want %v", v.ID, v.Comment, got, v.Valid)
		}
		if !v.Valid {
			invalid++
			continue
		}
		valid++
		_, _, sig, _ := v.Decoded()
		signBits[sig[63]>>7]++
		if v.Private == "" {
			continue
		}
		priv, err := hex.DecodeString(v.Private)
		if err != nil {
			t.Fatal(err)
		}
		kp := ecc.CreateKeyPair(priv)
		if pub := kp.PublicKey().Serialize(); hex.EncodeToString(pub) != v.Public {
			t.Errorf("vector %d: mau derives public key %x, file has %s", v.ID, pub, v.Public)
		}
		if p := kp.PrivateKey().Serialize(); !bytes.Equal(p[:], priv) {
			t.Errorf("vector %d: private key %s is not in mau's clamped form %x", v.ID, v.Private, p)
		}
	}
	if valid < 20 || signBits[0] == 0 || signBits[1] == 0 || invalid < 10 {
		t.Errorf("%s: %d valid (sign bits %v) and %d invalid vectors; want ≥ 20 valid with both sign bits, ≥ 10 invalid",
			name, valid, signBits, invalid)
	}
}

// TestMauVerifiesCrossSealSignatures: mau accepts exactly the signatures
// crossseal made and rejects the same negatives.
func TestMauVerifiesCrossSealSignatures(t *testing.T) {
	checkWithMau(t, "crossseal_signatures.json")
}

// TestMauSignaturesFile checks the checked-in mau vectors against mau
// itself, so a hand-edited or stale file cannot make the root module's
// TestMauSignatureVectors vacuous.
func TestMauSignaturesFile(t *testing.T) {
	checkWithMau(t, "mau_signatures.json")
}

// TestEdgeVectorsMatchRootModule checks that the edge cases EdgeVectors
// derives from crossseal's valid vectors are exactly those the root
// module wrote, so that both generators derive the same cases.
func TestEdgeVectorsMatchRootModule(t *testing.T) {
	f, err := ReadSigVectors(filepath.Join(testdata, "crossseal_signatures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var valid, rest []SigVector
	for _, v := range f.Vectors {
		if v.Private != "" {
			valid = append(valid, v)
		} else {
			rest = append(rest, v)
		}
	}
	edge, err := EdgeVectors(valid)
	if err != nil {
		t.Fatal(err)
	}
	if len(edge) != len(rest) {
		t.Fatalf("EdgeVectors made %d cases, the root module %d", len(edge), len(rest))
	}
	for i := range edge {
		edge[i].ID = rest[i].ID
		if edge[i] != rest[i] {
			t.Errorf("edge case %d differs:\n got %+v\nwant %+v", i, edge[i], rest[i])
		}
	}
}
