// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package mutate defines the byte mutations that derive a negative vector
// from the success vector named by its "source" field (README.md,
// "Derived vectors"). The generator applies them to build the negative
// vectors; the verifier applies them again and compares.
package mutate

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
)

// Params are the mutation parameters a derived vector records.
type Params struct {
	Bit    int    // flip-bit
	Length int    // truncate
	Suffix []byte // append
	Offset int    // set-byte
	Byte   byte   // set-byte
}

// Ops lists the mutations Apply implements. "replace" and "public-from"
// take their new value from a vector, not from the old one, so they are
// applied by the verifier itself.
var Ops = []string{"flip-bit", "truncate", "append", "set-byte", "s-plus-l", "u-minus-one"}

// order is the order L of the Ed25519 base point.
var order, _ = new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)

// fieldPrime is 2^255 - 19.
var fieldPrime = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))

// Apply returns the result of mutation op on a copy of in:
//
//	flip-bit      in[Bit/8] ^= 1 << (Bit%8)
//	truncate      in[:Length]
//	append        in ‖ Suffix
//	set-byte      in[Offset] = Byte
//	s-plus-l      in is an XEdDSA signature R ‖ s with a sign bit in the top
//	              bit of byte 63: s is replaced by s + L (little-endian,
//	              253 bits), keeping the sign bit, so s is non-canonical
//	u-minus-one   in is a serialized public key 0x05 ‖ u: u becomes p - 1,
//	              which has no Edwards form
func Apply(op string, in []byte, p Params) ([]byte, error) {
	out := bytes.Clone(in)
	switch op {
	case "flip-bit":
		if p.Bit < 0 || p.Bit/8 >= len(out) {
			return nil, fmt.Errorf("mutate: bit %d outside %d bytes", p.Bit, len(out))
		}
		out[p.Bit/8] ^= 1 << (p.Bit % 8)
	case "truncate":
		if p.Length < 0 || p.Length >= len(out) {
			return nil, fmt.Errorf("mutate: truncating %d bytes to %d", len(out), p.Length)
		}
		out = out[:p.Length]
	case "append":
		out = append(out, p.Suffix...)
	case "set-byte":
		if p.Offset < 0 || p.Offset >= len(out) || out[p.Offset] == p.Byte {
			return nil, fmt.Errorf("mutate: set-byte at %d of %d bytes changes nothing", p.Offset, len(out))
		}
		out[p.Offset] = p.Byte
	case "s-plus-l":
		if len(out) != 64 {
			return nil, errors.New("mutate: s-plus-l needs a 64-byte signature")
		}
		sign := out[63] & 0x80
		s := littleEndian(out[32:])
		s.SetBit(s, 255, 0)
		s.Add(s, order)
		putLittleEndian(out[32:], s)
		out[63] |= sign
	case "u-minus-one":
		if len(out) != 33 {
			return nil, errors.New("mutate: u-minus-one needs a 33-byte public key")
		}
		putLittleEndian(out[1:], new(big.Int).Sub(fieldPrime, big.NewInt(1)))
	default:
		return nil, fmt.Errorf("mutate: unknown mutation %q", op)
	}
	return out, nil
}

func littleEndian(b []byte) *big.Int {
	r := make([]byte, len(b))
	for i, c := range b {
		r[len(b)-1-i] = c
	}
	return new(big.Int).SetBytes(r)
}

func putLittleEndian(dst []byte, x *big.Int) {
	b := x.FillBytes(make([]byte, len(dst)))
	for i, c := range b {
		dst[len(dst)-1-i] = c
	}
}
