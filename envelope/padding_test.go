// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"bytes"
	"errors"
	"testing"

	"github.com/crossseal/crossseal/internal/wire"
	"github.com/crossseal/crossseal/session"
)

func TestPadding(t *testing.T) {
	for n := 0; n <= 3*PaddingBlockSize+1; n++ {
		in := bytes.Repeat([]byte{0}, n) // zeros are the hardest content
		p := pad(in)
		if len(p)%PaddingBlockSize != 0 || len(p) <= n || len(p) > n+PaddingBlockSize {
			t.Fatalf("pad(%d bytes) = %d bytes", n, len(p))
		}
		out, err := unpad(p)
		if err != nil || !bytes.Equal(out, in) {
			t.Fatalf("unpad(pad(%d bytes)) = %d bytes, %v", n, len(out), err)
		}
	}
	if got := len(pad(make([]byte, 159))); got != 160 {
		t.Fatalf("159 bytes pad to %d", got)
	}
	if got := len(pad(make([]byte, 160))); got != 320 {
		t.Fatalf("160 bytes pad to %d", got)
	}
}

func TestBadPadding(t *testing.T) {
	good := pad([]byte("hello"))
	cases := map[string][]byte{
		"empty":            {},
		"no marker":        make([]byte, 160),
		"marker not 0x80":  append(append([]byte("hello"), 0x81), make([]byte, 154)...),
		"trailing nonzero": append(bytes.Clone(good[:159]), 1),
		"not a multiple":   good[:159],
		"extra block":      append(bytes.Clone(good), make([]byte, 160)...),
		"marker too early": append(append(make([]byte, 5), 0x80), make([]byte, 314)...),
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := unpad(b)
			if !errors.Is(err, ErrBadPadding) || out != nil {
				t.Fatalf("unpad = %d bytes, %v", len(out), err)
			}
		})
	}
}

// TestLimits checks the relations between limits that the code relies on.
func TestLimits(t *testing.T) {
	if maxPaddedSize > session.MaxPlaintextSize {
		t.Errorf("padded contents (%d) may exceed session.MaxPlaintextSize (%d)", maxPaddedSize, session.MaxPlaintextSize)
	}
	if MaxBodySize != wire.MaxMessageSize {
		t.Errorf("MaxBodySize %d != wire.MaxMessageSize %d", MaxBodySize, wire.MaxMessageSize)
	}
	if int(TypeWhisper) != session.TypeWhisper || int(TypePreKey) != session.TypePreKey {
		t.Error("message types differ from package session's")
	}
	if MaxContentSize < MaxTextSize+1024 {
		t.Error("a maximal text does not fit a content")
	}
}
