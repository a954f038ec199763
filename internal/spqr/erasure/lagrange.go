// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package erasure

// A lagrangeBasis evaluates the Lagrange basis polynomials of a set of
// distinct x-coordinates xs over GF(2^16),
//
//	L_j(x) = ∏_{m≠j} (x - xs[m]) / (xs[j] - xs[m]),
//
// so that the unique polynomial of degree < len(xs) through the points
// (xs[j], ys[j]) takes the value Σ_j ys[j]·L_j(x) at x. Building a basis
// costs O(len(xs)^2) multiplications; evaluating it at one x costs
// O(len(xs)), and the result serves every polynomial with these
// x-coordinates. In characteristic 2, a - b = a + b = a XOR b.
type lagrangeBasis struct {
	xs []uint16
	// weights[j] = 1 / ∏_{m≠j} (xs[j] - xs[m]), the barycentric weights.
	weights []uint16
}

// newLagrangeBasis returns the basis of xs, which it keeps. The xs must be
// distinct; otherwise the basis is meaningless, but using it does not
// panic.
func newLagrangeBasis(xs []uint16) *lagrangeBasis {
	weights := make([]uint16, len(xs))
	for j, xj := range xs {
		d := uint16(1)
		for m, xm := range xs {
			if m != j {
				d = gfMul(d, xj^xm)
			}
		}
		weights[j] = gfInv(d)
	}
	return &lagrangeBasis{xs: xs, weights: weights}
}

// at returns L_j(x) for every j.
func (b *lagrangeBasis) at(x uint16) []uint16 {
	out := make([]uint16, len(b.xs))
	for j, xj := range b.xs {
		if xj == x {
			// L_j(xs[j]) = 1 and the other basis polynomials vanish there.
			out[j] = 1
			return out
		}
	}
	// Barycentric form: L_j(x) = ℓ(x)·weights[j] / (x - xs[j]), with
	// ℓ(x) = ∏_m (x - xs[m]), which is nonzero since x is not in xs.
	l := uint16(1)
	for _, xm := range b.xs {
		l = gfMul(l, x^xm)
	}
	for j, xj := range b.xs {
		out[j] = gfMul(l, gfDiv(b.weights[j], x^xj))
	}
	return out
}
