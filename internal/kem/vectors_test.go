// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package kem

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/crossseal/crossseal/internal/wycheproof"
)

func prefixed(t Type, b []byte) []byte { return append([]byte{byte(t)}, b...) }

// runWycheproof runs check on every test of the ML-KEM-1024 file name (see
// [wycheproof.MLKEMTests]), as a parallel subtest, and requires it to
// succeed exactly for "valid" tests. No test in these files is
// "acceptable".
func runWycheproof(t *testing.T, name string, check func(t *testing.T, v wycheproof.MLKEMTest) error) {
	for _, v := range wycheproof.MLKEMTests(t, name, "ML-KEM-1024") {
		t.Run(strings.TrimSuffix(name, ".json")+"/"+itoa(v.TcID), func(t *testing.T) {
			t.Parallel()
			err := check(t, v)
			switch v.Result {
			case "valid":
				if err != nil {
					t.Errorf("tcId %d (%s): %v", v.TcID, v.Comment, err)
				}
			case "invalid":
				var mismatch errMismatch
				if err == nil || errors.As(err, &mismatch) {
					t.Errorf("tcId %d (%s %v): accepted (%v), want an error", v.TcID, v.Comment, v.Flags, err)
				}
			default:
				t.Fatalf("tcId %d: result %q", v.TcID, v.Result)
			}
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// errMismatch is returned by checks when an output differs; for a valid
// vector it fails the test, and an invalid vector must fail earlier.
type errMismatch string

func (e errMismatch) Error() string { return string(e) }

// TestWycheproofKeyGen checks ML-KEM.KeyGen_internal(d, z): the public key
// and the expanded private key, and that the private key parses back.
func TestWycheproofKeyGen(t *testing.T) {
	runWycheproof(t, "mlkem_1024_keygen_seed_test.json", func(t *testing.T, v wycheproof.MLKEMTest) error {
		k, err := keyPairFromSeed(MLKEM1024, v.Seed)
		if err != nil {
			return err
		}
		if got := k.PublicKey().Bytes(); !bytes.Equal(got, prefixed(MLKEM1024, v.EK)) {
			return errMismatch("public key differs")
		}
		if got := k.Bytes(); !bytes.Equal(got, prefixed(MLKEM1024, v.DK)) {
			return errMismatch("private key differs")
		}
		k2, err := ParsePrivateKey(prefixed(MLKEM1024, v.DK))
		if err != nil {
			return err
		}
		if !k2.PublicKey().Equal(k.PublicKey()) {
			return errMismatch("parsed private key has another public key")
		}
		return nil
	})
}

// TestWycheproofDecaps checks key generation from a seed followed by
// decapsulation, including the implicit-rejection (strcmp) cases.
func TestWycheproofDecaps(t *testing.T) {
	runWycheproof(t, "mlkem_1024_test.json", func(t *testing.T, v wycheproof.MLKEMTest) error {
		k, err := keyPairFromSeed(MLKEM1024, v.Seed)
		if err != nil {
			return err
		}
		if v.EK != nil && !bytes.Equal(k.PublicKey().Bytes(), prefixed(MLKEM1024, v.EK)) {
			return errMismatch("public key differs")
		}
		ss, err := k.Decapsulate(prefixed(MLKEM1024, v.C))
		if err != nil {
			return err
		}
		if !bytes.Equal(ss, v.K) {
			return errMismatch("shared secret differs")
		}
		return nil
	})
}

// TestWycheproofEncaps checks ML-KEM.Encaps_internal(ek, m), including the
// modulus check on ek and wrong key lengths.
func TestWycheproofEncaps(t *testing.T) {
	runWycheproof(t, "mlkem_1024_encaps_test.json", func(t *testing.T, v wycheproof.MLKEMTest) error {
		pk, err := ParsePublicKey(prefixed(MLKEM1024, v.EK))
		if err != nil {
			if !pk.IsZero() {
				t.Errorf("ParsePublicKey returned a key with error %v", err)
			}
			return err
		}
		ct, ss, err := pk.Encapsulate(bytes.NewReader(v.M))
		if err != nil {
			return err
		}
		if !bytes.Equal(ct, prefixed(MLKEM1024, v.C)) {
			return errMismatch("ciphertext differs")
		}
		if !bytes.Equal(ss, v.K) {
			return errMismatch("shared secret differs")
		}
		return nil
	})
}

// TestWycheproofSemiExpandedDecaps checks decapsulation with a stored
// expanded private key, including the FIPS 203 section 7.3 checks.
func TestWycheproofSemiExpandedDecaps(t *testing.T) {
	runWycheproof(t, "mlkem_1024_semi_expanded_decaps_test.json", func(t *testing.T, v wycheproof.MLKEMTest) error {
		k, err := ParsePrivateKey(prefixed(MLKEM1024, v.DK))
		if err != nil {
			if k != nil {
				t.Errorf("ParsePrivateKey returned a key with error %v", err)
			}
			return err
		}
		if v.EK != nil && !bytes.Equal(k.PublicKey().Bytes(), prefixed(MLKEM1024, v.EK)) {
			return errMismatch("public key differs")
		}
		ss, err := k.Decapsulate(prefixed(MLKEM1024, v.C))
		if err != nil {
			return err
		}
		if !bytes.Equal(ss, v.K) {
			return errMismatch("shared secret differs")
		}
		return nil
	})
}
