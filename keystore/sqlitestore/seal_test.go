// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package sqlitestore

import (
	"bytes"
	"encoding/hex"
	"errors"
	"path/filepath"
	"testing"
)

func TestDeriveKey(t *testing.T) {
	pass := []byte("correct horse battery staple")
	salt := bytes.Repeat([]byte{0x5a}, SaltSize)
	k := DeriveKey(pass, salt)
	// A pin of the parameters (t=3, m=64 MiB, p=4), computed with this
	// code: changing them would lock users out of existing databases.
	const want = "5cea1d57f950121fbc7a6d90279d7612482cf65ea98cacf40dc8c22b92f9461f"
	if got := hex.EncodeToString(k); got != want {
		t.Errorf("DeriveKey = %s, want %s", got, want)
	}
	if bytes.Equal(k, DeriveKey([]byte("correct horse battery staplf"), salt)) {
		t.Error("different passphrases give the same key")
	}
	s1, s2 := NewSalt(), NewSalt()
	if len(s1) != SaltSize || bytes.Equal(s1, s2) {
		t.Errorf("NewSalt: %x, %x", s1, s2)
	}
	k1 := DeriveKey(pass, s1)
	if bytes.Equal(k, k1) {
		t.Error("different salts give the same key")
	}

	// The flow of an application: derive, open, close, derive again from
	// the stored salt (the pin shows that this gives the same key), reopen.
	path := filepath.Join(t.TempDir(), "keystore.db")
	s, err := Open(path, WithEncryptionKey(k1))
	if err != nil {
		t.Fatal(err)
	}
	fill(t, s, 1)
	s.Close()
	if _, err := Open(path, WithEncryptionKey(k)); !errors.Is(err, ErrWrongKey) {
		t.Errorf("key from another salt: %v, want ErrWrongKey", err)
	}
	s, err = Open(path, WithEncryptionKey(k1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := readAll(s, 1); err != nil {
		t.Fatal(err)
	}
}
