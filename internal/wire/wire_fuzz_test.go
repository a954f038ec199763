// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/wire"
	"github.com/crossseal/crossseal/testdata"
)

// seedMessages adds to f the artifacts of the vectors of kind and the
// bodies of the transcript messages of message type typ.
func seedMessages(f *testing.F, kind string, typ string) {
	files, err := testdata.Kind(kind)
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range files {
		f.Add(v.Artifact)
	}
	transcripts, err := testdata.Kind("transcript")
	if err != nil {
		f.Fatal(err)
	}
	n := 0
	for _, v := range transcripts {
		_, steps := testdata.Steps(v.Fields, "step")
		for _, s := range steps {
			st := &testdata.Vector{Fields: s}
			if t, _ := st.Value("type"); t == typ {
				b, err := st.Hex("body")
				if err != nil {
					f.Fatal(err)
				}
				f.Add(b)
				n++
			}
		}
	}
	if n == 0 {
		f.Fatalf("no type %s message in the transcripts", typ)
	}
}

func checkParseError(t *testing.T, err error) {
	t.Helper()
	var pe *wire.ParseError
	var ve *wire.VersionError
	if !(errors.Is(err, wire.ErrMalformed) && errors.As(err, &pe)) && !(errors.Is(err, wire.ErrUnsupportedVersion) && errors.As(err, &ve)) {
		t.Fatalf("error %v is neither a ParseError nor a VersionError", err)
	}
}

func sameBytes(a, b []byte) bool { return bytes.Equal(a, b) && (a == nil) == (b == nil) }

func sameSignalMessage(a, b *wire.SignalMessage) bool {
	return a.Version == b.Version && a.RatchetKey == b.RatchetKey && a.Counter == b.Counter &&
		a.PreviousCounter == b.PreviousCounter && sameBytes(a.Ciphertext, b.Ciphertext) &&
		sameBytes(a.PQRatchet, b.PQRatchet) && sameBytes(a.Addresses, b.Addresses)
}

// FuzzParseSignalMessage checks that ParseSignalMessage never panics,
// returns nil with a typed error on failure, and that a parsed message
// re-encoded by NewSignalMessage, with its MAC put back, parses to the same
// fields and re-encodes to the same bytes.
func FuzzParseSignalMessage(f *testing.F) {
	seedMessages(f, "message", "2")
	var k curve.PublicKey
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := wire.ParseSignalMessage(b)
		if err != nil {
			if m != nil {
				t.Fatalf("non-nil message with error %v", err)
			}
			checkParseError(t, err)
			return
		}
		if !bytes.Equal(m.Bytes(), b) {
			t.Fatal("Bytes() is not the input")
		}
		mac := b[len(b)-wire.MACSize:]
		re := wire.NewSignalMessage(m, make([]byte, 32), k, k).Bytes()
		re = append(bytes.Clone(re[:len(re)-wire.MACSize]), mac...)
		m2, err := wire.ParseSignalMessage(re)
		if err != nil {
			t.Fatalf("re-encoding does not parse: %v", err)
		}
		if !sameSignalMessage(m, m2) {
			t.Fatalf("re-encoding changed the fields:\n%+v\n%+v", m, m2)
		}
		re2 := wire.NewSignalMessage(m2, make([]byte, 32), k, k).Bytes()
		if !bytes.Equal(append(bytes.Clone(re2[:len(re2)-wire.MACSize]), mac...), re) {
			t.Fatal("encoding is not stable")
		}
	})
}

// FuzzParsePreKeySignalMessage checks that ParsePreKeySignalMessage never
// panics, returns nil with a typed error on failure, and that a parsed
// message re-encoded by NewPreKeySignalMessage parses to the same fields.
func FuzzParsePreKeySignalMessage(f *testing.F) {
	seedMessages(f, "prekey-message", "3")
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := wire.ParsePreKeySignalMessage(b)
		if err != nil {
			if m != nil {
				t.Fatalf("non-nil message with error %v", err)
			}
			checkParseError(t, err)
			return
		}
		if !bytes.Equal(m.Bytes(), b) {
			t.Fatal("Bytes() is not the input")
		}
		re := wire.NewPreKeySignalMessage(m).Bytes()
		m2, err := wire.ParsePreKeySignalMessage(re)
		if err != nil {
			t.Fatalf("re-encoding does not parse: %v", err)
		}
		if m.Version != m2.Version || m.RegistrationID != m2.RegistrationID || m.HasPreKeyID != m2.HasPreKeyID ||
			m.PreKeyID != m2.PreKeyID || m.SignedPreKeyID != m2.SignedPreKeyID ||
			m.HasKyberPreKeyID != m2.HasKyberPreKeyID || m.KyberPreKeyID != m2.KyberPreKeyID ||
			!sameBytes(m.KyberCiphertext, m2.KyberCiphertext) || m.BaseKey != m2.BaseKey ||
			m.IdentityKey != m2.IdentityKey || !bytes.Equal(m.Message.Bytes(), m2.Message.Bytes()) ||
			!sameSignalMessage(m.Message, m2.Message) {
			t.Fatalf("re-encoding changed the fields:\n%+v\n%+v", m, m2)
		}
		if !bytes.Equal(wire.NewPreKeySignalMessage(m2).Bytes(), re) {
			t.Fatal("encoding is not stable")
		}
	})
}
