#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Runs test tiers and prints the totals line "N passed, N failed, N skipped".
# Every test prints lines "PASS name", "FAIL name: why", "SKIP name: why"; a test program that
# exits non-zero without printing a FAIL line counts as one failure (a crash is a failure).
#   tests/run.sh --san build-san --out build unit golden bpf e2e fuzz
set -u
cd "$(dirname "$0")/.."
SAN=build-san OUT=build
tiers=()
while [ $# -gt 0 ]; do
	case "$1" in
	--san) SAN=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	*) tiers+=("$1"); shift ;;
	esac
done
export SAN OUT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TZ=UTC
# The public captures with expected outputs from other projects (JA4, QUIC), vendored unchanged
# from the public corpus with their MANIFEST and licences (testdata/corpus/README.md).
export PROCAP_CORPUS=${PROCAP_CORPUS:-$PWD/testdata/corpus}
export CORPUS_DIR=${CORPUS_DIR:-$PROCAP_CORPUS}
pass=0 fail=0 skip=0
log=$(mktemp -d /tmp/procap-test.XXXXXX)
trap 'rm -rf "$log"' EXIT

# run_one NAME CMD...: run a test program, echo its result lines, count them.
run_one() {
	local name=$1; shift
	local out=$log/out rc
	"$@" >"$out" 2>"$log/err"
	rc=$?
	local p f s
	p=$(grep -c '^PASS ' "$out"); f=$(grep -c '^FAIL ' "$out"); s=$(grep -c '^SKIP ' "$out")
	grep -E '^(FAIL|SKIP) ' "$out" | sed "s|^|  [$name] |"
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ "$f" -eq 0 ]; then
		echo "  [$name] FAIL: exited $rc without a FAIL line; stderr:"
		tail -n 15 "$log/err" | sed 's/^/      /'
		f=$((f + 1))
	elif [ "$f" -gt 0 ]; then
		tail -n 15 "$log/err" | sed 's/^/      /'
	fi
	if [ "$rc" -eq 77 ] && [ "$p$f$s" = "000" ]; then s=1; echo "  [$name] SKIP: $(tail -n1 "$log/err")"; fi
	echo "$name: $p passed, $f failed, $s skipped"
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
}

for tier in "${tiers[@]}"; do
	echo "== $tier"
	case "$tier" in
	unit)
		for t in "$SAN"/tests/unit/test_*; do [ -x "$t" ] && run_one "$(basename "$t")" "$t"; done ;;
	golden)
		run_one golden tests/golden/run.sh "$SAN/procap" ;;
	bpf)
		for t in "$OUT"/tests/bpf/test_*; do [ -x "$t" ] && run_one "$(basename "$t")" "$t"; done ;;
	e2e)
		for t in tests/e2e/test_*.sh; do [ -x "$t" ] && run_one "$(basename "$t")" tests/e2e/run.sh "$t"; done ;;
	fuzz)
		run_one fuzz tests/fuzz/tier.sh ;;
	*) echo "unknown tier $tier"; fail=$((fail + 1)) ;;
	esac
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
