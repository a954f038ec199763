// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package gen

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"

	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/testdata/internal/mutate"
	"google.golang.org/protobuf/encoding/protowire"
)

const versionByteV3 = 0x33

// signalMessage is the input of a SignalMessage vector.
type signalMessage struct {
	ratchetKey                     []byte
	counter, previousCounter       uint64
	plaintext, cipherKey, iv       []byte
	macKey, senderID, receiverID   []byte
	ciphertext, protobuf, wireForm []byte
}

// encode fills the ciphertext (AES-256-CBC, PKCS#7) and the wire form
// (version ‖ protobuf{1 ratchet_key, 2 counter, 3 previous_counter,
// 4 ciphertext} ‖ HMAC-SHA256(mac key, sender ‖ receiver ‖ version ‖
// protobuf)[:8]) using only the standard library and protowire.
func (m *signalMessage) encode() {
	pad := 16 - len(m.plaintext)%16
	m.ciphertext = append(bytes.Clone(m.plaintext), bytes.Repeat([]byte{byte(pad)}, pad)...)
	block, err := aes.NewCipher(m.cipherKey)
	if err != nil {
		panic(err)
	}
	cipher.NewCBCEncrypter(block, m.iv).CryptBlocks(m.ciphertext, m.ciphertext)

	var p []byte
	p = protowire.AppendTag(p, 1, protowire.BytesType)
	p = protowire.AppendBytes(p, m.ratchetKey)
	p = protowire.AppendTag(p, 2, protowire.VarintType)
	p = protowire.AppendVarint(p, m.counter)
	p = protowire.AppendTag(p, 3, protowire.VarintType)
	p = protowire.AppendVarint(p, m.previousCounter)
	p = protowire.AppendTag(p, 4, protowire.BytesType)
	p = protowire.AppendBytes(p, m.ciphertext)
	m.protobuf = p
	body := append([]byte{versionByteV3}, p...)
	m.wireForm = append(body, hmacSHA256(m.macKey, m.senderID, m.receiverID, body)[:8]...)
}

func randomSignalMessage(r *testdata.Stream, counter, previous uint64, plaintext []byte) *signalMessage {
	m := &signalMessage{
		ratchetKey: publicOf(r.Bytes(32)), counter: counter, previousCounter: previous,
		plaintext: plaintext, cipherKey: r.Bytes(32), iv: r.Bytes(16), macKey: r.Bytes(32),
		senderID: publicOf(r.Bytes(32)), receiverID: publicOf(r.Bytes(32)),
	}
	m.encode()
	return m
}

func messageVectors(b *builder) {
	const kind = "message"
	r := stream(kind)
	add := func(name, comment string, m *signalMessage) string {
		v := newVec(kind, name, testdata.ExpectSuccess, comment).
			int("version", 3).hex("ratchet_key", m.ratchetKey).int("counter", m.counter).int("previous_counter", m.previousCounter).
			hex("plaintext", m.plaintext).hex("cipher_key", m.cipherKey).hex("iv", m.iv).hex("ciphertext", m.ciphertext).
			hex("mac_key", m.macKey).hex("sender_identity", m.senderID).hex("receiver_identity", m.receiverID)
		v.v.Artifact = m.wireForm
		return b.add(v)
	}
	first := randomSignalMessage(r, 0, 0, []byte("hello"))
	src := add("first-message", "counter 0, previous counter 0", first)
	add("counter-5", "counter 5, previous counter 3, 100-byte plaintext", randomSignalMessage(r, 5, 3, r.Bytes(100)))
	add("empty-plaintext", "empty plaintext: one block of padding", randomSignalMessage(r, 1, 0, nil))
	add("max-counters", "counter and previous counter 2^32 - 1 (5-byte varints), 16-byte plaintext: two blocks", randomSignalMessage(r, 4294967295, 4294967295, r.Bytes(16)))

	art := first.wireForm
	ctTag := 1 + len(first.protobuf) - len(first.ciphertext) - 2 // tag byte of field 4 (the ciphertext is < 128 bytes)
	derived := func(name, expect, comment, op string, p mutate.Params, param func(*vec)) {
		v := derive(kind, name, expect, comment, src, op, "artifact")
		param(v)
		v.v.Artifact = b.mutated(op, art, p)
		b.add(v)
	}
	truncate := func(n int) func(*vec) { return func(v *vec) { v.int("length", uint64(n)) } }
	setByte := func(off int, val byte) func(*vec) {
		return func(v *vec) { v.int("offset", uint64(off)).hex("byte", []byte{val}) }
	}
	bit := func(n int) func(*vec) { return func(v *vec) { v.int("bit", uint64(n)) } }
	parse, mac := testdata.ExpectParseFailure, testdata.ExpectMACFailure
	derived("empty", parse, "zero bytes", "truncate", mutate.Params{Length: 0}, truncate(0))
	derived("shorter-than-mac", parse, "version byte and 7 bytes: shorter than version ‖ MAC", "truncate", mutate.Params{Length: 8}, truncate(8))
	derived("truncated", parse, "last byte removed: the protobuf loses the end of the ciphertext", "truncate", mutate.Params{Length: len(art) - 1}, truncate(len(art)-1))
	derived("version-2", parse, "version byte 0x23: version 2 is not supported", "set-byte", mutate.Params{Offset: 0, Byte: 0x23}, setByte(0, 0x23))
	derived("version-15", parse, "version byte 0xf3: version 15 is not supported", "set-byte", mutate.Params{Offset: 0, Byte: 0xf3}, setByte(0, 0xf3))
	derived("bad-protobuf", parse, "first protobuf byte 0xff: wire type 7 does not exist", "set-byte", mutate.Params{Offset: 1, Byte: 0xff}, setByte(1, 0xff))
	derived("v4-field-in-v3", parse, "the ciphertext's tag changed to field 5 (pq_ratchet): a v4 field in a v3 message, and no ciphertext", "set-byte", mutate.Params{Offset: ctTag, Byte: 0x2a}, setByte(ctTag, 0x2a))
	derived("version-4-byte", mac, "version byte 0x44: parses as v4, but the version byte is under the MAC", "set-byte", mutate.Params{Offset: 0, Byte: 0x44}, setByte(0, 0x44))
	derived("flipped-mac", mac, "last bit of the MAC flipped", "flip-bit", mutate.Params{Bit: 8*len(art) - 1}, bit(8*len(art)-1))
	derived("flipped-ciphertext", mac, "one ciphertext bit flipped", "flip-bit", mutate.Params{Bit: 8 * (len(art) - 12)}, bit(8*(len(art)-12)))
}

// preKeyMessage encodes a PreKeySignalMessage with protowire, fields in
// field-number order: 1 pre_key_id, 2 base_key, 3 identity_key, 4 message,
// 5 registration_id, 6 signed_pre_key_id.
func preKeyMessage(hasPreKeyID bool, preKeyID uint64, baseKey, identityKey, message []byte, registrationID, signedPreKeyID uint64) []byte {
	p := []byte{versionByteV3}
	if hasPreKeyID {
		p = protowire.AppendTag(p, 1, protowire.VarintType)
		p = protowire.AppendVarint(p, preKeyID)
	}
	p = protowire.AppendTag(p, 2, protowire.BytesType)
	p = protowire.AppendBytes(p, baseKey)
	p = protowire.AppendTag(p, 3, protowire.BytesType)
	p = protowire.AppendBytes(p, identityKey)
	p = protowire.AppendTag(p, 4, protowire.BytesType)
	p = protowire.AppendBytes(p, message)
	p = protowire.AppendTag(p, 5, protowire.VarintType)
	p = protowire.AppendVarint(p, registrationID)
	p = protowire.AppendTag(p, 6, protowire.VarintType)
	return protowire.AppendVarint(p, signedPreKeyID)
}

func preKeyMessageVectors(b *builder) {
	const kind = "prekey-message"
	r := stream(kind)
	add := func(name, comment string, hasPreKeyID bool) (file string, artifact, inner []byte) {
		inner = randomSignalMessage(r, 0, 0, []byte("first")).wireForm
		base, identity := publicOf(r.Bytes(32)), publicOf(r.Bytes(32))
		v := newVec(kind, name, testdata.ExpectSuccess, comment).int("version", 3).int("registration_id", 16380)
		if hasPreKeyID {
			v.int("prekey_id", 7)
		}
		v.int("signed_prekey_id", 1).hex("base_key", base).hex("identity_key", identity).hex("message", inner)
		v.v.Artifact = preKeyMessage(hasPreKeyID, 7, base, identity, inner, 16380, 1)
		return b.add(v), v.v.Artifact, inner
	}
	src, art, inner := add("with-prekey-id", "a first message naming one-time prekey 7 and signed prekey 1", true)
	add("without-prekey-id", "a first message with no one-time prekey", false)

	derived := func(name, comment, op string, p mutate.Params, param func(*vec)) {
		v := derive(kind, name, testdata.ExpectParseFailure, comment, src, op, "artifact")
		param(v)
		v.v.Artifact = b.mutated(op, art, p)
		b.add(v)
	}
	const baseKeyTag = 3 // after the version byte and field 1 (pre_key_id 7)
	innerVersion := bytes.Index(art, inner)
	derived("empty", "zero bytes", "truncate", mutate.Params{Length: 0}, func(v *vec) { v.int("length", 0) })
	derived("truncated", "last byte removed", "truncate", mutate.Params{Length: len(art) - 1}, func(v *vec) { v.int("length", uint64(len(art)-1)) })
	derived("version-2", "version byte 0x23", "set-byte", mutate.Params{Offset: 0, Byte: 0x23}, func(v *vec) { v.int("offset", 0).hex("byte", []byte{0x23}) })
	derived("missing-base-key", "the base key's tag changed to field 13: no base key", "set-byte", mutate.Params{Offset: baseKeyTag, Byte: 0x6a}, func(v *vec) { v.int("offset", baseKeyTag).hex("byte", []byte{0x6a}) })
	derived("inner-version-4", "the embedded SignalMessage's version byte changed to 0x44: versions differ", "set-byte", mutate.Params{Offset: innerVersion, Byte: 0x44}, func(v *vec) { v.int("offset", uint64(innerVersion)).hex("byte", []byte{0x44}) })
}
