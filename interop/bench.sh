#!/bin/sh
# Copyright 2026 The crossseal Authors
# SPDX-License-Identifier: Apache-2.0
#
# bench.sh runs the benchmarks of bench_test.go in one `go test` run and
# prints every crossseal figure as a ratio to the primitive floor and to
# go.mau.fi/libsignal (/work/shared/PERFORMANCE.md), from the medians of
# five runs. Extra arguments go to `go test` (e.g. -benchtime 2s).
# BENCH_OUT=file keeps the raw `go test` output in file; BENCH_IN=file
# prints the table from such a file without running anything.
#
# Floors, from the medians of the BenchmarkFloor* benchmarks (see
# bench_test.go). Message<size> is the sending side of one message on an
# existing chain (HMAC chain step keyed once + HKDF-80 + AES-256-CBC +
# protobuf marshal + HMAC-SHA256 MAC) and MessageReceive<size> its
# receiving side (unmarshal + the same chain step, HKDF and MAC, verified
# + CBC decryption); DHStep = keygen + X25519 + HKDF-64; ReceivingTurn =
# what a receiver does for a message under a new ratchet key = X25519 +
# HKDF-64 (receiving chain) + keygen + X25519 + HKDF-64 (its next sending
# chain) = DHStep + X25519 + HKDF, measured as one benchmark:
#
#   floor(setup)        = X3DHInit                 alice: XEdDSA verify + keygen + 4 X25519 + HKDF
#                       + DHStep                   alice: her first sending chain
#                       + Message100B              alice: the first message
#                       + X3DHRespond              bob: 4 X25519 + HKDF
#                       + ReceivingTurn            bob: the DH ratchet step the first message causes
#                       + MessageReceive100B       bob: its decryption
#   floor(one-way 100B) = Message100B + MessageReceive100B
#   floor(one-way 4KiB) = Message4KiB + MessageReceive4KiB
#   floor(ping-pong)    = Message100B + MessageReceive100B + ReceivingTurn
#
# That is PERFORMANCE.md's "round = 2 x Message" with the receiving side
# measured rather than assumed equal to the sending side (at 4 KiB CBC
# decryption and encryption differ).
#
# Bob's turn in setup is a full ReceivingTurn because crossseal, like
# libsignal and go.mau.fi/libsignal, derives the next sending chain when it
# receives (Double Ratchet DHRatchet); the table also shows the setup
# floor with a bare DHStep there, for comparison.
set -eu
cd "$(dirname "$0")"

if [ -n "${BENCH_IN:-}" ]; then
	out=$BENCH_IN
else
	out=${BENCH_OUT:-$(mktemp)}
	[ -n "${BENCH_OUT:-}" ] || trap 'rm -f "$out"' EXIT
	go test -run '^$' -bench . -benchmem -count 5 "$@" . | tee "$out"
	echo
fi

awk '
/^Benchmark/ {
	name = $1
	sub(/-[0-9]+$/, "", name)
	sub(/^Benchmark/, "", name)
	for (i = 3; i <= NF; i++) if ($i == "ns/op") { v[name, ++n[name]] = $(i - 1) + 0 }
}
function median(name,    k, i, j, t, a) {
	k = n[name]
	if (k == 0) { missing = missing " " name; return 0 }
	for (i = 1; i <= k; i++) a[i] = v[name, i]
	for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	spread[name] = a[k] / a[1]
	return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
function us(ns) { return sprintf("%9.1f", ns / 1000) }
function row(op, cs, fl, mau) {
	printf "%-16s %s %s %s %16.2f %14.2f\n", op, us(cs), us(fl), us(mau), cs / fl, mau / cs
}
END {
	msg = median("FloorMessage100B"); msg4 = median("FloorMessage4KiB")
	rcv = median("FloorMessageReceive100B"); rcv4 = median("FloorMessageReceive4KiB")
	dh = median("FloorDHStep"); turn = median("FloorReceivingTurn")
	init = median("FloorX3DHInit"); resp = median("FloorX3DHRespond")
	if (missing != "") { print "bench.sh: no results for:" missing > "/dev/stderr"; exit 1 }

	printf "floor components, median of %d runs (us):\n", n["FloorMessage100B"]
	printf "  Message100B %.1f  MessageReceive100B %.1f  Message4KiB %.1f  MessageReceive4KiB %.1f\n", msg / 1000, rcv / 1000, msg4 / 1000, rcv4 / 1000
	printf "  DHStep %.1f  ReceivingTurn %.1f  X3DHInit %.1f  X3DHRespond %.1f\n\n", dh / 1000, turn / 1000, init / 1000, resp / 1000
	printf "%-16s %9s %9s %9s %16s %14s\n", "operation (us)", "crossseal", "floor", "mau", "crossseal/floor", "mau/crossseal"
	setup = init + dh + msg + resp + turn + rcv
	row("setup", median("CrosssealSetup"), setup, median("MauSetup"))
	row("one-way 100B", median("CrosssealRoundOneWay100B"), msg + rcv, median("MauRoundOneWay100B"))
	row("one-way 4KiB", median("CrosssealRoundOneWay4KiB"), msg4 + rcv4, median("MauRoundOneWay4KiB"))
	row("ping-pong 100B", median("CrosssealPingPong100B"), msg + rcv + turn, median("MauPingPong100B"))
	if (missing != "") { print "bench.sh: no results for:" missing > "/dev/stderr"; exit 1 }
	printf "\nrun-to-run spread (slowest/fastest of the runs; large values mean a noisy machine):\n"
	for (name in n) if (name != "") printf "  %-26s %5.2f\n", name, spread[name] | "sort"
	close("sort")
	alt = init + dh + msg + resp + dh + rcv
	printf "\nsetup floor with a bare DHStep for bob (no next sending chain): %.1f us; crossseal/that floor %.2f\n",
		alt / 1000, median("CrosssealSetup") / alt
}' "$out"
