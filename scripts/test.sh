#!/usr/bin/env bash
# Copyright 2026 The crossseal Authors
# SPDX-License-Identifier: Apache-2.0
#
# Every check crossseal's CI runs, in order: formatting, vet, staticcheck,
# the root module's tests (unit, vectors, examples, layering), the interop
# module's tests against real peers, and a short run of every fuzz target.
# FUZZTIME (default 3s) sets the time per fuzz target; FUZZTIME=0 skips
# fuzzing (for a quick local run only: CI always fuzzes).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(go env GOPATH)/bin:$PATH"

step() { printf '\n== %s\n' "$*"; }

step gofmt
unformatted=$(gofmt -l . | grep -v '/node_modules/' || true)
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

step go vet
go vet ./... ./testdata ./testdata/verify ./testdata/internal/...
(cd interop && go vet ./...)

step staticcheck
if command -v staticcheck >/dev/null; then
  staticcheck ./... ./testdata ./testdata/verify ./testdata/internal/...
  (cd interop && staticcheck ./...)
elif [ "${CI:-}" = true ]; then
  echo "staticcheck missing in CI (.ci/run installs it)"; exit 1
else
  echo "staticcheck not installed; skipped (CI runs it)"
fi

step "go test (root module)"
# ./... skips directories named testdata; the vector packages live there.
vectorpkgs=(./testdata ./testdata/verify ./testdata/internal/...)
go test -count=1 ./... "${vectorpkgs[@]}"

step "go test (interop module: go.mau.fi/libsignal peers)"
(cd interop && go test -count=1 ./...)

if [ "${FUZZTIME:-3s}" != 0 ] && [ -x testdata/fuzz.sh ]; then
  step "fuzz (${FUZZTIME:-3s} per target)"
  FUZZTIME="${FUZZTIME:-3s}" testdata/fuzz.sh
fi
