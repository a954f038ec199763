// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package mlkem768

import (
	"bytes"
	"crypto/mlkem"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/crossseal/crossseal/internal/wycheproof"
)

// readWycheproof reads a Wycheproof ML-KEM-768 file and returns its tests,
// failing if the file is missing, empty or for another parameter set (see
// [wycheproof.MLKEMTests]). The fuzz targets take their seeds from it too.
func readWycheproof(t testing.TB, name string) []wycheproof.MLKEMTest {
	t.Helper()
	return wycheproof.MLKEMTests(t, name, "ML-KEM-768")
}

// runWycheproof runs check on every test of the file as a parallel
// subtest. check returns whether the package accepted the inputs; it must
// be true exactly for "valid" tests (no test in these files is
// "acceptable"), and check itself fails the test on a wrong output.
// It returns the number of valid and invalid tests.
func runWycheproof(t *testing.T, name string, check func(t *testing.T, v wycheproof.MLKEMTest) (accepted bool)) (valid, invalid int) {
	for _, v := range readWycheproof(t, name) {
		switch v.Result {
		case "valid":
			valid++
		case "invalid":
			invalid++
		default:
			t.Fatalf("tcId %d: result %q", v.TcID, v.Result)
		}
		t.Run(strings.TrimSuffix(name, ".json")+"/"+strconv.Itoa(v.TcID), func(t *testing.T) {
			t.Parallel()
			if got, want := check(t, v), v.Result == "valid"; got != want {
				t.Errorf("tcId %d (%s %v, %s): accepted = %v", v.TcID, v.Comment, v.Flags, v.Result, got)
			}
		})
	}
	return valid, invalid
}

// TestWycheproofEncaps runs ML-KEM.Encaps_internal(ek, m) incrementally:
// the header and vector are split from ek, m is the only randomness, and
// ct1 ‖ ct2 and the secret must equal c and K. Keys of the wrong length or
// failing the modulus check must be rejected by Encapsulate2 and
// EncapsulationKeyMatchesHeader (Encapsulate1 cannot see the vector).
func TestWycheproofEncaps(t *testing.T) {
	valid, invalid := runWycheproof(t, "mlkem_768_encaps_test.json", func(t *testing.T, v wycheproof.MLKEMTest) bool {
		if len(v.M) != MessageSize || len(v.EK) < rhoSize {
			t.Fatalf("unexpected vector shape: m %d, ek %d bytes", len(v.M), len(v.EK))
		}
		header, vector := splitStandard(v.EK)
		r := bytes.NewReader(v.M)
		ct1, state, ss := mustEncapsulate1(t, header, r)
		if r.Len() != 0 {
			t.Fatalf("Encapsulate1 left %d bytes of m unread", r.Len())
		}
		matches := EncapsulationKeyMatchesHeader(vector, header)
		ct2, err := Encapsulate2(vector, state)
		if (err == nil) != matches {
			t.Fatalf("Encapsulate2 error %v, EncapsulationKeyMatchesHeader %v", err, matches)
		}
		if err != nil {
			wantErr := ErrInvalidEncapsulationKey
			if len(vector) != EncapsulationKeySize {
				wantErr = ErrInvalidLength
			}
			if !errors.Is(err, wantErr) || ct2 != nil {
				t.Fatalf("Encapsulate2 = %x, %v; want %v", ct2, err, wantErr)
			}
			return false
		}
		if !bytes.Equal(append(ct1, ct2...), v.C) {
			t.Fatal("ct1 ‖ ct2 != c")
		}
		if !bytes.Equal(ss, v.K) {
			t.Fatal("shared secret != K")
		}
		return true
	})
	if valid != 133 || invalid != 132 {
		t.Errorf("%d valid and %d invalid vectors, want 133 and 132", valid, invalid)
	}
}

// TestWycheproofKeyGen checks ML-KEM.KeyGen_internal(d, z): the header and
// vector must be the split of the expected ek.
func TestWycheproofKeyGen(t *testing.T) {
	valid, _ := runWycheproof(t, "mlkem_768_keygen_seed_test.json", func(t *testing.T, v wycheproof.MLKEMTest) bool {
		k, err := NewDecapsulationKey(v.Seed)
		if err != nil {
			if !errors.Is(err, ErrInvalidLength) {
				t.Fatalf("NewDecapsulationKey: %v", err)
			}
			return false
		}
		header, vector := splitStandard(v.EK)
		if !bytes.Equal(k.Header(), header) || !bytes.Equal(k.EncapsulationKeyVector(), vector) {
			t.Fatal("header or vector differs from the split of ek")
		}
		if !bytes.Equal(k.EncapsulationKey(), v.EK) || !bytes.Equal(k.Seed(), v.Seed) {
			t.Fatal("ek or seed differs")
		}
		return true
	})
	if valid != 100 {
		t.Errorf("%d valid vectors, want 100", valid)
	}
}

// TestWycheproofDecaps checks key generation from a seed and
// decapsulation, implicit rejection included (the "Bit flipped", "Random
// ciphertext" and Strcmp vectors are valid with K the rejection secret).
// Seeds and ciphertexts of the wrong length must be rejected; a ciphertext
// of the wrong length is split after at most Ciphertext1Size bytes.
func TestWycheproofDecaps(t *testing.T) {
	valid, invalid := runWycheproof(t, "mlkem_768_test.json", func(t *testing.T, v wycheproof.MLKEMTest) bool {
		k, err := NewDecapsulationKey(v.Seed)
		if err != nil {
			if !errors.Is(err, ErrInvalidLength) {
				t.Fatalf("NewDecapsulationKey: %v", err)
			}
			return false
		}
		if v.EK != nil && !bytes.Equal(k.EncapsulationKey(), v.EK) {
			t.Fatal("ek differs")
		}
		split := min(len(v.C), Ciphertext1Size)
		ss, err := k.Decapsulate(v.C[:split], v.C[split:])
		if err != nil {
			if !errors.Is(err, ErrInvalidLength) || ss != nil {
				t.Fatalf("Decapsulate = %x, %v", ss, err)
			}
			return false
		}
		if !bytes.Equal(ss, v.K) {
			t.Fatal("shared secret != K")
		}
		return true
	})
	if valid == 0 || invalid == 0 {
		t.Errorf("%d valid and %d invalid vectors", valid, invalid)
	}
}

// TestWycheproofModulusAgreesWithStdlib checks that, on every 1184-byte
// key of the encapsulation vectors, the package's check accepts exactly
// the keys crypto/mlkem accepts.
func TestWycheproofModulusAgreesWithStdlib(t *testing.T) {
	n := 0
	for _, v := range readWycheproof(t, "mlkem_768_encaps_test.json") {
		if len(v.EK) != StandardEncapsulationKeySize {
			continue
		}
		n++
		_, err := mlkem.NewEncapsulationKey768(v.EK)
		header, vector := splitStandard(v.EK)
		if got := EncapsulationKeyMatchesHeader(vector, header); got != (err == nil) {
			t.Errorf("tcId %d: EncapsulationKeyMatchesHeader = %v, crypto/mlkem: %v", v.TcID, got, err)
		}
	}
	if n == 0 {
		t.Fatal("no 1184-byte keys")
	}
}
