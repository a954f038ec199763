// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// testPeer runs runPeer in-process over pipes.
type testPeer struct {
	t    *testing.T
	in   *io.PipeWriter
	out  *bufio.Reader
	done chan int
}

func startPeer(t *testing.T, args ...string) *testPeer {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	p := &testPeer{t: t, in: inW, out: bufio.NewReader(outR), done: make(chan int, 1)}
	go func() {
		p.done <- runPeer(args, inR, outW, io.Discard)
		outW.Close()
	}()
	return p
}

func (p *testPeer) call(req map[string]any) map[string]json.RawMessage {
	p.t.Helper()
	line, _ := json.Marshal(req)
	if _, err := p.in.Write(append(line, '\n')); err != nil {
		p.t.Fatal(err)
	}
	resp, err := p.out.ReadBytes('\n')
	if err != nil {
		p.t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(resp, &m); err != nil {
		p.t.Fatalf("response %q: %v", resp, err)
	}
	return m
}

func (p *testPeer) stop() {
	p.in.Close()
	if code := <-p.done; code != 0 {
		p.t.Fatalf("peer exited %d", code)
	}
}

func (p *testPeer) send(to, text string) map[string]any {
	p.t.Helper()
	r := p.call(map[string]any{"op": "encrypt", "peer": to, "plaintext": []byte(text)})
	if e, ok := r["error"]; ok {
		p.t.Fatalf("encrypt: %s", e)
	}
	var typ int
	var body []byte
	_ = json.Unmarshal(r["type"], &typ)
	_ = json.Unmarshal(r["body"], &body)
	return map[string]any{"op": "decrypt", "type": typ, "body": body}
}

func (p *testPeer) recv(from string, msg map[string]any, want string) {
	p.t.Helper()
	msg["peer"] = from
	r := p.call(msg)
	var got []byte
	if e, ok := r["error"]; ok {
		p.t.Fatalf("decrypt: %s", e)
	}
	_ = json.Unmarshal(r["plaintext"], &got)
	if string(got) != want {
		p.t.Fatalf("decrypted %q, want %q", got, want)
	}
}

// TestPeerStoreSurvivesRestart: a peer on --store is stopped and started
// again without init, and the conversation continues in both directions,
// in each profile. The restarted peer publishes the same bundle (in v4,
// the same KEM prekey) and its messages keep the profile's version byte.
func TestPeerStoreSurvivesRestart(t *testing.T) {
	for _, tc := range []struct {
		profile string
		version byte
	}{{"v3", 0x33}, {"v4", 0x44}} {
		t.Run(tc.profile, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bob.db")
			alice := startPeer(t, "--profile", tc.profile)
			bob := startPeer(t, "--profile", tc.profile, "--store", path)
			alice.call(map[string]any{"op": "init", "name": "alice"})
			bundle := bob.call(map[string]any{"op": "init", "name": "bob", "reg_id": 42})
			if _, ok := bundle["kem_prekey"]; ok != (tc.profile == "v4") {
				t.Fatalf("profile %s: bundle has kem_prekey = %v", tc.profile, ok)
			}
			if r := alice.call(map[string]any{"op": "process_bundle", "peer": "bob", "bundle": bundle}); r["ok"] == nil {
				t.Fatalf("process_bundle: %v", r)
			}
			first := alice.send("bob", "before restart")
			if v := versionByte(t, first); v != tc.version {
				t.Fatalf("version byte %#x, want %#x", v, tc.version)
			}
			bob.recv("alice", first, "before restart")
			late := alice.send("bob", "delivered after restart")
			bob.stop()

			bob = startPeer(t, "--profile", tc.profile, "--store", path)
			again := bob.call(map[string]any{"op": "bundle"})
			if string(again["identity_pub"]) != string(bundle["identity_pub"]) || string(again["reg_id"]) != "42" {
				t.Fatalf("restarted peer has another identity: %s vs %s", again["identity_pub"], bundle["identity_pub"])
			}
			if string(again["kem_prekey"]) != string(bundle["kem_prekey"]) {
				t.Fatalf("restarted peer has another kem_prekey: %.80s vs %.80s", again["kem_prekey"], bundle["kem_prekey"])
			}
			if _, ok := again["prekey"]; ok {
				t.Fatal("restarted peer republishes its consumed one-time prekey")
			}
			bob.recv("alice", late, "delivered after restart")
			reply := bob.send("alice", "reply after restart")
			if v := versionByte(t, reply); v != tc.version {
				t.Fatalf("reply version byte %#x, want %#x", v, tc.version)
			}
			alice.recv("bob", reply, "reply after restart")
			// A replay after the restart is still rejected.
			if r := bob.call(map[string]any{"op": "decrypt", "peer": "alice", "type": late["type"], "body": late["body"]}); r["error"] == nil {
				t.Fatal("replay accepted after restart")
			}
			bob.stop()
			alice.stop()
		})
	}
}

func TestPeerMalformedLines(t *testing.T) {
	p := startPeer(t)
	for _, line := range []string{"nonsense", `{"op":"frobnicate","id":7}`, `{"op":"decrypt","id":"x","body":"***"}`, `{"op":"encrypt","peer":"nobody"}`} {
		p.in.Write([]byte(line + "\n"))
		resp, err := p.out.ReadString('\n')
		if err != nil || !strings.Contains(resp, `"error"`) {
			t.Fatalf("line %q answered %q, %v", line, resp, err)
		}
		if strings.Contains(line, `"id"`) && !strings.Contains(resp, `"id"`) {
			t.Fatalf("line %q: id not echoed in %q", line, resp)
		}
	}
	r := p.call(map[string]any{"op": "init", "name": "a"})
	if _, err := base64.StdEncoding.DecodeString(strings.Trim(string(r["identity_pub"]), `"`)); err != nil {
		t.Fatalf("init after garbage: %v", r)
	}
	p.stop()
}
