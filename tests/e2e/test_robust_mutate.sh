#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Malformed-input campaign: tests/tools/mutate (seeded: byte flips, truncation, length-field
# lies, block duplication and removal, zero-length blocks) makes MUTATE_N damaged copies of the
# testdata captures at test time (nothing committed), and the sanitizer build replays each one:
#   procap -r FILE  with -n | -n -v -e | -n -x | --json | -w /dev/null
# (file k gets variant k mod 5; MUTATE_ALL_VARIANTS=1 runs all five on every file), each under
# `timeout`. Every run must: not crash, print no sanitizer report, exit 0 or 1, and on exit 1
# print exactly one line, "procap: FILE: ...". Failing inputs are kept in $MUTATE_KEEP
# (default /tmp/procap-mutate-fail) for turning into testdata/malformed/ regressions.
#   MUTATE_N (default 1500: 35 s at the 43 sanitizer runs/s of 2 idle cores, longer when busy),
#   MUTATE_SEED (1), MUTATE_JOBS (2)
set -u
cd "$(dirname "$0")/../.."
P=${SAN:-build-san}/procap
MUT=${SAN:-build-san}/tests/tools/mutate
N=${MUTATE_N:-1500}
SEED=${MUTATE_SEED:-1}
JOBS=${MUTATE_JOBS:-2}
KEEP=${MUTATE_KEEP:-/tmp/procap-mutate-fail}
[ -x "$P" ] && [ -x "$MUT" ] || { echo "SKIP mutate: $P or $MUT not built (make SAN=1 unit-bins)"; exit 0; }
T=$(mktemp -d /tmp/procap-robust-mut.XXXXXX)
trap 'rm -rf "$T"' EXIT

seeds=$(find testdata -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.gz' \) -size -200k |
	sort)
mkdir "$T/files" "$T/res"
# shellcheck disable=SC2086
"$MUT" "$SEED" "$N" "$T/files" $seeds || { echo "FAIL mutate: generator failed"; exit 1; }

export P T KEEP
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
VARIANTS=("-n" "-n -v -e" "-n -x" "--json" "-w /dev/null")
export VARIANTS_STR
VARIANTS_STR=$(printf '%s\n' "${VARIANTS[@]}")

# check_one FILE (T/files/mNNNNNN-...): runs the variants for one file; prints "BAD reason ::
# variant :: file" for any failure and one "RAN exit-code" line per run.
check_one() {
	local f=$1 k v rc err lines
	k=$(basename "$f" | sed 's/^m0*\([0-9]\)/\1/; s/-.*//')
	local -a vs
	mapfile -t vs <<<"$VARIANTS_STR"
	if [ "${MUTATE_ALL_VARIANTS:-0}" != 1 ]; then vs=("${vs[$((k % ${#vs[@]}))]}"); fi
	err=$T/res/err.$k
	for v in "${vs[@]}"; do
		# shellcheck disable=SC2086
		timeout -k 5 20 "$P" -r "$f" $v >/dev/null 2>"$err"
		rc=$?
		echo "RAN $rc"
		lines=$(wc -l <"$err")
		if grep -qE 'Sanitizer|runtime error:|==[0-9]+==' "$err"; then
			echo "BAD sanitizer: $(grep -m1 -E 'ERROR|runtime error' "$err") :: $v :: $f"
		elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
			echo "BAD timeout :: $v :: $f"
		elif [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
			echo "BAD exit $rc: $(head -c 200 "$err") :: $v :: $f"
		elif [ "$rc" -eq 1 ] && { [ "$lines" -ne 1 ] || ! grep -q "^procap: $f: " "$err"; }; then
			echo "BAD exit 1 without one error line ($lines lines: $(head -c 200 "$err" | tr '\n' '|')) :: $v :: $f"
		elif [ "$rc" -eq 0 ] && [ "$lines" -ne 0 ] &&
			! { [ "$lines" -eq 1 ] &&
			    grep -qE '^procap: link type [0-9]+ \(.*\) is not decoded$' "$err"; }; then
			# (a link type without a printer is named once, exit 0, as tcpdump prints it)
			echo "BAD exit 0 with stderr: $(head -c 200 "$err" | tr '\n' '|') :: $v :: $f"
		else
			continue
		fi
		mkdir -p "$KEEP" && cp "$f" "$KEEP/"
	done
	rm -f "$err"
}
export -f check_one

start=$(date +%s)
ls "$T/files" | sed "s|^|$T/files/|" | xargs -P "$JOBS" -n 1 bash -c 'check_one "$1"' _ >"$T/log" 2>&1
secs=$(($(date +%s) - start))
runs=$(grep -c '^RAN ' "$T/log")
ok0=$(grep -c '^RAN 0$' "$T/log")
ok1=$(grep -c '^RAN 1$' "$T/log")
bad=$(grep -c '^BAD ' "$T/log")
echo "# mutate: seed $SEED, $N files, $runs runs in ${secs}s: exit 0 $ok0, exit 1 $ok1, bad $bad"
for kind in sanitizer timeout "exit [0-9]" "exit 1 without" "exit 0 with"; do
	n=$(grep -c "^BAD $kind" "$T/log")
	name="mutate: no '$kind' in $runs runs"
	if [ "$n" -eq 0 ]; then echo "PASS $name"; else
		echo "FAIL $name: $n, e.g. $(grep -m1 "^BAD $kind" "$T/log") (inputs kept in $KEEP)"
	fi
done
[ "$runs" -ge "$N" ] && echo "PASS mutate: every file replayed" ||
	echo "FAIL mutate: every file replayed: $runs runs for $N files"
