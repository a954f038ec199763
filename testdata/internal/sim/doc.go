// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package sim runs the conversations behind crossseal's transcript and
// ratchet-digest vectors. The generator (package gen) runs them with
// randomness drawn from a seeded [testdata.Stream] and records what each
// step drew; the verifier (package verify) runs them again with a reader
// that holds only the recorded bytes, and compares every output.
//
// It also maps library errors onto the vectors' closed "expect" list
// ([Classify]).
package sim
