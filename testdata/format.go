// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package testdata

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The closed list of values the "expect" key takes. Each names one failure
// class, so that a vector cannot pass by failing for the wrong reason.
const (
	// ExpectSuccess: the operation succeeds and produces the recorded output.
	ExpectSuccess = "success"
	// ExpectParseFailure: a decoder rejects the input before any
	// cryptographic check (malformed bytes, unsupported version, corrupt
	// record).
	ExpectParseFailure = "parse failure"
	// ExpectMACFailure: the input parses but fails authentication or
	// decryption.
	ExpectMACFailure = "mac failure"
	// ExpectUntrustedIdentity: the peer presents an identity key other than
	// the one trusted for its address.
	ExpectUntrustedIdentity = "untrusted identity"
	// ExpectDuplicate: the message's key was already used (a replay).
	ExpectDuplicate = "duplicate"
	// ExpectTooManySkipped: the message counter is too far ahead of its
	// chain (more than 25,000 messages).
	ExpectTooManySkipped = "too many skipped"
	// ExpectInvalidSignature: an XEdDSA signature does not verify.
	ExpectInvalidSignature = "invalid signature"
	// ExpectLowOrderKey: a Diffie-Hellman output is all zeros because a
	// public key is a low-order point.
	ExpectLowOrderKey = "low-order key"
)

// ExpectValues lists every valid "expect" value.
var ExpectValues = []string{
	ExpectSuccess, ExpectParseFailure, ExpectMACFailure, ExpectUntrustedIdentity,
	ExpectDuplicate, ExpectTooManySkipped, ExpectInvalidSignature, ExpectLowOrderKey,
}

// artifactLineSize is the number of hex characters per artifact line.
const artifactLineSize = 64

// Field is one "key: value" line of a vector header.
type Field struct {
	Key, Value string
}

// Vector is one parsed vector file: an ordered header, in which a key may
// repeat, and an optional artifact.
type Vector struct {
	Fields []Field
	// Artifact is nil if the file has no artifact section, and non-nil
	// (possibly empty) if it has one.
	Artifact []byte
}

// Parse parses a vector file. It accepts exactly the canonical form that
// [Vector.Marshal] writes (see README.md): LF line endings, "key: value"
// header lines with keys of [a-z0-9_.-], every "expect" value from
// [ExpectValues], then optionally a blank line and the artifact as lines of
// 64 lowercase hex characters (the last one shorter). It never panics.
func Parse(b []byte) (*Vector, error) {
	if len(b) == 0 || b[len(b)-1] != '\n' {
		return nil, errors.New("testdata: file does not end with a newline")
	}
	lines := strings.Split(string(b[:len(b)-1]), "\n")
	v := &Vector{}
	i := 0
	for ; i < len(lines) && lines[i] != ""; i++ {
		f, err := parseField(lines[i])
		if err != nil {
			return nil, fmt.Errorf("testdata: line %d: %w", i+1, err)
		}
		v.Fields = append(v.Fields, f)
	}
	if len(v.Fields) == 0 {
		return nil, errors.New("testdata: empty header")
	}
	if len(v.Values("expect")) == 0 {
		return nil, errors.New("testdata: no expect field")
	}
	if i == len(lines) {
		return v, nil
	}
	v.Artifact = []byte{}
	art := lines[i+1:]
	for j, l := range art {
		last := j == len(art)-1
		if len(l) == 0 || len(l)%2 != 0 || len(l) > artifactLineSize || (!last && len(l) != artifactLineSize) {
			return nil, fmt.Errorf("testdata: line %d: artifact lines hold %d hex characters", i+2+j, artifactLineSize)
		}
		d, err := decodeHex(l)
		if err != nil {
			return nil, fmt.Errorf("testdata: line %d: %w", i+2+j, err)
		}
		v.Artifact = append(v.Artifact, d...)
	}
	return v, nil
}

func parseField(l string) (Field, error) {
	k, val, ok := strings.Cut(l, ":")
	if !ok || !validKey(k) {
		return Field{}, errors.New("want \"key: value\" with a key of [a-z0-9_.-]")
	}
	if val != "" {
		if !strings.HasPrefix(val, " ") || len(val) == 1 {
			return Field{}, errors.New("want one space after the colon and a non-empty value, or nothing")
		}
		val = val[1:]
		if strings.TrimSpace(val) != val || strings.ContainsFunc(val, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return Field{}, errors.New("value has surrounding space or control characters")
		}
	}
	if k == "expect" && !slices.Contains(ExpectValues, val) {
		return Field{}, fmt.Errorf("expect %q is not in the closed list", val)
	}
	return Field{k, val}, nil
}

func validKey(k string) bool {
	if k == "" || k[0] == '.' || k[0] == '-' || k[0] == '_' {
		return false
	}
	for _, c := range []byte(k) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// decodeHex decodes lowercase hex only, so that every value has one
// spelling.
func decodeHex(s string) ([]byte, error) {
	if strings.ToLower(s) != s {
		return nil, errors.New("hex must be lowercase")
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, errors.New("invalid hex")
	}
	return b, nil
}

// Marshal returns the canonical file form of v. Parse(v.Marshal()) equals
// v for every v that Parse can return, and Marshal(Parse(b)) equals b.
func (v *Vector) Marshal() []byte {
	var b bytes.Buffer
	for _, f := range v.Fields {
		b.WriteString(f.Key)
		b.WriteByte(':')
		if f.Value != "" {
			b.WriteByte(' ')
			b.WriteString(f.Value)
		}
		b.WriteByte('\n')
	}
	if v.Artifact != nil {
		b.WriteByte('\n')
		h := hex.EncodeToString(v.Artifact)
		for len(h) > 0 {
			n := min(len(h), artifactLineSize)
			b.WriteString(h[:n])
			b.WriteByte('\n')
			h = h[n:]
		}
	}
	return b.Bytes()
}

// Values returns every value of key, in file order.
func (v *Vector) Values(key string) []string {
	var out []string
	for _, f := range v.Fields {
		if f.Key == key {
			out = append(out, f.Value)
		}
	}
	return out
}

// Value returns the value of key, which must occur exactly once.
func (v *Vector) Value(key string) (string, error) {
	vals := v.Values(key)
	if len(vals) != 1 {
		return "", fmt.Errorf("testdata: %d %q fields, want 1", len(vals), key)
	}
	return vals[0], nil
}

// Expect returns the first "expect" value: the vector's overall outcome.
func (v *Vector) Expect() string {
	if vals := v.Values("expect"); len(vals) > 0 {
		return vals[0]
	}
	return ""
}

// Hex returns the value of key, which must occur exactly once, decoded
// from lowercase hex.
func (v *Vector) Hex(key string) ([]byte, error) {
	s, err := v.Value(key)
	if err != nil {
		return nil, err
	}
	b, err := decodeHex(s)
	if err != nil {
		return nil, fmt.Errorf("testdata: %s: %w", key, err)
	}
	return b, nil
}

// DecodeHex decodes a header value holding bytes (lowercase hex; the empty
// string is zero bytes).
func DecodeHex(s string) ([]byte, error) { return decodeHex(s) }

// ParseUint decodes a header value holding an integer: decimal, no sign,
// no leading zeros.
func ParseUint(s string, bits int) (uint64, error) {
	if s == "" || (len(s) > 1 && s[0] == '0') || s[0] == '+' {
		return 0, fmt.Errorf("testdata: %q is not a canonical decimal", s)
	}
	return strconv.ParseUint(s, 10, bits)
}
