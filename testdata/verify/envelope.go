// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package verify

import (
	"bytes"
	"errors"
	"strings"
	"time"

	"github.com/crossseal/crossseal/envelope"
	"github.com/crossseal/crossseal/internal/testhooks"
	"github.com/crossseal/crossseal/testdata"
)

// address reads an envelope address in its text form, which must be the
// canonical one.
func (v *view) address(key string) envelope.Address {
	s := v.text(key)
	if v.err != nil {
		return envelope.Address{}
	}
	a, err := envelope.ParseAddress(s)
	if err != nil {
		v.fail("field %q: %v", key, err)
	} else if a.String() != s {
		v.fail("field %q: %q is not the canonical form %q", key, s, a.String())
	}
	return a
}

// classifyEnvelope maps envelope's decoding errors to an expect value.
func classifyEnvelope(err error) string {
	var pe *envelope.ParseError
	var ve *envelope.VersionError
	switch {
	case err == nil:
		return testdata.ExpectSuccess
	case errors.As(err, &pe), errors.As(err, &ve), errors.Is(err, envelope.ErrUnsupportedType), errors.Is(err, envelope.ErrBadPadding):
		return testdata.ExpectParseFailure
	}
	return "unclassified error (" + err.Error() + ")"
}

// checkEnvelope encodes the envelope with envelope.Marshal and compares it
// with the artifact, then parses the artifact with envelope.Parse and
// compares the result with the header. For a derived vector only the
// parse runs.
func checkEnvelope(v *view) {
	typ := v.uint32("type")
	e := &envelope.Envelope{
		Version:   v.uint32("version"),
		Sender:    v.address("sender"),
		Recipient: v.address("recipient"),
		Type:      envelope.MessageType(typ),
		Body:      v.bytes("body"),
	}
	if v.artifact == nil {
		v.fail("no artifact")
	}
	if typ > 255 {
		v.fail("type %d does not fit a message type", typ)
	}
	if v.err != nil {
		return
	}
	fresh := !v.mutated["artifact"]
	if fresh {
		enc, err := e.Marshal()
		if err != nil {
			v.fail("Marshal: %v", err)
			return
		}
		if !bytes.Equal(enc, v.artifact) {
			v.fail("encoding gives %x, recorded %x", enc, v.artifact)
			return
		}
	}
	parsed, err := envelope.Parse(v.artifact)
	v.outcome("Parse", classifyEnvelope(err))
	if err != nil || !fresh || v.err != nil {
		return
	}
	if parsed.Version != e.Version || parsed.Sender != e.Sender || parsed.Recipient != e.Recipient ||
		parsed.Type != e.Type || !bytes.Equal(parsed.Body, e.Body) {
		v.fail("parsing the artifact gives other fields than the header")
	}
}

// content builds the Content the header describes.
func (v *view) content() *envelope.Content {
	c := &envelope.Content{OriginApp: v.text("origin_app")}
	if id := v.bytes("message_id"); len(id) == len(c.ID) {
		copy(c.ID[:], id)
	} else if v.err == nil {
		v.fail("message_id is not %d bytes", len(c.ID))
	}
	c.SentAt = time.UnixMilli(v.int64("sent_at"))
	messageID := func(key string, b []byte) (id envelope.MessageID) {
		if len(b) != len(id) && v.err == nil {
			v.fail("%s is not %d bytes", key, len(id))
		}
		copy(id[:], b)
		return id
	}
	small := func(key string) uint8 {
		n := v.uint32(key)
		if n > 255 && v.err == nil {
			v.fail("%s: %d is out of range", key, n)
		}
		return uint8(n)
	}
	switch t := v.name("body_type"); t {
	case "text":
		c.Body = &envelope.Text{Text: v.text("text")}
	case "attachment":
		c.Body = &envelope.Attachment{
			Pointer: v.text("pointer"), Key: v.bytes("attachment_key"), Digest: v.bytes("digest"),
			Size: v.parseUint("size", v.one("size", typeInt), 64), ContentType: v.text("content_type"),
		}
	case "reaction":
		r := &envelope.Reaction{Target: messageID("reaction_target", v.bytes("reaction_target")), Emoji: v.text("emoji")}
		switch v.uint32("remove") {
		case 0:
		case 1:
			r.Remove = true
		default:
			v.fail("remove must be 0 or 1")
		}
		c.Body = r
	case "receipt":
		r := &envelope.Receipt{Type: envelope.ReceiptType(small("receipt_type"))}
		for _, id := range v.allBytes("receipt_message") {
			r.Messages = append(r.Messages, messageID("receipt_message", id))
		}
		c.Body = r
	case "typing":
		c.Body = &envelope.Typing{Action: envelope.TypingAction(small("action"))}
	default:
		v.fail("unknown body_type %q", t)
	}
	return c
}

// checkContent encodes the content with the sender bound inside and pads
// it, as envelope seals it, and compares the result with the artifact;
// then it unpads and parses the artifact, as envelope opens it, and checks
// that the content re-encodes to the same bytes and binds the same sender.
// For a derived vector only the unpadding and parsing run.
func checkContent(v *view) {
	c := v.content()
	sender := v.address("sender")
	if v.artifact == nil {
		v.fail("no artifact")
	}
	if v.err != nil {
		return
	}
	fresh := !v.mutated["artifact"]
	var unpadded []byte
	if fresh {
		var err error
		if unpadded, err = testhooks.MarshalContent(c, sender); err != nil {
			v.fail("marshalling the content: %v", err)
			return
		}
		if padded := testhooks.Pad(unpadded); !bytes.Equal(padded, v.artifact) {
			v.fail("encoding and padding gives %x, recorded %x", padded, v.artifact)
			return
		}
	}
	b, err := testhooks.Unpad(v.artifact)
	if err != nil {
		if !errors.Is(err, envelope.ErrBadPadding) {
			v.fail("unpad: unexpected error %v", err)
			return
		}
		v.outcome("unpad", testdata.ExpectParseFailure)
		return
	}
	parsed, bound, err := testhooks.ParseContent(b)
	v.outcome("parsing the content", classifyEnvelope(err))
	if err != nil || !fresh || v.err != nil {
		return
	}
	if !bytes.Equal(b, unpadded) {
		v.fail("unpadding gives %x, want the encoded content %x", b, unpadded)
		return
	}
	if bound.(envelope.Address) != sender {
		v.fail("the content binds sender %v, recorded %v", bound, sender)
	}
	again, err := testhooks.MarshalContent(parsed, bound)
	if err != nil || !bytes.Equal(again, unpadded) {
		v.fail("the parsed content re-encodes to %x (%v), want %x", again, err, unpadded)
	}
}

// checkSafetyNumber computes the safety number from both sides with
// envelope.NewSafetyNumber (b from its own view: a's key, or identity_m if
// b was given another key for a), compares the digits and scannable codes
// with the header, and has each side verify the other's recorded code.
func checkSafetyNumber(v *view) {
	a, b := v.publicKey("identity_a"), v.publicKey("identity_b")
	bSeesA := a
	if m, ok := v.optPublicKey("identity_m"); ok {
		bSeesA = m
	}
	if v.err != nil {
		return
	}
	na, nb := envelope.NewSafetyNumber(a, b), envelope.NewSafetyNumber(b, bSeesA)
	for _, side := range []struct {
		key string
		n   *envelope.SafetyNumber
	}{{"digits_a", na}, {"digits_b", nb}} {
		want := v.text(side.key)
		if got := side.n.String(); v.err == nil && got != want {
			v.fail("%s: computed %s, recorded %s", side.key, got, want)
		}
		if d := side.n.Display(); strings.ReplaceAll(d, " ", "") != side.n.String() || len(strings.Fields(d)) != 12 {
			v.fail("Display %q is not the digits in twelve groups", d)
		}
	}
	v.equal("scannable_a", na.Scannable())
	v.equal("scannable_b", nb.Scannable())
	if v.err != nil {
		return
	}
	okA, errA := na.VerifyScanned(v.bytes("scannable_b"))
	okB, errB := nb.VerifyScanned(v.bytes("scannable_a"))
	if errA != nil || errB != nil {
		v.fail("VerifyScanned: %v, %v", errA, errB)
		return
	}
	same := na.Equal(nb)
	var got string
	switch {
	case okA && okB && same:
		got = testdata.ExpectSuccess
	case !okA && !okB && !same:
		got = testdata.ExpectUntrustedIdentity
	default:
		v.fail("inconsistent comparison: a accepts b's code %v, b accepts a's %v, digits equal %v", okA, okB, same)
		return
	}
	v.outcome("comparing the safety numbers", got)
}
