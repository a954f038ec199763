// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

//go:build unix

package sqlitestore

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/session"
)

// The multi-process test runs two Bob processes, 8 goroutines each, on one
// database file. Both receive every message from Bob's peers (in different
// orders) and encrypt to the same peers at the same time. Exactly one
// process must decrypt each message, the other must see a duplicate, and
// the peers must decrypt everything both processes sent: a forked ratchet
// (two transactions advancing the same session from the same state) would
// lose a skipped key or reuse a counter, and one of those checks would
// fail.

const (
	mpProcs      = 2
	mpGoroutines = 8
	mpPeers      = 8
	mpPerPeer    = 40
	mpProcEnv    = "CROSSSEAL_SQLITESTORE_PROC"
)

// mpWork is what the parent gives both children.
type mpWork struct {
	Peers    []keystore.Address
	Messages []mpMessage
}

type mpMessage struct {
	Peer int
	Type int
	Body []byte
}

// mpResult is what a child reports.
type mpResult struct {
	Decrypts []mpDecrypt
	Encrypts []mpEncrypt
}

type mpDecrypt struct {
	Message   int
	Outcome   string // "ok", "dup" or "error: ..."
	Plaintext string
	Done      int64 // wall clock (ns) when Decrypt returned
}

type mpEncrypt struct {
	Peer      int
	Plaintext string
	Type      int
	Body      []byte
}

func TestMultiProcess(t *testing.T) {
	dir := t.TempDir()
	st, err := Open(filepath.Join(dir, "bob.db"))
	if err != nil {
		t.Fatal(err)
	}
	bob := newParty(t, "instagram:bob", 2, st, mpPeers)
	peers := make([]*party, mpPeers)
	work := mpWork{}
	var want []string
	for i := range peers {
		peers[i] = newParty(t, fmt.Sprintf("app%d:peer%d", i, i), uint32(100+i), keystore.NewMemory(), 0)
		handshake(t, peers[i], bob, uint32(i+1))
		work.Peers = append(work.Peers, peers[i].addr)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	for j := range mpPerPeer {
		for i, p := range peers {
			pt := fmt.Sprintf("peer %d message %d", i, j)
			c := mustEncrypt(t, p, bob, pt)
			work.Messages = append(work.Messages, mpMessage{Peer: i, Type: c.Type, Body: c.Body})
			want = append(want, pt)
		}
	}
	raw, err := json.Marshal(work)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "work.json"), raw, 0o600); err != nil {
		t.Fatal(err)
	}

	// Start both processes, wait until both are ready, then let them go
	// together by closing the start pipe.
	startR, startW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	var children []*child
	for k := range mpProcs {
		env := append(os.Environ(), childEnv+"="+dir, mpProcEnv+"="+strconv.Itoa(k))
		children = append(children, startChild(t, "TestMultiProcessChild", env, startR))
	}
	startR.Close()
	start := time.Now()
	startW.Close()
	for k, c := range children {
		if err := c.wait(); err != nil {
			t.Fatalf("process %d: %v\n%s", k, err, c.output())
		}
	}
	elapsed := time.Since(start)

	// Exactly one process decrypted each message; the other saw a
	// duplicate.
	ok := make([]int, len(work.Messages))
	dup := make([]int, len(work.Messages))
	type op struct {
		at   int64
		proc int
	}
	var ops []op
	var outgoing [mpPeers][]mpEncrypt
	for k := range mpProcs {
		var res mpResult
		raw, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("result-%d.json", k)))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &res); err != nil {
			t.Fatal(err)
		}
		okHere := 0
		for _, d := range res.Decrypts {
			ops = append(ops, op{d.Done, k})
			switch d.Outcome {
			case "ok":
				ok[d.Message]++
				okHere++
				if d.Plaintext != want[d.Message] {
					t.Errorf("message %d decrypted to %q, want %q", d.Message, d.Plaintext, want[d.Message])
				}
			case "dup":
				dup[d.Message]++
			default:
				t.Errorf("process %d, message %d: %s", k, d.Message, d.Outcome)
			}
		}
		for _, e := range res.Encrypts {
			outgoing[e.Peer] = append(outgoing[e.Peer], e)
		}
		t.Logf("process %d: %d decrypted, %d duplicates, %d encrypted", k, okHere, len(res.Decrypts)-okHere, len(res.Encrypts))
		if okHere == 0 {
			t.Errorf("process %d decrypted nothing: the processes did not run concurrently", k)
		}
	}
	for i := range ok {
		if ok[i] != 1 || dup[i] != mpProcs-1 {
			t.Errorf("message %d: decrypted %d times, duplicate %d times; want 1 and %d", i, ok[i], dup[i], mpProcs-1)
		}
	}
	total := 0
	for _, o := range outgoing {
		total += len(o)
	}
	// How often consecutive decrypts (by completion time) came from
	// different processes: near 0 would mean they took turns in large
	// blocks and the test would prove little.
	slices.SortFunc(ops, func(a, b op) int { return cmp.Compare(a.at, b.at) })
	switches := 0
	for i := 1; i < len(ops); i++ {
		if ops[i].proc != ops[i-1].proc {
			switches++
		}
	}
	t.Logf("%d processes x %d goroutines: %d decrypt and %d encrypt transactions in %v; the process changed %d times in %d decrypts",
		mpProcs, mpGoroutines, mpProcs*len(work.Messages), total, elapsed.Round(time.Millisecond), switches, len(ops))
	if switches < 20 {
		t.Errorf("the processes changed turns only %d times: they did not run concurrently", switches)
	}

	// The peers decrypt everything Bob's processes sent, in random order.
	rng := rand.New(rand.NewPCG(1, 2))
	for i, p := range peers {
		msgs := outgoing[i]
		rng.Shuffle(len(msgs), func(a, b int) { msgs[a], msgs[b] = msgs[b], msgs[a] })
		for _, e := range msgs {
			mustDecrypt(t, p, bob, session.Ciphertext{Type: e.Type, Body: e.Body}, e.Plaintext)
		}
	}

	// And the sessions still work both ways.
	s := openDB(t, dir)
	defer s.Close()
	bob.store, bob.m = s, session.New(s)
	for _, p := range peers {
		mustDecrypt(t, bob, p, mustEncrypt(t, p, bob, "still there?"), "still there?")
		mustDecrypt(t, p, bob, mustEncrypt(t, bob, p, "yes"), "yes")
	}
}

// TestMultiProcessChild is one Bob process of TestMultiProcess.
func TestMultiProcessChild(t *testing.T) {
	dir := childDir(t)
	proc, err := strconv.Atoi(os.Getenv(mpProcEnv))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "work.json"))
	if err != nil {
		t.Fatal(err)
	}
	var work mpWork
	if err := json.Unmarshal(raw, &work); err != nil {
		t.Fatal(err)
	}
	s := openDB(t, dir)
	defer s.Close()
	m := session.New(s)

	queue := make(chan int, len(work.Messages))
	for _, i := range rand.New(rand.NewPCG(uint64(proc), 7)).Perm(len(work.Messages)) {
		queue <- i
	}
	close(queue)

	signalReady(t)
	if _, err := os.NewFile(4, "start").Read(make([]byte, 1)); err == nil {
		t.Fatal("start pipe: expected EOF")
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var (
		mu  sync.Mutex
		res mpResult
		wg  sync.WaitGroup
	)
	for g := range mpGoroutines {
		wg.Go(func() {
			n := 0
			for i := range queue {
				msg := work.Messages[i]
				d := mpDecrypt{Message: i}
				err := m.Decrypt(ctx, work.Peers[msg.Peer], session.Ciphertext{Type: msg.Type, Body: msg.Body}, func(pt []byte) error {
					d.Plaintext = string(bytes.Clone(pt))
					return nil
				})
				d.Done = time.Now().UnixNano()
				switch {
				case err == nil:
					d.Outcome = "ok"
				case errors.Is(err, session.ErrDuplicateMessage):
					d.Outcome = "dup"
				default:
					d.Outcome = "error: " + err.Error()
				}
				// Reply to the same peer, so both processes advance the
				// same sending chains concurrently.
				pt := fmt.Sprintf("bob process %d goroutine %d message %d", proc, g, n)
				n++
				c, err := m.Encrypt(ctx, work.Peers[msg.Peer], []byte(pt))
				mu.Lock()
				res.Decrypts = append(res.Decrypts, d)
				if err != nil {
					res.Decrypts = append(res.Decrypts, mpDecrypt{Message: i, Outcome: "error: encrypt: " + err.Error()})
				} else {
					res.Encrypts = append(res.Encrypts, mpEncrypt{Peer: msg.Peer, Plaintext: pt, Type: c.Type, Body: c.Body})
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	out, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("result-%d.json", proc)), out, 0o600); err != nil {
		t.Fatal(err)
	}
}
