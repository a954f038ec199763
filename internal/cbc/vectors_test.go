// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package cbc_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/crossseal/crossseal/internal/cbc"
	"github.com/crossseal/crossseal/testdata"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestWycheproofAESCBC runs the 256-bit-key cases of
// aes_cbc_pkcs5_test.json (the only key size Signal uses): valid cases
// must encrypt to the expected ciphertext and decrypt back; invalid ones
// (bad or missing padding) must be rejected with ErrInvalidCiphertext.
func TestWycheproofAESCBC(t *testing.T) {
	data, err := testdata.WycheproofFile("aes_cbc_pkcs5_test.json")
	if err != nil {
		t.Fatalf("Wycheproof vectors are required: %v", err)
	}
	var file struct {
		NumberOfTests int `json:"numberOfTests"`
		TestGroups    []struct {
			KeySize int `json:"keySize"`
			Tests   []struct {
				TcID   int      `json:"tcId"`
				Flags  []string `json:"flags"`
				Key    string   `json:"key"`
				IV     string   `json:"iv"`
				Msg    string   `json:"msg"`
				CT     string   `json:"ct"`
				Result string   `json:"result"`
			} `json:"tests"`
		} `json:"testGroups"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	ran, valid, invalid := 0, 0, 0
	for _, g := range file.TestGroups {
		if g.KeySize != 8*cbc.KeySize {
			continue
		}
		for _, tc := range g.Tests {
			ran++
			if tc.Result == "valid" {
				valid++
			} else {
				invalid++
			}
			t.Run(fmt.Sprintf("tc%d", tc.TcID), func(t *testing.T) {
				key, iv, msg, ct := unhex(t, tc.Key), unhex(t, tc.IV), unhex(t, tc.Msg), unhex(t, tc.CT)
				pt, err := cbc.Decrypt(key, iv, ct)
				switch tc.Result {
				case "valid":
					if err != nil || !bytes.Equal(pt, msg) {
						t.Errorf("Decrypt = %x, %v; want %x", pt, err, msg)
					}
					if got := cbc.Encrypt(key, iv, msg); !bytes.Equal(got, ct) {
						t.Errorf("Encrypt = %x, want %x", got, ct)
					}
				case "invalid":
					if !errors.Is(err, cbc.ErrInvalidCiphertext) || pt != nil {
						t.Errorf("Decrypt of an invalid case = %x, %v (flags %v)", pt, err, tc.Flags)
					}
				default:
					t.Fatalf("result %q", tc.Result)
				}
			})
		}
	}
	if ran == 0 || valid == 0 || invalid == 0 {
		t.Errorf("ran %d cases (%d valid, %d invalid) with %d-bit keys", ran, valid, invalid, 8*cbc.KeySize)
	}
}

// TestVectorsMessageBodies checks the AES-256-CBC bodies of the message
// vectors that record their plaintext, key and IV.
func TestVectorsMessageBodies(t *testing.T) {
	files, err := testdata.Kind("message")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if len(f.Values("plaintext")) == 0 {
			continue
		}
		n++
		t.Run(f.Path, func(t *testing.T) {
			get := func(k string) []byte {
				b, err := f.Hex(k)
				if err != nil {
					t.Fatal(err)
				}
				return b
			}
			key, iv, pt, ct := get("cipher_key"), get("iv"), get("plaintext"), get("ciphertext")
			if got := cbc.Encrypt(key, iv, pt); !bytes.Equal(got, ct) {
				t.Errorf("Encrypt = %x, want %x", got, ct)
			}
			if got, err := cbc.Decrypt(key, iv, ct); err != nil || !bytes.Equal(got, pt) {
				t.Errorf("Decrypt = %x, %v; want %x", got, err, pt)
			}
		})
	}
	if n == 0 {
		t.Fatal("no message vector records a plaintext")
	}
}
