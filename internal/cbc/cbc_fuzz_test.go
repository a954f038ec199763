// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package cbc_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/crossseal/crossseal/internal/cbc"
	"github.com/crossseal/crossseal/testdata"
)

// fit returns b cut or zero-padded to n bytes: key and IV sizes are fixed
// by crossseal's own code, so only the ciphertext is attacker-controlled.
func fit(b []byte, n int) []byte {
	out := make([]byte, n)
	copy(out, b)
	return out
}

// FuzzCBCDecrypt checks that Decrypt never panics on any ciphertext, returns
// nil with ErrInvalidCiphertext on failure, and that whatever it accepts
// re-encrypts to the same ciphertext (PKCS#7 padding has one encoding).
// Seeds are the bodies of the message vectors.
func FuzzCBCDecrypt(f *testing.F) {
	files, err := testdata.Kind("message")
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range files {
		if len(v.Values("cipher_key")) == 0 {
			continue
		}
		key, _ := v.Hex("cipher_key")
		iv, _ := v.Hex("iv")
		ct, _ := v.Hex("ciphertext")
		f.Add(key, iv, ct)
		f.Add(key, iv, ct[:len(ct)-1])
	}
	f.Fuzz(func(t *testing.T, key, iv, ct []byte) {
		key, iv = fit(key, cbc.KeySize), fit(iv, cbc.IVSize)
		pt, err := cbc.Decrypt(key, iv, ct)
		if err != nil {
			if pt != nil || !errors.Is(err, cbc.ErrInvalidCiphertext) {
				t.Fatalf("Decrypt = %x, %v", pt, err)
			}
			return
		}
		if re := cbc.Encrypt(key, iv, pt); !bytes.Equal(re, ct) {
			t.Fatalf("re-encrypting gives %x, want %x", re, ct)
		}
	})
}
