#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The pcap filter in the kernel, end to end: procap -i IF 'udp port 5000' during a mixed flood
# (UDP to 5000 and 5001 over IPv4 and IPv6, UDP from port 5000, TCP to 5000, ICMP echo) writes
# exactly the packets that tcpdump's own capture of the same interface holds for that
# expression, and nothing else. On an L3 device (tun: packets start at the IP header) the
# expression behaves as compiled for raw IP, like tcpdump there. Bad and untranslatable
# expressions exit 1 with one line (the libpcap message checked against tcpdump's); -d prints
# tcpdump -d's listing first.
set -u
NS=flt$$
. "$(dirname "$0")/live_lib.sh"
need tcpdump python3
netns_up

# silent UDP sinks (no ICMP port unreachable), bounded in time
ip netns exec $B python3 -c "
import socket, time
socks = []
for fam, addr in ((socket.AF_INET, '$B4'), (socket.AF_INET6, '$B6')):
    for port in (5000, 5001, 7000):
        s = socket.socket(fam, socket.SOCK_DGRAM); s.bind((addr, port)); socks.append(s)
time.sleep(30)" &
PIDS+=("$!")
start_tcpdump ref $B ${B}0
REF=$LAST_PID
start_procap flt $B -n -i ${B}0 -w "$T/flt.pcapng" 'udp port 5000'
FLT=$LAST_PID

ip netns exec $A python3 -c "
import socket, struct, time
u4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
f4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); f4.bind(('$A4', 5000))
ic = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
def csum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b)); s = (s >> 16) + (s & 0xffff)
    return ~(s + (s >> 16)) & 0xffff
for i in range(200):
    u4.sendto(b'match-%d' % i, ('$B4', 5000))
    u4.sendto(b'other-%d' % i, ('$B4', 5001))
    if i < 100:
        u6.sendto(b'match6-%d' % i, ('$B6', 5000, 0, 0))
        u6.sendto(b'other6-%d' % i, ('$B6', 5001, 0, 0))
    if i < 50:
        f4.sendto(b'from5000-%d' % i, ('$B4', 7000))
    if i < 20:
        h = struct.pack('!BBHHH', 8, 0, 0, 0x4242, i) + b'procap-filter-e2e!'
        h = h[:2] + struct.pack('!H', csum(h)) + h[4:]
        ic.sendto(h, ('$B4', 0))
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM); t.settimeout(1)
        try: t.connect(('$B4', 5000))
        except OSError: pass
        t.close()
    time.sleep(0.001)
"
check flood_sent "$?" 0
sleep 0.5
stop $FLT
stop $REF

got=$(tcpdump -n -r "$T/flt.pcapng" 2>/dev/null | wc -l)
ref=$(tcpdump -n -r "$T/ref.pcap" 'udp port 5000' 2>/dev/null | wc -l)
all=$(tcpdump -n -r "$T/ref.pcap" 2>/dev/null | wc -l)
echo "# tcpdump saw $all packets, $ref match 'udp port 5000'; procap wrote $got"
check filter_reference_count "$ref" 350
check_ge filter_flood_mixed "$all" 730	# 600 UDP + 50 from port 5000 + 40 ICMP + 40 TCP
check filter_captured_matching "$got" "$ref"
check filter_nothing_else "$(tcpdump -n -r "$T/flt.pcapng" 'not (udp port 5000)' 2>/dev/null |
	wc -l)" 0
check filter_same_packets "$(tcpdump -n -r "$T/flt.pcapng" 2>/dev/null | cut -d' ' -f2- | md5sum)" \
	"$(tcpdump -n -r "$T/ref.pcap" 'udp port 5000' 2>/dev/null | cut -d' ' -f2- | md5sum)"

# bad expression: exit 1, one line, libpcap's message as tcpdump prints it
msg=$(tcpdump -d 'tcp port' 2>&1 | sed -n 's/^tcpdump: //p')
ip netns exec $B "$PROCAP" -n -i ${B}0 'tcp port' >"$T/bad.out" 2>"$T/bad.err"
check filter_bad_exit "$?" 1
check filter_bad_message "$(cat "$T/bad.err")" "procap: bad filter expression 'tcp port': $msg"
check filter_bad_no_stdout "$(wc -c <"$T/bad.out")" 0

# more loops than the translator unrolls: exit 1, one line naming the reason
expr="ip6 protochain 1"
for p in 2 3 4 5 6 7 8 9; do expr="$expr or ip6 protochain $p"; done
ip netns exec $B "$PROCAP" -n -i ${B}0 "$expr" >/dev/null 2>"$T/big.err"
check filter_untranslatable_exit "$?" 1
check filter_untranslatable_one_line "$(wc -l <"$T/big.err")" 1
want="^procap: cannot translate filter '.*': more than 8 loops$"
check filter_untranslatable_message "$(grep -c "$want" "$T/big.err")" 1

# -d: tcpdump -d's listing, then the eBPF; exit 0 without capturing
"$PROCAP" -d 'udp port 5000' >"$T/d.out" 2>"$T/d.err"
check filter_dump_exit "$?" 0
n=$(tcpdump -d 'udp port 5000' 2>/dev/null | wc -l)
check filter_dump_classic "$(head -n "$n" "$T/d.out" | md5sum)" \
	"$(tcpdump -d 'udp port 5000' 2>/dev/null | md5sum)"
check_ge filter_dump_ebpf "$(grep -c '^([0-9]*) ' "$T/d.out")" $((n + 20))

# L3 device: a tun in its own namespace; python injects 30 UDP datagrams each to ports 5000,
# 5001 and 6000 as received packets. 'udp port 5000' must keep exactly the 30 (offsets of raw
# IP, not Ethernet); an expression libpcap refuses for raw IP ("ether host") matches nothing.
if [ -c /dev/net/tun ]; then
	ip netns add ${NS}t
	trap 'ip netns del ${NS}t 2>/dev/null; cleanup' EXIT
	ip -n ${NS}t link set lo up
	ip -n ${NS}t tuntap add dev ${NS}t0 mode tun
	ip -n ${NS}t addr add 192.0.2.1/24 dev ${NS}t0
	ip -n ${NS}t link set ${NS}t0 up
	start_procap tun ${NS}t -n -i ${NS}t0 -w "$T/tun.pcapng" 'udp port 5000'
	TUN=$LAST_PID
	start_procap tuneth ${NS}t -n -i ${NS}t0 -w "$T/tuneth.pcapng" \
		'ether host 02:00:00:00:00:01 or udp port 5001'
	TUNETH=$LAST_PID
	ip netns exec ${NS}t python3 -c "
import fcntl, os, struct
fd = os.open('/dev/net/tun', os.O_RDWR)
fcntl.ioctl(fd, 0x400454ca, struct.pack('16sH', b'${NS}t0', 0x0001 | 0x1000))  # TUN, NO_PI
def pkt(dport):
    udp = struct.pack('!HHHH', 4000, dport, 12, 0) + b'abcd'
    return struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                       bytes([192, 0, 2, 2]), bytes([192, 0, 2, 1])) + udp
for i in range(30):
    for port in (5000, 5001, 6000):
        os.write(fd, pkt(port))"
	check filter_tun_sent "$?" 0
	sleep 0.5
	stop $TUN
	stop $TUNETH
	check filter_tun_raw_offsets "$(tcpdump -n -r "$T/tun.pcapng" 'udp dst port 5000' \
		2>/dev/null | wc -l)" 30
	check filter_tun_nothing_else "$(tcpdump -n -r "$T/tun.pcapng" 2>/dev/null | wc -l)" 30
	check filter_tun_l2_expression "$(tcpdump -n -r "$T/tuneth.pcapng" 2>/dev/null | wc -l)" 0
else
	echo "SKIP filter_tun: no /dev/net/tun"
fi
