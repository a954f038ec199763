// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package session_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/session"
)

// Example shows the whole v3 flow: Bob publishes a prekey bundle, Alice
// starts a session from it, and they exchange one message each way.
func Example() {
	ctx := context.Background()
	aliceAddr := keystore.Address{Name: "alice", DeviceID: 1}
	bobAddr := keystore.Address{Name: "bob", DeviceID: 1}

	// Each party has its own store; a real app uses keystore/sqlitestore.
	alice := session.New(keystore.NewMemory())
	bob := session.New(keystore.NewMemory())
	check(alice.CreateIdentity(ctx, 1111))
	check(bob.CreateIdentity(ctx, 2222))

	// Bob publishes a bundle: a signed prekey and a one-time prekey.
	spk, err := bob.GenerateSignedPreKey(ctx, 1, time.Now())
	check(err)
	pks, err := bob.GeneratePreKeys(ctx, 100, 1)
	check(err)
	bundle, err := bob.Bundle(ctx, 1, spk.ID, true, pks[0].ID)
	check(err)

	// Alice fetches the bundle (from a directory server) and starts a session.
	check(alice.ProcessBundle(ctx, bobAddr, bundle))
	first, err := alice.Encrypt(ctx, bobAddr, []byte("hello Bob"))
	check(err)
	fmt.Println("first message is a PreKey message:", first.Type == session.TypePreKey)

	// Bob decrypts. The callback runs inside the store transaction: store
	// the message there; the session advances only if it returns nil.
	check(bob.Decrypt(ctx, aliceAddr, first, func(plaintext []byte) error {
		fmt.Printf("bob got %q\n", plaintext)
		return nil
	}))

	reply, err := bob.Encrypt(ctx, aliceAddr, []byte("hi Alice"))
	check(err)
	check(alice.Decrypt(ctx, bobAddr, reply, func(plaintext []byte) error {
		fmt.Printf("alice got %q\n", plaintext)
		return nil
	}))

	// Delivering the same message again is reported as a duplicate.
	err = alice.Decrypt(ctx, bobAddr, reply, func([]byte) error { return nil })
	fmt.Println("replay rejected:", errors.Is(err, session.ErrDuplicateMessage))
	// Output:
	// first message is a PreKey message: true
	// bob got "hello Bob"
	// alice got "hi Alice"
	// replay rejected: true
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
