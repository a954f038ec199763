// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
)

// relayMaxAge bounds how many steps the test relay holds an envelope. The
// Double Ratchet keeps ratchet.MaxReceiverChains (5) receiving chains, so
// a message delayed across more ratchet turns than that is undecryptable,
// in crossseal as in libsignal; 8 steps allow at most 8 sends, hence at
// most 4 turns between any two devices.
const relayMaxAge = 8

// TestUnreliableRelay runs conversations between three apps (one user
// with two devices) through a relay that drops envelopes and redelivers
// them later, duplicates them, reorders them, and loses acknowledgements;
// the receiving app also "crashes" inside the callback, before commit.
// Every message must reach every device of its recipient exactly once,
// counted by message id.
func TestUnreliableRelay(t *testing.T) {
	for seed := range uint64(6) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { runUnreliableRelay(t, seed) })
	}
}

type relayItem struct {
	b         []byte
	born, due int
}

func runUnreliableRelay(t *testing.T, seed uint64) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 0xC0FFEE))
	dir := NewMemoryDirectory()
	clients := []*testClient{
		newTestClient(t, dir, "whatsapp:+15551234567.1"),
		newTestClient(t, dir, "instagram:bob_ig.1"),
		newTestClient(t, dir, "instagram:bob_ig.2"),
		newTestClient(t, dir, "messenger:100004217.1"),
	}
	byAddr := make(map[Address]*testClient)
	for _, c := range clients {
		byAddr[c.self] = c
	}
	accounts := []Account{clients[0].self.Account(), clients[1].self.Account(), clients[3].self.Account()}

	type key struct {
		to Address
		id MessageID
	}
	expected := make(map[key]bool)
	delivered := make(map[key]int) // the apps' message stores
	var queue []relayItem
	var duplicatesRejected, drops, crashes int
	now := 0

	send := func() {
		from := clients[rng.IntN(len(clients))]
		to := accounts[rng.IntN(len(accounts))]
		if to == from.self.Account() {
			return
		}
		content := text(fmt.Sprintf("from %s at %d", from.self, now))
		envs, err := from.Seal(ctx, to, content) // fills content.ID
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range envs {
			expected[key{e.Recipient, content.ID}] = true
			b, err := e.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			queue = append(queue, relayItem{b: b, born: now, due: now + rng.IntN(3)})
		}
	}
	// deliver hands one envelope to its recipient and reports whether the
	// server got an acknowledgement.
	deliver := func(it relayItem) bool {
		env, err := Parse(it.b)
		if err != nil {
			t.Fatal(err)
		}
		rc := byAddr[env.Recipient]
		crash := rng.IntN(10) == 0
		err = rc.OpenBytes(ctx, it.b, func(r Received) error {
			if crash {
				return errors.New("crashed before commit")
			}
			delivered[key{rc.self, r.Content.ID}]++
			return nil
		})
		switch {
		case crash && err != nil:
			crashes++
			return false
		case errors.Is(err, ErrDuplicate):
			duplicatesRejected++
			return true
		case err != nil:
			t.Fatalf("%s opening from %s after %d steps: %v", rc.self, env.Sender, now-it.born, err)
		}
		return rng.IntN(8) != 0 // sometimes the acknowledgement is lost
	}
	requeue := func(it relayItem) {
		it.due = now + 1 + rng.IntN(3)
		queue = append(queue, it)
	}
	step := func() {
		// Envelopes at the age limit are redelivered first.
		var due []int
		for i := 0; i < len(queue); i++ {
			if now-queue[i].born >= relayMaxAge {
				it := queue[i]
				queue = append(queue[:i], queue[i+1:]...)
				i--
				if !deliver(it) {
					requeue(it)
				}
			}
		}
		for i, it := range queue {
			if it.due <= now {
				due = append(due, i)
			}
		}
		if len(due) == 0 {
			return
		}
		i := due[rng.IntN(len(due))] // reorder among the due ones
		it := queue[i]
		queue = append(queue[:i], queue[i+1:]...)
		if rng.IntN(6) == 0 && now-it.born < relayMaxAge/2 { // dropped, redelivered later
			drops++
			requeue(it)
			return
		}
		acked := deliver(it)
		if !acked || rng.IntN(5) == 0 { // the server retries, or the relay duplicates
			requeue(it)
		}
	}

	for now = 0; now < 250; now++ {
		if rng.IntN(10) < 4 {
			send()
		}
		step()
	}
	for ; len(queue) > 0; now++ {
		step()
	}
	if len(expected) < 50 || drops == 0 || crashes == 0 || duplicatesRejected == 0 {
		t.Fatalf("weak run: %d messages, %d drops, %d crashes, %d duplicates", len(expected), drops, crashes, duplicatesRejected)
	}
	for k := range expected {
		if n := delivered[k]; n != 1 {
			t.Errorf("message %s to %s delivered %d times", k.id, k.to, n)
		}
	}
	for k, n := range delivered {
		if !expected[k] {
			t.Errorf("unexpected message %s to %s delivered %d times", k.id, k.to, n)
		}
	}
	t.Logf("%d messages, %d drops, %d crashes, %d duplicates rejected", len(expected), drops, crashes, duplicatesRejected)
}
