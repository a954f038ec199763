// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package curve

// Cross-implementation signature vectors, checked in under testdata/:
//
//   - crossseal_signatures.json: made by this package. It is also a
//     known-answer file (every valid vector records the private key and the
//     64 random bytes Z used, so the signature is reproducible), and the
//     interop module checks that go.mau.fi/libsignal accepts and rejects
//     exactly what we do. Regenerate with
//     go test ./internal/curve -run TestCrossSealSignatureVectors -update
//     and then run `cd interop && go test ./curvecheck`.
//   - mau_signatures.json: made by go.mau.fi/libsignal's ecc package
//     (cd interop && go run ./curvecheck/genmau); we must accept and reject
//     exactly what it does. Its signatures use crypto/rand, so regenerating
//     changes them.

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "regenerate testdata/crossseal_signatures.json")

const (
	crossSealVectorsFile = "crossseal_signatures.json"
	mauVectorsFile       = "mau_signatures.json"
	minValidVectors      = 20
)

// sigVectorFile is the schema shared with interop/curvecheck.
type sigVectorFile struct {
	Comment   string      `json:"comment"`
	Generator string      `json:"generator"`
	Vectors   []sigVector `json:"vectors"`
}

// sigVector is one signature check. All fields are hex except ID, Comment
// and Valid. Public is the 33-byte serialized key. Private (clamped) and
// Random (the 64-byte Z) are set only where the signer is known.
type sigVector struct {
	ID        int    `json:"id"`
	Comment   string `json:"comment"`
	Private   string `json:"private,omitempty"`
	Random    string `json:"random,omitempty"`
	Public    string `json:"public"`
	Message   string `json:"message"`
	Signature string `json:"signature"`
	Valid     bool   `json:"valid"`
}

func buildCrossSealVectors(t *testing.T) sigVectorFile {
	t.Helper()
	var valid []sigVector
	for i := range 24 {
		seed := sha256.Sum256(fmt.Appendf(nil, "crossseal/curve signature vector key %d", i))
		z := sha512.Sum512(fmt.Appendf(nil, "crossseal/curve signature vector Z %d", i))
		k := mustPrivateKey(t, seed[:])
		var msg []byte
		switch i % 4 {
		case 1: // a signed prekey signature covers a serialized public key
			other := sha256.Sum256(fmt.Appendf(nil, "crossseal/curve signature vector prekey %d", i))
			msg = mustPrivateKey(t, other[:]).PublicKey().Bytes()
		case 2:
			msg = fmt.Appendf(nil, "crossseal signature vector %d", i)
		case 3:
			for j := 0; len(msg) < 200+i; j++ {
				h := sha256.Sum256(fmt.Appendf(nil, "crossseal/curve signature vector message %d/%d", i, j))
				msg = append(msg, h[:]...)
			}
		}
		sig := signWith(t, k, z[:], msg)
		valid = append(valid, sigVector{
			Comment:   fmt.Sprintf("valid, sign bit %d", sig[63]>>7),
			Private:   hex.EncodeToString(k.Bytes()),
			Random:    hex.EncodeToString(z[:]),
			Public:    hex.EncodeToString(k.PublicKey().Bytes()),
			Message:   hex.EncodeToString(msg),
			Signature: hex.EncodeToString(sig),
			Valid:     true,
		})
	}
	f := sigVectorFile{
		Comment: "XEdDSA signatures made by crossseal internal/curve; Random is the 64-byte Z read by Sign. " +
			"Negative cases must be rejected by every implementation.",
		Generator: "go test ./internal/curve -run TestCrossSealSignatureVectors -update",
		Vectors:   append(valid, edgeVectors(t, valid)...),
	}
	for i := range f.Vectors {
		f.Vectors[i].ID = i + 1
	}
	return f
}

// edgeVectors derives from valid signatures the cases that
// interop/curvecheck/genmau derives the same way: one positive (bit 255 of
// u set, which every implementation ignores) and the negatives.
func edgeVectors(t *testing.T, valid []sigVector) []sigVector {
	t.Helper()
	edit := func(v sigVector, comment string, ok bool, f func(pub, msg, sig []byte) ([]byte, []byte, []byte)) sigVector {
		pub, msg, sig := f(mustHex(t, v.Public), mustHex(t, v.Message), mustHex(t, v.Signature))
		return sigVector{Comment: comment, Public: hex.EncodeToString(pub),
			Message: hex.EncodeToString(msg), Signature: hex.EncodeToString(sig), Valid: ok}
	}
	flipSign := func(p, m, s []byte) ([]byte, []byte, []byte) { s[63] ^= 0x80; return p, m, s }
	var out []sigVector
	out = append(out,
		edit(valid[0], "bit 255 of u set (ignored)", true, func(p, m, s []byte) ([]byte, []byte, []byte) { p[32] |= 0x80; return p, m, s }),
		edit(valid[1], "tampered message", false, func(p, m, s []byte) ([]byte, []byte, []byte) { m[0] ^= 1; return p, m, s }),
		edit(valid[2], "message extended by one byte", false, func(p, m, s []byte) ([]byte, []byte, []byte) { return p, append(m, 0), s }),
		edit(valid[3], "tampered R", false, func(p, m, s []byte) ([]byte, []byte, []byte) { s[5] ^= 0x20; return p, m, s }),
		edit(valid[4], "tampered s", false, func(p, m, s []byte) ([]byte, []byte, []byte) { s[40] ^= 0x01; return p, m, s }),
		edit(valid[5], "non-canonical s (s + L)", false, func(p, m, s []byte) ([]byte, []byte, []byte) { return p, m, addL(s) }),
		edit(valid[6], "wrong key", false, func(_, m, s []byte) ([]byte, []byte, []byte) { return mustHex(t, valid[7].Public), m, s }),
		edit(valid[8], "all-zero signature", false, func(p, m, s []byte) ([]byte, []byte, []byte) { return p, m, make([]byte, 64) }),
		edit(valid[9], "u = p - 1 (no Edwards image)", false, func(_, m, s []byte) ([]byte, []byte, []byte) {
			return append([]byte{DJBType}, specialU()["p-1"]...), m, s
		}),
		edit(valid[10], "u = 0", false, func(_, m, s []byte) ([]byte, []byte, []byte) {
			return append([]byte{DJBType}, make([]byte, 32)...), m, s
		}),
		edit(valid[11], "u = p (non-canonical 0)", false, func(_, m, s []byte) ([]byte, []byte, []byte) {
			return append([]byte{DJBType}, leBytes(fieldP)...), m, s
		}),
	)
	// A flipped sign bit, once from 0 to 1 and once from 1 to 0.
	for _, bit := range []byte{0, 1} {
		for _, v := range valid {
			if mustHex(t, v.Signature)[63]>>7 == bit {
				out = append(out, edit(v, fmt.Sprintf("sign bit flipped from %d", bit), false, flipSign))
				break
			}
		}
	}
	return out
}

func readSigVectors(t testing.TB, name string) sigVectorFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("signature vectors are required: %v", err)
	}
	var f sigVectorFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return f
}

// checkSigVectors verifies every vector with Verify and checks the file
// covers enough valid signatures with both sign bits, and some negatives.
func checkSigVectors(t *testing.T, f sigVectorFile) {
	t.Helper()
	var signBits [2]int
	negatives := 0
	for _, v := range f.Vectors {
		pub, err := NewPublicKey(mustHex(t, v.Public))
		if err != nil {
			t.Errorf("vector %d (%s): %v", v.ID, v.Comment, err)
			continue
		}
		sig := mustHex(t, v.Signature)
		if got := Verify(pub, sig, mustHex(t, v.Message)); got != v.Valid {
			t.Errorf("vector %d (%s): Verify = %v, want %v", v.ID, v.Comment, got, v.Valid)
		}
		if !v.Valid {
			negatives++
		} else if v.Private != "" {
			signBits[sig[63]>>7]++
			k := mustPrivateKey(t, mustHex(t, v.Private))
			if k.PublicKey() != pub {
				t.Errorf("vector %d: private key gives public %v, file has %v", v.ID, k.PublicKey(), pub)
			}
			if !bytes.Equal(k.Bytes(), mustHex(t, v.Private)) {
				t.Errorf("vector %d: private key is not clamped", v.ID)
			}
		}
	}
	if signBits[0]+signBits[1] < minValidVectors || signBits[0] == 0 || signBits[1] == 0 {
		t.Errorf("valid vectors with a known key: %d with sign bit 0, %d with 1; want %d in all, both bits",
			signBits[0], signBits[1], minValidVectors)
	}
	if negatives < 10 {
		t.Errorf("only %d negative vectors", negatives)
	}
}

func TestCrossSealSignatureVectors(t *testing.T) {
	built := buildCrossSealVectors(t)
	want, err := json.MarshalIndent(built, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	path := filepath.Join("testdata", crossSealVectorsFile)
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("signature vectors are required: %v", err)
	}
	// The file is a known-answer test: the same keys, Z and messages must
	// give byte-identical signatures.
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what Sign produces now; if the change is intended, "+
			"run: %s (and re-run the interop check)", path, built.Generator)
	}
	checkSigVectors(t, readSigVectors(t, crossSealVectorsFile))
}

func TestMauSignatureVectors(t *testing.T) {
	f := readSigVectors(t, mauVectorsFile)
	checkSigVectors(t, f)
}
