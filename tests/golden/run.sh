#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Golden tests for the text output: procap -r FILE must print what tcpdump 4.99 printed.
#   tests/golden/run.sh PROCAP_BINARY
# TESTLIST rows: `name input expected options...` (paths relative to the repository root;
# options may be several words; '#' starts a comment). Each row runs
#   TZ=UTC PROCAP -n -r INPUT OPTIONS
# and diffs stdout against EXPECTED (tcpdump's output, see tests/golden/update.sh); any stderr
# or a non-zero exit fails. Dissector findings (" ipip=4in4 inner A > B", " tls ...",
# " quic=...") are procap additions and are removed before the comparison (patterns from
# the findings table, printed by tests/tools/findings_strip).
# Rows whose name starts with "partial-" hold packets tcpdump decodes beyond what procap prints
# (well-known ports such as DNS and NTP, ESP): there procap's line for such a packet
# ends in a "(name)" marker or " ip-proto-N LEN" and may differ; every other packet must be
# identical, and the number of differing packets is reported.
# Rows whose input is missing (a capture removed from testdata/) are skipped.
# Where tcpdump is installed, a second check per row runs tcpdump itself on the input and diffs
# it against procap, so a stale expected file cannot hide a difference.
# Prints PASS/FAIL lines (tests/run.sh counts them) and a per-row "identical lines" figure.
set -u
cd "$(dirname "$0")/../.."
PROCAP=${1:?usage: tests/golden/run.sh PROCAP_BINARY}
LIST=tests/golden/TESTLIST
export TZ=UTC
tmp=$(mktemp -d /tmp/procap-golden.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
have_tcpdump=0
command -v tcpdump >/dev/null 2>&1 && have_tcpdump=1

# procap's findings are appended to the tcpdump text; strip them for the comparison. The
# patterns come from the findings table itself (src/sink/findings.c) through a small tool built
# beside the binary.
STRIP_TOOL=$(dirname "$PROCAP")/tests/tools/findings_strip
[ -x "$STRIP_TOOL" ] || { echo "FAIL golden: $STRIP_TOOL not built"; exit 1; }
STRIP_SED=$("$STRIP_TOOL" | sed 's|/|\\/|g; s|^|s/|; s|$|//g;|')
strip_findings() {
	sed -E "$STRIP_SED"
}

# identical LINES of A that B also has at the same position (both files' line counts).
same_lines() {
	awk 'NR == FNR { a[FNR] = $0; n = FNR; next } { if (FNR in a && a[FNR] == $0) s++; m = FNR }
	     END { printf "%d/%d\n", s + 0, (n > m ? n : m) }' "$1" "$2"
}

# Group lines into packets (a packet starts at a line that does not begin with blank/tab).
packets() {
	awk 'BEGIN { p = 0 } /^[^ \t]/ { if (NR > 1) printf "\n"; printf "%s", $0; next }
	     { printf "\\n%s", $0 } END { if (NR) printf "\n" }' "$1"
}

marker_re=' \([a-z][a-z0-9-]*\)$| ip-proto-[0-9]+ [0-9]+$'

while read -r name input expected opts; do
	case "$name" in ''|'#'*) continue ;; esac
	if [ ! -f "$input" ]; then
		# an input that is not in this checkout
		echo "SKIP $name: $input not found"
		continue
	fi
	# shellcheck disable=SC2086
	"$PROCAP" -n -r "$input" $opts >"$tmp/raw" 2>"$tmp/err" </dev/null
	rc=$?
	strip_findings <"$tmp/raw" >"$tmp/got"
	if [ -s "$tmp/err" ] || [ $rc -ne 0 ]; then
		echo "FAIL $name: exit $rc, stderr: $(head -c 300 "$tmp/err")"
		continue
	fi
	case "$name" in
	partial-*)
		packets "$expected" >"$tmp/pe"
		packets "$tmp/got" >"$tmp/pg"
		res=$(awk -v re="$marker_re" 'NR == FNR { e[FNR] = $0; n = FNR; next }
			{ m = FNR; if (e[FNR] == $0) same++; else if ($0 ~ re) skip++; else bad++ }
			END { if (n != m) bad++; printf "%d %d %d %d\n", same + 0, skip + 0, bad + 0, n }' \
			"$tmp/pe" "$tmp/pg")
		set -- $res
		if [ "$3" -eq 0 ]; then
			echo "PASS $name (identical $1/$4 packets; $2 decoded by tcpdump only)"
		else
			echo "FAIL $name: $3 in-scope packets differ (identical $1/$4, $2 decoded by tcpdump only)"
		fi
		;;
	*)
		if cmp -s "$expected" "$tmp/got"; then
			echo "PASS $name (identical $(same_lines "$expected" "$tmp/got") lines)"
		else
			echo "FAIL $name: identical $(same_lines "$expected" "$tmp/got") lines; first differences:"
			diff "$expected" "$tmp/got" | head -n 6 | sed 's/^/    /'
		fi
		;;
	esac
	if [ $have_tcpdump -eq 1 ]; then
		# shellcheck disable=SC2086
		tcpdump -n -r "$input" $opts >"$tmp/live" 2>/dev/null </dev/null
		if cmp -s "$expected" "$tmp/live"; then
			echo "PASS $name/tcpdump-live (stored expected is still tcpdump's output)"
		else
			echo "FAIL $name/tcpdump-live: tcpdump $(tcpdump --version 2>&1 | head -n1) prints otherwise:"
			diff "$expected" "$tmp/live" | head -n 6 | sed 's/^/    /'
		fi
	fi
done <"$LIST"
exit 0
