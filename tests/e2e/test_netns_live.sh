#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# --netns: procap started in the root namespace captures inside namespaces it did not start
# in, with owners: `--netns all -i any` sees the veth pair of two `ip netns` namespaces, and of
# two more made while it runs; each interface's IDB is named NS/DEV (tshark's
# frame.interface_name). The reference for the owner is the payload: each sender writes its own
# PID into every datagram it sends.
NS=pcn$$
source "$(dirname "$0")/live_lib.sh"
need tshark python3
netns_up
C=${NS}c D=${NS}d
ns_cleanup() {
	ip netns del $C 2>/dev/null
	ip netns del $D 2>/dev/null
	cleanup
}
trap ns_cleanup EXIT

# udp_pair SRV_NS SRV_ADDR CLI_NS: an echo server and a client, 20 datagrams each way, each
# carrying "pid=N" of its sender.
udp_pair() {
	ip netns exec "$1" python3 -c "
import os, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('$2', 7007)); s.settimeout(5)
open('$T/bound.$1', 'w').write('ok')
try:
    for i in range(20):
        d, a = s.recvfrom(100); s.sendto(b'pid=%d' % os.getpid(), a)
except OSError: pass" &
	local srv=$!
	# a datagram before the bind would meet a closed port (an ICMP error, no reply)
	wait_for "$T/bound.$1" ok $srv
	ip netns exec "$3" python3 -c "
import os, socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(1)
for i in range(20):
    s.sendto(b'pid=%d' % os.getpid(), ('$2', 7007))
    try: s.recv(100)
    except OSError: pass"
	wait $srv
}

"$PROCAP" --netns all -i any -w "$T/all.pcapng" >"$T/all.out" 2>"$T/all.err" &
PIDS+=($!)
CAP=$!
wait_for "$T/all.err" "listening on" $CAP || { fail start "$(head -3 "$T/all.err")"; exit 0; }
udp_pair $B $B4 $A

# namespaces made while procap runs: found by the next scan (1 s)
ip netns add $C && ip netns add $D
ip link add ${C}0 netns $C type veth peer name ${D}0 netns $D
ip -n $C addr add 192.0.2.1/24 dev ${C}0 && ip -n $D addr add 192.0.2.2/24 dev ${D}0
ip -n $C link set ${C}0 up && ip -n $D link set ${D}0 up
sleep 1.5
udp_pair $D 192.0.2.2 $C
sleep 0.3
stop $CAP

# per interface: its datagrams, both ways, and those whose owner is the PID the payload names
# (the owner of a packet is its sender, wherever the capture sees it)
count() { # IFACE
	tshark -r "$T/all.pcapng" -Y "frame.interface_name == \"$1\" && udp.port == 7007" \
		-T fields -e data.data -e frame.comment 2>/dev/null |
		awk -F'\t' -v H=0123456789abcdef '{ pid = ""; p = $1
			while (length(p) >= 2) {	# hex to text (mawk has no strtonum)
				c = (index(H, substr(p, 1, 1)) - 1) * 16 + index(H, substr(p, 2, 1)) - 1
				pid = pid sprintf("%c", c); p = substr(p, 3) }
			sub(/^pid=/, "", pid); owner = $2; sub(/\\n.*/, "", owner); sub(/^PID: /, "", owner)
			n++; if (owner == pid) ok++ }
			END { printf "%d/%d", ok, n }'
}
for dev in $A/${A}0 $B/${B}0 $C/${C}0 $D/${D}0; do
	check "netns_owner_${dev#*/}" "$(count "$dev")" "40/40"
done
check netns_root_unaffected "$(tshark -r "$T/all.pcapng" -Y 'udp.port == 7007 && !(frame.interface_name contains "/")' 2>/dev/null | wc -l)" 0
