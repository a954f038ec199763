// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package session

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/crossseal/crossseal/internal/wire"
	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/testdata"
)

// FuzzSessionRecord feeds arbitrary bytes to the session record decoder.
// It must never panic and must fail with ErrCorruptRecord or
// ErrUnsupportedVersion (and a nil record). A record it accepts must
// re-encode the same way through the hand-written and the generated
// encoder, decode again and re-encode to the same bytes; and a Manager
// over a store holding it must encrypt (if it has a current session) and
// leave the store unchanged when it refuses a message. Seeds are the
// golden records and the session-record vectors.
func FuzzSessionRecord(f *testing.F) {
	records, err := testdata.RecordFiles()
	if err != nil {
		f.Fatal(err)
	}
	for _, raw := range records {
		f.Add(raw)
	}
	files, err := testdata.Kind("session-record")
	if err != nil {
		f.Fatal(err)
	}
	var probe Ciphertext // a message the record's session did not produce
	for _, v := range files {
		f.Add(v.Artifact)
		if b, err := v.Hex("send_body"); err == nil && probe.Body == nil {
			typ, _ := v.Value("send_type")
			probe = Ciphertext{Type: TypeWhisper, Body: b}
			if typ == "3" {
				probe.Type = TypePreKey
			}
		}
	}
	if probe.Body == nil {
		f.Fatal("no session-record vector records a sent message")
	}
	addr := keystore.Address{Name: "peer", DeviceID: 1}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, b []byte) {
		rec, err := unmarshalRecord(b)
		if err != nil {
			if rec != nil || !(errors.Is(err, ErrCorruptRecord) || errors.Is(err, ErrUnsupportedVersion)) {
				t.Fatalf("unmarshalRecord = %v, %v", rec, err)
			}
			return
		}
		b1 := rec.marshal()
		if gen := rec.marshalGenerated(); !bytes.Equal(b1, gen) {
			t.Fatalf("hand-written encoding %x\ndiffers from generated %x", b1, gen)
		}
		rec2, err := unmarshalRecord(b1)
		if err != nil {
			t.Fatalf("decoding the re-encoded record: %v", err)
		}
		if b2 := rec2.marshal(); !bytes.Equal(b1, b2) {
			t.Fatal("marshal/unmarshal is not stable")
		}

		store := keystore.NewMemory()
		if err := store.Update(ctx, func(tx keystore.Tx) error { return tx.SetSession(addr, b) }); err != nil {
			t.Fatal(err)
		}
		m := New(store)
		m.rand = testdata.NewStream(b)
		digest := func() []byte {
			var rec []byte
			_ = store.Update(ctx, func(tx keystore.Tx) error { rec, _ = tx.Session(addr); return nil })
			return rec
		}
		before := digest()
		if err := m.Decrypt(ctx, addr, probe, nil); err != nil && !bytes.Equal(digest(), before) {
			t.Fatal("a refused message changed the stored record")
		}
		c, err := m.Encrypt(ctx, addr, []byte("fuzz"))
		if rec.current == nil {
			if !errors.Is(err, ErrNoSession) {
				t.Fatalf("Encrypt without a current session: %v", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Encrypt: %v", err)
		}
		if c.Type == TypePreKey {
			_, err = wire.ParsePreKeySignalMessage(c.Body)
		} else {
			_, err = wire.ParseSignalMessage(c.Body)
		}
		if err != nil {
			t.Fatalf("the encrypted message does not parse: %v", err)
		}
	})
}
