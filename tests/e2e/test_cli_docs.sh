#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The option table is the one source of truth: `procap --help` equals tests/golden/help.txt
# (update it with the table), and every option it lists is documented in man/procap.8 and named
# in README.md.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PROCAP=${PROCAP:-$ROOT/${OUT:-build}/procap}
help=$("$PROCAP" --help 2>&1)
if [ "$help" = "$(cat "$ROOT/tests/golden/help.txt")" ]; then echo "PASS --help golden"; else
	echo "FAIL --help golden: differs from tests/golden/help.txt"; fi
missing_man="" missing_readme=""
for opt in $(printf '%s\n' "$help" | grep -oE '^  (-[A-Za-z#]|--[a-z-]+)' | tr -d ' '); do
	# the man page escapes '-' as '\-'
	grep -qF -- "$(printf '%s' "$opt" | sed 's/-/\\-/g')" "$ROOT/man/procap.8" ||
		missing_man="$missing_man $opt"
	grep -qF -- "$opt" "$ROOT/README.md" || missing_readme="$missing_readme $opt"
done
[ -z "$missing_man" ] && echo "PASS every option in man/procap.8" ||
	echo "FAIL every option in man/procap.8: missing$missing_man"
[ -z "$missing_readme" ] && echo "PASS every option in README.md" ||
	echo "FAIL every option in README.md: missing$missing_readme"
