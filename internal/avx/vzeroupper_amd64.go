// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

//go:build amd64 && !purego

package avx

import "golang.org/x/sys/cpu"

// vzeroupperAVX executes VZEROUPPER. It must only be called on CPUs with
// AVX.
//
//go:noescape
func vzeroupperAVX()

// hasAVX2 is the condition under which circl runs its AVX2 code.
var hasAVX2 = cpu.X86.HasAVX2

// CleanUpperState clears the upper halves of the YMM registers after a call
// into circl. circl's AVX2 assembly (pke/kyber/internal/common,
// simd/keccakf1600) returns without VZEROUPPER, and while the upper state
// is dirty every legacy-SSE instruction that follows pays a transition
// penalty on Intel CPUs. SHA-NI has only legacy-SSE encodings, so without
// this the next HKDF or HMAC-SHA256 of the protocol (crypto/sha256) runs
// about 35 times slower: measured here, a 2 µs HKDF took 70 µs after a
// decapsulation.
func CleanUpperState() {
	if hasAVX2 {
		vzeroupperAVX()
	}
}
