// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package nodepeer

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/kem"
	"github.com/crossseal/crossseal/internal/wire"
	"github.com/crossseal/crossseal/interop/driver"
	"github.com/crossseal/crossseal/x3dh"
)

// TestScenarios runs the driver's interop scenarios between two Node
// peers, each side initiating in turn, as driver.RunScenarios does (the
// garbage scenario's wrong version byte is 0x33 for v4 messages).
// TestGarbage adds the checks specific to the Node peer.
func TestScenarios(t *testing.T) {
	newPeer := Command()
	for _, sc := range driver.Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Run("A_initiates", func(t *testing.T) {
				a, b := newPeer(t, driver.NameA), newPeer(t, driver.NameB)
				sc.Run(t, a, b)
			})
			t.Run("B_initiates", func(t *testing.T) {
				a, b := newPeer(t, driver.NameA), newPeer(t, driver.NameB)
				sc.Run(t, b, a)
			})
		})
	}
}

// TestGarbage is the driver's garbage scenario adapted to v4: malformed
// messages (truncated, extended, random, wrong version bytes 0x22 and
// 0x33, wrong type) and malformed request lines are answered with an
// error, the peer stays in step, and the untampered messages still
// decrypt.
func TestGarbage(t *testing.T) {
	alice, bob := pair(t)
	check := func(from, to *driver.Peer, label string) {
		t.Helper()
		pt := []byte(label)
		m := mustSend(t, from, to, pt)
		b := m.Body
		version := func(v byte) []byte { c := bytes.Clone(b); c[0] = v; return c }
		other := driver.TypeSignal + driver.TypePreKey - m.Type
		for _, g := range []struct {
			what string
			msg  driver.Message
		}{
			{"empty", driver.Message{Type: m.Type}},
			{"first byte only", driver.Message{Type: m.Type, Body: b[:1]}},
			{"half", driver.Message{Type: m.Type, Body: b[:len(b)/2]}},
			{"last byte cut", driver.Message{Type: m.Type, Body: b[:len(b)-1]}},
			{"extended", driver.Message{Type: m.Type, Body: append(bytes.Clone(b), 0)}},
			{"version 0x22", driver.Message{Type: m.Type, Body: version(0x22)}},
			{"version 0x33", driver.Message{Type: m.Type, Body: version(0x33)}},
			{"version 0x55", driver.Message{Type: m.Type, Body: version(0x55)}},
			{"random", driver.Message{Type: m.Type, Body: randomBytes(len(b))}},
			{"0x44 then random", driver.Message{Type: m.Type, Body: append([]byte{0x44}, randomBytes(len(b)-1)...)}},
			{"other type", driver.Message{Type: other, Body: b}},
			{"type 7", driver.Message{Type: 7, Body: b}},
		} {
			mustReject(t, to, from, g.msg, label+": "+g.what)
		}
		mustRecv(t, to, from, m, pt)
	}
	check(alice, bob, "PreKey message")
	check(bob, alice, "reply")
	check(alice, bob, "SignalMessage")
	for _, line := range []string{
		"not json", "[1,2,3]", "{}", `{"op":"frobnicate","id":9001}`,
		`{"op":"decrypt","id":"s-1","peer":"alice","type":2,"body":"***not base64***"}`,
		`{"op":"decrypt","id":9002,"peer":"alice","type":2}`,
		`{"op":"encrypt","id":9003,"peer":"nobody-here","plaintext":"aGk="}`,
		`{"op":"process_bundle","id":9004,"peer":"nobody-here","bundle":{"identity_pub":"BQ=="}}`,
		`{"op":"init","id":9005,"reg_id":"seven"`,
		`{"op":"init","id":9006,"name":"x","reg_id":16381}`,
	} {
		resp, err := bob.CallRaw([]byte(line))
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if _, ok := resp.ErrorMessage(); !ok {
			t.Errorf("malformed request %q answered without an error", line)
		}
	}
	// Still in step, and the session survived.
	pt := []byte("after garbage")
	mustRecv(t, bob, alice, mustSend(t, alice, bob, pt), pt)
	mustRecv(t, alice, bob, mustSend(t, bob, alice, pt), pt)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// start starts a Node peer named name for the test.
func start(t *testing.T, name string) *driver.Peer {
	t.Helper()
	return Command()(t, name).(*driver.Peer)
}

// pair starts alice and bob and has alice process bob's bundle.
func pair(t *testing.T) (alice, bob *driver.Peer) {
	t.Helper()
	alice, bob = start(t, driver.NameA), start(t, driver.NameB)
	if _, err := alice.Init(0); err != nil {
		t.Fatal(err)
	}
	b, err := bob.Init(0)
	if err != nil {
		t.Fatal(err)
	}
	if err := alice.ProcessBundle(bob.Name(), b); err != nil {
		t.Fatal(err)
	}
	return alice, bob
}

func mustSend(t *testing.T, from, to *driver.Peer, pt []byte) driver.Message {
	t.Helper()
	m, err := from.Encrypt(to.Name(), pt)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func mustRecv(t *testing.T, to, from *driver.Peer, m driver.Message, want []byte) {
	t.Helper()
	got, err := to.Decrypt(from.Name(), m)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s decrypted %d bytes, want %d", to.Name(), len(got), len(want))
	}
}

func mustReject(t *testing.T, to, from *driver.Peer, m driver.Message, what string) {
	t.Helper()
	_, err := to.Decrypt(from.Name(), m)
	var pe *driver.PeerError
	switch {
	case err == nil:
		t.Fatalf("%s: decrypted, want an error", what)
	case !errors.As(err, &pe):
		t.Fatalf("%s: %v", what, err)
	default:
		t.Logf("%s: rejected: %s", what, pe.Message)
	}
}

// TestPingPongLong runs 60 rounds of alternating messages (a DH ratchet
// step and an SPQR step on every message), then out-of-order delivery,
// a replay and a tampered message in the long-running session.
func TestPingPongLong(t *testing.T) {
	alice, bob := pair(t)
	for i := range 60 {
		from, to := alice, bob
		if i%2 == 1 {
			from, to = bob, alice
		}
		pt := fmt.Appendf(nil, "round %d from %s", i, from.Name())
		m := mustSend(t, from, to, pt)
		if want := map[bool]int{true: driver.TypePreKey, false: driver.TypeSignal}[i == 0]; m.Type != want {
			t.Fatalf("round %d: type %d, want %d", i, m.Type, want)
		}
		if m.Body[0] != 0x44 {
			t.Fatalf("round %d: version byte %#x, want 0x44", i, m.Body[0])
		}
		mustRecv(t, to, from, m, pt)
	}
	// Out of order, then replay and tamper, in the same session.
	var msgs []driver.Message
	var pts [][]byte
	for i := range 6 {
		pt := fmt.Appendf(nil, "late %d", i)
		pts, msgs = append(pts, pt), append(msgs, mustSend(t, alice, bob, pt))
	}
	for _, i := range []int{5, 0, 3, 1, 4, 2} {
		mustRecv(t, bob, alice, msgs[i], pts[i])
	}
	mustReject(t, bob, alice, msgs[3], "replayed message")
	pt := []byte("to be tampered with")
	m := mustSend(t, bob, alice, pt)
	bad := driver.Message{Type: m.Type, Body: bytes.Clone(m.Body)}
	bad.Body[len(bad.Body)-1] ^= 0x01 // last MAC byte
	mustReject(t, alice, bob, bad, "tampered MAC")
	mustRecv(t, alice, bob, m, pt)
}

// nodeBundle is the JSON bundle of the Node peer, with the v4 field.
type nodeBundle struct {
	IdentityPub  []byte `json:"identity_pub"`
	RegID        uint32 `json:"reg_id"`
	DeviceID     uint32 `json:"device_id"`
	SignedPreKey struct {
		ID  uint32 `json:"id"`
		Pub []byte `json:"pub"`
		Sig []byte `json:"sig"`
	} `json:"signed_prekey"`
	PreKey *struct {
		ID  uint32 `json:"id"`
		Pub []byte `json:"pub"`
	} `json:"prekey,omitempty"`
	KEMPreKey *struct {
		ID      uint32 `json:"id"`
		Pub     []byte `json:"pub"`
		Sig     []byte `json:"sig"`
		KEMType int    `json:"kem_type"`
	} `json:"kem_prekey,omitempty"`
}

func call(t *testing.T, p *driver.Peer, req driver.Request) driver.Response {
	t.Helper()
	resp, err := p.Call(req)
	if err != nil {
		t.Fatal(err)
	}
	if msg, ok := resp.ErrorMessage(); ok {
		t.Fatalf("%s: %v: %s", p.Name(), req["op"], msg)
	}
	return resp
}

// TestBundleKEMPreKey checks libsignal's published KEM prekey against
// crossseal: it is Kyber1024 (type 0x08, 1 + 1568 bytes), it parses with
// internal/kem, and its signature, which covers the type byte, verifies
// with x3dh.VerifyKEMPreKey; a crossseal x3dh.Bundle built from the rest
// verifies too. The "bundle" op returns the same keys.
func TestBundleKEMPreKey(t *testing.T) {
	p := start(t, "carol")
	b, err := p.Init(0)
	if err != nil {
		t.Fatal(err)
	}
	var nb nodeBundle
	if err := json.Unmarshal(b.Raw, &nb); err != nil {
		t.Fatal(err)
	}
	if nb.KEMPreKey == nil {
		t.Fatal("the v4 bundle has no kem_prekey")
	}
	k := nb.KEMPreKey
	if k.KEMType != int(kem.Kyber1024) || len(k.Pub) != kem.SerializedPublicKeySize || k.Pub[0] != byte(kem.Kyber1024) {
		t.Fatalf("kem_prekey: kem_type %d, %d bytes starting %#x; want Kyber1024, %d bytes", k.KEMType, len(k.Pub), k.Pub[0], kem.SerializedPublicKeySize)
	}
	pub, err := kem.ParsePublicKey(k.Pub)
	if err != nil {
		t.Fatal(err)
	}
	ik, err := x3dh.NewPublicKey(nb.IdentityPub)
	if err != nil {
		t.Fatal(err)
	}
	if err := x3dh.VerifyKEMPreKey(ik, pub, k.Sig); err != nil {
		t.Fatalf("libsignal's KEM prekey signature: %v", err)
	}
	if curve.Verify(ik, k.Sig, k.Pub[1:]) {
		t.Fatal("libsignal's KEM prekey signature verifies without the type byte")
	}
	spk, err := x3dh.NewPublicKey(nb.SignedPreKey.Pub)
	if err != nil {
		t.Fatal(err)
	}
	xb := x3dh.Bundle{RegistrationID: nb.RegID, DeviceID: nb.DeviceID, IdentityKey: ik,
		SignedPreKeyID: nb.SignedPreKey.ID, SignedPreKey: spk, SignedPreKeySignature: nb.SignedPreKey.Sig}
	if err := xb.Verify(); err != nil {
		t.Fatal(err)
	}
	resp := call(t, p, driver.Request{"op": "bundle"})
	var again nodeBundle
	raw, _ := json.Marshal(resp)
	if err := json.Unmarshal(raw, &again); err != nil || again.KEMPreKey == nil || !bytes.Equal(again.KEMPreKey.Pub, k.Pub) ||
		!bytes.Equal(again.IdentityPub, nb.IdentityPub) {
		t.Fatalf("bundle op returned another bundle (%v)", err)
	}
}

// TestKEMKeyFormats cross-checks internal/kem with key pairs that libsignal
// generated: its serialized secret key (type ‖ 3168 bytes) parses, embeds
// the public key at the FIPS 203 offset and re-serializes to the same
// bytes, and encapsulating to libsignal's public key in Go decapsulates
// with libsignal's secret key in Go. The last check only passes if circl
// and libcrux agree on the key encoding and on the expansion of the
// public matrix from ρ.
func TestKEMKeyFormats(t *testing.T) {
	p := start(t, "dave")
	for range 4 {
		resp := call(t, p, driver.Request{"op": "kem_keypair"})
		var kp struct {
			KEMType int    `json:"kem_type"`
			Pub     []byte `json:"pub"`
			Secret  []byte `json:"secret"`
		}
		raw, _ := json.Marshal(resp)
		if err := json.Unmarshal(raw, &kp); err != nil {
			t.Fatal(err)
		}
		if kp.KEMType != int(kem.Kyber1024) || len(kp.Secret) != kem.SerializedPrivateKeySize || kp.Secret[0] != byte(kem.Kyber1024) {
			t.Fatalf("libsignal secret key: type %d, %d bytes", kp.KEMType, len(kp.Secret))
		}
		pub, err := kem.ParsePublicKey(kp.Pub)
		if err != nil {
			t.Fatal(err)
		}
		priv, err := kem.ParsePrivateKey(kp.Secret)
		if err != nil {
			t.Fatalf("libsignal's secret key does not parse: %v", err)
		}
		if !priv.PublicKey().Equal(pub) {
			t.Fatal("libsignal's secret key embeds another public key")
		}
		if !bytes.Equal(priv.Bytes(), kp.Secret) {
			t.Fatal("libsignal's secret key does not re-serialize to itself")
		}
		ct, ss, err := pub.Encapsulate(nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := priv.Decapsulate(ct)
		if err != nil || !bytes.Equal(got, ss) {
			t.Fatalf("encapsulation to libsignal's key: secrets differ (%v)", err)
		}
	}
}

// goResponder is a responder whose keys crossseal made: a bundle for the
// Node peer and the private keys to answer its PreKey message with
// x3dh.RespondPQ.
type goResponder struct {
	ik, spk, opk *curve.PrivateKey
	kemPre       x3dh.KEMPreKey
	kemPriv      *kem.PrivateKey
	bundle       map[string]any
}

func newGoResponder(t *testing.T, typ kem.Type) *goResponder {
	t.Helper()
	key := func() *curve.PrivateKey {
		k, err := curve.GeneratePrivateKey(nil)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	r := &goResponder{ik: key(), spk: key(), opk: key()}
	sig, err := r.ik.Sign(nil, r.spk.PublicKey().Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if r.kemPre, r.kemPriv, err = x3dh.GenerateKEMPreKey(r.ik, 77, typ, nil); err != nil {
		t.Fatal(err)
	}
	r.bundle = map[string]any{
		"identity_pub":  r.ik.PublicKey().Bytes(),
		"reg_id":        1234,
		"device_id":     1,
		"signed_prekey": map[string]any{"id": 5, "pub": r.spk.PublicKey().Bytes(), "sig": sig},
		"prekey":        map[string]any{"id": 6, "pub": r.opk.PublicKey().Bytes()},
		"kem_prekey":    map[string]any{"id": r.kemPre.ID, "pub": r.kemPre.PublicKey.Bytes(), "sig": r.kemPre.Signature, "kem_type": int(typ)},
	}
	return r
}

// TestGoKEMPreKeyAccepted gives libsignal a bundle made by crossseal, with
// a Kyber1024 prekey signed by x3dh.GenerateKEMPreKey. libsignal verifies
// both signatures and runs PQXDH to it; its PreKeySignalMessage (v4) names
// the KEM prekey and carries the ciphertext as 0x08 ‖ 1568 bytes, which
// x3dh.RespondPQ accepts. (Whether the derived keys agree can only be
// checked by decrypting the message, which needs SPQR: milestone 2.)
func TestGoKEMPreKeyAccepted(t *testing.T) {
	alice := start(t, driver.NameA)
	if _, err := alice.Init(0); err != nil {
		t.Fatal(err)
	}
	r := newGoResponder(t, kem.Kyber1024)
	call(t, alice, driver.Request{"op": "process_bundle", "peer": "gobob", "bundle": r.bundle})
	m, err := alice.Encrypt("gobob", []byte("hello, crossseal"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Type != driver.TypePreKey {
		t.Fatalf("type %d, want a PreKey message", m.Type)
	}
	pm, err := wire.ParsePreKeySignalMessage(m.Body)
	if err != nil {
		t.Fatal(err)
	}
	if pm.Version != 4 || m.Body[0] != 0x44 {
		t.Fatalf("version %d (byte %#x), want 4 (0x44)", pm.Version, m.Body[0])
	}
	if !pm.HasKyberPreKeyID || pm.KyberPreKeyID != r.kemPre.ID || !pm.HasPreKeyID || pm.PreKeyID != 6 || pm.SignedPreKeyID != 5 {
		t.Fatalf("prekey ids: kyber %v/%d, one-time %v/%d, signed %d", pm.HasKyberPreKeyID, pm.KyberPreKeyID, pm.HasPreKeyID, pm.PreKeyID, pm.SignedPreKeyID)
	}
	if len(pm.KyberCiphertext) != kem.SerializedCiphertextSize || pm.KyberCiphertext[0] != byte(kem.Kyber1024) {
		t.Fatalf("kyber_ciphertext is %d bytes starting %#x, want %d starting 0x08",
			len(pm.KyberCiphertext), pm.KyberCiphertext[:1], kem.SerializedCiphertextSize)
	}
	if len(pm.Message.PQRatchet) == 0 {
		t.Error("the first SignalMessage carries no pq_ratchet (field 5): SPQR is expected in every v4 message")
	}
	s, err := x3dh.RespondPQ(x3dh.ResponderParameters{OurIdentity: r.ik, OurSignedPreKey: r.spk, OurOneTimePreKey: r.opk,
		TheirIdentity: pm.IdentityKey, TheirBase: pm.BaseKey}, r.kemPriv, pm.KyberCiphertext)
	if err != nil {
		t.Fatalf("RespondPQ on libsignal's message: %v", err)
	}
	s.Clear()

	// A bad KEM prekey signature is refused by libsignal too.
	r2 := newGoResponder(t, kem.Kyber1024)
	kp := r2.bundle["kem_prekey"].(map[string]any)
	sig := bytes.Clone(r2.kemPre.Signature)
	sig[3] ^= 1
	kp["sig"] = sig
	resp, err := alice.Call(driver.Request{"op": "process_bundle", "peer": "gobob2", "bundle": r2.bundle})
	if err != nil {
		t.Fatal(err)
	}
	if msg, ok := resp.ErrorMessage(); !ok {
		t.Error("libsignal accepted a KEM prekey with a bad signature")
	} else {
		t.Logf("bad KEM prekey signature: %s", msg)
	}
}

// TestMLKEMPreKey records whether libsignal 0.103 (as shipped on npm)
// accepts an ML-KEM-1024 (0x0A) prekey. Its protocol crate gates the type
// behind the non-default "mlkem1024" feature, so the npm build refuses it;
// crossseal must therefore publish Kyber1024 prekeys to talk to it.
func TestMLKEMPreKey(t *testing.T) {
	alice := start(t, driver.NameA)
	if _, err := alice.Init(0); err != nil {
		t.Fatal(err)
	}
	r := newGoResponder(t, kem.MLKEM1024)
	resp, err := alice.Call(driver.Request{"op": "process_bundle", "peer": "gobob", "bundle": r.bundle})
	if err != nil {
		t.Fatal(err)
	}
	msg, rejected := resp.ErrorMessage()
	if !rejected {
		t.Fatal("libsignal 0.103 accepted an ML-KEM-1024 prekey; update x3dh's docs and this test")
	}
	t.Logf("ML-KEM-1024 prekey refused: %s", msg)
}

// TestX3DHOnlyRejected sends libsignal a v3 (X3DH-only) PreKey message
// made by crossseal's own peer (`crossseal peer --profile v3`, which
// ignores the bundle's kem_prekey) and checks that libsignal 0.103 refuses
// it, as PROTOCOL.md says ("X3DH no longer supported").
func TestX3DHOnlyRejected(t *testing.T) {
	bin := buildCrossseal(t)
	cs := driver.StartT(t, "v3alice", []string{bin, "peer", "--profile", "v3"})
	if _, err := cs.Init(0); err != nil {
		t.Fatal(err)
	}
	bob := start(t, driver.NameB)
	b, err := bob.Init(0)
	if err != nil {
		t.Fatal(err)
	}
	if err := cs.ProcessBundle(bob.Name(), b); err != nil {
		t.Fatal(err)
	}
	m, err := cs.Encrypt(bob.Name(), []byte("v3 hello"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Type != driver.TypePreKey || m.Body[0] != 0x33 {
		t.Fatalf("crossseal sent type %d version %#x, want a v3 PreKey message", m.Type, m.Body[0])
	}
	_, err = bob.Decrypt(cs.Name(), m)
	var pe *driver.PeerError
	if !errors.As(err, &pe) {
		t.Fatalf("libsignal 0.103 decrypted a v3 PreKey message (err %v)", err)
	}
	if !strings.Contains(pe.Message, "X3DH no longer supported") {
		t.Errorf("refused, but not as expected: %s", pe.Message)
	}
	t.Logf("v3 PreKey message refused: %s", pe.Message)
}

// buildCrossseal builds cmd/crossseal from the root module.
func buildCrossseal(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "crossseal")
	cmd := exec.Command("go", "build", "-o", out, "github.com/crossseal/crossseal/cmd/crossseal")
	cmd.Dir = filepath.Join("..", "..")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building cmd/crossseal: %v\n%s", err, msg)
	}
	return out
}

func TestMain(m *testing.M) {
	// Fail early and clearly when the npm package is missing; every test
	// here needs it. (Tests fail; they are never skipped.)
	if err := Check(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(m.Run())
}

// TestAddressBinding records when libsignal binds the sender and recipient
// addresses into a SignalMessage (field 6): only when both names parse as
// ServiceIds (a UUID string is an ACI). The value is then 36 bytes: each
// address as its 17-byte fixed-width ServiceId (kind byte 0x00 for an ACI,
// then the UUID) and a device-id byte, sender first
// (rust/protocol/src/protocol.rs, serialize_addresses). With plain names
// such as "alice" the field is absent.
func TestAddressBinding(t *testing.T) {
	const aliceACI, bobACI = "0b6c9d4c-5e0e-4f57-9d3c-5d4d7e2f6a11", "c4a7f1f2-1b8e-4c55-8a0d-3a9e6b2d7f40"
	run := func(an, bn string) *wire.SignalMessage {
		alice, bob := start(t, an), start(t, bn)
		if _, err := alice.Init(0); err != nil {
			t.Fatal(err)
		}
		b, err := bob.Init(0)
		if err != nil {
			t.Fatal(err)
		}
		if err := alice.ProcessBundle(bn, b); err != nil {
			t.Fatal(err)
		}
		pt := []byte("bound")
		m := mustSend(t, alice, bob, pt)
		mustRecv(t, bob, alice, m, pt)
		pm, err := wire.ParsePreKeySignalMessage(m.Body)
		if err != nil {
			t.Fatal(err)
		}
		return pm.Message
	}
	if sm := run("alice", "bob"); sm.Addresses != nil {
		t.Errorf("plain names: addresses field present (%x)", sm.Addresses)
	}
	sm := run(aliceACI, bobACI)
	want := []byte{0x00}
	want = append(want, uuidBytes(t, aliceACI)...)
	want = append(want, 1, 0x00)
	want = append(want, uuidBytes(t, bobACI)...)
	want = append(want, 1)
	if !bytes.Equal(sm.Addresses, want) {
		t.Errorf("ACI names: addresses = %x, want %x", sm.Addresses, want)
	}
}

func uuidBytes(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(b) != 16 {
		t.Fatalf("bad UUID %q", s)
	}
	return b
}
