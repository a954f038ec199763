// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package erasure

// Arithmetic in GF(2^16) = GF(2)[x] / (x^16 + x^12 + x^3 + x + 1). An
// element is a uint16 whose bit i is the coefficient of x^i. Addition (and
// subtraction) is XOR. Multiplication goes through logarithm tables to the
// base x (the element 2), which is a generator of the multiplicative group
// because the reduction polynomial is primitive; buildTables checks this.
// Nothing here is constant time: the code only handles public data.

// gfPoly is the reduction polynomial x^16 + x^12 + x^3 + x + 1.
const gfPoly = 0x1100B

// gfOrder is the order of the multiplicative group, 2^16 - 1.
const gfOrder = 65535

// gfExp[i] = x^i for 0 <= i < gfOrder, and gfLog[a] = i such that x^i = a
// for a != 0 (gfLog[0] is unused). Both are filled once at package
// initialization and never written again.
var gfExp, gfLog = buildTables()

func buildTables() (exp *[gfOrder]uint16, log *[1 << 16]uint16) {
	exp, log = new([gfOrder]uint16), new([1 << 16]uint16)
	a := uint32(1)
	for i := range gfOrder {
		if i > 0 && a == 1 {
			// x has order below 2^16 - 1: gfPoly is not primitive.
			panic("crossseal/erasure: internal error")
		}
		exp[i] = uint16(a)
		log[a] = uint16(i)
		a <<= 1
		if a&(1<<16) != 0 {
			a ^= gfPoly
		}
	}
	if a != 1 {
		panic("crossseal/erasure: internal error")
	}
	return exp, log
}

// gfMul returns a·b.
func gfMul(a, b uint16) uint16 {
	if a == 0 || b == 0 {
		return 0
	}
	s := uint32(gfLog[a]) + uint32(gfLog[b])
	if s >= gfOrder {
		s -= gfOrder
	}
	return gfExp[s]
}

// gfInv returns a^(2^16-2), which is 1/a for a != 0 and 0 for a = 0.
func gfInv(a uint16) uint16 {
	if a == 0 {
		return 0
	}
	return gfExp[(gfOrder-uint32(gfLog[a]))%gfOrder]
}

// gfDiv returns a/b, or 0 if b = 0.
func gfDiv(a, b uint16) uint16 {
	return gfMul(a, gfInv(b))
}

// gfMulAddRow adds w·v[p] to acc[p] for each big-endian value v[p] in
// row, which holds at most 16 values (row[2p] ‖ row[2p+1]); a shorter row
// leaves the remaining entries of acc alone.
func gfMulAddRow(acc *[numPolys]uint16, row []byte, w uint16) {
	if w == 0 {
		return
	}
	lw := uint32(gfLog[w])
	for p := range min(numPolys, len(row)/2) {
		v := uint16(row[2*p])<<8 | uint16(row[2*p+1])
		if v == 0 {
			continue
		}
		s := uint32(gfLog[v]) + lw
		if s >= gfOrder {
			s -= gfOrder
		}
		acc[p] ^= gfExp[s]
	}
}
