#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# valgrind memcheck on the normal (non-sanitizer) build: every capture in testdata/ replayed
# once (file k with variant k mod 4: -n -v | -n -x -e | --json | -w FILE), no memcheck error
# and no definite or indirect leak (--error-exitcode). Two at a time; skipped without valgrind.
set -u
cd "$(dirname "$0")/../.."
P=${PROCAP:-$PWD/${OUT:-build}/procap}
command -v valgrind >/dev/null || { echo "SKIP valgrind: not installed"; exit 0; }
[ -x "$P" ] || { echo "SKIP valgrind: $P not built"; exit 0; }
T=$(mktemp -d /tmp/procap-robust-vg.XXXXXX)
trap 'rm -rf "$T"' EXIT
export P T

vg_one() {	# vg_one INDEX FILE: prints "PASS ..." or "FAIL ..."
	local k=$1 f=$2 rc v
	local -a variants=("-n -v" "-n -x -e" "--json" "-w $T/out$k.pcapng")
	v=${variants[$((k % 4))]}
	# shellcheck disable=SC2086
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--log-file="$T/vg$k.log" "$P" -r "$f" $v >/dev/null 2>"$T/err$k"
	rc=$?
	if [ "$rc" = 0 ] && [ ! -s "$T/vg$k.log" ]; then
		echo "PASS valgrind: $f ($v)"
	else
		echo "FAIL valgrind: $f ($v): exit $rc: $(grep -m3 -E '==[0-9]+== [A-Z]' "$T/vg$k.log" | tr '\n' '|')$(head -c 200 "$T/err$k")"
	fi
	rm -f "$T/out$k.pcapng"
}
export -f vg_one
find testdata -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.gz' \) | sort | awk '{ print NR "\t" $0 }' |
	xargs -P 2 -n 1 -d '\n' bash -c 'vg_one "${1%%	*}" "${1#*	}"' _
