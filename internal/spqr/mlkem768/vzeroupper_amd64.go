// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

//go:build amd64 && !purego

package mlkem768

// This file is a copy of internal/kem's VZEROUPPER helper. The CPU feature
// test is done here with CPUID rather than golang.org/x/sys/cpu so that the
// package depends only on the standard library and circl.

// vzeroupperAVX executes VZEROUPPER. It must only be called on CPUs with
// AVX.
//
//go:noescape
func vzeroupperAVX()

// cpuid executes CPUID with EAX = leaf and ECX = subleaf.
//
//go:noescape
func cpuid(leaf, subleaf uint32) (eax, ebx, ecx, edx uint32)

// xgetbv0 executes XGETBV with ECX = 0 and returns the low half of XCR0.
// It must only be called if CPUID reports OSXSAVE.
//
//go:noescape
func xgetbv0() (eax uint32)

// hasAVX2 is the condition under which circl runs its AVX2 code: the
// same test as golang.org/x/sys/cpu's X86.HasAVX2, which circl uses.
var hasAVX2 = detectAVX2()

// detectAVX2 reports whether the CPU has AVX2 and the operating system
// saves the YMM registers (CPUID.1:ECX.OSXSAVE and XCR0 bits 1 and 2).
func detectAVX2() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	const osxsave = 1 << 27
	_, _, ecx1, _ := cpuid(1, 0)
	if ecx1&osxsave == 0 {
		return false
	}
	const xmmYMMState = 1<<1 | 1<<2
	if xgetbv0()&xmmYMMState != xmmYMMState {
		return false
	}
	const avx2 = 1 << 5
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&avx2 != 0
}

// cleanUpperState clears the upper halves of the YMM registers after a call
// into circl. circl's AVX2 assembly (pke/kyber/internal/common,
// simd/keccakf1600) returns without VZEROUPPER, and while the upper state
// is dirty every legacy-SSE instruction that follows pays a transition
// penalty on Intel CPUs. SHA-NI has only legacy-SSE encodings, so without
// this every later SHA-256 in the process (HKDF, HMAC) runs about 30 times
// slower; see BenchmarkSHA256AfterEncapsulate2.
func cleanUpperState() {
	if hasAVX2 {
		vzeroupperAVX()
	}
}
