// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package ratchet_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/pb"
	"github.com/crossseal/crossseal/internal/wire"
	"github.com/crossseal/crossseal/ratchet"
	"github.com/crossseal/crossseal/testdata"
	"google.golang.org/protobuf/proto"
)

var deterministic = proto.MarshalOptions{Deterministic: true}

// FuzzRatchetFromProto feeds arbitrary SessionState protobufs to FromProto
// and checks that it never panics, returns nil with ErrCorruptState on
// failure, and that an accepted state is stable through ToProto and
// FromProto, that AppendProto writes what the generated code writes, and
// that encrypting with the state and decrypting a message on one of its
// chains do not panic. Seeds are the states of the golden records.
func FuzzRatchetFromProto(f *testing.F) {
	records, err := testdata.RecordFiles()
	if err != nil {
		f.Fatal(err)
	}
	for _, raw := range records {
		var rec pb.SessionRecord
		if err := proto.Unmarshal(raw, &rec); err != nil {
			f.Fatal(err)
		}
		for _, s := range append([]*pb.SessionState{rec.Current}, rec.Previous...) {
			b, err := deterministic.Marshal(s)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var p pb.SessionState
		if proto.Unmarshal(b, &p) != nil {
			return
		}
		s, err := ratchet.FromProto(&p)
		if err != nil {
			if s != nil || !errors.Is(err, ratchet.ErrCorruptState) {
				t.Fatalf("FromProto = %v, %v", s, err)
			}
			return
		}
		var q pb.SessionState
		s.ToProto(&q)
		b1, err := deterministic.Marshal(&q)
		if err != nil {
			t.Fatal(err)
		}
		var p2 pb.SessionState
		if err := proto.Unmarshal(b1, &p2); err != nil {
			t.Fatal(err)
		}
		s2, err := ratchet.FromProto(&p2)
		if err != nil {
			t.Fatalf("decoding the re-encoded state: %v", err)
		}
		var q2 pb.SessionState
		s2.ToProto(&q2)
		if b2, _ := deterministic.Marshal(&q2); !bytes.Equal(b1, b2) {
			t.Fatal("ToProto/FromProto is not stable")
		}
		q.SessionVersion = 0 // AppendProto writes fields 4 to 7 only
		want, _ := deterministic.Marshal(&q)
		if got := s.AppendProto(nil); !bytes.Equal(got, want) {
			t.Fatalf("AppendProto = %x\nwant %x", got, want)
		}
		if n := s.ProtoSize(); n < len(want) {
			t.Fatalf("ProtoSize %d < %d", n, len(want))
		}

		var ids ratchet.Identities
		msg := must(s.Clone().Encrypt([]byte("fuzz"), ids, nil))
		their := msg.RatchetKey
		counter := uint32(0)
		if len(q.ReceiverChains) > 0 {
			rc := q.ReceiverChains[len(q.ReceiverChains)-1]
			their, _ = curve.NewPublicKey(rc.RatchetPublic)
			counter = rc.Index + 1
		}
		in := wire.NewSignalMessage(&wire.SignalMessage{Version: s.Version, RatchetKey: their, Counter: counter, Ciphertext: msg.Ciphertext}, make([]byte, 32), ids.Remote, ids.Local)
		c := s.Clone()
		if _, err := c.Decrypt(in, ids, testdata.NewStream(b)); err == nil {
			t.Fatal("a message with a made-up MAC decrypted")
		}
	})
}

func must(m *wire.SignalMessage, err error) *wire.SignalMessage {
	if err != nil {
		panic(err)
	}
	return m
}
