#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# --top on a terminal: procap runs in a tmux pane (a real pty) while iperf3 sends for 6 s from
# namespace A to B. Two snapshots of the pane (capture-pane) a few seconds apart must each show
# one table (redrawn in place, not scrolled), with different refresh times, the iperf3 data
# connection to port 5201 owned by iperf3 (its PID as iperf3 itself reports it through
# --pidfile) and its byte count growing; C-c (send-keys) ends procap. Piped, the same view is
# a series of plain blocks without terminal escapes.
set -u
NS=top$$
. "$(dirname "$0")/live_lib.sh"
need tmux iperf3
netns_up
S=procap-top$$
trap 'tmux kill-session -t $S 2>/dev/null; cleanup' EXIT

ip netns exec $B timeout 60 iperf3 -s -p 5201 >/dev/null 2>&1 &
PIDS+=($!)
for i in $(seq 50); do ip netns exec $B ss -ltn | grep -q ':5201 ' && break; sleep 0.1; done

tmux new-session -d -s $S -x 200 -y 50 \
	"ip netns exec $A timeout --foreground 60 $PROCAP --top 1 -i ${A}0 2>$T/top.err; sleep 30"
wait_for "$T/top.err" "listening on" || fail "top: start" "$(head -3 "$T/top.err")"
ip netns exec $A timeout 20 iperf3 -c $B4 -p 5201 -t 6 -b 50M -I "$T/iperf.pid" \
	>/dev/null 2>&1 &
PIDS+=($!)
sleep 2.5
tmux capture-pane -p -t $S >"$T/pane1"
sleep 2.2
tmux capture-pane -p -t $S >"$T/pane2"
ipid=$(cat "$T/iperf.pid" 2>/dev/null | tr -d '\0')

for p in pane1 pane2; do
	check "top: $p holds one table (redrawn in place)" "$(grep -c '^procap top ' "$T/$p")" 1
done
t1=$(grep -m1 '^procap top ' "$T/pane1" | awk '{print $3}')
t2=$(grep -m1 '^procap top ' "$T/pane2" | awk '{print $3}')
if [ -n "$t1" ] && [ "$t1" != "$t2" ]; then pass "top: redrawn ($t1 -> $t2)"
else fail "top: redrawn" "refresh times '$t1' and '$t2'"; fi
# the data connection: owned by iperf3's PID, to port 5201, bytes growing
row() { awk -v p="$ipid" '$1 == p && $2 == "iperf3" && $5 ~ /:5201$/ {print $7}' "$T/$1" |
	sort -n | tail -1; }
b1=$(row pane1) b2=$(row pane2)
if [ -n "$b1" ] && [ -n "$b2" ] && [ "$b2" -gt "$b1" ]; then
	pass "top: iperf3's connection ($ipid) grows $b1 -> $b2 bytes"
else fail "top: iperf3's connection" "pid '$ipid', bytes '$b1' -> '$b2'"; fi
check "top: iperf3 in the process table" \
	"$(awk -v p="$ipid" '$1 == p && $2 == "iperf3" && NF == 8' "$T/pane2" | wc -l)" 1
tmux send-keys -t $S C-c
for i in $(seq 50); do grep -q "packets captured" "$T/top.err" && break; sleep 0.1; done
check "top: C-c ends procap" "$(grep -c 'packets captured' "$T/top.err")" 1

# piped: plain blocks, one per second
ip netns exec $A timeout 3.5 "$PROCAP" --top 1 -i ${A}0 >"$T/piped" 2>/dev/null &
pp=$!
ip netns exec $A timeout 5 ping -c 12 -i 0.25 $B4 >/dev/null 2>&1
wait $pp
check_ge "top: piped, one block per refresh" "$(grep -c '^procap top ' "$T/piped")" 2
check "top: piped, no terminal escapes" "$(grep -c $'\e' "$T/piped")" 0
