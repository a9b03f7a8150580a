#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tcpdump habits, live: -w - into a pipe reaches `tcpdump -r -` packet by packet (with -U and
# without), a -w file shows packets within 1.5 s while the capture runs, -G 1 -W 2 stops by
# itself after two files whose packets add up to the counter, the process filters select on
# replay what the comments say, a vanished stdout reader ends the capture with exit 0 and
# counters, an unknown --pid/--comm target is warned about, and epb_packetid is written where
# the frame number does not tell it (from a rotation's second file on).
# The latencies are read off the packets' own time stamps (tcpdump -tt) against the time each
# line reached the reading end of the pipe. No filter expressions: the packets are told apart by
# their lines (the veth carries only this test's traffic and the kernel's own IPv6 chatter).
NS=pcst$$
. "$(dirname "$0")/live_lib.sh"
need tcpdump tshark ping
netns_up

# stamp: prefix every line of stdin with its arrival time (epoch seconds)
stamp() { while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done; }

# max_latency FILE: largest (arrival - packet time) over lines "ARRIVAL PKT_TS ..." in ms
max_latency() { awk '{ d = ($1 - $2) * 1000; if (d > m) m = d } END { printf "%d", m }' "$1"; }

# 1. -U -w - | tcpdump -r -, and plain -w - (flushed per drained batch), slow pings
for mode in U batch; do
	args=(-n -i ${A}0 -w -)
	[ $mode = U ] && args=(-U "${args[@]}")
	mkfifo "$T/fifo-$mode"
	tcpdump -l -n -tt -r - <"$T/fifo-$mode" 2>/dev/null | stamp >"$T/pipe-$mode.txt" &
	reader=$!
	ip netns exec $A "$PROCAP" "${args[@]}" >"$T/fifo-$mode" 2>"$T/p-$mode.err" &
	pc=$!
	PIDS+=("$pc")
	wait_for "$T/p-$mode.err" "listening on"
	ip netns exec $A ping -c 4 -i 0.7 $B4 >/dev/null
	sleep 0.5
	got=$(grep -c "ICMP echo" "$T/pipe-$mode.txt")
	check "-w - ($mode) | tcpdump -r -: every packet while capturing" "$got" 8
	lat=$(max_latency "$T/pipe-$mode.txt")
	[ -n "$lat" ] && [ "$lat" -lt 500 ] &&
		pass "-w - ($mode): each packet read within 0.5 s (max ${lat} ms)" ||
		fail "-w - ($mode): latency" "max ${lat} ms, want < 500"
	stop $pc
	wait $reader
done

# 2. -w FILE at 5 packets/s: the file holds packets at most 1.5 s old while procap runs
start_procap wf $A -n -i ${A}0 -w "$T/live.pcapng"
wf=$LAST_PID
ip netns exec $A ping -c 20 -i 0.2 $B4 >/dev/null &
pingpid=$!
worst=0
for i in 1 2 3 4; do
	sleep 0.6
	now=$(date +%s.%N)
	newest=$(tcpdump -n -tt -r "$T/live.pcapng" 2>/dev/null | tail -1 | cut -d' ' -f1)
	age=$(awk -v n="$now" -v t="${newest:-0}" 'BEGIN { printf "%d", (n - t) * 1000 }')
	[ "$age" -gt "$worst" ] && worst=$age
done
wait $pingpid
[ "$worst" -lt 1500 ] && pass "-w FILE: packets in the file within 1.5 s (oldest newest ${worst} ms)" ||
	fail "-w FILE: flushed once a second" "newest packet ${worst} ms old"
stop $wf

# 3. -G 1 -W 2 ends by itself: 2 files, packets add up to "packets captured"
mkdir -p "$T/rot"
ip netns exec $A ping -c 40 -i 0.2 $B4 >/dev/null &
pingpid=$!
PIDS+=("$pingpid")
start=$(date +%s%N)
timeout 10 ip netns exec $A "$PROCAP" -n -i ${A}0 -G 1 -W 2 -w "$T/rot/g-%s.pcapng" 2>"$T/g.err"
rc=$?
secs=$(( ($(date +%s%N) - start) / 1000000 ))
check "-G 1 -W 2: exit 0 by itself" "$rc" 0
[ "$secs" -lt 4500 ] && pass "-G 1 -W 2: stops after about 2 s (${secs} ms)" ||
	fail "-G 1 -W 2: stops after about 2 s" "${secs} ms"
check "-G 1 -W 2: 2 files" "$(ls "$T/rot" | wc -l)" 2
sum=0
for f in "$T"/rot/*; do sum=$((sum + $(tcpdump -r "$f" 2>/dev/null | wc -l))); done
captured=$(sed -n 's/^\([0-9]*\) packets captured$/\1/p' "$T/g.err")
check "-G 1 -W 2: packets in the files = packets captured" "$sum" "$captured"
grep -q "^Maximum file limit reached: 2$" "$T/g.err" && pass "-G 1 -W 2: tcpdump's message" ||
	fail "-G 1 -W 2: tcpdump's message" "$(head -3 "$T/g.err")"
# epb_packetid (tshark's frame.packet_id) only where the file's frame number differs from the
# packet's number in the capture: none in the first file, 1 + the first file's count on
mapfile -t rot < <(ls "$T"/rot/* | sort)
n1=$(tshark -r "${rot[0]}" 2>/dev/null | wc -l)
ids1=$(tshark -r "${rot[0]}" -T fields -e frame.packet_id 2>/dev/null | sort -u | tr -d '\n')
first2=$(tshark -r "${rot[1]}" -T fields -e frame.packet_id 2>/dev/null | head -1)
check "-G: no epb_packetid in the first file ($n1 frames)" "$ids1" ""
check "-G: the second file's first epb_packetid follows the first file's frames" "$first2" \
	"$((n1 + 1))"
kill $pingpid 2>/dev/null

# 4. replay process filters: ping's echo requests and bash's UDP datagrams, then --comm
start_procap attr $A -n -i ${A}0 -w "$T/two.pcapng"
attr=$LAST_PID
ip netns exec $A ping -c 3 -i 0.2 $B4 >/dev/null
ip netns exec $A bash -c "for i in 1 2 3 4; do echo x >/dev/udp/$B4/9999; done"
sleep 0.3
stop $attr
"$PROCAP" -n -r "$T/two.pcapng" --comm ping >"$T/ping.txt" 2>"$T/ping.err"
check "-r --comm ping: exit 0" "$?" 0
check "-r --comm ping: ping's 3 echo requests" "$(grep -c 'ICMP echo request' "$T/ping.txt")" 3
check "-r --comm ping: no other process's packets" "$(grep -c 'UDP' "$T/ping.txt")" 0
# the reference: tshark's reading of the comments
want=$(tshark -r "$T/two.pcapng" -Y 'frame.comment contains "Cmd: ping"' 2>/dev/null | wc -l)
check "-r --comm ping: the packets whose comment names ping" "$(wc -l <"$T/ping.txt")" "$want"
"$PROCAP" -n -r "$T/two.pcapng" --comm bash >"$T/bash.txt" 2>&1
check "-r --comm bash: bash's 4 datagrams" "$(grep -c 'UDP, length 2' "$T/bash.txt")" 4
bpid=$(tshark -r "$T/two.pcapng" -Y udp -T fields -e frame.comment 2>/dev/null |
	sed -n 's/^PID: \([0-9]*\).*/\1/p' | head -1)
check "-r --pid: bash's datagrams" \
	"$("$PROCAP" -n -r "$T/two.pcapng" --pid "${bpid:-1}" 2>/dev/null | grep -c UDP)" 4
tcpdump -r "$T/two.pcapng" -w "$T/two.pcap" 2>/dev/null
out=$("$PROCAP" -r "$T/two.pcap" --comm ping 2>&1)
rc=$?
[ $rc = 1 ] && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q "pcap file" &&
	pass "-r plain pcap --comm: one-line error" || fail "-r plain pcap --comm" "rc $rc: $out"

# 5. one file: the frame numbers are the packets' numbers in the capture (-#), no epb_packetid
ids=$(tshark -r "$T/two.pcapng" -T fields -e frame.packet_id 2>/dev/null | sort -u | tr -d '\n')
check "live -w: no epb_packetid where the frame number tells it" "$ids" ""
nums=$("$PROCAP" -# -n -r "$T/two.pcapng" 2>/dev/null | head -3 | awk '{printf "%s ", $1}')
check "live -w, -r -#: 1, 2, 3" "$nums" "1 2 3 "

# 6. stdout's reader goes away: exit 0, counters on stderr
ip netns exec $A ping -c 10 -i 0.2 $B4 >/dev/null &
pingpid=$!
PIDS+=("$pingpid")
set -o pipefail
timeout 10 ip netns exec $A "$PROCAP" -n -l -i ${A}0 2>"$T/head.err" | head -1 >/dev/null
rc=$?
set +o pipefail
check "| head -1: procap exits 0" "$rc" 0
grep -q "packets captured" "$T/head.err" && pass "| head -1: counters on stderr" ||
	fail "| head -1: counters on stderr" "$(head -3 "$T/head.err")"
kill $pingpid 2>/dev/null

# 7. an unknown --pid / --comm target is warned about (the capture still runs)
for sel in "--pid 4194000" "--comm no-such-cmd"; do
	timeout -s INT 2 ip netns exec $A "$PROCAP" -n -i ${A}0 $sel >/dev/null 2>"$T/sel.err"
	grep -q "warning\|no process" "$T/sel.err" && pass "$sel: warned" ||
		fail "$sel: warned" "$(head -2 "$T/sel.err")"
done
