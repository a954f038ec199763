// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package avx holds CleanUpperState, which every caller of circl's AVX2
// code (internal/kem, internal/spqr/mlkem768) runs after each call: circl
// returns with the upper halves of the vector registers dirty, which makes
// every later SHA-NI instruction in the process (all of HKDF and HMAC) pay
// an SSE/AVX transition penalty of about 30x.
package avx
