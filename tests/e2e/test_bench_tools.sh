#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The benchmark's own tools, checked against independent readers so bench numbers mean what they
# say: bench/gen sends exactly what it reports (tcpdump counts it), bench/pcount agrees with
# tcpdump -r, and bench/pcapgen.py writes pcaps that tcpdump and tshark read as intended.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NS=bt$$
T=$(mktemp -d /tmp/procap-benchtools.XXXXXX)
cleanup() {
	[ -n "${CAP:-}" ] && kill "$CAP" 2>/dev/null
	[ -n "${SRV:-}" ] && kill "$SRV" 2>/dev/null
	ip netns del ${NS}a 2>/dev/null
	ip netns del ${NS}b 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
check() { # NAME GOT WANT
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}
for t in tcpdump python3 cc; do
	command -v $t >/dev/null || { echo "SKIP bench_tools: $t missing"; exit 0; }
done

cc -O2 -o "$T/gen" "$ROOT/bench/gen.c" && cc -O2 -o "$T/pcount" "$ROOT/bench/pcount.c" -lpcap ||
	{ fail bench_build "cannot build bench/gen.c or bench/pcount.c"; exit 1; }

ip netns add ${NS}a && ip netns add ${NS}b || { echo "SKIP bench_tools: no netns"; exit 0; }
for n in ${NS}a ${NS}b; do
	ip netns exec $n sysctl -q -w net.ipv6.conf.default.disable_ipv6=1 \
		net.ipv6.conf.all.disable_ipv6=1 >/dev/null
done
ip link add ${NS}a netns ${NS}a type veth peer name ${NS}b netns ${NS}b
ip -n ${NS}a addr add 198.51.100.1/24 dev ${NS}a
ip -n ${NS}b addr add 198.51.100.2/24 dev ${NS}b
ip -n ${NS}a link set ${NS}a up
ip -n ${NS}b link set ${NS}b up
MAC=$(ip netns exec ${NS}b cat /sys/class/net/${NS}b/address)
ip -n ${NS}a neigh replace 198.51.100.3 lladdr "$MAC" dev ${NS}a nud permanent
ip -n ${NS}a neigh replace 198.51.100.2 lladdr "$MAC" dev ${NS}a nud permanent

# capture FILE CMD...: tcpdump on the sender's veth while CMD runs (immediate mode: without it
# libpcap holds a partly filled ring block for up to 1 s and a quick stop loses it; a small
# snaplen keeps enough TPACKET_V2 frames in the 2 MB ring; gen paced so nothing is dropped).
capture() {
	local f=$1 i
	shift
	ip netns exec ${NS}a tcpdump -i ${NS}a -n -s "${SNAP:-256}" --immediate-mode -w "$f" \
		2>"$T/tcpdump.err" &
	CAP=$!
	for i in $(seq 100); do
		grep -qs "listening on" "$T/tcpdump.err" && break
		sleep 0.1
	done
	"$@"
	sleep 0.3
	kill -INT $CAP
	wait $CAP 2>/dev/null
	CAP=""
}

# 1000 datagrams, 1% to port 443, 64-byte frames.
capture "$T/g.pcap" ip netns exec ${NS}a "$T/gen" -d 198.51.100.3 -p 9 -s 22 -n 1000 -t 10 \
	-r 20000 -m 443 -M 1 -b 32 >"$T/gen.out"
check gen_reports_sent "$(grep -o 'sent=[0-9]*' "$T/gen.out")" sent=1000
check gen_reports_matched "$(grep -o 'matched=[0-9]*' "$T/gen.out")" matched=10
check gen_sent_on_wire "$(tcpdump -n -r "$T/g.pcap" 'udp and dst host 198.51.100.3' 2>/dev/null |
	wc -l)" 1000
check gen_match_share "$(tcpdump -n -r "$T/g.pcap" 'udp dst port 443' 2>/dev/null | wc -l)" 10
check gen_frame_len "$(tcpdump -e -n -r "$T/g.pcap" udp 2>/dev/null |
	grep -o 'length [0-9]*:' | sort -u)" "length 64:"
check pcount_agrees "$("$T/pcount" "$T/g.pcap" 'udp dst port 9')" 990

# --flows: 500 distinct (source address, source port) pairs over 1000 datagrams.
capture "$T/f.pcap" ip netns exec ${NS}a "$T/gen" -d 198.51.100.3 -p 9 -s 22 -n 1000 -t 10 \
	-r 20000 --flows 500 -S 198.51.100.16 >"$T/gen.out"
check gen_flows_sent "$(tcpdump -n -r "$T/f.pcap" 'udp and dst host 198.51.100.3' 2>/dev/null |
	wc -l)" 1000
check gen_flows_distinct "$(tcpdump -n -r "$T/f.pcap" udp 2>/dev/null | awk '{print $3}' |
	sort -u | wc -l)" 500

# pcapgen.py mixed: tcpdump reads every packet, no truncation or errors.
python3 "$ROOT/bench/pcapgen.py" mixed 3000 "$T/m.pcap"
check pcapgen_mixed_count "$(tcpdump -n -r "$T/m.pcap" 2>/dev/null | wc -l)" 3000
check pcapgen_mixed_clean "$(tcpdump -n -r "$T/m.pcap" 2>/dev/null |
	grep -ciE 'truncated|malformed|bad')" 0

# pcapgen.py tls/flows from a real curl ClientHello: tshark finds every rebuilt SNI.
if command -v tshark >/dev/null && command -v openssl >/dev/null && command -v curl >/dev/null; then
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/k.pem" -out "$T/c.pem" -days 1 \
		-subj /CN=lab.test >/dev/null 2>&1
	ip netns exec ${NS}b timeout 20 openssl s_server -quiet -accept 443 -key "$T/k.pem" \
		-cert "$T/c.pem" -www >/dev/null 2>&1 &
	SRV=$!
	sleep 0.5
	SNAP=4096 capture "$T/seed.pcap" ip netns exec ${NS}a timeout 10 curl -sk \
		--resolve lab.test:443:198.51.100.2 https://lab.test/ -o /dev/null
	python3 "$ROOT/bench/pcapgen.py" tls "$T/seed.pcap" 200 "$T/tls.pcap"
	check pcapgen_tls_snis "$(tshark -r "$T/tls.pcap" -Y tls.handshake.type==1 -T fields \
		-e tls.handshake.extensions_server_name 2>/dev/null | sort -u | grep -c bench.example)" 200
	check pcapgen_tls_no_malformed "$(tshark -r "$T/tls.pcap" -Y _ws.malformed 2>/dev/null |
		wc -l)" 0
	python3 "$ROOT/bench/pcapgen.py" flows "$T/seed.pcap" 300 "$T/fl.pcap"
	check pcapgen_flows_distinct "$(tcpdump -n -r "$T/fl.pcap" 2>/dev/null |
		awk '{print $3, $5}' | sort -u | wc -l)" 300
	check pcapgen_flows_partial_hello "$(tcpdump -n -r "$T/fl.pcap" 2>/dev/null |
		grep -c 'length 100$')" 300
else
	echo "SKIP pcapgen_tls: tshark, openssl or curl missing"
fi
exit 0
