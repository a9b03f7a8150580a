#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Attack: on a container host with veth churn, `-i any` stopped following new interfaces
# after 256 had ever existed (slots of deleted ones were never reused) and new pods went
# uncaptured after one warning; an interface deleted under `-i X` got no message and procap
# never exited. Now 2,000 veth create/delete cycles later a new interface is still captured,
# and deleting the -i interface ends procap with "interface disappeared", exit 1 (tcpdump's
# behaviour), the packets before it kept.
set -u
NS=hdif$$
. "$(dirname "$0")/live_lib.sh"
need tcpdump tshark python3
export LC_ALL=C
P=$PROCAP
netns_up
udp_burst() {	# udp_burst N PORT: N datagrams from A to B
	ip netns exec $A python3 - "$1" "$B4" "$2" <<'EOS'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[1])):
    s.sendto(b"x" * 32, (sys.argv[2], int(sys.argv[3])))
    time.sleep(0.005)
EOS
}

# ---- -i X deleted under procap
start_procap gone $A -i ${A}0 -w "$T/gone.pcapng"
pid=$LAST_PID
udp_burst 5 7001
sleep 0.5
ip -n $A link del ${A}0
for i in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then
	fail "-i X deleted: procap exits" "still running 5 s later"
	kill -INT $pid
fi
wait $pid
check "-i X deleted: exit 1" "$?" 1
check "-i X deleted: message" "$(grep -c "^procap: ${A}0: interface disappeared$" "$T/gone.err")" 1
check "-i X deleted: the 5 packets before it are in the file (tcpdump count)" \
	"$(tcpdump -r "$T/gone.pcapng" udp port 7001 2>/dev/null | wc -l)" 5

# ---- -i any through 2,000 veth create/delete cycles, then a new pair is captured. Deleting a
# veth costs an RCU grace period (25 ms here) but a namespace takes its devices along at once:
# each round makes 250 pairs whose peers sit in a throwaway namespace, then deletes that.
ip netns del $A; ip netns del $B
netns_pair
start_procap churn $A -i any -w "$T/churn.pcapng"
pid=$LAST_PID
made=0
for r in $(seq 8); do
	ip netns add ${NS}x$r || break
	for i in $(seq 250); do echo "link add c$r-$i type veth peer name d$i netns ${NS}x$r"; done >"$T/batch"
	ip -n $A -batch "$T/batch" 2>/dev/null	# a few adds fail at random (netns ids): counted
	made=$((made + $(ip -n $A -o link 2>/dev/null | grep -c " c$r-")))
	ip netns del ${NS}x$r
	for i in $(seq 50); do ip -n $A -o link 2>/dev/null | grep -q ' c[0-9]*-' || break; sleep 0.1; done
done
check_ge "churn: veths made" "$made" 1900
check "churn: all removed again" "$(ip -n $A -o link 2>/dev/null | grep -c ' c[0-9]*-')" 0
ip -n $A link add fresh0 type veth peer name fresh1
ip -n $A addr add 192.0.2.1/24 dev fresh0
ip -n $A link set fresh0 up
ip -n $A link set fresh1 up
ip -n $A neigh replace 192.0.2.2 lladdr 02:00:00:00:00:02 dev fresh0 nud permanent
sleep 1	# the attach of fresh0 follows its RTM_NEWLINK
ip netns exec $A python3 -c "
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(10): s.sendto(b'y' * 32, ('192.0.2.2', 7002)); time.sleep(0.005)"
sleep 0.5
stop $pid
check "churn: procap still running and exits 0" "$?" 0
check "churn: the new interface's 10 datagrams captured (tshark, on fresh0)" \
	"$(tshark -r "$T/churn.pcapng" -Y 'udp.dstport == 7002' -T fields -e frame.interface_name 2>/dev/null |
		grep -c '^fresh0$')" 10
check "churn: no interface refused" "$(grep -c 'more than' "$T/churn.err")" 0
# every churned veth that procap saw has its IDB (pcapng block type 1, name option 2)
idbs=$(python3 - "$T/churn.pcapng" <<'EOS'
import struct, sys
d = open(sys.argv[1], "rb").read()
off = n = 0
while off + 12 <= len(d):
    bt, bl = struct.unpack_from("<II", d, off)
    if bt == 1 and b"c" in d[off + 16:off + bl] and b"-" in d[off + 16:off + bl]:
        n += 1
    off += bl
print(n)
EOS
)
check_ge "churn: IDBs of churned veths in the file (procap followed them)" "$idbs" $((made - 50))
