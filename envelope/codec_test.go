// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"bytes"
	"errors"
	"testing"

	"github.com/crossseal/crossseal/internal/pb"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

func testEnvelope() *Envelope {
	return &Envelope{
		Version:   FormatVersion,
		Sender:    Address{"whatsapp", "+15551234567", 1},
		Recipient: Address{"instagram", "bob_ig", 2},
		Type:      TypeWhisper,
		Body:      append([]byte{0x33}, bytes.Repeat([]byte{0xEE}, 60)...),
	}
}

func TestEnvelopeRoundTrip(t *testing.T) {
	for _, typ := range []MessageType{TypeWhisper, TypePreKey} {
		e := testEnvelope()
		e.Type = typ
		b, err := e.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		got, err := Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		if got.Sender != e.Sender || got.Recipient != e.Recipient || got.Type != typ || got.Version != 1 || !bytes.Equal(got.Body, e.Body) {
			t.Fatalf("got %v, want %v", got, e)
		}
		if got.Profile() != ProfileV3 {
			t.Fatalf("profile %v", got.Profile())
		}
	}
}

// marshalPB encodes an envelope protobuf without any validation.
func marshalPB(t *testing.T, p *pb.Envelope) []byte {
	t.Helper()
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseRejects(t *testing.T) {
	good, err := testEnvelope().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var base pb.Envelope
	if err := proto.Unmarshal(good, &base); err != nil {
		t.Fatal(err)
	}
	mut := func(f func(p *pb.Envelope)) []byte {
		p := proto.Clone(&base).(*pb.Envelope)
		f(p)
		return marshalPB(t, p)
	}
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrUnsupportedVersion},
		{"version 0", mut(func(p *pb.Envelope) { p.Version = 0 }), ErrUnsupportedVersion},
		{"version 2", mut(func(p *pb.Envelope) { p.Version = 2 }), ErrUnsupportedVersion},
		{"type 0 (plaintext)", mut(func(p *pb.Envelope) { p.Type = 0 }), ErrUnsupportedType},
		{"type 1", mut(func(p *pb.Envelope) { p.Type = 1 }), ErrUnsupportedType},
		{"type 4", mut(func(p *pb.Envelope) { p.Type = 4 }), ErrUnsupportedType},
		{"type 258", mut(func(p *pb.Envelope) { p.Type = 258 }), ErrUnsupportedType},
		{"no sender", mut(func(p *pb.Envelope) { p.Sender = nil }), ErrMalformed},
		{"bad recipient", mut(func(p *pb.Envelope) { p.Recipient.Device = 0 }), ErrMalformed},
		{"bad app", mut(func(p *pb.Envelope) { p.Sender.App = "WhatsApp" }), ErrMalformed},
		{"no body", mut(func(p *pb.Envelope) { p.Body = nil }), ErrMalformed},
		{"signal version 2", mut(func(p *pb.Envelope) { p.Body[0] = 0x22 }), ErrUnsupportedVersion},
		{"signal version 5", mut(func(p *pb.Envelope) { p.Body[0] = 0x55 }), ErrUnsupportedVersion},
		{"body too long", mut(func(p *pb.Envelope) { p.Body = append(p.Body, make([]byte, MaxBodySize)...) }), ErrMalformed},
		{"unknown field", protowire.AppendBytes(protowire.AppendTag(bytes.Clone(good), 9, protowire.BytesType), []byte("x")), ErrMalformed},
		{"repeated field", protowire.AppendVarint(protowire.AppendTag(bytes.Clone(good), 1, protowire.VarintType), 1), ErrMalformed},
		{"field out of order", append(bytes.Clone(good[2:]), good[:2]...), ErrMalformed},
		{"default written", append([]byte{0x08, 0x01, 0x20, 0x02}, mut(func(p *pb.Envelope) { p.Version = 0; p.Type = 0 })...), ErrMalformed},
		{"garbage", []byte{0xff, 0xff, 0xff}, ErrMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Parse(tc.in)
			if !errors.Is(err, tc.want) || e != nil {
				t.Fatalf("Parse = %v, %v; want %v", e, err, tc.want)
			}
		})
	}
	// TestBadLengths: every truncation fails (the body is the last field
	// and its length prefix no longer matches), and so does any extension.
	for i := range good {
		if e, err := Parse(good[:i]); err == nil || e != nil {
			t.Fatalf("truncation to %d bytes parsed: %v", i, e)
		}
	}
	if e, err := Parse(append(bytes.Clone(good), 0)); err == nil || e != nil {
		t.Fatal("extended envelope parsed")
	}
}

func TestMarshalValidates(t *testing.T) {
	for name, mutate := range map[string]func(e *Envelope){
		"version":   func(e *Envelope) { e.Version = 2 },
		"type":      func(e *Envelope) { e.Type = 0 },
		"sender":    func(e *Envelope) { e.Sender = Address{} },
		"recipient": func(e *Envelope) { e.Recipient.User = "" },
		"body":      func(e *Envelope) { e.Body = nil },
	} {
		e := testEnvelope()
		mutate(e)
		if b, err := e.Marshal(); err == nil || b != nil {
			t.Errorf("%s: Marshal succeeded", name)
		}
	}
}
