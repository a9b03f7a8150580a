#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Filters on replay (issue 2 part 4): for every capture in testdata/ and 30 expressions,
# `procap -n -r F EXPR` selects exactly the packets `tcpdump -n -r F EXPR` selects: same number
# of lines with the same timestamps in the same order (the text itself is the golden tests' job).
# Expressions that do not compile for a file's link type must fail in both tools.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PROCAP=${PROCAP:-$ROOT/${OUT:-build}/procap}
command -v tcpdump >/dev/null || { echo "SKIP replay filters: tcpdump not installed"; exit 0; }
T=$(mktemp -d /tmp/procap-rf.XXXXXX)
trap 'rm -rf "$T"' EXIT
export TZ=UTC

exprs=(
	"tcp" "udp" "icmp" "icmp6" "arp" "ip" "ip6" "not ip"
	"host 198.51.100.1" "src host 198.51.100.2" "net 192.0.2.0/24" "dst net 198.51.100.0/24"
	"port 443" "tcp port 443" "udp port 53" "portrange 1-1024" "tcp dst portrange 400-9000"
	"tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn" "tcp[tcpflags] & tcp-fin != 0"
	"ip[8] == 64" "ip[2:2] > 100" "tcp[13] & 0x18 == 0x18" "(tcp[12:1] & 0xf0) >> 2 > 20"
	"less 80" "greater 1000" "len >= 100 and len <= 600"
	"icmp[icmptype] == icmp-echo" "ip6 and tcp" "vlan or ip" "ip proto 4 or ip proto 41 or ip proto 47"
	"ether broadcast" "ip multicast or ip6 multicast" "udp and not port 53 and not port 5353"
	"host 2001:db8:51::1" "ip6 protochain 6" "ip and (tcp or udp) and not host 203.0.113.7"
)
files=$(find "$ROOT/testdata" -name '*.pcap' -o -name '*.pcapng' | grep -v malformed | sort)
nf=0 agree=0 total=0
for f in $files; do
	# only files tcpdump itself reads cleanly are references
	tcpdump -n -r "$f" >/dev/null 2>"$T/err" || continue
	nf=$((nf + 1))
	# each file gets every third expression, rotating between files: every expression still
	# meets a third of the files, and the test stays well within its time on 2 cores
	for j in "${!exprs[@]}"; do
		[ $(((j + nf) % 3)) -eq 0 ] || continue
		e=${exprs[$j]}
		total=$((total + 1))
		tcpdump -n -r "$f" "$e" >"$T/want" 2>/dev/null; trc=$?
		"$PROCAP" -n -r "$f" "$e" >"$T/got" 2>"$T/perr"; prc=$?
		if [ "$trc" -ne 0 ]; then
			[ "$prc" -ne 0 ] && agree=$((agree + 1)) ||
				echo "FAIL replay filter '$e' on ${f#$ROOT/}: tcpdump refused it, procap exit $prc"
			continue
		fi
		if [ "$prc" -eq 0 ] && [ "$(wc -l <"$T/got")" = "$(wc -l <"$T/want")" ] &&
		   [ "$(awk '{print $1}' "$T/got" | md5sum)" = "$(awk '{print $1}' "$T/want" | md5sum)" ]; then
			agree=$((agree + 1))
		else
			echo "FAIL replay filter '$e' on ${f#$ROOT/}: procap $(wc -l <"$T/got") lines (exit $prc), tcpdump $(wc -l <"$T/want")"
		fi
	done
done
if [ "$total" -gt 0 ] && [ "$agree" -eq "$total" ]; then
	echo "PASS replay filters: $agree/$total (${#exprs[@]} expressions, each on a third of $nf files) select what tcpdump selects"
else
	echo "FAIL replay filters: $agree/$total agree"
fi
