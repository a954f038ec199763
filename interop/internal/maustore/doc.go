// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package maustore provides what both the maupeer command and the
// go.mau.fi/libsignal benchmarks need around that library: an in-memory
// implementation of its store interfaces, with snapshots for atomic
// decrypts, and a logger that keeps its debug output (which includes key
// material) out of stdout.
package maustore
