// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package curvecheck cross-checks crossseal's XEdDSA (internal/curve)
// against go.mau.fi/libsignal's ecc package.
//
// It lives in the interop module so that the copyleft dependency stays out
// of the root module. The two implementations exchange checked-in vectors
// under internal/curve/testdata/:
//
//   - crossseal_signatures.json, written by
//     `go test ./internal/curve -run TestCrossSealSignatureVectors -update`
//     in the root module, must verify (or fail) under go.mau.fi/libsignal
//     exactly as its "valid" fields say; the tests here check that.
//   - mau_signatures.json, written by `go run ./curvecheck/genmau` in this
//     module, must verify (or fail) under crossseal; the root module's
//     TestMauSignatureVectors checks that.
//
// The tests here also sign and verify live in both directions, since the
// internal package is importable from this module (its import path shares
// the github.com/crossseal/crossseal prefix).
package curvecheck
