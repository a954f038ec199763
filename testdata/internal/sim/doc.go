// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package sim runs the conversations behind crossseal's transcript,
// ratchet-digest, spqr (SPQR alone, [SPQRRun]) and v4-session (PQXDH and
// the Triple Ratchet, [V4Session]) vectors. The generator (package gen)
// runs them with randomness drawn from a seeded [testdata.Stream] and
// records what each step drew; the verifier (package verify) runs them
// again with a reader that holds only the recorded bytes, and compares
// every output.
//
// It also maps library errors onto the vectors' closed "expect" list
// ([Classify]).
package sim
