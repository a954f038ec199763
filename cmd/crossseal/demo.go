// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/crossseal/crossseal/envelope"
	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/keystore/sqlitestore"
)

// The demo: a WhatsApp user (Alice), an Instagram user (Bob) and a
// business (Acme) that serves Messenger and WhatsApp with one identity key
// talk through an in-process relay. Each account has its own SQLite
// keystore in a temporary directory; Bob's client restarts mid-way from
// its store.

type demoAccount struct {
	name   string
	addr   envelope.Address
	client *envelope.Client
	store  keystore.Store
	closer io.Closer
}

type demo struct {
	ctx      context.Context
	out      io.Writer
	dir      string
	prekeys  *envelope.MemoryDirectory
	accounts map[envelope.Address]*demoAccount
	relayLog []string
}

func runDemo(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	keep := fs.String("dir", "", "directory for the keystores (default: a temporary directory, removed afterwards)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	dir := *keep
	if dir == "" {
		tmp, err := os.MkdirTemp("", "crossseal-demo-")
		if err != nil {
			fmt.Fprintln(stderr, "crossseal demo:", err)
			return 1
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	d := &demo{ctx: context.Background(), out: stdout, dir: dir, prekeys: envelope.NewMemoryDirectory(), accounts: make(map[envelope.Address]*demoAccount)}
	err := d.run()
	for _, a := range d.accounts {
		if a.closer != nil {
			a.closer.Close()
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "crossseal demo:", err)
		return 1
	}
	return 0
}

// openStore opens the keystore of one account.
func (d *demo) openStore(addr envelope.Address) (keystore.Store, io.Closer, error) {
	name := strings.NewReplacer(":", "_", "+", "", ".", "_").Replace(addr.String()) + ".db"
	st, err := sqlitestore.Open(filepath.Join(d.dir, name))
	if err != nil {
		return nil, nil, err
	}
	return st, st, nil
}

func (d *demo) open(name, addr string, opts ...envelope.Option) (*demoAccount, error) {
	a, err := envelope.ParseAddress(addr)
	if err != nil {
		return nil, err
	}
	st, closer, err := d.openStore(a)
	if err != nil {
		return nil, err
	}
	opts = append([]envelope.Option{envelope.WithPreKeyCount(20)}, opts...)
	c, err := envelope.NewClient(d.ctx, st, a, d.prekeys, opts...)
	if err != nil {
		closer.Close()
		return nil, err
	}
	acct := &demoAccount{name: name, addr: a, client: c, store: st, closer: closer}
	d.accounts[a] = acct
	return acct, nil
}

// relay carries envelope bytes to the recipient's app. Like a real relay it
// parses the envelope without keys and sees only the addresses, the
// message type and the ciphertext size; that is all it logs.
func (d *demo) relay(b []byte) error {
	env, err := envelope.Parse(b)
	if err != nil {
		return err
	}
	d.relayLog = append(d.relayLog, fmt.Sprintf("%s -> %s  %-7s %4d-byte ciphertext (%d-byte envelope)",
		env.Sender, env.Recipient, env.Type, len(env.Body), len(b)))
	rc := d.accounts[env.Recipient]
	if rc == nil {
		return fmt.Errorf("no app for %s", env.Recipient)
	}
	err = rc.client.OpenBytes(d.ctx, b, func(r envelope.Received) error {
		// A real app stores the message here, in this callback.
		fmt.Fprintf(d.out, "  %s (%s) -> %s (%s): %s\n", d.accounts[r.Sender].name, r.Sender.App, rc.name, rc.addr.App, describe(r.Content))
		return nil
	})
	if errors.Is(err, envelope.ErrDuplicate) {
		fmt.Fprintf(d.out, "  (%s's app: duplicate envelope from %s ignored, already delivered)\n", rc.name, env.Sender)
		return nil
	}
	return err
}

func describe(c *envelope.Content) string {
	switch b := c.Body.(type) {
	case *envelope.Text:
		return b.Text
	case *envelope.Reaction:
		return fmt.Sprintf("reacted %s to message %.8s…", b.Emoji, b.Target)
	case *envelope.Receipt:
		return fmt.Sprintf("read receipt for %d message(s)", len(b.Messages))
	case *envelope.Typing:
		return "is typing…"
	}
	return fmt.Sprintf("%v", c.Body)
}

// send seals body from one account to another account and relays every
// envelope. It returns the message id.
func (d *demo) send(from *demoAccount, to envelope.Address, body envelope.Body) (envelope.MessageID, error) {
	c := &envelope.Content{Body: body}
	envs, err := from.client.Seal(d.ctx, to.Account(), c)
	if err != nil {
		return envelope.MessageID{}, err
	}
	for _, env := range envs {
		b, err := env.Marshal()
		if err != nil {
			return envelope.MessageID{}, err
		}
		if err := d.relay(b); err != nil {
			return envelope.MessageID{}, err
		}
	}
	return c.ID, nil
}

func (d *demo) run() error {
	acmeKey, err := envelope.GenerateIdentityKey()
	if err != nil {
		return err
	}
	alice, err := d.open("Alice", "whatsapp:+15551234567.1")
	if err != nil {
		return err
	}
	bob, err := d.open("Bob", "instagram:bob_ig.1")
	if err != nil {
		return err
	}
	acmeM, err := d.open("Acme", "messenger:100004217.1", envelope.WithIdentityKey(acmeKey))
	if err != nil {
		return err
	}
	acmeW, err := d.open("Acme", "whatsapp:+15550001111.1", envelope.WithIdentityKey(acmeKey))
	if err != nil {
		return err
	}
	for _, a := range []*demoAccount{alice, bob, acmeM, acmeW} {
		if err := a.client.PublishBundle(d.ctx); err != nil {
			return err
		}
	}
	fmt.Fprintf(d.out, "crossseal demo: keystores in %s\n\n", d.dir)
	fmt.Fprintln(d.out, "Conversation:")
	type line struct {
		from, to **demoAccount // through the variables: Bob's client is replaced mid-way
		body     envelope.Body
	}
	var lastFromAcme envelope.MessageID
	script := []line{
		{&alice, &bob, &envelope.Text{Text: "Hi Bob! Writing from WhatsApp."}},
		{&bob, &alice, &envelope.Text{Text: "Hi Alice, Instagram here. Same protocol both ways."}},
		{&alice, &acmeW, &envelope.Text{Text: "Hello Acme, where is my order #1234?"}},
		{&acmeW, &alice, &envelope.Text{Text: "It shipped today and arrives Thursday."}},
		{&bob, &acmeM, &envelope.Text{Text: "Do you ship to Lisbon?"}},
		{&acmeM, &bob, &envelope.Text{Text: "Yes, in 3 to 5 days."}},
		{&alice, &acmeM, &envelope.Text{Text: "Also asking on Messenger: do you sell gift cards?"}},
		{&acmeM, &alice, &envelope.Text{Text: "We do, from 10 euros."}},
	}
	for i, l := range script {
		id, err := d.send(*l.from, (*l.to).addr, l.body)
		if err != nil {
			return err
		}
		if *l.from == acmeM && *l.to == bob {
			lastFromAcme = id
		}
		if i == 1 {
			// Bob's app restarts: his client reopens from its keystore.
			bob.closer.Close()
			if bob, err = d.open("Bob", bob.addr.String()); err != nil {
				return err
			}
			fmt.Fprintln(d.out, "  (Bob's app restarted; sessions reloaded from its keystore)")
		}
	}
	if _, err := d.send(bob, acmeM.addr, &envelope.Reaction{Target: lastFromAcme, Emoji: "👍"}); err != nil {
		return err
	}
	// The relay delivers the last envelope twice.
	envs, err := bob.client.Seal(d.ctx, acmeM.addr.Account(), &envelope.Content{Body: &envelope.Text{Text: "Thanks, ordering now."}})
	if err != nil {
		return err
	}
	b, err := envs[0].Marshal()
	if err != nil {
		return err
	}
	for range 2 {
		if err := d.relay(b); err != nil {
			return err
		}
	}

	fmt.Fprintln(d.out, "\nWhat the relay saw (addresses and ciphertext sizes only):")
	for _, l := range d.relayLog {
		fmt.Fprintln(d.out, "  "+l)
	}

	fmt.Fprintln(d.out, "\nSafety numbers (each pair compares these 60 digits, or scans the code):")
	pairs := [][2]*demoAccount{{alice, bob}, {alice, acmeW}, {alice, acmeM}, {bob, acmeM}}
	numbers := make(map[[2]*demoAccount]string)
	for _, p := range pairs {
		x, err := p[0].client.SafetyNumber(d.ctx, p[1].addr)
		if err != nil {
			return err
		}
		y, err := p[1].client.SafetyNumber(d.ctx, p[0].addr)
		if err != nil {
			return err
		}
		scanned, err := y.VerifyScanned(x.Scannable())
		if err != nil {
			return err
		}
		numbers[p] = x.String()
		fmt.Fprintf(d.out, "  %s (%s) and %s (%s):\n", p[0].name, p[0].addr, p[1].name, p[1].addr)
		fmt.Fprintf(d.out, "    %-5s sees %s\n", p[0].name, x.Display())
		fmt.Fprintf(d.out, "    %-5s sees %s\n", p[1].name, y.Display())
		fmt.Fprintf(d.out, "    match: %v, scan verifies: %v\n", x.Equal(y), scanned)
	}
	fmt.Fprintf(d.out, "\nAcme uses one identity on Messenger and WhatsApp, so Alice sees the same number on both: %v\n",
		numbers[[2]*demoAccount{alice, acmeW}] == numbers[[2]*demoAccount{alice, acmeM}])
	return nil
}
