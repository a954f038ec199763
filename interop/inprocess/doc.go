// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package inprocess adapts Signal implementations to the interop driver's
// [driver.Endpoint], so that the driver's scenarios run between
// implementations called directly, without peer processes or JSON.
//
//   - [Crossseal] is a [session.Manager] over [keystore.NewMemory], with
//     the ops mapped as `crossseal peer` (cmd/crossseal) maps them.
//   - [Mau] is go.mau.fi/libsignal through internal/maupeer, the same
//     code the maupeer command runs.
//
// Both report the implementation's errors as a [*driver.PeerError] that
// names the implementation ("peer bob (mau): decrypt: ...") and wraps the
// original error (errors.Is and errors.As reach it). The subprocess
// pairings in ../driver_test.go check the JSON peers themselves; these
// adapters check the same protocol behaviour faster, with the
// implementations' own errors, and let tests go where the JSON protocol
// cannot (thousands of messages, exact error types).
//
// An adapter is not safe for concurrent use.
package inprocess
