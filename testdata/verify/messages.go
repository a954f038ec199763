// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package verify

import (
	"bytes"

	"github.com/crossseal/crossseal/internal/cbc"
	"github.com/crossseal/crossseal/internal/wire"
	"github.com/crossseal/crossseal/testdata"
)

// checkMessage encodes the SignalMessage with the wire codec and compares
// it with the artifact, then parses the artifact and verifies its MAC. For
// a derived vector only the parse and MAC checks run.
func checkMessage(v *view) {
	m := &wire.SignalMessage{
		Version:         uint8(v.uint32("version")),
		RatchetKey:      v.publicKey("ratchet_key"),
		Counter:         v.uint32("counter"),
		PreviousCounter: v.uint32("previous_counter"),
		Ciphertext:      v.bytes("ciphertext"),
	}
	macKey := v.bytes("mac_key")
	sender, receiver := v.publicKey("sender_identity"), v.publicKey("receiver_identity")
	if v.artifact == nil {
		v.fail("no artifact")
	}
	if v.err != nil {
		return
	}
	fresh := !v.mutated["artifact"]
	if fresh {
		if pt, ok := v.optBytes("plaintext"); ok {
			key, iv := v.bytes("cipher_key"), v.bytes("iv")
			if v.err != nil {
				return
			}
			if len(key) != cbc.KeySize || len(iv) != cbc.IVSize {
				v.fail("cipher_key or iv has the wrong size")
				return
			}
			if ct := cbc.Encrypt(key, iv, pt); !bytes.Equal(ct, m.Ciphertext) {
				v.fail("AES-256-CBC of plaintext gives %x, recorded ciphertext %x", ct, m.Ciphertext)
			}
			if back, err := cbc.Decrypt(key, iv, m.Ciphertext); err != nil || !bytes.Equal(back, pt) {
				v.fail("decrypting ciphertext: %x, %v", back, err)
			}
		}
		if enc := wire.NewSignalMessage(m, macKey, sender, receiver).Bytes(); !bytes.Equal(enc, v.artifact) {
			v.fail("encoding gives %x, recorded %x", enc, v.artifact)
		}
	}
	if v.err != nil {
		return
	}
	parsed, err := wire.ParseSignalMessage(v.artifact)
	if err != nil {
		v.outcome("ParseSignalMessage", testdata.ExpectParseFailure)
		return
	}
	if parsed.VerifyMAC(macKey, receiver, sender) && !sender.Equal(receiver) {
		v.fail("the MAC verifies with the identities swapped")
	}
	got := testdata.ExpectMACFailure
	if parsed.VerifyMAC(macKey, sender, receiver) {
		got = testdata.ExpectSuccess
	}
	v.outcome("VerifyMAC", got)
	if fresh && v.err == nil && (parsed.Version != m.Version || !parsed.RatchetKey.Equal(m.RatchetKey) ||
		parsed.Counter != m.Counter || parsed.PreviousCounter != m.PreviousCounter ||
		!bytes.Equal(parsed.Ciphertext, m.Ciphertext) || parsed.PQRatchet != nil || parsed.Addresses != nil) {
		v.fail("parsing the artifact gives other fields than the header")
	}
}

// checkPreKeyMessage encodes the PreKeySignalMessage with the wire codec
// and compares it with the artifact, then parses the artifact.
func checkPreKeyMessage(v *view) {
	fresh := !v.mutated["artifact"]
	if v.artifact == nil {
		v.fail("no artifact")
		return
	}
	var want *wire.PreKeySignalMessage
	if fresh {
		inner, err := wire.ParseSignalMessage(v.bytes("message"))
		if err != nil && v.err == nil {
			v.fail("message: %v", err)
		}
		want = &wire.PreKeySignalMessage{
			Version:        uint8(v.uint32("version")),
			RegistrationID: v.uint32("registration_id"),
			SignedPreKeyID: v.uint32("signed_prekey_id"),
			BaseKey:        v.publicKey("base_key"),
			IdentityKey:    v.publicKey("identity_key"),
			Message:        inner,
		}
		want.PreKeyID, want.HasPreKeyID = v.optUint32("prekey_id")
		if v.err != nil {
			return
		}
		if enc := wire.NewPreKeySignalMessage(want).Bytes(); !bytes.Equal(enc, v.artifact) {
			v.fail("encoding gives %x, recorded %x", enc, v.artifact)
			return
		}
	}
	parsed, err := wire.ParsePreKeySignalMessage(v.artifact)
	got := testdata.ExpectSuccess
	if err != nil {
		got = testdata.ExpectParseFailure
	}
	v.outcome("ParsePreKeySignalMessage", got)
	if err != nil || !fresh || v.err != nil {
		return
	}
	if parsed.Version != want.Version || parsed.RegistrationID != want.RegistrationID ||
		parsed.HasPreKeyID != want.HasPreKeyID || parsed.PreKeyID != want.PreKeyID ||
		parsed.SignedPreKeyID != want.SignedPreKeyID || !parsed.BaseKey.Equal(want.BaseKey) ||
		!parsed.IdentityKey.Equal(want.IdentityKey) || !bytes.Equal(parsed.Message.Bytes(), want.Message.Bytes()) ||
		parsed.HasKyberPreKeyID || parsed.KyberCiphertext != nil {
		v.fail("parsing the artifact gives other fields than the header")
	}
}
