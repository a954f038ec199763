// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package curvecheck

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
)

// SigVectorFile is the schema of the signature vector files, shared with
// internal/curve/crosscheck_test.go.
type SigVectorFile struct {
	Comment   string      `json:"comment"`
	Generator string      `json:"generator"`
	Vectors   []SigVector `json:"vectors"`
}

// SigVector is one signature check. All fields are hex except ID, Comment
// and Valid. Public is the 33-byte serialized key. Private (clamped) and
// Random (the 64-byte Z) are set only where the signer is known.
type SigVector struct {
	ID        int    `json:"id"`
	Comment   string `json:"comment"`
	Private   string `json:"private,omitempty"`
	Random    string `json:"random,omitempty"`
	Public    string `json:"public"`
	Message   string `json:"message"`
	Signature string `json:"signature"`
	Valid     bool   `json:"valid"`
}

// Decoded returns the public key, message and signature of v.
func (v SigVector) Decoded() (pub, msg, sig []byte, err error) {
	if pub, err = hex.DecodeString(v.Public); err != nil {
		return nil, nil, nil, fmt.Errorf("vector %d: public: %w", v.ID, err)
	}
	if msg, err = hex.DecodeString(v.Message); err != nil {
		return nil, nil, nil, fmt.Errorf("vector %d: message: %w", v.ID, err)
	}
	if sig, err = hex.DecodeString(v.Signature); err != nil {
		return nil, nil, nil, fmt.Errorf("vector %d: signature: %w", v.ID, err)
	}
	return pub, msg, sig, nil
}

// ReadSigVectors reads a vector file, rejecting unknown fields.
func ReadSigVectors(path string) (SigVectorFile, error) {
	var f SigVectorFile
	data, err := os.ReadFile(path)
	if err != nil {
		return f, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return f, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// WriteSigVectors numbers the vectors of f and writes it in the same
// layout as internal/curve does.
func WriteSigVectors(path string, f SigVectorFile) error {
	for i := range f.Vectors {
		f.Vectors[i].ID = i + 1
	}
	data, err := json.MarshalIndent(f, "", "\t")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

var (
	fieldP = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))
	groupL = func() *big.Int {
		n, _ := new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)
		return n
	}()
)

// leBytes encodes n < 2^256 little-endian in 32 bytes.
func leBytes(n *big.Int) []byte {
	b := make([]byte, 32)
	n.FillBytes(b)
	for i, j := 0, 31; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return b
}

func leInt(b []byte) *big.Int {
	r := make([]byte, len(b))
	for i := range b {
		r[len(b)-1-i] = b[i]
	}
	return new(big.Int).SetBytes(r)
}

// AddL returns sig with s replaced by the non-canonical s + L, keeping the
// sign bit in the top bit of the last byte.
func AddL(sig []byte) []byte {
	out := bytes.Clone(sig)
	signBit := out[63] & 0x80
	out[63] &= 0x7F
	copy(out[32:], leBytes(new(big.Int).Add(leInt(out[32:]), groupL)))
	out[63] |= signBit
	return out
}

// EdgeVectors derives from at least 12 valid vectors the same edge cases
// as internal/curve's edgeVectors: one positive (bit 255 of u set, which
// both implementations ignore) and negatives that all must reject.
func EdgeVectors(valid []SigVector) ([]SigVector, error) {
	if len(valid) < 12 {
		return nil, fmt.Errorf("need 12 valid vectors, have %d", len(valid))
	}
	type editFunc func(pub, msg, sig []byte) ([]byte, []byte, []byte)
	var out []SigVector
	var firstErr error
	edit := func(v SigVector, comment string, ok bool, f editFunc) {
		pub, msg, sig, err := v.Decoded()
		if err != nil {
			firstErr = err
			return
		}
		pub, msg, sig = f(pub, msg, sig)
		out = append(out, SigVector{Comment: comment, Public: hex.EncodeToString(pub),
			Message: hex.EncodeToString(msg), Signature: hex.EncodeToString(sig), Valid: ok})
	}
	withKey := func(u []byte) editFunc {
		return func(_, m, s []byte) ([]byte, []byte, []byte) { return append([]byte{0x05}, u...), m, s }
	}
	edit(valid[0], "bit 255 of u set (ignored)", true, func(p, m, s []byte) ([]byte, []byte, []byte) { p[32] |= 0x80; return p, m, s })
	edit(valid[1], "tampered message", false, func(p, m, s []byte) ([]byte, []byte, []byte) { m[0] ^= 1; return p, m, s })
	edit(valid[2], "message extended by one byte", false, func(p, m, s []byte) ([]byte, []byte, []byte) { return p, append(m, 0), s })
	edit(valid[3], "tampered R", false, func(p, m, s []byte) ([]byte, []byte, []byte) { s[5] ^= 0x20; return p, m, s })
	edit(valid[4], "tampered s", false, func(p, m, s []byte) ([]byte, []byte, []byte) { s[40] ^= 0x01; return p, m, s })
	edit(valid[5], "non-canonical s (s + L)", false, func(p, m, s []byte) ([]byte, []byte, []byte) { return p, m, AddL(s) })
	other, err := hex.DecodeString(valid[7].Public)
	if err != nil {
		return nil, err
	}
	edit(valid[6], "wrong key", false, func(_, m, s []byte) ([]byte, []byte, []byte) { return other, m, s })
	edit(valid[8], "all-zero signature", false, func(p, m, s []byte) ([]byte, []byte, []byte) { return p, m, make([]byte, 64) })
	edit(valid[9], "u = p - 1 (no Edwards image)", false, withKey(leBytes(new(big.Int).Sub(fieldP, big.NewInt(1)))))
	edit(valid[10], "u = 0", false, withKey(make([]byte, 32)))
	edit(valid[11], "u = p (non-canonical 0)", false, withKey(leBytes(fieldP)))
	for _, bit := range []byte{0, 1} {
		for _, v := range valid {
			_, _, sig, err := v.Decoded()
			if err != nil {
				return nil, err
			}
			if sig[63]>>7 == bit {
				edit(v, fmt.Sprintf("sign bit flipped from %d", bit), false,
					func(p, m, s []byte) ([]byte, []byte, []byte) { s[63] ^= 0x80; return p, m, s })
				break
			}
		}
	}
	return out, firstErr
}
