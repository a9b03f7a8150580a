#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Regenerates the real-traffic pcaps in testdata/golden/ (see testdata/README.md, "print").
# Three namespaces: pa (client, 198.51.100.1) -- pr (router) -- pb (servers, 192.0.2.2); the
# pr->pb link has MTU 1280 so oversized DF packets draw ICMP errors. Captures run on pa0.
# Needs root, python3, tcpdump, curl, clang. Run from the repository root:
#   testdata/golden/gen/gen.sh
set -eu
cd "$(dirname "$0")"
OUTD=..
S=$$
A=pga$S R=pgr$S B=pgb$S
tmp=$(mktemp -d)
cleanup() {
	for j in $(jobs -p); do kill "$j" 2>/dev/null || true; done
	wait 2>/dev/null || true
	ip netns del $A 2>/dev/null || true; ip netns del $R 2>/dev/null || true
	ip netns del $B 2>/dev/null || true; rm -rf "$tmp"
}
trap cleanup EXIT

ip netns add $A; ip netns add $R; ip netns add $B
ip link add pa0 netns $A type veth peer name ra0 netns $R
ip link add rb0 netns $R type veth peer name pb0 netns $B
ip -n $R link set rb0 mtu 1280; ip -n $B link set pb0 mtu 1280
ip netns exec $R sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
for n in $A $R $B; do
	ip -n $n link set lo up
	ip netns exec $n sysctl -qw net.ipv4.tcp_fastopen=3 net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0
done
ip -n $A link set pa0 address 02:00:00:00:00:0a; ip -n $R link set ra0 address 02:00:00:00:00:fa
ip -n $R link set rb0 address 02:00:00:00:00:fb; ip -n $B link set pb0 address 02:00:00:00:00:0b
ip -n $A addr add 198.51.100.1/24 dev pa0; ip -n $A addr add 2001:db8:51::1/64 dev pa0 nodad
ip -n $R addr add 198.51.100.254/24 dev ra0; ip -n $R addr add 2001:db8:51::fe/64 dev ra0 nodad
ip -n $R addr add 192.0.2.254/24 dev rb0; ip -n $R addr add 2001:db8:2::fe/64 dev rb0 nodad
ip -n $B addr add 192.0.2.2/24 dev pb0; ip -n $B addr add 2001:db8:2::2/64 dev pb0 nodad
for l in "$A pa0" "$R ra0" "$R rb0" "$B pb0"; do
	set -- $l
	ip -n $1 link set $2 up
	ip netns exec $1 ethtool -K $2 tso off gso off gro off >/dev/null 2>&1 || true
done
ip -n $A route add default via 198.51.100.254; ip -n $A -6 route add default via 2001:db8:51::fe
ip -n $B route add default via 192.0.2.254; ip -n $B -6 route add default via 2001:db8:2::fe
sleep 1

# lossy.bpf.c drops some full-sized segments towards pa: retransmissions and SACKs.
clang -O2 -target bpf $(clang -v -E - </dev/null 2>&1 | sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }') \
	-c lossy.bpf.c -o "$tmp/lossy.o"
ip netns exec $R tc qdisc add dev ra0 clsact
ip netns exec $R tc filter add dev ra0 egress bpf da obj "$tmp/lossy.o" sec tc

ip netns exec $B timeout 120 python3 server.py 110 &
head -c 150000 /dev/zero | tr '\0' 'a' > "$tmp/big.txt"
echo '<html>hello</html>' > "$tmp/index.html"
(cd "$tmp" && exec ip netns exec $B timeout 120 python3 -m http.server -b :: 8000 >/dev/null 2>&1) &
sleep 1

# capture NAME TCPDUMP-ARGS -- CLIENT-COMMAND...: one pcap per scenario, on pa's side.
capture() {
	local name=$1; shift
	local targs=()
	while [ "$1" != "--" ]; do targs+=("$1"); shift; done; shift
	ip netns exec $A timeout 60 tcpdump -U -s 262144 "${targs[@]}" -w "$OUTD/$name.pcap" 2>"$tmp/td.err" &
	local tp=$!
	sleep 1
	ip netns exec $A timeout 50 "$@"
	sleep 1
	kill -INT $tp; wait $tp || true
}
capture eth_icmp -i pa0 -- python3 client.py icmp
capture eth_udp -i pa0 -- python3 client.py udp
capture eth_tcp -i pa0 -- python3 client.py tcp tfo
capture eth_http -i pa0 -- sh -c 'curl -s -o /dev/null http://192.0.2.2:8000/big.txt; curl -s -o /dev/null "http://[2001:db8:2::2]:8000/index.html"'
capture eth_ipopts -i pa0 -- python3 client.py ipopts
ip netns exec $A ip neigh flush dev pa0
capture eth_nd -i pa0 -- python3 client.py nd icmp
capture sll2_any -i any -- sh -c 'python3 client.py udp; curl -s -o /dev/null http://192.0.2.2:8000/index.html'
capture sll_any -i any -y LINUX_SLL -- python3 client.py icmp
echo "generated: $(cd $OUTD && ls *.pcap | tr '\n' ' ')"
python3 sll2_ifindex.py "$OUTD/sll2_any.pcap"
# Snapshot-length cuts of some of the above (truncation marks "[|proto]"), with editcap
# (Wireshark 4.0): see testdata/README.md.
for spec in "eth_tcp 60" "eth_tcp 74" "eth_icmp 66" "eth_nd 62" "eth_ipopts 54" \
	    "crafted_icmp6 90" "crafted_ip6 62" "crafted_tcp 74" "crafted_ip 44" "crafted_icmp 50"; do
	set -- $spec
	editcap -s "$2" "$OUTD/$1.pcap" "$OUTD/trunc_${1}_$2.pcap"
done
