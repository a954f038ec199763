// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package driver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// NewPeerFunc returns a fresh endpoint named name for test t: it starts a
// peer process and arranges for it to be closed when t ends (see [StartT]
// and [Command]), or creates an in-process endpoint.
type NewPeerFunc func(t *testing.T, name string) Endpoint

// Scenario is one interop check. Run gets fresh endpoints; the initiator
// is the one that processes the other's bundle and sends first.
type Scenario struct {
	Name string
	Run  func(t *testing.T, initiator, responder Endpoint)
}

// Peer names used by [RunScenarios].
const (
	NameA = "alice"
	NameB = "bob"
)

// RunScenarios runs every scenario of [Scenarios] as a subtest
// <scenario>/A_initiates and <scenario>/B_initiates, each with a fresh
// endpoint A (from newA, named alice) and a fresh endpoint B (from newB,
// named bob). Running both directions means the pairing (A, B) also
// covers (B, A).
func RunScenarios(t *testing.T, newA, newB NewPeerFunc) {
	for _, sc := range Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Run("A_initiates", func(t *testing.T) {
				a, b := newA(t, NameA), newB(t, NameB)
				sc.Run(t, a, b)
			})
			t.Run("B_initiates", func(t *testing.T) {
				a, b := newA(t, NameA), newB(t, NameB)
				sc.Run(t, b, a)
			})
		})
	}
}

// Scenarios returns the interop scenarios, in the order RunScenarios
// runs them.
func Scenarios() []Scenario {
	return []Scenario{
		{"basic", basic},
		{"prekey_out_of_order", preKeyOutOfOrder},
		{"payload_sizes", payloadSizes},
		{"skipped_across_ratchet_steps", skippedAcrossRatchetSteps},
		{"replay", replay},
		{"tamper", tamper},
		{"ping_pong", pingPong},
		{"garbage", garbage},
	}
}

// basic: x starts a session from y's bundle and messages flow both ways.
// x sends PreKey messages (type 3) until it has heard from y, and
// SignalMessages (type 2) afterwards; y always sends type 2. It also
// checks the bundles: an explicit reg_id is used as given, and init
// replaces the previous state (new identity, new one-time prekey).
func basic(t *testing.T, x, y Endpoint) {
	first := mustInit(t, x, 0)
	mustInit(t, x, 0) // re-init: replaces all state
	bx := mustInit(t, x, 0)
	if bytes.Equal(first.IdentityPub, bx.IdentityPub) {
		t.Errorf("peer %s: init did not replace the identity key", Describe(x))
	}
	if bytes.Equal(first.PreKey.Pub, bx.PreKey.Pub) {
		t.Errorf("peer %s: init did not generate a new one-time prekey", Describe(x))
	}
	by := mustInit(t, y, 4242)
	if err := x.ProcessBundle(y.Name(), by); err != nil {
		t.Fatal(err)
	}
	exchange(t, x, y, TypePreKey, "first")
	exchange(t, x, y, TypePreKey, "second, still unacknowledged")
	exchange(t, y, x, TypeSignal, "reply")
	exchange(t, x, y, TypeSignal, "after reply")
	exchange(t, y, x, TypeSignal, "reply 2")
}

// preKeyOutOfOrder: x sends five PreKey messages before y answers; y
// decrypts them in the order 3, 1, 5, 2, 4.
func preKeyOutOfOrder(t *testing.T, x, y Endpoint) {
	start(t, x, y)
	var pts [][]byte
	var msgs []Message
	for i := range 5 {
		pt := text(x, y, fmt.Sprintf("m%d", i+1))
		pts = append(pts, pt)
		msgs = append(msgs, send(t, x, y, pt, TypePreKey))
	}
	for _, n := range []int{3, 1, 5, 2, 4} {
		recv(t, y, x, msgs[n-1], pts[n-1])
	}
	exchange(t, y, x, TypeSignal, "reply")
	exchange(t, x, y, TypeSignal, "after reply")
}

// payloadSizes: random payloads of 1 B to 64 KiB in both directions,
// including a 64 KiB PreKey message.
func payloadSizes(t *testing.T, x, y Endpoint) {
	start(t, x, y)
	big := randomBytes(64 << 10)
	recv(t, y, x, send(t, x, y, big, TypePreKey), big)
	for _, n := range []int{1, 100, 1 << 10, 16 << 10, 64 << 10} {
		for _, dir := range [][2]Endpoint{{y, x}, {x, y}} {
			pt := randomBytes(n)
			recv(t, dir[1], dir[0], send(t, dir[0], dir[1], pt, TypeSignal), pt)
		}
	}
}

// skippedAcrossRatchetSteps: each side sends two messages that are
// withheld; then three ping-pong rounds move the DH ratchet on three
// times in each direction; then the withheld messages arrive, newest
// first, and decrypt from the stored skipped keys.
func skippedAcrossRatchetSteps(t *testing.T, x, y Endpoint) {
	establish(t, x, y)
	xm1, xm2 := text(x, y, "late 1"), text(x, y, "late 2")
	ym1, ym2 := text(y, x, "late 1"), text(y, x, "late 2")
	xl1, xl2 := send(t, x, y, xm1, TypeSignal), send(t, x, y, xm2, TypeSignal)
	yl1, yl2 := send(t, y, x, ym1, TypeSignal), send(t, y, x, ym2, TypeSignal)
	for i := range 3 {
		exchange(t, x, y, TypeSignal, fmt.Sprintf("round %d", i))
		exchange(t, y, x, TypeSignal, fmt.Sprintf("round %d", i))
	}
	recv(t, y, x, xl2, xm2)
	recv(t, y, x, xl1, xm1)
	recv(t, x, y, yl2, ym2)
	recv(t, x, y, yl1, ym1)
	exchange(t, x, y, TypeSignal, "after late delivery")
	exchange(t, y, x, TypeSignal, "after late delivery")
}

// replay: every delivered message delivered again fails, whether it was
// a PreKey message, a SignalMessage, or one decrypted out of order from a
// skipped key; the conversation then continues.
func replay(t *testing.T, x, y Endpoint) {
	start(t, x, y)
	pt := text(x, y, "prekey")
	m0 := send(t, x, y, pt, TypePreKey)
	recv(t, y, x, m0, pt)
	mustReject(t, y, x, m0, "replayed PreKey message")

	pt = text(y, x, "reply")
	r0 := send(t, y, x, pt, TypeSignal)
	recv(t, x, y, r0, pt)
	mustReject(t, x, y, r0, "replayed reply")

	pt = text(x, y, "signal")
	m1 := send(t, x, y, pt, TypeSignal)
	recv(t, y, x, m1, pt)
	mustReject(t, y, x, m1, "replayed SignalMessage")
	mustReject(t, y, x, m0, "PreKey message replayed after the session moved on")

	pt2, pt3 := text(x, y, "skip a"), text(x, y, "skip b")
	m2, m3 := send(t, x, y, pt2, TypeSignal), send(t, x, y, pt3, TypeSignal)
	recv(t, y, x, m3, pt3)
	recv(t, y, x, m2, pt2)
	mustReject(t, y, x, m2, "replayed message that was decrypted from a skipped key")
	mustReject(t, y, x, m3, "replayed message that skipped a key")

	exchange(t, y, x, TypeSignal, "after replays")
	exchange(t, x, y, TypeSignal, "after replays")
}

// tamper: a message with one ciphertext byte flipped, and one with the
// last MAC byte flipped, both fail; the untampered original then
// decrypts. This runs on x's PreKey message, on y's reply, on x's next
// message (a DH ratchet step at y) and on y's next (a step at x).
func tamper(t *testing.T, x, y Endpoint) {
	start(t, x, y)
	check := func(from, to Endpoint, wantType int, label string) {
		t.Helper()
		pt := text(from, to, label)
		m := send(t, from, to, pt, wantType)
		ct, err := ciphertextSpan(m)
		if err != nil {
			t.Fatalf("locating the ciphertext in %s's type %d message: %v", Describe(from), m.Type, err)
		}
		mac, err := macSpan(m)
		if err != nil {
			t.Fatalf("locating the MAC in %s's type %d message: %v", Describe(from), m.Type, err)
		}
		mustReject(t, to, from, flipByte(m, (ct.start+ct.end)/2), label+" with a ciphertext byte flipped")
		mustReject(t, to, from, flipByte(m, ct.end-1), label+" with the last ciphertext byte flipped")
		mustReject(t, to, from, flipByte(m, mac.end-1), label+" with the last MAC byte flipped")
		mustReject(t, to, from, flipByte(m, mac.start), label+" with the first MAC byte flipped")
		recv(t, to, from, m, pt)
	}
	check(x, y, TypePreKey, "PreKey message")
	check(y, x, TypeSignal, "reply")
	check(x, y, TypeSignal, "message after reply (DH step at receiver)")
	check(y, x, TypeSignal, "second reply (DH step at receiver)")
	exchange(t, x, y, TypeSignal, "after tampering")
	exchange(t, y, x, TypeSignal, "after tampering")
}

// pingPong: twelve messages in alternating directions, starting with
// x's PreKey message, so that every message makes its receiver take a
// DH ratchet step.
func pingPong(t *testing.T, x, y Endpoint) {
	start(t, x, y)
	for i := range 12 {
		from, to, typ := x, y, TypeSignal
		if i%2 == 1 {
			from, to = y, x
		}
		if i == 0 {
			typ = TypePreKey
		}
		exchange(t, from, to, typ, fmt.Sprintf("round %d", i))
	}
}

// garbage: truncated or extended messages, random bytes, a wrong version
// byte (0x22, and the other current generation: 0x44 for a v3 message,
// 0x33 for a v4 one), a wrong message type, and well-formed protobuf with
// malformed public keys are each answered with an error, on a PreKey
// message, a first reply and a later SignalMessage; so are malformed
// request lines (sent only to endpoints that are peer processes, see
// malformedRequests) and a message attributed to an unknown sender. The
// peer keeps answering in step, and each untampered message still
// decrypts afterwards.
func garbage(t *testing.T, x, y Endpoint) {
	start(t, x, y)
	check := func(from, to Endpoint, wantType int, label string) {
		t.Helper()
		pt := text(from, to, label)
		m := send(t, from, to, pt, wantType)
		for _, g := range garbageOf(t, m) {
			mustReject(t, to, from, g.msg, label+": "+g.what)
		}
		recv(t, to, from, m, pt)
	}
	check(x, y, TypePreKey, "PreKey message")
	check(y, x, TypeSignal, "reply")
	check(x, y, TypeSignal, "SignalMessage")

	// The malformed request lines need a JSON peer (Peer.CallRaw): they
	// are sent to each endpoint that is a *Peer. An in-process endpoint
	// has no request lines to get wrong, so it skips this part.
	for _, pair := range [][2]Endpoint{{x, y}, {y, x}} {
		if p, ok := pair[0].(*Peer); ok {
			malformedRequests(t, p, pair[1])
		} else {
			t.Logf("malformed request lines: skipped for %s, which is not a JSON peer process", Describe(pair[0]))
		}
	}

	// A valid message attributed to names the receiver has no session
	// with fails; it then decrypts from its real sender.
	pt := text(x, y, "misattributed")
	m := send(t, x, y, pt, TypeSignal)
	for _, name := range []string{"mallory", ""} {
		if _, err := y.Decrypt(name, m); err == nil {
			t.Errorf("peer %s: decrypted a SignalMessage as if from %q, with whom it has no session", Describe(y), name)
		} else if !errors.As(err, new(*PeerError)) {
			t.Fatal(err)
		}
	}
	recv(t, y, x, m, pt)
	exchange(t, x, y, TypeSignal, "after garbage")
	exchange(t, y, x, TypeSignal, "after garbage")
}

type garbageCase struct {
	what string
	msg  Message
}

// garbageOf derives malformed variants of m.
func garbageOf(t *testing.T, m Message) []garbageCase {
	t.Helper()
	b := m.Body
	other := TypeSignal
	if m.Type == TypeSignal {
		other = TypePreKey
	}
	version := func(v byte) []byte {
		c := append([]byte(nil), b...)
		c[0] = v
		return c
	}
	cases := []garbageCase{
		{"empty body", withBody(m.Type, nil)},
		{"first byte only", withBody(m.Type, b[:1])},
		{"truncated to half", withBody(m.Type, b[:len(b)/2])},
		{"last byte cut", withBody(m.Type, b[:len(b)-1])},
		{"extended by one byte", withBody(m.Type, append(append([]byte(nil), b...), 0))},
		{"version byte 0x22", withBody(m.Type, version(0x22))},
		{fmt.Sprintf("version byte %#x", otherVersion(b)), withBody(m.Type, version(otherVersion(b)))},
		{"random bytes", withBody(m.Type, randomBytes(len(b)))},
		{"0x33 then random bytes", withBody(m.Type, append([]byte{0x33}, randomBytes(len(b)-1)...))},
		{"64 random bytes", withBody(m.Type, randomBytes(64))},
		{fmt.Sprintf("declared as type %d", other), withBody(other, b)},
		{"declared as type 7", withBody(7, b)},
		{"declared as type 0", withBody(0, b)},
	}
	// Well-formed protobuf whose public keys are not: an empty key
	// (go.mau.fi/libsignal indexes key bytes unchecked) and a wrong key
	// type byte.
	type keyField struct {
		name string
		num  protowire.Number
	}
	fields := []keyField{{"ratchet key", fieldRatchetKey}}
	if m.Type == TypePreKey {
		fields = append(fields, keyField{"base key", fieldBaseKey}, keyField{"identity key", fieldIdentityKey})
	}
	for _, f := range fields {
		for _, v := range []struct {
			what string
			key  []byte
		}{
			{"empty", []byte{}},
			{"type byte 0x06", append([]byte{0x06}, randomBytes(32)...)},
			{"truncated to 32 bytes", append([]byte{0x05}, randomBytes(31)...)},
		} {
			g, err := replaceKeyField(m, f.num, v.key)
			if err != nil {
				t.Fatalf("rewriting the %s of a type %d message: %v", f.name, m.Type, err)
			}
			cases = append(cases, garbageCase{f.name + " " + v.what, g})
		}
	}
	return cases
}

// malformedRequests sends lines that are not valid requests to p; each
// must be answered with an error (echoing the id where it has one).
// other is p's session partner. It needs [Peer.CallRaw], so garbage runs
// it only for endpoints that are a *Peer; in-process endpoints have no
// JSON framing to check.
func malformedRequests(t *testing.T, p *Peer, other Endpoint) {
	t.Helper()
	lines := []struct {
		line   string
		wantID string // the echoed id, if the line carries one
	}{
		{"not json", ""},
		{"[1,2,3]", ""},
		{`{}`, ""},
		{`{"op":"frobnicate","id":9001}`, "9001"},
		{`{"op":"decrypt","id":"s-1","peer":"` + other.Name() + `","type":2,"body":"***not base64***"}`, `"s-1"`},
		{`{"op":"decrypt","id":9002,"peer":"` + other.Name() + `","type":2}`, "9002"},
		{`{"op":"encrypt","id":9003,"peer":"nobody-here","plaintext":"aGk="}`, "9003"},
		{`{"op":"process_bundle","id":9004,"peer":"nobody-here","bundle":{"identity_pub":"BQ=="}}`, "9004"},
		{`{"op":"init","id":9005,"reg_id":"seven"`, ""}, // truncated JSON
	}
	for _, l := range lines {
		resp, err := p.CallRaw([]byte(l.line))
		if err != nil {
			t.Fatalf("malformed request %q: %v", l.line, err)
		}
		if _, ok := resp.ErrorMessage(); !ok {
			enc, _ := json.Marshal(resp)
			t.Errorf("peer %s: malformed request %q answered without an error: %s", Describe(p), l.line, enc)
		}
		if l.wantID != "" && string(resp["id"]) != l.wantID {
			t.Errorf("peer %s: malformed request %q: id echoed as %s, want %s", Describe(p), l.line, resp["id"], l.wantID)
		}
	}
}

// otherVersion is the version byte of the other current protocol
// generation than the message b's: a v3 session must refuse a v4 message
// and vice versa.
func otherVersion(b []byte) byte {
	if len(b) > 0 && b[0]>>4 == 4 {
		return 0x33
	}
	return 0x44
}
