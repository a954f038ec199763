// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package driver

import (
	"bytes"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

func TestSpans(t *testing.T) {
	ct := []byte("ciphertext-bytes")
	mac := []byte("MACMACMA")
	var pb []byte
	pb = protowire.AppendTag(pb, 1, protowire.BytesType)
	pb = protowire.AppendBytes(pb, bytes.Repeat([]byte{5}, 33))
	pb = protowire.AppendTag(pb, 2, protowire.VarintType)
	pb = protowire.AppendVarint(pb, 300)
	pb = protowire.AppendTag(pb, 4, protowire.BytesType)
	pb = protowire.AppendBytes(pb, ct)
	signal := append(append([]byte{0x33}, pb...), mac...)

	var outer []byte
	outer = protowire.AppendTag(outer, 5, protowire.VarintType)
	outer = protowire.AppendVarint(outer, 1234)
	outer = protowire.AppendTag(outer, 4, protowire.BytesType)
	outer = protowire.AppendBytes(outer, signal)
	outer = protowire.AppendTag(outer, 6, protowire.VarintType)
	outer = protowire.AppendVarint(outer, 7)
	preKey := append([]byte{0x33}, outer...)

	for _, m := range []Message{{TypeSignal, signal}, {TypePreKey, preKey}} {
		s, err := ciphertextSpan(m)
		if err != nil {
			t.Fatalf("type %d: %v", m.Type, err)
		}
		if got := m.Body[s.start:s.end]; !bytes.Equal(got, ct) {
			t.Errorf("type %d: ciphertext span = %q", m.Type, got)
		}
		s, err = macSpan(m)
		if err != nil {
			t.Fatalf("type %d: %v", m.Type, err)
		}
		if got := m.Body[s.start:s.end]; !bytes.Equal(got, mac) {
			t.Errorf("type %d: MAC span = %q", m.Type, got)
		}
	}
	for _, bad := range []Message{{TypeSignal, nil}, {TypePreKey, []byte{0x33, 0xff}}, {TypeSignal, signal[:5]}} {
		if _, err := ciphertextSpan(bad); err == nil {
			t.Errorf("ciphertextSpan(%x) succeeded", bad.Body)
		}
	}
}
