// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package kdf_test

import (
	"bytes"
	"crypto/hmac"
	"encoding/hex"
	"fmt"
	"slices"
	"testing"

	"github.com/crossseal/crossseal/internal/kdf"
	"github.com/crossseal/crossseal/internal/wycheproof"
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

// TestWycheproofHKDF runs every hkdf_sha256_test.json case whose output
// fits HKDF-SHA256's limit of 255*32 bytes through kdf.HKDF. The cases
// above the limit are exactly the invalid ones (SizeTooLarge); kdf.HKDF's
// callers only ask for fixed small sizes, so it treats them as misuse.
func TestWycheproofHKDF(t *testing.T) {
	var file struct {
		NumberOfTests int `json:"numberOfTests"`
		TestGroups    []struct {
			Tests []struct {
				TcID   int      `json:"tcId"`
				Flags  []string `json:"flags"`
				IKM    string   `json:"ikm"`
				Salt   string   `json:"salt"`
				Info   string   `json:"info"`
				Size   int      `json:"size"`
				OKM    string   `json:"okm"`
				Result string   `json:"result"`
			} `json:"tests"`
		} `json:"testGroups"`
	}
	wycheproof.Load(t, "hkdf_sha256_test.json", &file)
	ran, tooLarge := 0, 0
	for _, g := range file.TestGroups {
		for _, tc := range g.Tests {
			if tc.Size > 255*32 {
				tooLarge++
				if tc.Result != "invalid" || !slices.Contains(tc.Flags, "SizeTooLarge") {
					t.Errorf("tc%d: size %d above the limit is %s %v", tc.TcID, tc.Size, tc.Result, tc.Flags)
				}
				continue
			}
			ran++
			t.Run(fmt.Sprintf("tc%d", tc.TcID), func(t *testing.T) {
				if tc.Result != "valid" {
					t.Fatalf("a case within the size limit is %s", tc.Result)
				}
				out := make([]byte, tc.Size)
				kdf.HKDF(out, unhex(t, tc.IKM), unhex(t, tc.Salt), string(unhex(t, tc.Info)))
				if want := unhex(t, tc.OKM); !bytes.Equal(out, want) {
					t.Errorf("HKDF = %x, want %x (flags %v)", out, want, tc.Flags)
				}
			})
		}
	}
	if ran+tooLarge != file.NumberOfTests || ran == 0 {
		t.Errorf("ran %d cases and skipped %d, file declares %d", ran, tooLarge, file.NumberOfTests)
	}
}

// TestWycheproofHMAC runs every hmac_sha256_test.json case through
// kdf.NewMAC. Truncated tags (128-bit groups) are compared with the same
// prefix of the full tag, as SignalMessage MACs are; modified tags must not
// match.
func TestWycheproofHMAC(t *testing.T) {
	var file struct {
		NumberOfTests int `json:"numberOfTests"`
		TestGroups    []struct {
			TagSize int `json:"tagSize"`
			Tests   []struct {
				TcID   int      `json:"tcId"`
				Flags  []string `json:"flags"`
				Key    string   `json:"key"`
				Msg    string   `json:"msg"`
				Tag    string   `json:"tag"`
				Result string   `json:"result"`
			} `json:"tests"`
		} `json:"testGroups"`
	}
	wycheproof.Load(t, "hmac_sha256_test.json", &file)
	ran := 0
	for _, g := range file.TestGroups {
		for _, tc := range g.Tests {
			ran++
			t.Run(fmt.Sprintf("tc%d", tc.TcID), func(t *testing.T) {
				tag := unhex(t, tc.Tag)
				if len(tag)*8 != g.TagSize {
					t.Fatalf("tag of %d bits in a group of %d", len(tag)*8, g.TagSize)
				}
				m := kdf.NewMAC(unhex(t, tc.Key))
				m.Write(unhex(t, tc.Msg))
				sum := m.Sum(nil)
				if ok := hmac.Equal(sum[:len(tag)], tag); ok != (tc.Result == "valid") {
					t.Errorf("tag match = %v for a %s case (flags %v)", ok, tc.Result, tc.Flags)
				}
			})
		}
	}
	if ran != file.NumberOfTests || ran == 0 {
		t.Errorf("ran %d cases, file declares %d", ran, file.NumberOfTests)
	}
}

// TestVectorsChainStep checks kdf.ChainStep against the kdf-ck vectors and
// kdf.HKDF against the message-keys vectors.
func TestVectorsChainStep(t *testing.T) {
	files, err := testdata.Kind("kdf-ck")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(f.Path, func(t *testing.T) {
			ck, seed, next := mustHex(t, f, "chain_key"), mustHex(t, f, "message_key_seed"), mustHex(t, f, "next_chain_key")
			gotSeed, gotNext := kdf.ChainStep(ck)
			if !bytes.Equal(gotSeed[:], seed) || !bytes.Equal(gotNext[:], next) {
				t.Errorf("ChainStep = %x, %x; want %x, %x", gotSeed, gotNext, seed, next)
			}
		})
	}
	files, err = testdata.Kind("message-keys")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(f.Path, func(t *testing.T) {
			out := make([]byte, kdf.MessageKeysSize)
			kdf.HKDF(out, mustHex(t, f, "message_key_seed"), nil, kdf.InfoMessageKeys)
			want := slices.Concat(mustHex(t, f, "cipher_key"), mustHex(t, f, "mac_key"), mustHex(t, f, "iv"))
			if !bytes.Equal(out, want) {
				t.Errorf("HKDF = %x, want %x", out, want)
			}
		})
	}
}

func mustHex(t *testing.T, f testdata.File, key string) []byte {
	t.Helper()
	b, err := f.Hex(key)
	if err != nil {
		t.Fatalf("%s: %v", f.Path, err)
	}
	return b
}
