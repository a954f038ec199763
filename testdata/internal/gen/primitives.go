// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package gen

import (
	"bytes"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/testdata/internal/mutate"
)

// Low-order X25519 public keys (serialized, 0x05 ‖ u): u = 0, 1, the two
// points of order 8, and the non-canonical encodings p - 1 (order 2), p
// (= 0) and p + 1 (= 1).
var lowOrder = map[string][]byte{
	"zero":      serialized("0000000000000000000000000000000000000000000000000000000000000000"),
	"one":       serialized("0100000000000000000000000000000000000000000000000000000000000000"),
	"order-8-a": serialized("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
	"order-8-b": serialized("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
	"p-minus-1": serialized("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
	"p":         serialized("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
}

func serialized(u string) []byte {
	b, err := hex.DecodeString(u)
	if err != nil {
		panic(err)
	}
	return append([]byte{curve.DJBType}, b...)
}

// publicOf returns the serialized public key of a 32-byte X25519 private
// key, computed with crypto/ecdh (which clamps as RFC 7748 specifies).
func publicOf(priv []byte) []byte {
	k, err := ecdh.X25519().NewPrivateKey(priv)
	if err != nil {
		panic(err)
	}
	return append([]byte{curve.DJBType}, k.PublicKey().Bytes()...)
}

// x25519 computes X25519(priv, pub[1:]) with crypto/ecdh.
func x25519(priv, pub []byte) []byte {
	k, err := ecdh.X25519().NewPrivateKey(priv)
	if err != nil {
		panic(err)
	}
	p, err := ecdh.X25519().NewPublicKey(pub[1:])
	if err != nil {
		panic(err)
	}
	out, err := k.ECDH(p)
	if err != nil {
		panic(err)
	}
	return out
}

func hkdfSHA256(ikm, salt []byte, info string, n int) []byte {
	out, err := hkdf.Key(sha256.New, ikm, salt, info, n)
	if err != nil {
		panic(err)
	}
	return out
}

func hmacSHA256(key []byte, msg ...[]byte) []byte {
	m := hmac.New(sha256.New, key)
	for _, b := range msg {
		m.Write(b)
	}
	return m.Sum(nil)
}

// derive starts a vector derived from source by mutation op on target.
func derive(kind, name, expect, comment, source, op, target string) *vec {
	return newVec(kind, name, expect, comment).str("source", source).str("mutation", op).str("target", target)
}

// mutated applies a mutation, recording a failure.
func (b *builder) mutated(op string, in []byte, p mutate.Params) []byte {
	out, err := mutate.Apply(op, in, p)
	b.check(err)
	return out
}

func xeddsaVectors(b *builder) {
	const kind = "xeddsa"
	r := stream(kind)
	type base struct {
		file          string
		pub, msg, sig []byte
	}
	sign := func(name, comment string, msg []byte, wantSign int) base {
		// Draw keys until the signature's sign bit (the sign of the
		// signer's Edwards public key) is wantSign, so both values occur.
		for {
			priv, random := r.Bytes(32), r.Bytes(64)
			k, err := curve.NewPrivateKey(priv)
			b.check(err)
			sig, err := k.Sign(bytes.NewReader(random), msg)
			b.check(err)
			if b.err != nil || int(sig[63]>>7) != wantSign {
				if b.err != nil {
					return base{}
				}
				continue
			}
			pub := publicOf(priv)
			f := b.add(newVec(kind, name, testdata.ExpectSuccess, comment).
				hex("private", priv).hex("random", random).hex("public", pub).hex("message", msg).hex("signature", sig))
			return base{file: f, pub: pub, msg: msg, sig: sig}
		}
	}
	empty := sign("empty-message", "signature of the empty message; sign bit 0", nil, 0)
	short := sign("short-message", "signature of a short message; sign bit 1", []byte("crossseal"), 1)
	spk := sign("signed-prekey", "signature of a 33-byte serialized key, as on a signed prekey; sign bit 0", publicOf(r.Bytes(32)), 0)
	long := sign("long-message", "signature of a 1000-byte message; sign bit 1", r.Bytes(1000), 1)

	flip := func(src base, name, comment, target string, bit int, expect string) {
		in := map[string][]byte{"signature": src.sig, "message": src.msg, "public": src.pub}[target]
		b.add(derive(kind, name, expect, comment, src.file, "flip-bit", target).
			int("bit", uint64(bit)).hex(target, b.mutated("flip-bit", in, mutate.Params{Bit: bit})))
	}
	invalid := testdata.ExpectInvalidSignature
	flip(short, "flipped-r", "one bit of R flipped", "signature", 3, invalid)
	flip(short, "flipped-s", "one bit of s flipped", "signature", 300, invalid)
	flip(empty, "flipped-sign-bit", "the sign bit (top bit of byte 63) flipped: the Edwards key has the other sign", "signature", 511, invalid)
	flip(long, "flipped-message", "one bit of the message flipped", "message", 4000, invalid)
	flip(spk, "flipped-public", "lowest bit of u flipped: another key", "public", 8, invalid)
	flip(spk, "public-high-bit", "bit 255 of u set: ignored, as X25519 and libsignal ignore it", "public", 263, testdata.ExpectSuccess)
	for _, src := range []base{short, empty} {
		b.add(derive(kind, "non-canonical-s", invalid, "s replaced by s + L (not reduced), sign bit kept; libsignal accepts s < 2^253, crossseal requires s < L", src.file, "s-plus-l", "signature").
			hex("signature", b.mutated("s-plus-l", src.sig, mutate.Params{})))
	}
	b.add(derive(kind, "truncated-signature", invalid, "63-byte signature", short.file, "truncate", "signature").
		int("length", 63).hex("signature", short.sig[:63]))
	b.add(derive(kind, "extended-signature", invalid, "65-byte signature", short.file, "append", "signature").
		hex("suffix", []byte{0}).hex("signature", append(bytes.Clone(short.sig), 0)))
	b.add(derive(kind, "wrong-key", invalid, "verified under another signer's key", short.file, "public-from", "public").
		str("other", long.file).hex("public", long.pub))
	b.add(derive(kind, "u-minus-one", invalid, "u = p - 1 has no Edwards form and is rejected", short.file, "u-minus-one", "public").
		hex("public", b.mutated("u-minus-one", short.pub, mutate.Params{})))
}

func x3dhVectors(b *builder) {
	const kind = "x3dh"
	r := stream(kind)
	type base struct {
		file                        string
		ikB, spkPub, random, spkSig []byte
	}
	mk := func(name, comment string, withOPK bool) base {
		ikA, ekA, ikB, spkB, random := r.Bytes(32), r.Bytes(32), r.Bytes(32), r.Bytes(32), r.Bytes(64)
		var opkB []byte
		if withOPK {
			opkB = r.Bytes(32)
		}
		spkPub := publicOf(spkB)
		signer, err := curve.NewPrivateKey(ikB)
		b.check(err)
		sig, err := signer.Sign(bytes.NewReader(random), spkPub)
		b.check(err)
		ikm := bytes.Repeat([]byte{0xFF}, 32)
		ikm = append(ikm, x25519(ikA, spkPub)...)
		ikm = append(ikm, x25519(ekA, publicOf(ikB))...)
		ikm = append(ikm, x25519(ekA, spkPub)...)
		if withOPK {
			ikm = append(ikm, x25519(ekA, publicOf(opkB))...)
		}
		sk := hkdfSHA256(ikm, nil, "WhisperText", 64)
		v := newVec(kind, name, testdata.ExpectSuccess, comment).
			hex("identity_a_private", ikA).hex("identity_a_public", publicOf(ikA)).
			hex("base_a_private", ekA).hex("base_a_public", publicOf(ekA)).
			hex("identity_b_private", ikB).hex("identity_b_public", publicOf(ikB)).
			hex("signed_prekey_b_private", spkB).hex("signed_prekey_b_public", spkPub).
			hex("signature_random", random).hex("signed_prekey_signature", sig)
		if withOPK {
			v.hex("onetime_prekey_b_private", opkB).hex("onetime_prekey_b_public", publicOf(opkB))
		}
		v.hex("root_key", sk[:32]).hex("chain_key", sk[32:])
		return base{file: b.add(v), ikB: ikB, spkPub: spkPub, random: random, spkSig: sig}
	}
	with := mk("with-one-time-prekey", "X3DH with DH1..DH4; SK = HKDF(0xFF*32 ‖ DH1 ‖ DH2 ‖ DH3 ‖ DH4, salt 0, \"WhisperText\")", true)
	without := mk("without-one-time-prekey", "X3DH with DH1..DH3 only", false)

	b.add(derive(kind, "flipped-signature", testdata.ExpectInvalidSignature, "one bit of the signed prekey's signature flipped: rejected before any DH", with.file, "flip-bit", "signed_prekey_signature").
		int("bit", 17).hex("signed_prekey_signature", b.mutated("flip-bit", with.spkSig, mutate.Params{Bit: 17})))
	for _, c := range []struct {
		src  base
		name string
	}{{with, "one"}, {with, "order-8-a"}, {without, "p-minus-1"}} {
		b.add(derive(kind, "low-order-onetime-prekey-"+c.name, testdata.ExpectLowOrderKey, "one-time prekey replaced by the low-order point u = "+c.name+": DH4 is all zeros", c.src.file, "replace", "onetime_prekey_b_public").
			hex("onetime_prekey_b_public", lowOrder[c.name]))
	}
	// A low-order signed prekey with a valid signature reaches DH1.
	signer, err := curve.NewPrivateKey(with.ikB)
	b.check(err)
	low := lowOrder["order-8-b"]
	sig, err := signer.Sign(bytes.NewReader(with.random), low)
	b.check(err)
	b.add(derive(kind, "low-order-signed-prekey", testdata.ExpectLowOrderKey, "signed prekey replaced by a low-order point (order 8) and validly signed with the source's signature_random: DH1 is all zeros", with.file, "replace", "signed_prekey_b_public").
		str("target", "signed_prekey_signature").hex("signed_prekey_b_public", low).hex("signed_prekey_signature", sig))
}

func kdfRKVectors(b *builder) {
	const kind = "kdf-rk"
	r := stream(kind)
	var first string
	for i, comment := range []string{
		"KDF_RK: HKDF-SHA256(salt = root key, IKM = X25519(our, their), info \"WhisperRatchet\") = new root key ‖ chain key",
		"KDF_RK, second case",
		"KDF_RK, third case",
	} {
		root, our, their := r.Bytes(32), r.Bytes(32), publicOf(r.Bytes(32))
		out := hkdfSHA256(x25519(our, their), root, "WhisperRatchet", 64)
		f := b.add(newVec(kind, "root-step", testdata.ExpectSuccess, comment).
			hex("root_key", root).hex("our_private", our).hex("our_public", publicOf(our)).hex("their_public", their).
			hex("new_root_key", out[:32]).hex("chain_key", out[32:]))
		if i == 0 {
			first = f
		}
	}
	for _, name := range []string{"zero", "order-8-a"} {
		b.add(derive(kind, "low-order-"+name, testdata.ExpectLowOrderKey, "their ratchet key replaced by the low-order point u = "+name+": the DH output is all zeros", first, "replace", "their_public").
			hex("their_public", lowOrder[name]))
	}
}

func kdfCKVectors(b *builder) {
	const kind = "kdf-ck"
	r := stream(kind)
	step := func(ck []byte) (seed, next []byte) {
		return hmacSHA256(ck, []byte{0x01}), hmacSHA256(ck, []byte{0x02})
	}
	ck := r.Bytes(32)
	for i := range 3 {
		seed, next := step(ck)
		b.add(newVec(kind, "chain-step", testdata.ExpectSuccess, "KDF_CK: message key seed = HMAC-SHA256(CK, 0x01), next CK = HMAC-SHA256(CK, 0x02); consecutive steps of one chain").
			hex("chain_key", ck).int("index", uint64(i)).hex("message_key_seed", seed).hex("next_chain_key", next))
		ck = next
	}
	ck = r.Bytes(32)
	for range 1000 {
		_, ck = step(ck)
	}
	seed, next := step(ck)
	b.add(newVec(kind, "chain-step-1000", testdata.ExpectSuccess, "KDF_CK at index 1000 of a chain").
		hex("chain_key", ck).int("index", 1000).hex("message_key_seed", seed).hex("next_chain_key", next))
}

func messageKeysVectors(b *builder) {
	const kind = "message-keys"
	r := stream(kind)
	for _, counter := range []uint64{0, 1, 4294967295} {
		seed := r.Bytes(32)
		mk := hkdfSHA256(seed, nil, "WhisperMessageKeys", 80)
		b.add(newVec(kind, "derive", testdata.ExpectSuccess, "HKDF-SHA256(salt none, IKM = seed, info \"WhisperMessageKeys\") = cipher key 32 ‖ MAC key 32 ‖ IV 16").
			hex("message_key_seed", seed).int("counter", counter).
			hex("cipher_key", mk[:32]).hex("mac_key", mk[32:64]).hex("iv", mk[64:]))
	}
}
