// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package testdata holds crossseal's known-answer vectors and the small
// amount of code needed to read them: the CCTV-style file format ([Parse],
// [Vector.Marshal]), the deterministic byte stream the vectors are built
// from ([NewStream]), and the embedded file systems [Vectors] and
// [Records], so that tests, fuzz seeds and other modules all read the same
// files.
//
// The format and every vector kind are described in README.md beside this
// file. The vectors are checked by package
// github.com/crossseal/crossseal/testdata/verify (also run by "crossseal
// vectors verify") and rebuilt by the generator in internal/gen:
//
//	go generate ./testdata
//
// This package imports nothing from crossseal, so that any crossseal
// package's tests may import it.
//
// The go tool skips directories named testdata when it expands "./...":
// run this package's tests as "go test ./testdata ./testdata/verify".
package testdata

import "embed"

//go:generate go run ./internal/gen/genvectors .

// Vectors holds the known-answer vectors: vectors/<kind>/NNN-name.txt.
//
//go:embed vectors
var Vectors embed.FS

// Records holds golden session records from every release:
// records/<format>/NNN-name.bin. Records are never regenerated once a
// release has shipped them; each later release adds a directory.
//
//go:embed records
var Records embed.FS
