#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Ring-buffer overflow is counted and reported, not silent. procap captures with the smallest
# ring (-B 64) and is stopped (SIGSTOP) while a bounded burst of UDP datagrams crosses a veth
# pair, so the ring must overflow whatever the machine's speed (no timing assumption); after
# SIGCONT and SIGINT its exit report must say "N packets dropped by kernel" with N > 0, and
# captured + dropped must equal the packets that passed the filter, which must be the
# datagrams sent (the filter selects exactly them). The -w file holds the captured ones.
set -u
NS=rbtd$$
. "$(dirname "$0")/live_lib.sh"
need python3 tcpdump
SENT=3000
netns_up

start_procap flood $A -i ${A}0 -B 64 -w "$T/flood.pcapng" udp port 9
pid=$LAST_PID
kill -STOP "$pid"
ip netns exec $A python3 - "$SENT" "$B4" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[1])):
    try:
        s.sendto(b"\0" * 1000, (sys.argv[2], 9))
    except OSError:
        pass
EOF
kill -CONT "$pid"
stop "$pid"
check "drops: procap exit 0 after SIGINT" "$?" 0

num() { sed -n "s/^\([0-9]*\) packets $1\$/\1/p" "$T/flood.err"; }
captured=$(num captured) dropped=$(num "dropped by kernel") passed=$(num "passed the filters")
echo "# drops: sent $SENT, passed the filter ${passed:-?}, captured ${captured:-?}, dropped ${dropped:-?}"
[ -n "$captured" ] && [ -n "$dropped" ] && [ -n "$passed" ] ||
	{ fail "drops: exit report" "$(tr '\n' '|' <"$T/flood.err")"; exit 0; }
check_ge "drops: 'N packets dropped by kernel' with N > 0" "$dropped" 1
check "drops: captured + dropped = passed the filter" "$((captured + dropped))" "$passed"
# within 1%: a datagram the sending host itself refused (ENOBUFS) never reaches TC egress
[ "$passed" -le "$SENT" ] && [ "$passed" -ge $((SENT * 99 / 100)) ] &&
	pass "drops: passed the filter = datagrams sent (within 1%)" ||
	fail "drops: passed the filter = datagrams sent (within 1%)" "passed $passed, sent $SENT"
check "drops: -w file holds the captured packets (tcpdump count)" \
	"$(tcpdump -n -r "$T/flood.pcapng" 2>/dev/null | wc -l)" "$captured"
