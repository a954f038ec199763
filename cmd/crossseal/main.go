// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Command crossseal is crossseal's command-line tool:
//
//	crossseal peer [--profile v3|v4] [--store PATH] the JSON interop peer (shared/INTEROP.md)
//	crossseal demo [--dir DIR]                     a cross-app conversation through a relay
//	crossseal vectors verify [DIR] | gen DIR       check or rebuild the known-answer vectors
//
// Run "crossseal help" for the list of subcommands.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "peer":
		return runPeer(args[1:], stdin, stdout, stderr)
	case "demo":
		return runDemo(args[1:], stdout, stderr)
	case "vectors":
		return runVectors(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		usage(stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "crossseal: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: crossseal <command> [flags]

commands:
  peer   JSON-lines interop peer on stdin/stdout (see shared/INTEROP.md)
  demo   WhatsApp, Instagram and Messenger accounts talk through a relay
  vectors verify [DIR] | gen DIR: check or rebuild the known-answer vectors (testdata/README.md)
`)
}
