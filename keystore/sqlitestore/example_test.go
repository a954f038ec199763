// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package sqlitestore_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/crossseal/crossseal/keystore/sqlitestore"
	"github.com/crossseal/crossseal/session"
)

// Example opens an encrypted keystore with a key derived from a passphrase,
// creates an identity, and finds it again after reopening the file.
func Example() {
	dir, err := os.MkdirTemp("", "crossseal")
	check(err)
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "keystore.db")
	ctx := context.Background()

	// The salt is not secret; the application keeps it, for example next
	// to the database, and needs the same one to derive the key again.
	salt := sqlitestore.NewSalt()
	key := sqlitestore.DeriveKey([]byte("passphrase"), salt)

	store, err := sqlitestore.Open(path, sqlitestore.WithEncryptionKey(key))
	check(err)
	m := session.New(store)
	check(m.CreateIdentity(ctx, 1234))
	first, _, err := m.LocalIdentity(ctx)
	check(err)
	check(store.Close())

	store, err = sqlitestore.Open(path, sqlitestore.WithEncryptionKey(sqlitestore.DeriveKey([]byte("passphrase"), salt)))
	check(err)
	defer store.Close()
	again, regID, err := session.New(store).LocalIdentity(ctx)
	check(err)
	fmt.Println("same identity after reopening:", first.Equal(again), regID)
	// Output:
	// same identity after reopening: true 1234
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
