// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

//go:build unix

package sqlitestore

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/session"
)

var crashLong = flag.Bool("crash.long", false, "crash test with 20,000 messages and 200 kills")

// The crash test plays a messaging client that receives a stream of
// envelopes from a server, decrypts each with session.Manager over a
// sqlitestore file, stores the plaintext in an app-side sink from inside
// the Decrypt callback, and acks the envelope after Decrypt returns. The
// parent kills the client with SIGKILL at random points and restarts it;
// the server (the stream file plus the ack file) redelivers everything
// after the last ack. The stream itself reorders messages within a window
// and delivers some twice.
//
// Files in the test directory:
//
//	bob.db       Bob's keystore (the database under test)
//	stream.json  the delivery order: what the server sends, in order
//	ack          8 bytes: the stream position the server resumes from
//	sink         the app's message store: one plaintext per line
//	events       one line per delivery outcome (for the statistics)

// crashSenders are the addresses of the two senders; alice sends Whisper
// messages, carol only PreKey messages (she never hears back), so both
// decrypt paths run under crashes, including the one-time prekey removal.
var crashSenders = []keystore.Address{
	{Name: "whatsapp:alice", DeviceID: 1},
	{Name: "messenger:carol", DeviceID: 1},
}

// crashEnvelope is one delivery.
type crashEnvelope struct {
	Index int // message number
	From  int // index into crashSenders
	Type  int
	Body  []byte
}

const selfKillEnv = "CROSSSEAL_SQLITESTORE_SELFKILL"

func TestCrash(t *testing.T) {
	n, kills := 2000, 20
	if *crashLong {
		n, kills = 20000, 200
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d, %d messages, %d random kills", seed, n, kills)
	rng := rand.New(rand.NewPCG(seed, 1))
	dir := t.TempDir()
	alice, carol, bob, stream, want := prepareCrash(t, dir, n, rng)
	first := firstPositions(stream, n)

	// The runs. A few runs kill themselves at a chosen point, so that the
	// two dangerous windows are hit for certain: after the sink write but
	// before the commit ("callback"), and after the commit but before the
	// ack ("beforeack"). All others are killed from outside at a random
	// point; the last one runs to the end.
	selfKills := map[int]string{2: "callback", 5: "beforeack", 9: "callback", 13: "beforeack"}
	var randomKills, selfKilled int
	// The random kills happen at uniformly distributed stream positions.
	targets := make([]int, kills)
	for i := range targets {
		targets[i] = rng.IntN(len(stream) - 50)
	}
	slices.Sort(targets)
	afterSelfKill := -1
	var killedAt []int // stream positions of the random kills
	for run := 0; ; run++ {
		pos := readAck(t, dir)
		if pos == len(stream) {
			break
		}
		if run > kills+len(selfKills)+20 {
			t.Fatalf("no progress after %d runs (position %d of %d)", run, pos, len(stream))
		}
		env := append(os.Environ(), childEnv+"="+dir)
		point, self := selfKills[run]
		target := -1
		if self {
			target = selfKillTarget(stream, first, pos+1+rng.IntN(50), point)
			env = append(env, fmt.Sprintf("%s=%d %s", selfKillEnv, target, point))
		}
		child := startChild(t, "TestCrashChild", env)
		switch {
		case self:
			if err := child.wait(); !killed(err) {
				t.Fatalf("run %d: child planned to kill itself at %d (%s) but exited: %v\n%s", run, target, point, err, child.output())
			}
			selfKilled++
			afterSelfKill = target
		case randomKills < kills:
			// Let the redelivery of a self-killed message finish, so its
			// outcome is certain to be logged.
			for afterSelfKill >= 0 && readAck(t, dir) <= afterSelfKill && !child.exited() {
				time.Sleep(100 * time.Microsecond)
			}
			afterSelfKill = -1
			// Wait until the child has reached the next kill position,
			// then kill it at a random point of the next message or two.
			for readAck(t, dir) < targets[randomKills] && !child.exited() {
				time.Sleep(100 * time.Microsecond)
			}
			time.Sleep(time.Duration(rng.Int64N(int64(2 * time.Millisecond))))
			_ = child.cmd.Process.Kill()
			if err := child.wait(); err != nil && !killed(err) {
				t.Fatalf("run %d: child failed: %v\n%s", run, err, child.output())
			} else if err != nil {
				killedAt = append(killedAt, readAck(t, dir))
			}
			randomKills++
		default:
			if err := child.wait(); err != nil {
				t.Fatalf("run %d: child failed: %v\n%s", run, err, child.output())
			}
		}
	}
	if len(killedAt) < kills || selfKilled != len(selfKills) {
		t.Errorf("only %d random kills and %d self-kills, want %d and %d", len(killedAt), selfKilled, kills, len(selfKills))
	}

	// Every message reached the sink exactly once, with the right text.
	got := readSink(t, dir)
	seen := make([]int, n)
	for _, line := range got {
		i, err := strconv.Atoi(strings.Fields(line)[0])
		if err != nil || i < 0 || i >= n {
			t.Fatalf("sink line %q", line)
		}
		seen[i]++
		if line != want[i] {
			t.Errorf("message %d: sink has %q, want %q", i, line, want[i])
		}
	}
	for i, c := range seen {
		if c != 1 {
			t.Errorf("message %d is in the sink %d times, want once", i, c)
		}
	}

	// Outcomes. "dedup": decrypted again after a crash before the commit
	// and skipped by message id; "dup": redelivered after the commit and
	// rejected with ErrDuplicateMessage.
	stats := readEvents(t, dir)
	t.Logf("%d deliveries of %d messages (%d duplicates in the stream), %d runs: %d random kills, %d self-kills",
		len(stream), n, len(stream)-n, len(killedAt)+selfKilled+1, len(killedAt), selfKilled)
	t.Logf("random kills at stream positions %v", killedAt)
	t.Logf("outcomes logged: ok %d, rejected as duplicate %d, deduplicated by id %d", stats["ok"], stats["dup"], stats["dedup"])
	if stats["dedup"] == 0 || stats["dup"] < len(stream)-n {
		t.Errorf("outcomes %v: want dedup > 0 and dup >= %d", stats, len(stream)-n)
	}

	// The session is intact: every message is now a duplicate, and both
	// senders can keep talking to Bob.
	s := openDB(t, dir)
	defer s.Close()
	bob.store, bob.m = s, session.New(s)
	ctx := context.Background()
	for i := range n {
		e := stream[first[i]]
		err := bob.m.Decrypt(ctx, crashSenders[e.From], session.Ciphertext{Type: e.Type, Body: e.Body}, func([]byte) error {
			return errors.New("decrypted twice")
		})
		if !errors.Is(err, session.ErrDuplicateMessage) {
			t.Fatalf("message %d delivered again: %v, want ErrDuplicateMessage", i, err)
		}
	}
	mustDecrypt(t, bob, alice, mustEncrypt(t, alice, bob, "after the crashes"), "after the crashes")
	mustDecrypt(t, bob, carol, mustEncrypt(t, carol, bob, "carol too"), "carol too")
	mustDecrypt(t, carol, bob, mustEncrypt(t, bob, carol, "hi carol"), "hi carol")
	if ids, err := bob.m.PreKeyIDs(ctx); err != nil || len(ids) != 0 {
		t.Errorf("one-time prekeys left: %v, %v; want both consumed", ids, err)
	}
}

// prepareCrash creates Bob's database with sessions from alice (after a
// handshake) and carol (bundle processed, nothing received yet), encrypts
// n messages to Bob and writes the delivery stream. It returns the
// senders, Bob (store closed) and the plaintext of each message.
func prepareCrash(t *testing.T, dir string, n int, rng *rand.Rand) (alice, carol, bob *party, stream []crashEnvelope, want []string) {
	t.Helper()
	st, err := Open(filepath.Join(dir, "bob.db"))
	if err != nil {
		t.Fatal(err)
	}
	bob = newParty(t, "instagram:bob", 2, st, 2)
	alice = newParty(t, crashSenders[0].Name, 1, keystore.NewMemory(), 0)
	carol = newParty(t, crashSenders[1].Name, 3, keystore.NewMemory(), 0)
	handshake(t, alice, bob, 1)
	connect(t, carol, bob, 2)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	const letters = "abcdefghijklmnopqrstuvwxyz"
	msgs := make([]crashEnvelope, n)
	want = make([]string, n)
	for i := range n {
		from, fi := alice, 0
		if i%4 == 3 {
			from, fi = carol, 1
		}
		// The message id plays the envelope layer's random content id.
		filler := make([]byte, rng.IntN(200))
		for j := range filler {
			filler[j] = letters[rng.IntN(len(letters))]
		}
		want[i] = fmt.Sprintf("%06d %016x%016x %s", i, rng.Uint64(), rng.Uint64(), filler)
		c := mustEncrypt(t, from, bob, want[i])
		msgs[i] = crashEnvelope{Index: i, From: fi, Type: c.Type, Body: c.Body}
	}

	// Reorder within a window and deliver about 3% twice, the copy a few
	// positions later.
	const window = 8
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	for i := range order {
		if rng.IntN(4) == 0 {
			j := min(n-1, i+rng.IntN(window))
			order[i], order[j] = order[j], order[i]
		}
	}
	type later struct{ at, idx int }
	var pending []later
	for k, idx := range order {
		stream = append(stream, msgs[idx])
		if rng.IntN(100) < 3 {
			pending = append(pending, later{k + 1 + rng.IntN(window), idx})
		}
		for i := 0; i < len(pending); {
			if pending[i].at <= k {
				stream = append(stream, msgs[pending[i].idx])
				pending = append(pending[:i], pending[i+1:]...)
			} else {
				i++
			}
		}
	}
	for _, p := range pending {
		stream = append(stream, msgs[p.idx])
	}
	b, err := json.Marshal(stream)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "stream.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	return alice, carol, bob, stream, want
}

// selfKillTarget returns a stream position at or after from where the
// point will be reached: any position for "beforeack", the first delivery
// of a message for "callback" (a later delivery never writes to the sink).
func selfKillTarget(stream []crashEnvelope, first []int, from int, point string) int {
	from = min(from, len(stream)-1)
	if point != "callback" {
		return from
	}
	for i := from; i < len(stream); i++ {
		if first[stream[i].Index] == i {
			return i
		}
	}
	return len(stream) - 1
}

// firstPositions returns, for each message, its first stream position.
func firstPositions(stream []crashEnvelope, n int) []int {
	first := make([]int, n)
	for i := range first {
		first[i] = -1
	}
	for p, e := range stream {
		if first[e.Index] < 0 {
			first[e.Index] = p
		}
	}
	return first
}

// TestCrashChild is the client process of TestCrash.
func TestCrashChild(t *testing.T) {
	dir := childDir(t)
	ctx := context.Background()
	raw, err := os.ReadFile(filepath.Join(dir, "stream.json"))
	if err != nil {
		t.Fatal(err)
	}
	var stream []crashEnvelope
	if err := json.Unmarshal(raw, &stream); err != nil {
		t.Fatal(err)
	}
	killAt, killPoint := -1, ""
	if v := os.Getenv(selfKillEnv); v != "" {
		if _, err := fmt.Sscanf(v, "%d %s", &killAt, &killPoint); err != nil {
			t.Fatal(err)
		}
	}

	s := openDB(t, dir)
	m := session.New(s)
	sink, seen := openSink(t, dir)
	events, err := os.OpenFile(filepath.Join(dir, "events"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	ack, err := os.OpenFile(filepath.Join(dir, "ack"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	signalReady(t)

	for pos := readAck(t, dir); pos < len(stream); pos++ {
		e := stream[pos]
		outcome := ""
		err := m.Decrypt(ctx, crashSenders[e.From], session.Ciphertext{Type: e.Type, Body: e.Body}, func(pt []byte) error {
			f := bytes.Fields(pt)
			if len(f) < 2 {
				return fmt.Errorf("malformed plaintext %q", pt)
			}
			id := string(f[1])
			if seen[id] {
				outcome = "dedup"
				return nil
			}
			if _, err := sink.Write(append(bytes.Clone(pt), '\n')); err != nil {
				return err
			}
			if err := sink.Sync(); err != nil {
				return err
			}
			seen[id] = true
			outcome = "ok"
			if pos == killAt && killPoint == "callback" {
				killSelf()
			}
			return nil
		})
		switch {
		case err == nil:
		case errors.Is(err, session.ErrDuplicateMessage):
			outcome = "dup"
		default:
			fmt.Fprintf(events, "FAIL %d %d %v\n", pos, e.Index, err)
			t.Fatalf("position %d (message %d): %v", pos, e.Index, err)
		}
		fmt.Fprintf(events, "%s %d %d\n", outcome, pos, e.Index)
		if pos == killAt && killPoint == "beforeack" {
			killSelf()
		}
		if _, err := ack.WriteAt(binary.BigEndian.AppendUint64(nil, uint64(pos+1)), 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// openSink opens the app's message store and returns the ids it holds. A
// line cut short by a kill is removed.
func openSink(t *testing.T, dir string) (*os.File, map[string]bool) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, "sink"), os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if i := bytes.LastIndexByte(raw, '\n'); i+1 != len(raw) {
		raw = raw[:i+1]
		if err := f.Truncate(int64(len(raw))); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	for line := range bytes.Lines(raw) {
		if f := bytes.Fields(line); len(f) >= 2 {
			seen[string(f[1])] = true
		}
	}
	return f, seen
}

func readSink(t *testing.T, dir string) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "sink"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
}

func readEvents(t *testing.T, dir string) map[string]int {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "events"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	stats := map[string]int{}
	for sc := bufio.NewScanner(f); sc.Scan(); {
		if kind, _, ok := strings.Cut(sc.Text(), " "); ok {
			stats[kind]++
		}
	}
	return stats
}

// readAck returns the stream position the server resumes from.
func readAck(t *testing.T, dir string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "ack"))
	if errors.Is(err, os.ErrNotExist) || err == nil && len(b) == 0 {
		return 0
	} else if err != nil || len(b) != 8 {
		t.Fatalf("ack file: %d bytes, %v", len(b), err)
	}
	return int(binary.BigEndian.Uint64(b))
}
