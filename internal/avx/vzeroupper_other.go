// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

//go:build !amd64 || purego

package avx

// CleanUpperState is a no-op: circl runs no AVX2 assembly here.
func CleanUpperState() {}
