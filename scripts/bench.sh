#!/usr/bin/env bash
# Reproduces docs/BENCHMARKS.md: every benchmark, -count 5 (or $COUNT), then
# benchstat's summary. Run it on a quiet machine; each package's baselines
# (cipher floors, moov-io and bertlv paths, shopspring/decimal, text/template)
# sit in the same file as the code they measure, so ratios come from one run.
#
#   scripts/bench.sh                # all packages
#   scripts/bench.sh ./mac ./dukpt  # some packages
set -euo pipefail
cd "$(dirname "$0")/.."
count=${COUNT:-5}
pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=(./...)
out=${OUT:-bench-$(date -u +%Y%m%dT%H%M%SZ).txt}
go test -run '^$' -bench . -benchmem -count "$count" "${pkgs[@]}" | tee "$out"
# benchstat: the last golang.org/x/perf that the module proxy serves here.
go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da "$out"
