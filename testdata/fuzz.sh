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
# the fix. A run that fails only with Go 1.26's fuzz-coordinator deadline
# race (go.dev/issue/75804; see upstream_race) is run again, up to twice, and
# listed at the end; everything else that fails is a failure.
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

# crashers lists the inputs go test has written for a target (it writes every
# failing input to <package dir>/testdata/fuzz/<target>/ before it exits).
crashers() {
	ls -1 "$1/testdata/fuzz/$2" 2>/dev/null || true
}

# upstream_race reports whether a failed run is Go's fuzz-coordinator race
# (go.dev/issue/75804, fixed in Go 1.27, present in every 1.26.x): when the
# -fuzztime deadline fires, the coordinator can see the parent context's
# DeadlineExceeded before the workers' context is cancelled and reports it as
# the target's failure. Its signature is exact: the only failure line is
# "context deadline exceeded" and no failing input was written. No target of
# this module uses a context with a deadline, so that message cannot come
# from crossseal code. Any other failure, or a new file in the corpus, is a
# real finding and fails the run.
upstream_race() {
	local log=$1 before=$2 after=$3
	[ "$before" = "$after" ] || return 1
	[ "$(grep -c -e '--- FAIL' "$log")" = 1 ] || return 1
	grep -q '^    context deadline exceeded$' "$log" || return 1
	! grep -q -e 'Failing input written' -e 'panic:' -e '^        ' "$log"
}

echo "fuzz.sh: ${#targets[@]} targets, ${fuzztime} each"
failed=()
retried=()
log=/tmp/fuzz.sh.$$.log
for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	dir=$(go list -f '{{.Dir}}' "$pkg")
	start=$(date +%s)
	status=FAIL
	for attempt in 1 2 3; do
		before=$(crashers "$dir" "$name")
		if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg" >"$log" 2>&1; then
			status=ok
			break
		fi
		after=$(crashers "$dir" "$name")
		if [ "$attempt" -lt 3 ] && upstream_race "$log" "$before" "$after"; then
			echo "fuzz.sh: $pkg $name: Go fuzz coordinator deadline race (go.dev/issue/75804), no failing input; running it again"
			retried+=("$pkg $name")
			continue
		fi
		break
	done
	if [ "$status" = FAIL ]; then
		failed+=("$pkg $name")
		cat "$log"
	fi
	execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | awk '{print $2}' || true)
	printf '%-4s %-50s %-32s %4ss  %s execs\n' "$status" "$pkg" "$name" "$(($(date +%s) - start))" "${execs:-?}"
done
rm -f "$log"
if [ ${#retried[@]} -gt 0 ]; then
	printf 'fuzz.sh: %d run(s) repeated after the Go coordinator race:\n' "${#retried[@]}"
	printf '  %s\n' "${retried[@]}"
fi
if [ ${#failed[@]} -gt 0 ]; then
	printf 'fuzz.sh: %d target(s) failed:\n' "${#failed[@]}"
	printf '  %s\n' "${failed[@]}"
	exit 1
fi
