// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package session

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/wire"
	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/testdata"
)

// TestGoldenRecords decodes every golden record of every release
// (testdata/records) and every session-record vector. Valid records must
// decode, re-encode to the same bytes (the hand-written encoder and the
// generated one agreeing), and decode again; corrupt ones must be refused
// with ErrCorruptRecord or ErrUnsupportedVersion.
func TestGoldenRecords(t *testing.T) {
	records, err := testdata.RecordFiles()
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, raw []byte) {
		rec, err := unmarshalRecord(raw)
		if err != nil {
			t.Fatalf("decoding: %v", err)
		}
		if rec.current == nil {
			t.Fatal("no current session")
		}
		if got := rec.marshal(); !bytes.Equal(got, raw) {
			t.Errorf("re-encoding gives other bytes:\n got %x\nwant %x", got, raw)
		}
		if got := rec.marshalGenerated(); !bytes.Equal(got, raw) {
			t.Errorf("the generated encoder gives other bytes")
		}
		if _, err := unmarshalRecord(rec.marshal()); err != nil {
			t.Errorf("decoding the re-encoded record: %v", err)
		}
	}
	for name, raw := range records {
		t.Run(name, func(t *testing.T) { check(t, raw) })
	}
	files, err := testdata.Kind("session-record")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(f.Path, func(t *testing.T) {
			if f.Expect() == testdata.ExpectSuccess {
				check(t, f.Artifact)
				return
			}
			rec, err := unmarshalRecord(f.Artifact)
			if rec != nil || !(errors.Is(err, ErrCorruptRecord) || errors.Is(err, ErrUnsupportedVersion)) {
				t.Errorf("unmarshalRecord = %v, %v; want a corrupt-record error", rec, err)
			}
		})
	}
}

// TestWycheproofLowOrder puts every Wycheproof X25519 public key whose
// shared secret is all zeros where it reaches a key agreement in session:
// as the ratchet key of a SignalMessage (refused with ErrInvalidMessage,
// the DH ratchet step failing), and as the base key or the identity key
// of a PreKeySignalMessage (refused by X3DH with ErrLowOrderKey). Each
// refusal leaves the receiver's store unchanged.
func TestWycheproofLowOrder(t *testing.T) {
	cases, err := testdata.WycheproofLowOrderX25519()
	if err != nil {
		t.Fatal(err)
	}
	alice, bob := newParty(t, "alice", 1), newParty(t, "bob", 2)
	connect(t, alice, bob, 1)
	bob.mustDecrypt(t, alice, alice.encrypt(t, bob, "hello"), "hello")
	alice.mustDecrypt(t, bob, bob.encrypt(t, alice, "hi"), "hi")
	whisper := alice.encrypt(t, bob, "whisper")
	sm, err := wire.ParseSignalMessage(whisper.Body)
	if err != nil {
		t.Fatal(err)
	}
	// A PreKey message of a second session, which bob has not seen.
	connect(t, alice, bob, 2)
	first := alice.encrypt(t, bob, "second session")
	pk, err := wire.ParsePreKeySignalMessage(first.Body)
	if err != nil {
		t.Fatal(err)
	}
	stranger := &party{name: "stranger", addr: keystore.Address{Name: "stranger", DeviceID: 1}}

	for _, tc := range cases {
		t.Run(fmt.Sprintf("tc%d %s", tc.TcID, tc.Comment), func(t *testing.T) {
			low, err := curve.NewPublicKeyRaw(tc.Public)
			if err != nil {
				t.Fatal(err)
			}
			ratchetKey := *sm
			ratchetKey.RatchetKey = low
			baseKey, identityKey := *pk, *pk
			baseKey.BaseKey = low
			identityKey.IdentityKey = low
			for _, c := range []struct {
				name string
				from *party
				msg  Ciphertext
				want error
			}{
				{"ratchet key", alice, Ciphertext{TypeWhisper, wire.NewSignalMessage(&ratchetKey, make([]byte, 32), curve.PublicKey{}, curve.PublicKey{}).Bytes()}, ErrInvalidMessage},
				{"base key", alice, Ciphertext{TypePreKey, wire.NewPreKeySignalMessage(&baseKey).Bytes()}, ErrLowOrderKey},
				{"identity key", stranger, Ciphertext{TypePreKey, wire.NewPreKeySignalMessage(&identityKey).Bytes()}, ErrLowOrderKey},
			} {
				before := bob.storeDigest(t, c.from)
				if _, err := bob.decrypt(c.from, c.msg); !errors.Is(err, c.want) {
					t.Errorf("as the %s: Decrypt = %v, want %v", c.name, err, c.want)
				}
				if bob.storeDigest(t, c.from) != before {
					t.Errorf("as the %s: the refused message changed bob's store", c.name)
				}
			}
		})
	}
	// The untampered messages still decrypt.
	bob.mustDecrypt(t, alice, whisper, "whisper")
	bob.mustDecrypt(t, alice, first, "second session")
}
