// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package erasure

import (
	"math/rand/v2"
	"testing"
)

// slowMul is a reference multiplication written from the definition, not
// sharing code with gf.go: carry-less multiplication into a 32-bit
// product, then bit-by-bit reduction modulo x^16 + x^12 + x^3 + x + 1.
func slowMul(a, b uint16) uint16 {
	var product uint32
	for i := range 16 {
		if b>>i&1 == 1 {
			product ^= uint32(a) << i
		}
	}
	for bit := 31; bit >= 16; bit-- {
		if product>>bit&1 == 1 {
			product ^= 0x1100B << (bit - 16)
		}
	}
	return uint16(product)
}

// slowPow returns a^e by square-and-multiply over slowMul.
func slowPow(a uint16, e uint32) uint16 {
	r := uint16(1)
	for ; e > 0; e >>= 1 {
		if e&1 == 1 {
			r = slowMul(r, a)
		}
		a = slowMul(a, a)
	}
	return r
}

// slowInv returns 1/a as a^(2^16-2).
func slowInv(a uint16) uint16 {
	return slowPow(a, 1<<16-2)
}

func TestSlowMulKnownProducts(t *testing.T) {
	// Worked by hand from x^16 ≡ x^12 + x^3 + x + 1, so that the reference
	// itself is checked against the definition.
	tests := []struct {
		a, b, want uint16
		why        string
	}{
		{0x8000, 0x0002, 0x100B, "x^15·x = x^16 = x^12+x^3+x+1"},
		{0x8000, 0x0004, 0x2016, "x^15·x^2 = x·x^16 = x^13+x^4+x^2+x"},
		{0x100B, 0x100B, 0x1BFE, "x^16·x^16 = (x^12+x^3+x+1)^2 = x^24+x^6+x^2+1, reduced"},
		{0x0003, 0x0003, 0x0005, "(x+1)^2 = x^2+1"},
		{0x0100, 0x0100, 0x100B, "x^8·x^8 = x^16"},
		{0x00FF, 0x0001, 0x00FF, "a·1 = a"},
		{0x1234, 0x0000, 0x0000, "a·0 = 0"},
	}
	for _, tt := range tests {
		if got := slowMul(tt.a, tt.b); got != tt.want {
			t.Errorf("slowMul(%#04x, %#04x) = %#04x, want %#04x (%s)", tt.a, tt.b, got, tt.want, tt.why)
		}
		if got := gfMul(tt.a, tt.b); got != tt.want {
			t.Errorf("gfMul(%#04x, %#04x) = %#04x, want %#04x (%s)", tt.a, tt.b, got, tt.want, tt.why)
		}
		if got := gfMul(tt.b, tt.a); got != tt.want {
			t.Errorf("gfMul(%#04x, %#04x) = %#04x, want %#04x (%s)", tt.b, tt.a, got, tt.want, tt.why)
		}
	}
}

func TestGeneratorIsPrimitive(t *testing.T) {
	// x generates the multiplicative group iff x^(65535/q) != 1 for every
	// prime q dividing 65535 = 3·5·17·257, and x^65535 = 1.
	if got := slowPow(2, 65535); got != 1 {
		t.Fatalf("x^65535 = %#04x, want 1", got)
	}
	for _, q := range []uint32{3, 5, 17, 257} {
		if got := slowPow(2, 65535/q); got == 1 {
			t.Errorf("x^(65535/%d) = 1: x is not a generator", q)
		}
	}
	// The tables must be a bijection between exponents and nonzero
	// elements.
	seen := make(map[uint16]bool, gfOrder)
	for i, a := range gfExp {
		if a == 0 || seen[a] {
			t.Fatalf("gfExp[%d] = %#04x is zero or repeated", i, a)
		}
		seen[a] = true
		if int(gfLog[a]) != i {
			t.Fatalf("gfLog[%#04x] = %d, want %d", a, gfLog[a], i)
		}
	}
}

func TestMulIdentities(t *testing.T) {
	for a := range 1 << 16 {
		x := uint16(a)
		if got := gfMul(x, 1); got != x {
			t.Fatalf("%#04x·1 = %#04x", x, got)
		}
		if got := gfMul(1, x); got != x {
			t.Fatalf("1·%#04x = %#04x", x, got)
		}
		if got := gfMul(x, 0); got != 0 {
			t.Fatalf("%#04x·0 = %#04x", x, got)
		}
		if got := gfMul(0, x); got != 0 {
			t.Fatalf("0·%#04x = %#04x", x, got)
		}
	}
}

func TestMulMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		a, b, c := uint16(rng.Uint32()), uint16(rng.Uint32()), uint16(rng.Uint32())
		ab := gfMul(a, b)
		if want := slowMul(a, b); ab != want {
			t.Fatalf("gfMul(%#04x, %#04x) = %#04x, reference %#04x", a, b, ab, want)
		}
		if ba := gfMul(b, a); ab != ba {
			t.Fatalf("not commutative: %#04x·%#04x", a, b)
		}
		if l, r := gfMul(ab, c), gfMul(a, gfMul(b, c)); l != r {
			t.Fatalf("not associative: %#04x, %#04x, %#04x", a, b, c)
		}
		if l, r := gfMul(a, b^c), gfMul(a, b)^gfMul(a, c); l != r {
			t.Fatalf("not distributive: %#04x, %#04x, %#04x", a, b, c)
		}
	}
}

func TestInverse(t *testing.T) {
	if got := gfInv(0); got != 0 {
		t.Errorf("gfInv(0) = %#04x, want 0", got)
	}
	if got := gfDiv(0x1234, 0); got != 0 {
		t.Errorf("gfDiv(0x1234, 0) = %#04x, want 0", got)
	}
	for a := 1; a < 1<<16; a++ {
		x := uint16(a)
		inv := gfInv(x)
		if got := gfMul(x, inv); got != 1 {
			t.Fatalf("%#04x·gfInv(%#04x) = %#04x, want 1", x, x, got)
		}
		if got := slowMul(x, inv); got != 1 {
			t.Fatalf("reference %#04x·gfInv(%#04x) = %#04x, want 1", x, x, got)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		a, b := uint16(rng.Uint32()), uint16(rng.Uint32())|1
		if got, want := gfDiv(a, b), slowMul(a, slowInv(b)); got != want {
			t.Fatalf("gfDiv(%#04x, %#04x) = %#04x, want a·b^(2^16-2) = %#04x", a, b, got, want)
		}
	}
}

func TestMulAddRow(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, rowLen := range []int{0, 2, 7, 30, 32, 40} {
		for _, w := range []uint16{0, 1, 0x8000, uint16(rng.Uint32())} {
			row := make([]byte, rowLen)
			for i := range row {
				row[i] = byte(rng.Uint32())
			}
			if rowLen > 4 {
				row[2], row[3] = 0, 0 // a zero value
			}
			var acc, want [numPolys]uint16
			for p := range acc {
				acc[p] = uint16(rng.Uint32())
				want[p] = acc[p]
				if 2*p+1 < rowLen {
					want[p] ^= slowMul(w, uint16(row[2*p])<<8|uint16(row[2*p+1]))
				}
			}
			gfMulAddRow(&acc, row, w)
			if acc != want {
				t.Errorf("row of %d bytes, w = %#04x: got %04x, want %04x", rowLen, w, acc, want)
			}
		}
	}
}
