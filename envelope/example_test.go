// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/crossseal/crossseal/envelope"
	"github.com/crossseal/crossseal/keystore"
)

// Example shows the whole flow: two accounts on two apps publish their
// bundles, one seals a message, a relay carries the envelope bytes, the
// other opens it exactly once, and both compare safety numbers.
func Example() {
	ctx := context.Background()
	dir := envelope.NewMemoryDirectory() // the apps' prekey server

	newAccount := func(addr string) *envelope.Client {
		self, err := envelope.ParseAddress(addr)
		if err != nil {
			log.Fatal(err)
		}
		c, err := envelope.NewClient(ctx, keystore.NewMemory(), self, dir)
		if err != nil {
			log.Fatal(err)
		}
		if err := c.PublishBundle(ctx); err != nil {
			log.Fatal(err)
		}
		return c
	}
	alice := newAccount("whatsapp:+15551234567.1")
	bob := newAccount("instagram:bob_ig.1")

	// Alice seals for every device of Bob's account.
	msg := &envelope.Content{Body: &envelope.Text{Text: "hi Bob, from WhatsApp"}}
	envs, err := alice.Seal(ctx, envelope.Account{App: "instagram", User: "bob_ig"}, msg)
	if err != nil {
		log.Fatal(err)
	}
	for _, env := range envs {
		wire, err := env.Marshal() // what the relay carries
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("relay: %s -> %s, %s\n", env.Sender, env.Recipient, env.Type)

		// Bob stores the message inside the callback, then acknowledges.
		open := func() error {
			return bob.OpenBytes(ctx, wire, func(r envelope.Received) error {
				fmt.Printf("%s received %q from %s (new session: %v)\n",
					bob.Address(), r.Content.Body.(*envelope.Text).Text, r.Sender, r.NewSession)
				return nil // e.g. the result of committing to the app's database
			})
		}
		if err := open(); err != nil {
			log.Fatal(err)
		}
		// The server redelivers (say the acknowledgement was lost).
		if err := open(); errors.Is(err, envelope.ErrDuplicate) {
			fmt.Println("redelivery: already delivered, acknowledge again")
		}
	}

	a, err := alice.SafetyNumber(ctx, bob.Address())
	if err != nil {
		log.Fatal(err)
	}
	b, err := bob.SafetyNumber(ctx, alice.Address())
	if err != nil {
		log.Fatal(err)
	}
	ok, err := b.VerifyScanned(a.Scannable())
	fmt.Println("same safety number:", a.String() == b.String(), "scan verifies:", ok && err == nil)
	// Output:
	// relay: whatsapp:+15551234567.1 -> instagram:bob_ig.1, prekey
	// instagram:bob_ig.1 received "hi Bob, from WhatsApp" from whatsapp:+15551234567.1 (new session: true)
	// redelivery: already delivered, acknowledge again
	// same safety number: true scan verifies: true
}

func ExampleParseAddress() {
	a, err := envelope.ParseAddress("instagram:bob.smith.2")
	if err != nil {
		log.Fatal(err)
	}
	ka := a.KeystoreAddress()
	fmt.Printf("app %q, user %q, device %d; keystore name %q, device %d\n", a.App, a.User, a.Device, ka.Name, ka.DeviceID)
	_, err = envelope.ParseAddress("instagram:bob.02")
	fmt.Println(err)
	// Output:
	// app "instagram", user "bob.smith", device 2; keystore name "instagram:bob.smith", device 2
	// envelope: malformed address: device is not a number in 1..2147483647 without leading zeros
}
