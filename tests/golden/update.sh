#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Regenerates expected outputs from tcpdump (the reference), never from procap:
#   tests/golden/update.sh [PROCAP_BINARY] [NAME]     (all rows, or the row NAME)
# The PROCAP_BINARY argument is accepted for `make update-golden` and ignored.
set -eu
cd "$(dirname "$0")/../.."
[ $# -gt 0 ] && [ -x "$1" ] && shift
only=${1:-}
export TZ=UTC
command -v tcpdump >/dev/null || { echo "update.sh: tcpdump is required" >&2; exit 1; }
while read -r name input expected opts; do
	case "$name" in ''|'#'*) continue ;; esac
	[ -n "$only" ] && [ "$name" != "$only" ] && continue
	[ -f "$input" ] || { echo "skipped $name: $input not found"; continue; }
	# shellcheck disable=SC2086
	tcpdump -n -r "$input" $opts >"$expected" 2>/dev/null </dev/null
	echo "updated $expected"
done <tests/golden/TESTLIST
