// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package erasure

import (
	"math/rand/v2"
	"testing"
)

// slowLagrange evaluates at x the polynomial of degree < len(xs) through
// the points (xs[i], ys[i]) directly from the Lagrange formula
// Σ_j ys[j] ∏_{m≠j} (x - xs[m]) / (xs[j] - xs[m]), using only the
// reference arithmetic of slowMul and slowInv.
func slowLagrange(xs, ys []uint16, x uint16) uint16 {
	var sum uint16
	for j := range xs {
		num, den := uint16(1), uint16(1)
		for m := range xs {
			if m != j {
				num = slowMul(num, x^xs[m])
				den = slowMul(den, xs[j]^xs[m])
			}
		}
		sum ^= slowMul(ys[j], slowMul(num, slowInv(den)))
	}
	return sum
}

// combine returns Σ_j ys[j]·basis[j].
func combine(ys, basis []uint16) uint16 {
	var v uint16
	for j, y := range ys {
		v ^= gfMul(y, basis[j])
	}
	return v
}

func TestLagrangeBasis(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, k := range []int{0, 1, 2, 3, 5, 16, 36, 37} {
		for range 5 {
			// Distinct random x-coordinates and random values.
			xs, ys := make([]uint16, k), make([]uint16, k)
			for i, x := range rng.Perm(1 << 16)[:k] {
				xs[i], ys[i] = uint16(x), uint16(rng.Uint32())
			}
			b := newLagrangeBasis(xs)
			for i := range k {
				if got := combine(ys, b.at(xs[i])); got != ys[i] {
					t.Fatalf("k=%d: p(%#04x) = %#04x, want %#04x", k, xs[i], got, ys[i])
				}
			}
			for range 3 {
				x := uint16(rng.Uint32())
				if got, want := combine(ys, b.at(x)), slowLagrange(xs, ys, x); got != want {
					t.Fatalf("k=%d: p(%#04x) = %#04x, slow Lagrange %#04x", k, x, got, want)
				}
			}
		}
	}
}

func TestLagrangeBasisKnownPolynomial(t *testing.T) {
	// p(x) = 3 + 5x + 7x^2, worked out with the reference arithmetic,
	// rebuilt from its values at 0, 1 and 2.
	p := func(x uint16) uint16 { return 3 ^ slowMul(5, x) ^ slowMul(7, slowMul(x, x)) }
	xs := []uint16{0, 1, 2}
	ys := []uint16{p(0), p(1), p(2)}
	b := newLagrangeBasis(xs)
	for _, x := range []uint16{0, 3, 4, 0x8000, 0xFFFF} {
		if got, want := combine(ys, b.at(x)), p(x); got != want {
			t.Errorf("p(%#04x) = %#04x, want %#04x", x, got, want)
		}
	}
}

func TestLagrangeBasisDuplicateXs(t *testing.T) {
	// Not reachable from the decoder, which keeps distinct indices, but it
	// must not panic.
	b := newLagrangeBasis([]uint16{4, 4, 9})
	_ = b.at(4)
	_ = b.at(7)
}
