#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Attacks: SIGTERM/SIGINT were ignored while a large filter compiled (a 3,000-term filter ran
# 19 minutes); -r compiled the filter once per interface block (65k IDBs: over 28 s); a full
# disk on .gz output said "Input/output error" at close; clsact filters left by a SIGKILLed
# PROCAP_NO_TCX=1 run were removed only by another PROCAP_NO_TCX=1 run. Now the signal ends
# procap at once, the filter is compiled once per link type (pcap_compile calls counted with
# gdb), ENOSPC is named on .gz as on plain output, and a tcx run removes stale clsact filters.
set -u
NS=hdms$$
. "$(dirname "$0")/live_lib.sh"
need python3 tcpdump gdb tc
P=$PROCAP
F=$ROOT/testdata/golden/eth_tcp.pcap
BIG="port 1"
for i in $(seq 2 3000); do BIG="$BIG or port $i"; done

# ---- a signal during the compile of a 3,000-term filter
for run in "TERM -r $F" "INT -i lo"; do
	set -- $run
	sig=$1
	shift
	mode="$*"
	{
		"$P" $mode -n "$BIG" >/dev/null 2>&1 &
		pid=$!
		sleep 1
		kill -$sig $pid
		for i in $(seq 30); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
		gone=$(kill -0 $pid 2>/dev/null && echo running || echo ended)
		kill -KILL $pid 2>/dev/null
		wait $pid 2>/dev/null
		check "SIG$sig while compiling a 3,000-term filter ($mode): ends within 3 s" "$gone" ended
	}
done

# ---- -r with 2,000 interface blocks of one link type: one compile (plus the check at start)
python3 - "$T/idbs.pcapng" <<'EOS'
import struct, sys
def block(bt, body):
    return struct.pack("<II", bt, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))
pkt = (b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + bytes.fromhex("4500001d000040004011") +
       b"\0\0" + bytes([192, 0, 2, 1, 192, 0, 2, 2]) + struct.pack(">HHHH", 1234, 53, 9, 0) + b"x")
pad = b"\0" * ((4 - len(pkt) % 4) % 4)
out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
for i in range(2000):
    out += block(1, struct.pack("<HHI", 1, 0, 262144))
    out += block(6, struct.pack("<IIIII", i, 0, i, len(pkt), len(pkt)) + pkt + pad)
open(sys.argv[1], "wb").write(out)
EOS
FLT="port 1"
for i in $(seq 2 200); do FLT="$FLT or port $i"; done
gdb -q -batch -ex 'set breakpoint pending on' -ex 'break pcap_compile' -ex 'ignore 1 100000' \
	-ex "run -r $T/idbs.pcapng -n '$FLT' >$T/idbs.out 2>/dev/null" -ex 'info breakpoints' \
	--args "$P" >"$T/gdb.out" 2>&1
hits=$(grep -o 'already hit [0-9]* time' "$T/gdb.out" | grep -o '[0-9]*')
check "-r 2,000 IDBs, 200-port filter: pcap_compile called once (one link type)" "$hits" 1
check "-r 2,000 IDBs: every packet selected (port 53)" "$(wc -l <"$T/idbs.out")" 2000

# ---- a full disk on .gz output is named, as on plain output
python3 - "$T/rand.pcap" <<'EOS'
import os, struct, sys
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(400):
        frame = b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + os.urandom(1400)
        f.write(struct.pack("<IIII", i, 0, len(frame), len(frame)) + frame)
EOS
mkdir "$T/full"
mount -t tmpfs -o size=128k tmpfs "$T/full" || { echo "SKIP enospc: no tmpfs"; }
for out in x.pcapng.gz x.pcapng; do
	"$P" -r "$T/rand.pcap" -w "$T/full/$out" 2>"$T/err"
	rc=$?
	[ "$rc" = 1 ] && grep -q "^procap: $T/full/$out: No space left on device$" "$T/err" &&
		pass "full disk, -w $out: 'No space left on device', exit 1" ||
		fail "full disk, -w $out" "exit $rc: $(head -c 300 "$T/err")"
	rm -f "$T/full/$out"
done
umount "$T/full"

# ---- a SIGKILLed PROCAP_NO_TCX=1 run's clsact filters, removed by a tcx run
netns_up
ip netns exec $A env PROCAP_NO_TCX=1 "$P" -i ${A}0 -w /dev/null >/dev/null 2>"$T/clsact.err" &
pid=$!
wait_listening "$T/clsact.err" $pid
kill -KILL $pid
wait $pid 2>/dev/null
filters() { ip netns exec $A tc filter show dev ${A}0 ingress; ip netns exec $A tc filter show dev ${A}0 egress; }
check "SIGKILLed clsact run: its filters are left (the attack's state)" "$(filters | grep -c direct-action)" 2
start_procap tcx $A -i ${A}0 -w /dev/null
pid=$LAST_PID
check "tcx run: the stale clsact filters are removed" "$(filters | grep -c direct-action)" 0
check "tcx run: says so" "$(grep -c 'removed a stale procap .* filter on' "$T/tcx.err")" 2
check "tcx run: the emptied clsact qdisc removed" "$(ip netns exec $A tc qdisc show dev ${A}0 | grep -c clsact)" 0
stop $pid
