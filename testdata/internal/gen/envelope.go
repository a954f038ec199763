// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package gen

import (
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/testdata/internal/mutate"
	"google.golang.org/protobuf/encoding/protowire"
)

// envAddr is an envelope address, protobuf EnvelopeAddress{1 app, 2 user,
// 3 device}.
type envAddr struct {
	app, user string
	device    uint32
}

func (a envAddr) String() string {
	return a.app + ":" + a.user + "." + strconv.FormatUint(uint64(a.device), 10)
}

func (a envAddr) proto() []byte {
	p := protowire.AppendTag(nil, 1, protowire.BytesType)
	p = protowire.AppendString(p, a.app)
	p = protowire.AppendTag(p, 2, protowire.BytesType)
	p = protowire.AppendString(p, a.user)
	p = protowire.AppendTag(p, 3, protowire.VarintType)
	return protowire.AppendVarint(p, uint64(a.device))
}

func appendBytesField(p []byte, n protowire.Number, b []byte) []byte {
	p = protowire.AppendTag(p, n, protowire.BytesType)
	return protowire.AppendBytes(p, b)
}

func appendVarintField(p []byte, n protowire.Number, x uint64) []byte {
	p = protowire.AppendTag(p, n, protowire.VarintType)
	return protowire.AppendVarint(p, x)
}

// envelopeBytes encodes Envelope{1 version, 2 sender, 3 recipient, 4 type,
// 5 body} with protowire, fields in field-number order (none is zero).
func envelopeBytes(sender, recipient envAddr, typ uint64, body []byte) []byte {
	p := appendVarintField(nil, 1, 1)
	p = appendBytesField(p, 2, sender.proto())
	p = appendBytesField(p, 3, recipient.proto())
	p = appendVarintField(p, 4, typ)
	return appendBytesField(p, 5, body)
}

func envelopeVectors(b *builder) {
	const kind = "envelope"
	r := stream(kind)
	add := func(name, comment string, sender, recipient envAddr, typ uint64, body []byte) (string, []byte) {
		v := newVec(kind, name, testdata.ExpectSuccess, comment).
			int("version", 1).str("sender", sender.String()).str("recipient", recipient.String()).
			int("type", typ).hex("body", body)
		v.v.Artifact = envelopeBytes(sender, recipient, typ, body)
		return b.add(v), v.v.Artifact
	}
	alice := envAddr{"whatsapp", "+15551234567", 1}
	bob := envAddr{"signal", "bob", 2}
	src, art := add("whisper", "a SignalMessage (type 2) from whatsapp:+15551234567.1 to signal:bob.2",
		alice, bob, 2, append([]byte{0x33}, r.Bytes(60)...))
	add("prekey", "a PreKeySignalMessage (type 3) of more than 127 bytes (two-byte lengths); the user contains ':', '.' and non-ASCII UTF-8",
		envAddr{"matrix", "@bøb:example.org", 3}, envAddr{"x-chat", "7.5", 2147483647}, 3, append([]byte{0x33}, r.Bytes(150)...))
	add("profile-v4", "a body whose version byte is 0x44: profile v4 is known (reserved), so the envelope parses; the envelope never parses the body further",
		bob, alice, 2, append([]byte{0x44}, r.Bytes(40)...))

	derived := func(name, comment, op string, p mutate.Params, param func(*vec)) {
		v := derive(kind, name, testdata.ExpectParseFailure, comment, src, op, "artifact")
		param(v)
		v.v.Artifact = b.mutated(op, art, p)
		b.add(v)
	}
	setByte := func(off int, val byte) (mutate.Params, func(*vec)) {
		return mutate.Params{Offset: off, Byte: val}, func(v *vec) { v.int("offset", uint64(off)).hex("byte", []byte{val}) }
	}
	// Offsets in the source: field 1 (2 bytes), field 2 (tag, length,
	// address), field 3 (likewise), then field 4's tag and value.
	senderApp := 2 + 2 + 2
	typeValue := 2 + 2 + len(alice.proto()) + 2 + len(bob.proto()) + 1
	derived("truncated", "last byte removed: the body is shorter than its length", "truncate", mutate.Params{Length: len(art) - 1},
		func(v *vec) { v.int("length", uint64(len(art)-1)) })
	p, f := setByte(1, 2)
	derived("version-2", "envelope format version 2: unsupported", "set-byte", p, f)
	p, f = setByte(typeValue, 0)
	derived("type-0", "message type 0 (unspecified), encoded explicitly", "set-byte", p, f)
	p, f = setByte(typeValue, 8)
	derived("type-8", "message type 8: not a Signal message type crossseal carries", "set-byte", p, f)
	derived("non-canonical", "the version field repeated at the end: it decodes to the same envelope, which encodes otherwise", "append",
		mutate.Params{Suffix: []byte{0x08, 0x01}}, func(v *vec) { v.hex("suffix", []byte{0x08, 0x01}) })
	p, f = setByte(senderApp, 'W')
	derived("bad-address", "the sender's app starts with an upper-case letter: apps are [a-z0-9-]", "set-byte", p, f)
}

// contentBody is the body of a content vector: its header fields and its
// protobuf field (number and bytes).
type contentBody struct {
	kind   string
	fields func(*vec)
	num    protowire.Number
	pb     []byte
}

// contentBytes encodes Content{1 message_id, 2 sent_at_ms, 3 origin_app,
// 4 sender, body} with protowire in field-number order.
func contentBytes(id []byte, sentAt uint64, sender envAddr, body contentBody) []byte {
	p := appendBytesField(nil, 1, id)
	p = appendVarintField(p, 2, sentAt)
	p = appendBytesField(p, 3, []byte(sender.app))
	p = appendBytesField(p, 4, sender.proto())
	return appendBytesField(p, body.num, body.pb)
}

// padContent is content ‖ 0x80 ‖ zeros to the next multiple of 160 bytes.
func padContent(c []byte) []byte {
	out := make([]byte, (len(c)/160+1)*160)
	copy(out, c)
	out[len(c)] = 0x80
	return out
}

func textBody(text string) contentBody {
	return contentBody{"text", func(v *vec) { v.str("text", text) }, 10, appendBytesField(nil, 1, []byte(text))}
}

func contentVectors(b *builder) {
	const kind = "content"
	r := stream(kind)
	sender := envAddr{"whatsapp", "+15551234567", 1}
	const sentAt = 1767225600123
	add := func(name, comment string, body contentBody) (string, []byte) {
		id := r.Bytes(16)
		c := contentBytes(id, sentAt, sender, body)
		v := newVec(kind, name, testdata.ExpectSuccess, comment).
			hex("message_id", id).int("sent_at", sentAt).str("origin_app", sender.app).str("sender", sender.String()).
			str("body_type", body.kind)
		body.fields(v)
		v.v.Artifact = padContent(c)
		return b.add(v), c
	}
	src, content := add("text", "a text message: the content and 0x80 then zeros to 160 bytes", textBody("hello, world"))
	// A text that makes the content exactly 160 bytes: the 0x80 byte
	// always follows, so it takes two buckets.
	n := 160 - len(contentBytes(make([]byte, 16), sentAt, sender, textBody("")))
	for len(contentBytes(make([]byte, 16), sentAt, sender, textBody(strings.Repeat("a", n)))) > 160 {
		n--
	}
	add("text-160", fmt.Sprintf("a %d-byte text making the content exactly 160 bytes: padded to 320", n), textBody(strings.Repeat("abcdefghij", n/10+1)[:n]))

	key, digest := r.Bytes(64), r.Bytes(32)
	att := appendBytesField(nil, 1, []byte("https://cdn.example.org/attachments/4f2c9a"))
	att = appendBytesField(att, 2, key)
	att = appendBytesField(att, 3, digest)
	att = appendVarintField(att, 4, 1048576)
	att = appendBytesField(att, 5, []byte("image/jpeg"))
	add("attachment", "an attachment pointer: CDN URL, 64-byte key, 32-byte digest, size, MIME type", contentBody{"attachment", func(v *vec) {
		v.str("pointer", "https://cdn.example.org/attachments/4f2c9a").hex("attachment_key", key).hex("digest", digest).
			int("size", 1048576).str("content_type", "image/jpeg")
	}, 11, att})

	target := r.Bytes(16)
	react := appendBytesField(nil, 1, target)
	react = appendBytesField(react, 2, []byte("👍"))
	react = appendVarintField(react, 3, 1)
	add("reaction", "removing a thumbs-up reaction (remove = true)", contentBody{"reaction", func(v *vec) {
		v.hex("reaction_target", target).str("emoji", "👍").int("remove", 1)
	}, 12, react})

	ids := [][]byte{r.Bytes(16), r.Bytes(16), r.Bytes(16)}
	rec := appendVarintField(nil, 1, 2)
	for _, id := range ids {
		rec = appendBytesField(rec, 2, id)
	}
	add("receipt", "a read receipt (type 2) for three messages", contentBody{"receipt", func(v *vec) {
		v.int("receipt_type", 2)
		for _, id := range ids {
			v.hex("receipt_message", id)
		}
	}, 13, rec})

	add("typing", "a typing indicator: stopped (action 2)", contentBody{"typing", func(v *vec) { v.int("action", 2) }, 14, appendVarintField(nil, 1, 2)})

	art := padContent(content)
	marker := len(content)
	derived := func(name, comment, op string, p mutate.Params, param func(*vec)) {
		v := derive(kind, name, testdata.ExpectParseFailure, comment, src, op, "artifact")
		param(v)
		v.v.Artifact = b.mutated(op, art, p)
		b.add(v)
	}
	setByte := func(name, comment string, off int, val byte) {
		derived(name, comment, "set-byte", mutate.Params{Offset: off, Byte: val}, func(v *vec) { v.int("offset", uint64(off)).hex("byte", []byte{val}) })
	}
	setByte("wrong-marker", "the padding marker 0x80 changed to 0x81", marker, 0x81)
	setByte("no-marker", "the padding marker 0x80 changed to 0x00: the last non-zero byte is the content's", marker, 0x00)
	setByte("non-zero-tail", "the last padding byte changed to 0x01", len(art)-1, 0x01)
	derived("short-bucket", "last byte removed: 159 bytes is not a multiple of 160", "truncate", mutate.Params{Length: len(art) - 1},
		func(v *vec) { v.int("length", uint64(len(art)-1)) })
	derived("empty", "zero bytes", "truncate", mutate.Params{Length: 0}, func(v *vec) { v.int("length", 0) })
	zeros := make([]byte, 160)
	derived("extra-bucket", "160 more zero bytes: a multiple of 160, but longer than the padding of this content", "append",
		mutate.Params{Suffix: zeros}, func(v *vec) { v.hex("suffix", zeros) })
}

// safetyFingerprint is libsignal's NumericFingerprint iteration with an
// empty stable id: h_0 = SHA-512(0x0000 ‖ key ‖ key), h_i =
// SHA-512(h_{i-1} ‖ key), 5200 hashes in all.
func safetyFingerprint(key []byte) []byte {
	h := sha512.Sum512(append(append([]byte{0, 0}, key...), key...))
	for i := 1; i < 5200; i++ {
		h = sha512.Sum512(append(h[:], key...))
	}
	return h[:]
}

// safetyHalf is the 30 digits of one fingerprint: six 5-byte big-endian
// chunks, each mod 100000.
func safetyHalf(fp []byte) string {
	var s strings.Builder
	for i := 0; i < 30; i += 5 {
		var x [8]byte
		copy(x[3:], fp[i:i+5])
		fmt.Fprintf(&s, "%05d", binary.BigEndian.Uint64(x[:])%100000)
	}
	return s.String()
}

// safetyNumber returns the 60 digits and the scannable code that local
// computes for (local, remote).
func safetyNumber(local, remote []byte) (string, []byte) {
	l, r := safetyFingerprint(local), safetyFingerprint(remote)
	ld, rd := safetyHalf(l), safetyHalf(r)
	digits := rd + ld
	if ld < rd {
		digits = ld + rd
	}
	code := appendVarintField(nil, 1, 100)
	code = appendBytesField(code, 2, appendBytesField(nil, 1, l[:32]))
	code = appendBytesField(code, 3, appendBytesField(nil, 1, r[:32]))
	return digits, code
}

func safetyNumberVectors(b *builder) {
	const kind = "safety-number"
	r := stream(kind)
	// pair draws identity keys until a's half sorts first (aFirst) or
	// second, so both orders occur.
	pair := func(aFirst bool) (a, bk []byte) {
		for {
			a, bk = publicOf(r.Bytes(32)), publicOf(r.Bytes(32))
			if (safetyHalf(safetyFingerprint(a)) < safetyHalf(safetyFingerprint(bk))) == aFirst {
				return a, bk
			}
		}
	}
	add := func(name, expect, comment string, a, bk, m []byte) {
		bSeesA := a
		if m != nil {
			bSeesA = m
		}
		da, sa := safetyNumber(a, bk)
		db, sb := safetyNumber(bk, bSeesA)
		v := newVec(kind, name, expect, comment).hex("identity_a", a).hex("identity_b", bk)
		if m != nil {
			v.hex("identity_m", m)
		}
		b.add(v.str("digits_a", da).str("digits_b", db).hex("scannable_a", sa).hex("scannable_b", sb))
	}
	a, bk := pair(true)
	add("a-first", testdata.ExpectSuccess, "a's 30 digits come first; both sides see the same 60 digits, and each accepts the other's code", a, bk, nil)
	a2, b2 := pair(false)
	add("b-first", testdata.ExpectSuccess, "b's 30 digits come first", a2, b2, nil)
	add("man-in-the-middle", testdata.ExpectUntrustedIdentity, "b was given the key identity_m for a: the digits differ and neither side accepts the other's code",
		a, bk, publicOf(r.Bytes(32)))
}
