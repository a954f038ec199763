#!/usr/bin/env bash
# Copyright 2026 The crossseal Authors
# SPDX-License-Identifier: Apache-2.0
#
# Runs every Go fuzz target of the module, one after another (fuzzing
# already uses every core).
#
#   testdata/fuzz.sh [SECONDS-PER-TARGET]
#
# By default the targets share 600 seconds (10 minutes) evenly. FUZZTIME, a
# go test -fuzztime value such as 3s or 500x, overrides both: CI runs
# "FUZZTIME=3s testdata/fuzz.sh". A failing input is written by go test to
# <package>/testdata/fuzz/FuzzXxx/; commit it, as a regression test, with
# the fix.
set -euo pipefail
cd "$(dirname "$0")/.."

# "go test ./..." skips directories named testdata: list those explicitly.
mapfile -t listing < <(go test -list '^Fuzz' ./... ./testdata ./testdata/verify)
targets=()
names=()
for line in "${listing[@]}"; do
	case "$line" in
	Fuzz*) names+=("$line") ;;
	ok*)
		pkg=$(awk '{print $2}' <<<"$line")
		for n in "${names[@]}"; do targets+=("$pkg $n"); done
		names=()
		;;
	esac
done
if [ ${#targets[@]} -eq 0 ]; then
	echo "fuzz.sh: no fuzz targets found" >&2
	exit 1
fi

if [ -n "${FUZZTIME:-}" ]; then
	fuzztime=$FUZZTIME
elif [ $# -ge 1 ]; then
	fuzztime="${1}s"
else
	fuzztime="$((600 / ${#targets[@]}))s"
fi

echo "fuzz.sh: ${#targets[@]} targets, ${fuzztime} each"
failed=()
for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	start=$(date +%s)
	if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg" >/tmp/fuzz.sh.$$.log 2>&1; then
		status=ok
	else
		status=FAIL
		failed+=("$pkg $name")
		cat /tmp/fuzz.sh.$$.log
	fi
	execs=$(grep -o 'execs: [0-9]*' /tmp/fuzz.sh.$$.log | tail -1 | awk '{print $2}')
	printf '%-4s %-50s %-32s %4ss  %s execs\n' "$status" "$pkg" "$name" "$(($(date +%s) - start))" "${execs:-?}"
done
rm -f /tmp/fuzz.sh.$$.log
if [ ${#failed[@]} -gt 0 ]; then
	printf 'fuzz.sh: %d target(s) failed:\n' "${#failed[@]}"
	printf '  %s\n' "${failed[@]}"
	exit 1
fi
