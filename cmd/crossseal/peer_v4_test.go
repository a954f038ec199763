// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crossseal/crossseal/internal/kem"
	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/keystore/sqlitestore"
)

// versionByte is the first byte of a message returned by testPeer.send.
func versionByte(t *testing.T, msg map[string]any) byte {
	t.Helper()
	body, _ := msg["body"].([]byte)
	if len(body) == 0 {
		t.Fatal("empty message body")
	}
	return body[0]
}

// messageType is the type of a message returned by testPeer.send.
func messageType(msg map[string]any) int {
	typ, _ := msg["type"].(int)
	return typ
}

// kemPreKeyOf decodes the kem_prekey of a bundle response.
func kemPreKeyOf(t *testing.T, bundle map[string]json.RawMessage) kemPreKeyJSON {
	t.Helper()
	var k kemPreKeyJSON
	raw, ok := bundle["kem_prekey"]
	if !ok {
		t.Fatal("bundle has no kem_prekey")
	}
	if err := json.Unmarshal(raw, &k); err != nil {
		t.Fatalf("kem_prekey %s: %v", raw, err)
	}
	return k
}

// withField returns a copy of bundle with field set to v (nil: removed).
func withField(bundle map[string]json.RawMessage, field string, v any) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(bundle))
	for k, raw := range bundle {
		out[k] = raw
	}
	delete(out, field)
	if v != nil {
		out[field], _ = json.Marshal(v)
	}
	return out
}

// converse sends n messages each way, alternating, and checks that each
// decrypts and carries version byte version; the first of from's is a
// PreKey message, every other one a SignalMessage.
func converse(t *testing.T, from, to *testPeer, fromName, toName string, n int, version byte) {
	t.Helper()
	for i := range 2 * n {
		x, y, xn, yn := from, to, fromName, toName
		if i%2 == 1 {
			x, y, xn, yn = to, from, toName, fromName
		}
		pt := fmt.Sprintf("message %d from %s", i, xn)
		msg := x.send(yn, pt)
		if v := versionByte(t, msg); v != version {
			t.Fatalf("message %d: version byte %#x, want %#x", i, v, version)
		}
		if want := map[bool]int{true: 3, false: 2}[i == 0]; messageType(msg) != want {
			t.Fatalf("message %d: type %d, want %d", i, messageType(msg), want)
		}
		y.recv(xn, msg, pt)
	}
}

// TestPeerV4Conversation: two peers in the v4 profile (the default, and
// explicit) publish bundles with a Kyber1024 kem_prekey as INTEROP.md
// specifies, and every message of the session they start is v4.
func TestPeerV4Conversation(t *testing.T) {
	alice := startPeer(t)
	bob := startPeer(t, "--profile", "v4")
	ab := alice.call(map[string]any{"op": "init", "name": "alice"})
	bundle := bob.call(map[string]any{"op": "init", "name": "bob"})
	for _, b := range []map[string]json.RawMessage{ab, bundle} {
		k := kemPreKeyOf(t, b)
		if k.KEMType != int(kem.Kyber1024) || len(k.Pub) != kem.SerializedPublicKeySize || k.Pub[0] != byte(kem.Kyber1024) || len(k.Sig) != 64 || k.ID == 0 {
			t.Fatalf("kem_prekey: id %d, kem_type %d, pub %d bytes, sig %d bytes", k.ID, k.KEMType, len(k.Pub), len(k.Sig))
		}
		if _, err := kem.ParsePublicKey(k.Pub); err != nil {
			t.Fatal(err)
		}
	}
	if again := bob.call(map[string]any{"op": "bundle"}); string(again["kem_prekey"]) != string(bundle["kem_prekey"]) {
		t.Fatal(`"bundle" returned another kem_prekey`)
	}
	if r := alice.call(map[string]any{"op": "process_bundle", "peer": "bob", "bundle": bundle}); r["ok"] == nil {
		t.Fatalf("process_bundle: %s", r["error"])
	}
	converse(t, alice, bob, "alice", "bob", 20, 0x44)

	// The KEM prekey is last resort: a second initiator uses it too, from
	// the bundle without the consumed one-time prekey.
	carol := startPeer(t, "--profile", "v4")
	carol.call(map[string]any{"op": "init", "name": "carol"})
	again := bob.call(map[string]any{"op": "bundle"})
	if _, ok := again["prekey"]; ok || string(again["kem_prekey"]) != string(bundle["kem_prekey"]) {
		t.Fatalf("bundle after first use: prekey present %v, same kem_prekey %v", ok, string(again["kem_prekey"]) == string(bundle["kem_prekey"]))
	}
	if r := carol.call(map[string]any{"op": "process_bundle", "peer": "bob", "bundle": again}); r["ok"] == nil {
		t.Fatalf("process_bundle: %s", r["error"])
	}
	converse(t, carol, bob, "carol", "bob", 2, 0x44)
	alice.stop()
	bob.stop()
	carol.stop()
}

// TestPeerV4RefusesBundleWithoutKEMPreKey: in the v4 profile a bundle
// without a usable kem_prekey is answered with an error and starts no
// session (no silent downgrade to v3); the complete bundle then works.
func TestPeerV4RefusesBundleWithoutKEMPreKey(t *testing.T) {
	alice := startPeer(t, "--profile", "v4")
	alice.call(map[string]any{"op": "init", "name": "alice"})
	bob := startPeer(t, "--profile", "v4")
	bundle := bob.call(map[string]any{"op": "init", "name": "bob"})
	k := kemPreKeyOf(t, bundle)
	v3 := startPeer(t, "--profile", "v3")
	v3Bundle := v3.call(map[string]any{"op": "init", "name": "bob"})
	if _, ok := v3Bundle["kem_prekey"]; ok {
		t.Fatal("the v3 profile published a kem_prekey")
	}
	badSig := k
	badSig.Sig = append([]byte{}, k.Sig...)
	badSig.Sig[5] ^= 1
	wrongType := k
	wrongType.KEMType = int(kem.MLKEM1024)
	short := k
	short.Pub = k.Pub[:len(k.Pub)-1]
	for _, tc := range []struct {
		name   string
		bundle map[string]json.RawMessage
	}{
		{"v3 profile bundle", v3Bundle},
		{"kem_prekey removed", withField(bundle, "kem_prekey", nil)},
		{"kem_prekey null", withField(bundle, "kem_prekey", json.RawMessage("null"))},
		{"kem_prekey not an object", withField(bundle, "kem_prekey", "garbage")},
		{"kem_prekey signature", withField(bundle, "kem_prekey", badSig)},
		{"kem_type mismatch", withField(bundle, "kem_prekey", wrongType)},
		{"kem_prekey truncated", withField(bundle, "kem_prekey", short)},
	} {
		r := alice.call(map[string]any{"op": "process_bundle", "peer": "bob", "bundle": tc.bundle})
		if r["error"] == nil {
			t.Fatalf("%s: accepted: %v", tc.name, r)
		}
		t.Logf("%s: %s", tc.name, r["error"])
		if r := alice.call(map[string]any{"op": "encrypt", "peer": "bob", "plaintext": []byte("x")}); r["error"] == nil {
			t.Fatalf("%s: refused, but a session was started", tc.name)
		}
	}
	if r := alice.call(map[string]any{"op": "process_bundle", "peer": "bob", "bundle": bundle}); r["ok"] == nil {
		t.Fatalf("process_bundle: %s", r["error"])
	}
	converse(t, alice, bob, "alice", "bob", 2, 0x44)
	alice.stop()
	bob.stop()
	v3.stop()
}

// TestPeerV3IgnoresKEMPreKey: the v3 profile keeps its behaviour: it
// ignores a bundle's kem_prekey (even a malformed one) and starts a v3
// session, which a v4 peer accepts and answers in v3.
func TestPeerV3IgnoresKEMPreKey(t *testing.T) {
	alice := startPeer(t, "--profile", "v3")
	alice.call(map[string]any{"op": "init", "name": "alice"})
	bob := startPeer(t, "--profile", "v4")
	bundle := bob.call(map[string]any{"op": "init", "name": "bob"})
	garbled := withField(bundle, "kem_prekey", "garbage")
	if r := alice.call(map[string]any{"op": "process_bundle", "peer": "bob", "bundle": garbled}); r["ok"] == nil {
		t.Fatalf("process_bundle with a malformed kem_prekey: %s", r["error"])
	}
	if r := alice.call(map[string]any{"op": "process_bundle", "peer": "bob", "bundle": bundle}); r["ok"] == nil {
		t.Fatalf("process_bundle: %s", r["error"])
	}
	converse(t, alice, bob, "alice", "bob", 3, 0x33)
	alice.stop()
	bob.stop()
}

// TestPeerStoreOldRecord: a store whose peer record was written before
// the v4 profile ({"spk","pk"} only) still loads. The v3 profile
// publishes the same bundle; the v4 profile adds a KEM prekey, keeps it
// across restarts, and v4 sessions start from it.
func TestPeerStoreOldRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bob.db")
	bob := startPeer(t, "--profile", "v3", "--store", path)
	bundle := bob.call(map[string]any{"op": "init", "name": "bob", "reg_id": 7})
	bob.stop()
	var ids struct {
		SignedPreKey struct{ ID uint32 } `json:"signed_prekey"`
		PreKey       struct{ ID uint32 } `json:"prekey"`
	}
	raw, _ := json.Marshal(bundle)
	if err := json.Unmarshal(raw, &ids); err != nil {
		t.Fatal(err)
	}
	db, err := sqlitestore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	old := fmt.Appendf(nil, `{"spk":%d,"pk":%d}`, ids.SignedPreKey.ID, ids.PreKey.ID)
	if err := db.Update(context.Background(), func(tx keystore.Tx) error { return tx.SetValue(bundleKey, old) }); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	bob = startPeer(t, "--profile", "v3", "--store", path)
	if again := bob.call(map[string]any{"op": "bundle"}); string(again["signed_prekey"]) != string(bundle["signed_prekey"]) ||
		string(again["prekey"]) != string(bundle["prekey"]) || again["kem_prekey"] != nil {
		t.Fatalf("v3 on an old record: bundle %v, want %v", again, bundle)
	}
	bob.stop()

	bob = startPeer(t, "--profile", "v4", "--store", path)
	v4Bundle := bob.call(map[string]any{"op": "bundle"})
	if string(v4Bundle["identity_pub"]) != string(bundle["identity_pub"]) || string(v4Bundle["prekey"]) != string(bundle["prekey"]) {
		t.Fatal("v4 on an old record: another account")
	}
	kemPreKeyOf(t, v4Bundle)
	alice := startPeer(t, "--profile", "v4")
	alice.call(map[string]any{"op": "init", "name": "alice"})
	if r := alice.call(map[string]any{"op": "process_bundle", "peer": "bob", "bundle": v4Bundle}); r["ok"] == nil {
		t.Fatalf("process_bundle: %s", r["error"])
	}
	converse(t, alice, bob, "alice", "bob", 2, 0x44)
	bob.stop()

	bob = startPeer(t, "--profile", "v4", "--store", path)
	if again := bob.call(map[string]any{"op": "bundle"}); string(again["kem_prekey"]) != string(v4Bundle["kem_prekey"]) {
		t.Fatal("the KEM prekey added to an old record did not persist")
	}
	pt := "after the second restart"
	bob.recv("alice", alice.send("bob", pt), pt)
	alice.recv("bob", bob.send("alice", pt), pt)
	bob.stop()
	alice.stop()
}

// TestPeerProfileFlag: unknown profiles are refused at startup, and the
// help text names both profiles.
func TestPeerProfileFlag(t *testing.T) {
	var stderr strings.Builder
	if code := runPeer([]string{"--profile", "v5"}, strings.NewReader(""), &strings.Builder{}, &stderr); code != 2 {
		t.Fatalf("--profile v5: exit %d, want 2", code)
	}
	stderr.Reset()
	runPeer([]string{"-h"}, strings.NewReader(""), &strings.Builder{}, &stderr)
	if !strings.Contains(stderr.String(), "--profile v3|v4") {
		t.Fatalf("help text: %q", stderr.String())
	}
}
