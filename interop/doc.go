// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package interop holds crossseal's cross-implementation tests. It is a
// separate module (github.com/crossseal/crossseal/interop) because the
// reference peer it tests against, go.mau.fi/libsignal, is GPL-licensed:
// nothing here is linked into the root module.
//
//   - cmd/maupeer is the INTEROP.md JSON peer wrapped around
//     go.mau.fi/libsignal.
//   - driver runs the interop scenarios between two peer processes.
//   - driver_test.go builds every peer and runs the scenarios for every
//     pairing (see peerSpecs there to add one).
//   - bench_test.go measures go.mau.fi/libsignal in-process, as the anchor
//     of PERFORMANCE.md.
//   - curvecheck cross-checks XEdDSA with go.mau.fi/libsignal.
package interop
