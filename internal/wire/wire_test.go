// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package wire

import (
	"bytes"
	"errors"
	"testing"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/pb"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

func key(t *testing.T) curve.PublicKey {
	t.Helper()
	k, err := curve.GeneratePrivateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return k.PublicKey()
}

func sample(t *testing.T) (*SignalMessage, []byte, curve.PublicKey, curve.PublicKey) {
	mac := bytes.Repeat([]byte{3}, 32)
	a, b := key(t), key(t)
	m := NewSignalMessage(&SignalMessage{Version: 3, RatchetKey: key(t), Counter: 7, PreviousCounter: 4294967295, Ciphertext: []byte("0123456789abcdef")}, mac, a, b)
	return m, mac, a, b
}

func TestSignalMessageRoundTrip(t *testing.T) {
	m, mac, a, b := sample(t)
	if m.Bytes()[0] != 0x33 {
		t.Fatalf("version byte %#x", m.Bytes()[0])
	}
	p, err := ParseSignalMessage(m.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if p.Counter != 7 || p.PreviousCounter != 4294967295 || !p.RatchetKey.Equal(m.RatchetKey) || !bytes.Equal(p.Ciphertext, m.Ciphertext) {
		t.Fatalf("parsed %+v", p)
	}
	if !p.VerifyMAC(mac, a, b) {
		t.Fatal("MAC does not verify")
	}
	if p.VerifyMAC(mac, b, a) {
		t.Fatal("MAC verifies with identities swapped")
	}
	wrong := bytes.Clone(mac)
	wrong[0] ^= 1
	if p.VerifyMAC(wrong, a, b) {
		t.Fatal("MAC verifies under another key")
	}
}

// TestMACCoversBytesAsReceived builds a valid but non-canonical encoding
// (fields out of order, an unknown field) and checks that the MAC is
// verified over those bytes, not over a re-encoding.
func TestMACCoversBytesAsReceived(t *testing.T) {
	mac := bytes.Repeat([]byte{5}, 32)
	a, b, rk := key(t), key(t), key(t)
	var body []byte
	body = protowire.AppendTag(body, 4, protowire.BytesType)
	body = protowire.AppendBytes(body, []byte("ciphertext-bytes"))
	body = protowire.AppendTag(body, 2, protowire.VarintType)
	body = protowire.AppendVarint(body, 9)
	body = protowire.AppendTag(body, 1, protowire.BytesType)
	body = protowire.AppendBytes(body, rk.Bytes())
	body = protowire.AppendTag(body, 99, protowire.VarintType)
	body = protowire.AppendVarint(body, 1)
	raw := appendMAC(append([]byte{0x33}, body...), mac, a, b)
	m, err := ParseSignalMessage(raw)
	if err != nil {
		t.Fatal(err)
	}
	if m.Counter != 9 || !m.VerifyMAC(mac, a, b) {
		t.Fatalf("non-canonical message: counter %d, MAC ok %v", m.Counter, m.VerifyMAC(mac, a, b))
	}
}

func TestParseErrors(t *testing.T) {
	m, _, _, _ := sample(t)
	good := m.Bytes()
	withBody := func(p *pb.SignalMessage) []byte {
		b, _ := proto.Marshal(p)
		return append(append([]byte{0x33}, b...), make([]byte, MACSize)...)
	}
	rk := key(t).Bytes()
	cases := map[string]struct {
		b    []byte
		want error
	}{
		"empty":          {nil, ErrMalformed},
		"only version":   {[]byte{0x33}, ErrMalformed},
		"v2":             {append([]byte{0x22}, good[1:]...), ErrUnsupportedVersion},
		"v5":             {append([]byte{0x55}, good[1:]...), ErrUnsupportedVersion},
		"bad protobuf":   {append([]byte{0x33, 0xFF, 0xFF, 0xFF}, make([]byte, MACSize)...), ErrMalformed},
		"no ratchet key": {withBody(&pb.SignalMessage{Counter: proto.Uint32(1), Ciphertext: []byte{1}}), ErrMalformed},
		"no counter":     {withBody(&pb.SignalMessage{RatchetKey: rk, Ciphertext: []byte{1}}), ErrMalformed},
		"no ciphertext":  {withBody(&pb.SignalMessage{RatchetKey: rk, Counter: proto.Uint32(1)}), ErrMalformed},
		"short key":      {withBody(&pb.SignalMessage{RatchetKey: rk[:32], Counter: proto.Uint32(1), Ciphertext: []byte{1}}), ErrMalformed},
		"v4 field in v3": {withBody(&pb.SignalMessage{RatchetKey: rk, Counter: proto.Uint32(1), Ciphertext: []byte{1}, PqRatchet: []byte{1}}), ErrMalformed},
		"too long":       {make([]byte, MaxMessageSize+1), ErrMalformed},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			m, err := ParseSignalMessage(tc.b)
			if !errors.Is(err, tc.want) || m != nil {
				t.Fatalf("got %v, %v; want %v", m, err, tc.want)
			}
			var pe *ParseError
			var ve *VersionError
			if !errors.As(err, &pe) && !errors.As(err, &ve) {
				t.Fatalf("error %T is neither ParseError nor VersionError", err)
			}
		})
	}
}

func TestPreKeyMessageRoundTrip(t *testing.T) {
	inner, _, _, _ := sample(t)
	m := NewPreKeySignalMessage(&PreKeySignalMessage{
		Version: 3, RegistrationID: 16380, HasPreKeyID: true, PreKeyID: 0xFFFFFF, SignedPreKeyID: 7,
		BaseKey: key(t), IdentityKey: key(t), Message: inner,
	})
	p, err := ParsePreKeySignalMessage(m.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if p.RegistrationID != 16380 || !p.HasPreKeyID || p.PreKeyID != 0xFFFFFF || p.SignedPreKeyID != 7 ||
		!p.BaseKey.Equal(m.BaseKey) || !p.IdentityKey.Equal(m.IdentityKey) || !bytes.Equal(p.Message.Bytes(), inner.Bytes()) {
		t.Fatalf("parsed %+v", p)
	}
	// Every truncation fails cleanly.
	for n := range len(m.Bytes()) {
		if p, err := ParsePreKeySignalMessage(m.Bytes()[:n]); err == nil || p != nil {
			t.Fatalf("truncation to %d parsed", n)
		}
	}
	// Inner version must match the outer one.
	bad := bytes.Clone(m.Bytes())
	bad[0] = 0x44
	if _, err := ParsePreKeySignalMessage(bad); !errors.Is(err, ErrMalformed) {
		t.Fatalf("mismatched inner version: %v", err)
	}
}

// TestKyberFieldsTogether: a v4 PreKey message with a KEM ciphertext but no
// KEM prekey id (or the reverse) is malformed; accepting it let a
// re-encoding drop the ciphertext (found by FuzzParsePreKeySignalMessage).
func TestKyberFieldsTogether(t *testing.T) {
	inner := NewSignalMessage(&SignalMessage{Version: 4, RatchetKey: key(t), Counter: 1, Ciphertext: []byte{1}}, make([]byte, 32), key(t), key(t))
	for name, p := range map[string]*pb.PreKeySignalMessage{
		"ciphertext only": {KyberCiphertext: []byte{8, 1, 2}},
		"id only":         {KyberPreKeyId: proto.Uint32(3)},
	} {
		p.SignedPreKeyId, p.BaseKey, p.IdentityKey, p.Message = proto.Uint32(1), key(t).Bytes(), key(t).Bytes(), inner.Bytes()
		b, _ := proto.Marshal(p)
		if m, err := ParsePreKeySignalMessage(append([]byte{0x44}, b...)); !errors.Is(err, ErrMalformed) || m != nil {
			t.Errorf("%s: got %v, %v", name, m, err)
		}
	}
}
