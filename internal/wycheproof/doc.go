// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package wycheproof loads the Wycheproof test vectors that crossseal's
// tests run: it finds the vector directory, decodes a vector file into the
// caller's schema structs, and decodes Wycheproof's hex byte fields.
//
// # Where the vectors live
//
// The vectors are not part of the module. They sit in shared/wycheproof,
// beside the directory whose go.mod declares module
// github.com/crossseal/crossseal; [Dir] finds that directory by walking up
// from the working directory (the package directory under "go test").
// A missing directory or file fails the test: vectors are never skipped.
//
// # Schemas
//
// Each test keeps its own structs for the Wycheproof schema of its
// primitive and decodes into them with [Load]; byte fields may be
// [HexBytes]. The ML-KEM schemas, shared by internal/kem and
// internal/spqr/mlkem768, are here as [MLKEMTest], with [MLKEMTests] to
// load and check a file for one parameter set.
//
// # Layering
//
// The package imports "testing", so only _test.go files may import it:
// non-test code that did would link the testing package (and its flags)
// into every binary above it. The layering test in internal/layering
// forbids every crossseal package from depending on it outside its tests.
package wycheproof
