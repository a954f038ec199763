// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Command genvectors rewrites the vectors and this release's golden
// records under the testdata directory given as its argument. It is run by
// "go generate ./testdata".
package main

import (
	"fmt"
	"os"

	"github.com/crossseal/crossseal/testdata/internal/gen"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: genvectors TESTDATA-DIR")
		os.Exit(2)
	}
	if err := gen.Write(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
