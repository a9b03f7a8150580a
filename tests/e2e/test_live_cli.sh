#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Live capture lifecycle and options: procap's tcx links exist while it runs and are gone after
# SIGINT and after SIGKILL, with no qdisc or tc filter touched; with PROCAP_NO_TCX=1 (the attach
# of kernels before 6.6) clsact filters gone after SIGINT, after SIGKILL they stay and the next
# run removes them; -c COUNT; -Q in / -Q out; SIGUSR1 prints counters; -D; an unknown interface
# is a one-line error with exit 1.
set -u
NS=lvcl$$
. "$(dirname "$0")/live_lib.sh"
need tc python3 bpftool
netns_up

filters() { # NETNS IFACE: procap's tc filters on both hooks
	{ ip netns exec "$1" tc filter show dev "$2" ingress
	  ip netns exec "$1" tc filter show dev "$2" egress; } | grep -c 'tc_ingress\|tc_egress'
}
send_udp() { # N: N datagrams from A to B port 7000
	ip netns exec $A python3 -c "
import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range($1): s.sendto(b'x%d' % i, ('$B4', 7000))"
}

tcx_links() { # tcx links (link type 11) whose program is procap's, machine-wide (bpftool's view)
	python3 - "$(bpftool -j link show)" "$(bpftool -j prog show)" <<'PY'
import json, sys
links, progs = json.loads(sys.argv[1] or "[]"), json.loads(sys.argv[2] or "[]")
names = {p["id"]: p.get("name", "") for p in progs}
print(sum(1 for l in links if l.get("type") in (11, "tcx") and
          names.get(l.get("prog_id")) in ("tc_ingress", "tc_egress")))
PY
}

base=$(tcx_links)
start_procap tcx1 $A -n -i ${A}0
P=$LAST_PID
check tcx_links_while_running "$(tcx_links)" $((base + 2))
check tcx_no_tc_filter "$(filters $A ${A}0)" 0
check tcx_no_qdisc "$(ip netns exec $A tc qdisc show dev ${A}0 | grep -c clsact)" 0
stop $P
check tcx_links_after_sigint "$(tcx_links)" "$base"
start_procap tcx2 $A -n -i ${A}0
P=$LAST_PID
kill -KILL $P
wait $P 2>/dev/null
sleep 0.2
check tcx_links_after_sigkill "$(tcx_links)" "$base"

# the attach of kernels without tcx
export PROCAP_NO_TCX=1
start_procap run1 $A -n -i ${A}0
P=$LAST_PID
check filters_while_running "$(filters $A ${A}0)" 2
stop $P
check filters_after_sigint "$(filters $A ${A}0)" 0
check qdisc_removed_after_sigint "$(ip netns exec $A tc qdisc show dev ${A}0 | grep -c clsact)" 0

start_procap run2 $A -n -i ${A}0
P=$LAST_PID
kill -KILL $P
wait $P 2>/dev/null
check filters_after_sigkill "$(filters $A ${A}0)" 2
start_procap run3 $A -n -i ${A}0
P=$LAST_PID
check stale_filters_reported "$(grep -c 'removed a stale procap' "$T/run3.err")" 2
check filters_after_restart "$(filters $A ${A}0)" 2
stop $P
check filters_after_restart_stop "$(filters $A ${A}0)" 0
check killed_runs_qdisc_removed "$(ip netns exec $A tc qdisc show dev ${A}0 | grep -c clsact)" 0

# a clsact qdisc procap did not create stays, and so do other tools' filters
ip netns exec $A tc qdisc add dev ${A}0 clsact
ip netns exec $A tc filter add dev ${A}0 egress prio 7 protocol all u32 match u32 0 0
start_procap own $A -n -i ${A}0
stop $LAST_PID
check foreign_filter_kept "$(ip netns exec $A tc filter show dev ${A}0 egress |
	grep -c 'pref 7 u32 chain 0 fh 800::800')" 1
check foreign_qdisc_kept "$(ip netns exec $A tc qdisc show dev ${A}0 | grep -c clsact)" 1
ip netns exec $A tc qdisc del dev ${A}0 clsact
unset PROCAP_NO_TCX

# -c: exits by itself after COUNT packets, with the tcpdump counters
start_procap count $A -n -c 3 -i ${A}0 udp
P=$LAST_PID
send_udp 10
wait $P
check count_exit_code "$?" 0
check count_lines "$(grep -c ' IP ' "$T/count.out")" 3
check count_stat "$(grep 'packets captured' "$T/count.err")" "3 packets captured"

# -Q: one direction only
start_procap qout $A -n -Q out -i ${A}0 udp
QO=$LAST_PID
start_procap qin $B -n -Q in -i ${B}0 udp
QI=$LAST_PID
send_udp 5
sleep 0.3
kill -USR1 $QO
wait_for "$T/qout.err" "packets captured"
check sigusr1_counters "$(grep -c 'packets received by filter' "$T/qout.err")" 1
stop $QO
stop $QI
check q_out_only "$(grep -c ' Out IP ' "$T/qout.out")/$(grep -c ' In IP ' "$T/qout.out")" 5/0
check q_in_only "$(grep -c ' In IP ' "$T/qin.out")/$(grep -c ' Out IP ' "$T/qin.out")" 5/0

# --xdp: ingress through XDP, same packets
start_procap xdp $B -n --xdp -Q in -i ${B}0 -w "$T/xdp.pcapng" udp
XP=$LAST_PID
check xdp_attached "$(ip netns exec $B ip link show dev ${B}0 | grep -c 'name xdp_ingress')" 1
send_udp 5
sleep 0.3
stop $XP
check xdp_packets "$(fields "$T/xdp.pcapng" "udp.dstport==7000 && !icmp" frame.packet_flags_direction |
	sort | uniq -c | awk '{ print $1 "x" $2 }')" 5x0x00000001
check xdp_detached "$(ip netns exec $B ip link show dev ${B}0 | grep -c 'name xdp_ingress')" 0

# -D and a bad interface
check list_has_veth "$(ip netns exec $A "$PROCAP" -D | grep -c "\.${A}0 ")" 1
ip netns exec $A "$PROCAP" -i nosuch0 >/dev/null 2>"$T/bad.err"
check bad_iface_exit "$?" 1
check bad_iface_message "$(cat "$T/bad.err")" "procap: nosuch0: No such device exists (procap -D lists the interfaces)"
check bad_iface_no_filters "$(filters $A ${A}0)" 0

# L3 device (tun: no link header at TC): one file link type, a synthetic Ethernet header with
# zero addresses and the packet's EtherType, as tcpdump -e reads it back; a filter expression
# matches there as tcpdump's on the tun device would
ip netns exec $A python3 -c "
import fcntl, os, socket, struct, subprocess, time
fd = os.open('/dev/net/tun', os.O_RDWR)
fcntl.ioctl(fd, 0x400454ca, struct.pack('16sH', b'${A}t', 0x0001 | 0x1000))  # TUNSETIFF tun, no_pi
subprocess.run('ip addr add 192.0.2.1/24 dev ${A}t && ip link set ${A}t up', shell=True, check=True)
open('$T/tun.ready', 'w').write('ready')
for _ in range(100):
    if os.path.exists('$T/tun.go'): break
    time.sleep(0.1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b'not-this', ('192.0.2.9', 5001))
s.sendto(b'hello-tun', ('192.0.2.9', 5000))
time.sleep(0.3)" &
TUN=$!
PIDS+=("$TUN")
if wait_for "$T/tun.ready" ready; then
	# the filter runs on the IP header (raw-IP program) on a device without a link header
	start_procap tun $A -n -i ${A}t -w "$T/tun.pcapng" -c 1 udp port 5000
	touch "$T/tun.go"
	wait $LAST_PID
	check tun_synthetic_ethernet "$(tcpdump -r "$T/tun.pcapng" -n -e 2>/dev/null | cut -d' ' -f2-)" \
		"00:00:00:00:00:00 > 00:00:00:00:00:00, ethertype IPv4 (0x0800), length 51: 192.0.2.1.$(
		fields "$T/tun.pcapng" "" udp.srcport) > 192.0.2.9.5000: UDP, length 9"
	check tun_attributed "$(fields "$T/tun.pcapng" "" frame.comment | grep -c "PID: $TUN\\\\n")" 1
else
	echo "SKIP tun: cannot create a tun device"
fi
wait $TUN 2>/dev/null
