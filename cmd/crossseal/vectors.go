// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/testdata/verify"
)

const vectorsUsage = `usage:
  crossseal vectors verify [DIR]   check the embedded vectors, or those in DIR
                                   (a vectors directory, or a directory holding one)
  crossseal vectors gen DIR        write the vectors and golden records under DIR
`

// runVectors implements "crossseal vectors".
func runVectors(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) >= 1 && args[0] == "verify" && len(args) <= 2:
		fsys, err := vectorsFS(args[1:])
		if err != nil {
			fmt.Fprintf(stderr, "crossseal vectors: %v\n", err)
			return 1
		}
		return printResults(stdout, verify.VerifyFS(fsys))
	case len(args) == 2 && args[0] == "gen":
		if err := verify.Generate(args[1]); err != nil {
			fmt.Fprintf(stderr, "crossseal vectors: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "wrote the vectors to %s\n", filepath.Join(args[1], "vectors"))
		return 0
	default:
		fmt.Fprint(stderr, vectorsUsage)
		return 2
	}
}

// vectorsFS returns the embedded vectors, or the directory given: a
// directory of kinds, or one with a vectors subdirectory (as gen writes).
func vectorsFS(args []string) (fs.FS, error) {
	if len(args) == 0 {
		return fs.Sub(testdata.Vectors, "vectors")
	}
	dir := args[0]
	if st, err := os.Stat(filepath.Join(dir, "vectors")); err == nil && st.IsDir() {
		dir = filepath.Join(dir, "vectors")
	}
	if st, err := os.Stat(dir); err != nil {
		return nil, err
	} else if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", dir)
	}
	return os.DirFS(dir), nil
}

// printResults writes a pass/fail table and a summary, and returns the
// exit status: 1 if any vector failed.
func printResults(w io.Writer, results []verify.Result) int {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RESULT\tKIND\tVECTOR\tREASON")
	failed := 0
	for _, r := range results {
		status := "pass"
		if !r.Pass {
			status = "FAIL"
			failed++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", status, r.Kind, r.Path, r.Reason)
	}
	tw.Flush()
	fmt.Fprintf(w, "%d vectors: %d passed, %d failed\n", len(results), len(results)-failed, failed)
	if failed > 0 {
		return 1
	}
	return 0
}
