#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The "fuzz" test tier: every libFuzzer target for a bounded time, one PASS/FAIL line each, in
# the format tests/run.sh counts. The whole tier takes about FUZZ_TIER_BUDGET seconds (default
# 360) of fuzzing: 60 s per target, or BUDGET/N each when there are more than BUDGET/60 targets.
# FUZZ_TIME overrides the per-target time. Skips (exit 77) without clang/libFuzzer.
set -u
cd "$(dirname "$0")/../.."
budget=${FUZZ_TIER_BUDGET:-360}
n=$(ls tests/fuzz/fuzz_*.c 2>/dev/null | wc -l)
[ "$n" -gt 0 ] || { echo "no fuzz targets" >&2; exit 77; }
per=60
[ $((n * per)) -gt "$budget" ] && per=$((budget / n))
per=${FUZZ_TIME:-$per}
command -v "${CLANG:-clang}" >/dev/null || { echo "clang not installed" >&2; exit 77; }

out=$(tests/fuzz/run.sh "$per" 2>&1)
rc=$?
# "fuzz_NAME: PASS execs=..." -> "PASS fuzz_NAME execs=..."; FAIL lines keep the reason
printf '%s\n' "$out" | sed -n -E \
	-e 's/^(fuzz_[a-z0-9_]+): PASS (.*)$/PASS \1 (\2)/p' \
	-e 's/^(fuzz_[a-z0-9_]+): FAIL (.*)$/FAIL \1: \2/p'
if [ "$rc" -ne 0 ] && ! printf '%s\n' "$out" | grep -q ': FAIL'; then
	echo "FAIL fuzz-build: $(printf '%s\n' "$out" | tail -n 3 | tr '\n' ' ')"
fi
exit "$rc"
