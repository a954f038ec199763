// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package curve

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestNewPublicKey(t *testing.T) {
	raw := bytes.Repeat([]byte{0xAB}, PublicKeySize)
	ser := append([]byte{DJBType}, raw...)

	k, err := NewPublicKey(ser)
	if err != nil {
		t.Fatalf("NewPublicKey: %v", err)
	}
	if got := k.Bytes(); !bytes.Equal(got, ser) {
		t.Errorf("Bytes() = %x, want %x", got, ser)
	}
	if r := k.Raw(); !bytes.Equal(r[:], raw) {
		t.Errorf("Raw() = %x, want %x", r, raw)
	}
	kr, err := NewPublicKeyRaw(raw)
	if err != nil {
		t.Fatalf("NewPublicKeyRaw: %v", err)
	}
	if kr != k || !kr.Equal(k) {
		t.Errorf("NewPublicKeyRaw and NewPublicKey disagree: %v vs %v", kr, k)
	}

	// Bytes returns a fresh copy.
	b := k.Bytes()
	b[1] ^= 0xFF
	if !bytes.Equal(k.Bytes(), ser) {
		t.Error("mutating Bytes() changed the key")
	}
	// The input is not retained.
	ser[1] ^= 0xFF
	if k.Raw()[0] != 0xAB {
		t.Error("mutating the input changed the key")
	}
}

func TestNewPublicKeyBadLengths(t *testing.T) {
	ser := make([]byte, SerializedPublicKeySize+8)
	ser[0] = DJBType
	for n := 0; n <= len(ser); n++ {
		if n == SerializedPublicKeySize {
			continue
		}
		k, err := NewPublicKey(ser[:n])
		if !errors.Is(err, ErrInvalidKey) {
			t.Errorf("NewPublicKey(%d bytes) error = %v, want ErrInvalidKey", n, err)
		}
		if k != (PublicKey{}) {
			t.Errorf("NewPublicKey(%d bytes) returned a non-zero key on error", n)
		}
		if n == PublicKeySize {
			continue
		}
		if _, err := NewPublicKeyRaw(ser[:n]); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("NewPublicKeyRaw(%d bytes) error = %v, want ErrInvalidKey", n, err)
		}
	}
}

func TestNewPublicKeyBadType(t *testing.T) {
	ser := make([]byte, SerializedPublicKeySize)
	for typ := 0; typ < 256; typ++ {
		ser[0] = byte(typ)
		_, err := NewPublicKey(ser)
		if typ == DJBType {
			if err != nil {
				t.Errorf("type 0x%02x: %v", typ, err)
			}
			continue
		}
		if !errors.Is(err, ErrInvalidKey) {
			t.Errorf("type 0x%02x: error = %v, want ErrInvalidKey", typ, err)
		} else if !strings.HasPrefix(err.Error(), "curve: ") {
			t.Errorf("error %q lacks the package prefix", err)
		}
	}
}

func TestPublicKeyAppendBytes(t *testing.T) {
	k := mustPublicKey(t, bytes.Repeat([]byte{7}, PublicKeySize))
	prefix := []byte("prefix")
	dst := make([]byte, len(prefix), 64)
	copy(dst, prefix)
	got := k.AppendBytes(dst)
	want := append(append([]byte{}, prefix...), k.Bytes()...)
	if !bytes.Equal(got, want) {
		t.Errorf("AppendBytes = %x, want %x", got, want)
	}
	if &got[0] != &dst[0] {
		t.Error("AppendBytes reallocated although dst had capacity")
	}
	if n := testing.AllocsPerRun(100, func() { got = k.AppendBytes(dst[:0]) }); n != 0 {
		t.Errorf("AppendBytes into a large enough buffer allocates %v times", n)
	}
}

func TestPublicKeyEqualAndZero(t *testing.T) {
	a := mustPublicKey(t, bytes.Repeat([]byte{1}, PublicKeySize))
	b := a
	if !a.Equal(b) {
		t.Error("copies are not Equal")
	}
	for i := range PublicKeySize {
		raw := a.Raw()
		raw[i] ^= 0x80
		c := mustPublicKey(t, raw[:])
		if a.Equal(c) || c.Equal(a) {
			t.Errorf("keys differing in byte %d are Equal", i)
		}
	}
	var zero PublicKey
	if !zero.IsZero() || !mustPublicKey(t, make([]byte, PublicKeySize)).IsZero() {
		t.Error("the all-zero key is not IsZero")
	}
	if a.IsZero() {
		t.Error("a non-zero key is IsZero")
	}
}

func TestPublicKeyString(t *testing.T) {
	k := mustPublicKey(t, bytes.Repeat([]byte{0xC3}, PublicKeySize))
	want := "05" + strings.Repeat("c3", PublicKeySize)
	if s := k.String(); s != want {
		t.Errorf("String() = %q, want %q", s, want)
	}
}

func mustPublicKey(t testing.TB, raw []byte) PublicKey {
	t.Helper()
	k, err := NewPublicKeyRaw(raw)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
