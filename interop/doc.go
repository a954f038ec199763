// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package interop holds crossseal's cross-implementation tests. It is a
// separate module (github.com/crossseal/crossseal/interop) because the
// reference peers it tests against, go.mau.fi/libsignal (GPL) and
// @signalapp/libsignal-client (AGPL), are copyleft: nothing here is linked
// into the root module.
//
//   - internal/maupeer wraps go.mau.fi/libsignal as one account;
//     cmd/maupeer is the INTEROP.md JSON peer over it.
//   - driver runs the interop scenarios between two endpoints: peer
//     processes speaking the JSON protocol, or in-process adapters.
//   - inprocess runs the same scenarios between crossseal's Go API and
//     go.mau.fi/libsignal without subprocesses, plus the forward-jump limits.
//   - node/peer.mjs is the JSON peer around libsignal-client 0.103 (v4);
//     nodepeer tests it (run `npm ci` in node/ first).
//   - driver_test.go builds every peer and runs the scenarios for every
//     pairing (see peerSpecs there to add one).
//   - bench_test.go measures crossseal, go.mau.fi/libsignal and the
//     primitive floor in one run; bench.sh prints the ratios.
//   - curvecheck cross-checks XEdDSA with go.mau.fi/libsignal.
package interop
