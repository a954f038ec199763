// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/crossseal/crossseal/internal/pb"
	"google.golang.org/protobuf/proto"
)

var testSender = Address{"whatsapp", "+15551234567", 1}

func testContents() map[string]*Content {
	id := MessageID{1, 2, 3}
	base := func(b Body) *Content {
		return &Content{ID: MessageID{9, 9}, SentAt: time.UnixMilli(1767225600123), OriginApp: "whatsapp", Body: b}
	}
	return map[string]*Content{
		"text":       base(&Text{Text: "hello 🌍"}),
		"attachment": base(&Attachment{Pointer: "https://cdn.example/a/1", Key: bytes.Repeat([]byte{7}, 64), Digest: bytes.Repeat([]byte{8}, 32), Size: 12345, ContentType: "image/jpeg"}),
		"reaction":   base(&Reaction{Target: id, Emoji: "👍"}),
		"unreact":    base(&Reaction{Target: id, Emoji: "👍", Remove: true}),
		"delivered":  base(&Receipt{Type: ReceiptDelivery, Messages: []MessageID{id}}),
		"read":       base(&Receipt{Type: ReceiptRead, Messages: []MessageID{id, {4}}}),
		"typing":     base(&Typing{Action: TypingStarted}),
		"stopped":    base(&Typing{Action: TypingStopped}),
	}
}

func TestContentRoundTrip(t *testing.T) {
	for name, c := range testContents() {
		t.Run(name, func(t *testing.T) {
			b, err := marshalContent(c, testSender)
			if err != nil {
				t.Fatal(err)
			}
			got, sender, err := parseContent(b)
			if err != nil {
				t.Fatal(err)
			}
			if sender != testSender {
				t.Fatalf("sender %v", sender)
			}
			if !got.SentAt.Equal(c.SentAt) {
				t.Fatalf("time %v, want %v", got.SentAt, c.SentAt)
			}
			got.SentAt = c.SentAt
			if !reflect.DeepEqual(got, c) {
				t.Fatalf("got %#v, want %#v", got, c)
			}
			b2, err := marshalContent(got, sender)
			if err != nil || !bytes.Equal(b, b2) {
				t.Fatalf("re-encoding differs: %v", err)
			}
		})
	}
}

func TestInvalidContent(t *testing.T) {
	ok := func() *Content { return testContents()["text"] }
	cases := map[string]func(c *Content){
		"no body":       func(c *Content) { c.Body = nil },
		"nil text":      func(c *Content) { c.Body = (*Text)(nil) },
		"empty text":    func(c *Content) { c.Body = &Text{} },
		"long text":     func(c *Content) { c.Body = &Text{Text: strings.Repeat("a", MaxTextSize+1)} },
		"bad utf8":      func(c *Content) { c.Body = &Text{Text: "\xff"} },
		"zero id":       func(c *Content) { c.ID = MessageID{} },
		"no time":       func(c *Content) { c.SentAt = time.Time{} },
		"wrong origin":  func(c *Content) { c.OriginApp = "instagram" },
		"short key":     func(c *Content) { c.Body = &Attachment{Pointer: "p", Key: make([]byte, 32), Digest: make([]byte, 32)} },
		"no digest":     func(c *Content) { c.Body = &Attachment{Pointer: "p", Key: make([]byte, 64)} },
		"no pointer":    func(c *Content) { c.Body = &Attachment{Key: make([]byte, 64), Digest: make([]byte, 32)} },
		"no emoji":      func(c *Content) { c.Body = &Reaction{Target: MessageID{1}} },
		"receipt type":  func(c *Content) { c.Body = &Receipt{Type: 3, Messages: []MessageID{{1}}} },
		"empty receipt": func(c *Content) { c.Body = &Receipt{Type: ReceiptRead} },
		"huge receipt": func(c *Content) {
			c.Body = &Receipt{Type: ReceiptRead, Messages: make([]MessageID, MaxReceiptMessages+1)}
		},
		"typing action":     func(c *Content) { c.Body = &Typing{} },
		"typing action 255": func(c *Content) { c.Body = &Typing{Action: 255} },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			c := ok()
			mutate(c)
			if b, err := marshalContent(c, testSender); !errors.Is(err, ErrMalformed) || b != nil {
				t.Fatalf("marshalContent = %x, %v", b, err)
			}
		})
	}
	// Decoder-side checks that the Go types cannot express.
	good, err := marshalContent(ok(), testSender)
	if err != nil {
		t.Fatal(err)
	}
	var p pb.Content
	if err := proto.Unmarshal(good, &p); err != nil {
		t.Fatal(err)
	}
	raw := map[string]func(p *pb.Content){
		"short id":  func(p *pb.Content) { p.MessageId = p.MessageId[:15] },
		"no sender": func(p *pb.Content) { p.Sender = nil },
		"receipt 257": func(p *pb.Content) {
			p.Body = &pb.Content_Receipt{Receipt: &pb.ContentReceipt{Type: 257, MessageIds: [][]byte{make([]byte, 16)}}}
		},
		"typing 258": func(p *pb.Content) { p.Body = &pb.Content_Typing{Typing: &pb.ContentTyping{Action: 258}} },
		"short receipt": func(p *pb.Content) {
			p.Body = &pb.Content_Receipt{Receipt: &pb.ContentReceipt{Type: 1, MessageIds: [][]byte{make([]byte, 15)}}}
		},
		"future time": func(p *pb.Content) { p.SentAtMs = 1<<53 + 1 },
	}
	for name, mutate := range raw {
		t.Run(name, func(t *testing.T) {
			q := proto.Clone(&p).(*pb.Content)
			mutate(q)
			b, err := proto.Marshal(q)
			if err != nil {
				t.Fatal(err)
			}
			if c, _, err := parseContent(b); !errors.Is(err, ErrMalformed) || c != nil {
				t.Fatalf("parseContent = %v, %v", c, err)
			}
		})
	}
	// Every truncation of a valid content fails or parses to something
	// valid; none panics.
	for i := range good {
		if c, _, err := parseContent(good[:i]); err == nil && c == nil {
			t.Fatalf("truncation %d: nil content without error", i)
		}
	}
}

// TestSecretsNotPrinted checks that formatting never prints an attachment
// key or an identity private key.
func TestSecretsNotPrinted(t *testing.T) {
	key := bytes.Repeat([]byte{0xAB}, 64)
	a := &Attachment{Pointer: "p", Key: key, Digest: make([]byte, 32), ContentType: "image/png"}
	c := &Content{Body: a}
	ik, err := GenerateIdentityKey()
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{fmt.Sprintf("%x", key), "171, 171", fmt.Sprintf("%x", ik.Bytes()), fmt.Sprint(ik.Bytes())}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q"} {
		for _, v := range []any{a, c, ik, *c} {
			out := fmt.Sprintf(verb, v)
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("%s of %T prints a secret: %s", verb, v, out)
				}
			}
		}
	}
}
