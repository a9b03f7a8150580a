#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Attribution per protocol, both directions, read back with tshark: UDP (python sendto/recvfrom
# against a python server), ICMP echo (python raw socket; the reply is matched by the echo id),
# IPv6 TLS (curl), a listening server started after procap accepting several clients, lo
# captured once per packet, and -i any picking up an interface created after the start.
set -u
NS=lvpr$$
. "$(dirname "$0")/live_lib.sh"
need tshark curl openssl python3 ss
netns_up

start_procap cli $A -n -i any -w "$T/cli.pcapng"
CLI=$LAST_PID
start_procap srv $B -n -i ${B}0 -w "$T/srv.pcapng"
SRVCAP=$LAST_PID

# UDP: the server binds after procap started (post_bind hook), the client uses sendto/recvfrom
ip netns exec $B python3 -c "
import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('$B4', 5300))
s.settimeout(5)
for i in range(3):
    d, a = s.recvfrom(2048); s.sendto(b'pong' + d, a)" &
USRV=$!
PIDS+=("$USRV")
sleep 0.3
ip netns exec $A python3 -c "
import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(5)
for i in range(3):
    s.sendto(b'ping%d' % i, ('$B4', 5300)); s.recvfrom(2048)" &
UCLI=$!
wait $UCLI
check udp_exchange "$?" 0
wait $USRV

# ICMP echo from a raw socket, identifier 0x4242
ip netns exec $A python3 -c "
import socket, struct
def csum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b)); s = (s >> 16) + (s & 0xffff)
    return ~(s + (s >> 16)) & 0xffff
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); s.settimeout(5)
for seq in (1, 2):
    h = struct.pack('!BBHHH', 8, 0, 0, 0x4242, seq) + b'procap-e2e-ping!'
    h = h[:2] + struct.pack('!H', csum(h)) + h[4:]
    s.sendto(h, ('$B4', 0))
    while s.recvfrom(2048)[0][20] != 0: pass" &
PING=$!
wait $PING
check icmp_exchange "$?" 0

# IPv6 TLS, and a listening server (started after procap) accepting three clients
tls_server $B
SRV=$LAST_PID
ip netns exec $A curl -sk --resolve lab.test:443:[$B6] https://lab.test/ -o /dev/null &
C6=$!
wait $C6
check curl_ipv6 "$?" 0
CL=()
for i in 1 2 3; do
	ip netns exec $A curl -sk --resolve lab.test:443:$B4 https://lab.test/ -o /dev/null &
	CL+=($!)
done
wait "${CL[@]}"

# lo: one copy of each packet
ip netns exec $A python3 -c "
import socket; r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind(('127.0.0.1', 5400))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(4): s.sendto(b'lo%d' % i, ('127.0.0.1', 5400)); r.recvfrom(100)" &
LO=$!
wait $LO

# -i any: an interface created now is captured too
ip link add ${A}x netns $A type veth peer name ${B}x netns $B
ip -n $A addr add 192.0.2.1/24 dev ${A}x
ip -n $B addr add 192.0.2.2/24 dev ${B}x
ip -n $A link set ${A}x up
ip -n $B link set ${B}x up
ip -n $A neigh replace 192.0.2.2 lladdr "$(ip netns exec $B cat /sys/class/net/${B}x/address)" \
	dev ${A}x nud permanent
sleep 0.5
ip netns exec $A python3 -c "
import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(3): s.sendto(b'new%d' % i, ('192.0.2.2', 5500))" &
NEWIF=$!
wait $NEWIF
sleep 0.5
stop $CLI
stop $SRVCAP

owned() { # FILE FILTER PID COMM -> "attributed/total"
	local tot own
	tot=$(fields "$1" "$2" frame.number | wc -l)
	own=$(fields "$1" "$2" frame.comment | grep "PID: $3\\\\n" | grep -c "Cmd: $4")
	echo "$own/$tot"
}
check udp_client_out "$(owned "$T/cli.pcapng" "udp.dstport==5300" $UCLI python3)" 3/3
check udp_client_in "$(owned "$T/cli.pcapng" "udp.srcport==5300" $UCLI python3)" 3/3
check udp_server_in "$(owned "$T/srv.pcapng" "udp.dstport==5300" $USRV python3)" 3/3
check udp_server_out "$(owned "$T/srv.pcapng" "udp.srcport==5300" $USRV python3)" 3/3
check icmp_request "$(owned "$T/cli.pcapng" "icmp.type==8 && icmp.ident==0x4242" $PING python3)" 2/2
check icmp_reply "$(owned "$T/cli.pcapng" "icmp.type==0 && icmp.ident==0x4242" $PING python3)" 2/2
v6=$(owned "$T/cli.pcapng" "ipv6.addr==$B6 && tcp.port==443" $C6 curl)
check_ge ipv6_packets "${v6#*/}" 10
check ipv6_attributed "${v6%/*}" "${v6#*/}"
tot=$(fields "$T/srv.pcapng" "ip.addr==$A4 && tcp.port==443" frame.number | wc -l)
own=$(fields "$T/srv.pcapng" "ip.addr==$A4 && tcp.port==443" frame.comment | grep "PID: $SRV\\\\n" |
	grep -c 'Cmd: openssl')
check_ge listener_three_clients_packets "$tot" 30
check listener_three_clients_attributed "$own" "$tot"
check listener_three_connections "$(fields "$T/srv.pcapng" \
	"ip.addr==$A4 && tcp.flags.syn==1 && tcp.flags.ack==0" frame.number | wc -l)" 3
check lo_once_per_packet "$(fields "$T/cli.pcapng" "udp.dstport==5400" frame.number | wc -l)" 4
check lo_attributed "$(owned "$T/cli.pcapng" "udp.dstport==5400" $LO python3)" 4/4
check new_interface_captured "$(fields "$T/cli.pcapng" "udp.dstport==5500 && !icmp" frame.interface_name |
	sort -u)" ${A}x
check new_interface_attributed "$(owned "$T/cli.pcapng" "udp.dstport==5500 && !icmp" $NEWIF python3)" 3/3
# nobody listens on port 5500: the ICMP port unreachable errors are the kernel's own (B's
# kernel sends them): no process is named, not even python whose datagrams they quote
errs=$(owned "$T/cli.pcapng" "icmp.type==3 && udp.dstport==5500" $NEWIF python3)
check_ge icmp_error_seen "${errs#*/}" 1
check icmp_error_unowned "$(fields "$T/cli.pcapng" "icmp.type==3 && udp.dstport==5500" \
	frame.comment | grep -c 'PID:')" 0
