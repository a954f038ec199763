// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package gen

import (
	"bytes"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/testdata/internal/mutate"
)

// preKeyRecord encodes PreKeyRecord{1 version, 2 id, 3 public_key,
// 4 private_key} (and, for a signed prekey, 5 signature, 6 timestamp) with
// protowire in field-number order; the private key is stored clamped.
func preKeyRecord(id uint32, private []byte, signature []byte, timestamp int64) []byte {
	k, err := curve.NewPrivateKey(private)
	if err != nil {
		panic(err)
	}
	p := appendVarintField(nil, 1, 1)
	p = appendVarintField(p, 2, uint64(id))
	p = appendBytesField(p, 3, publicOf(private))
	p = appendBytesField(p, 4, k.Bytes())
	if signature != nil {
		p = appendBytesField(p, 5, signature)
		p = appendVarintField(p, 6, uint64(timestamp))
	}
	return p
}

func preKeyRecordVectors(b *builder) {
	const kind = "prekey-record"
	r := stream(kind)
	addPreKey := func(name, comment string, id uint32) (string, []byte) {
		priv := r.Bytes(32)
		v := newVec(kind, name, testdata.ExpectSuccess, comment).str("record", "prekey").int("record_version", 1).
			int("id", uint64(id)).hex("prekey_private", priv).hex("prekey_public", publicOf(priv))
		v.v.Artifact = preKeyRecord(id, priv, nil, 0)
		return b.add(v), v.v.Artifact
	}
	addSigned := func(name, comment string, id uint32, timestamp int64) (string, []byte) {
		identity, priv, random := r.Bytes(32), r.Bytes(32), r.Bytes(64)
		k, err := curve.NewPrivateKey(identity)
		b.check(err)
		if b.err != nil {
			return "", nil
		}
		sig, err := k.Sign(bytes.NewReader(random), publicOf(priv))
		b.check(err)
		v := newVec(kind, name, testdata.ExpectSuccess, comment).str("record", "signed-prekey").int("record_version", 1).
			int("id", uint64(id)).hex("identity_private", identity).hex("identity_public", publicOf(identity)).
			hex("prekey_private", priv).hex("signature_random", random).int("timestamp", uint64(timestamp)).
			hex("prekey_public", publicOf(priv)).hex("signature", sig)
		v.v.Artifact = preKeyRecord(id, priv, sig, timestamp)
		return b.add(v), v.v.Artifact
	}
	pk, pkArt := addPreKey("prekey", "one-time prekey 7", 7)
	addPreKey("prekey-large-id", "one-time prekey 16777215 (a 4-byte varint id)", 16777215)
	spk, spkArt := addSigned("signed-prekey", "signed prekey 1, created 2026-01-01T00:00:00Z", 1, 1767225600000)
	addSigned("signed-prekey-large-id", "signed prekey 4294967295 (a 5-byte varint id), created 2026-03-01T12:34:56.789Z", 4294967295, 1772368496789)

	derived := func(src string, art []byte, name, comment, op string, p mutate.Params, param func(*vec)) {
		v := derive(kind, name, testdata.ExpectParseFailure, comment, src, op, "artifact")
		param(v)
		v.v.Artifact = b.mutated(op, art, p)
		b.add(v)
	}
	setByte := func(off int, val byte) (mutate.Params, func(*vec)) {
		return mutate.Params{Offset: off, Byte: val}, func(v *vec) { v.int("offset", uint64(off)).hex("byte", []byte{val}) }
	}
	truncate := func(n int) (mutate.Params, func(*vec)) {
		return mutate.Params{Length: n}, func(v *vec) { v.int("length", uint64(n)) }
	}
	p, f := truncate(len(pkArt) - 10)
	derived(pk, pkArt, "prekey-truncated", "the last 10 bytes removed: the private key is cut short (corrupt record)", "truncate", p, f)
	p, f = setByte(1, 2)
	derived(pk, pkArt, "prekey-version-2", "record version 2: unsupported", "set-byte", p, f)
	derived(pk, pkArt, "prekey-trailing-garbage", "a 0xff byte appended: wire type 7 does not exist (corrupt record)", "append",
		mutate.Params{Suffix: []byte{0xff}}, func(v *vec) { v.hex("suffix", []byte{0xff}) })
	p, f = truncate(len(spkArt) - 10)
	derived(spk, spkArt, "signed-prekey-truncated", "the last 10 bytes removed: the signature is cut short (corrupt record)", "truncate", p, f)
	p, f = setByte(1, 0)
	derived(spk, spkArt, "signed-prekey-version-0", "record version 0 (written explicitly): unsupported", "set-byte", p, f)
	// The public key's type byte: after version (2 bytes), id 1 (2 bytes),
	// the public key's tag and length.
	p, f = setByte(6, 0x06)
	derived(spk, spkArt, "signed-prekey-bad-public-key", "the public key's type byte 0x05 changed to 0x06 (corrupt record)", "set-byte", p, f)
}
