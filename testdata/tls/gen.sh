#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Regenerates testdata/tls/*.pcap with real clients over a veth pair (namespaces made by the script),
# then testdata/tls/expected.tsv from tshark's decode (SNI) and corpus/tools/ja4_tshark.py (JA4),
# both independent of procap. Root; touches only the two namespaces it creates.
#   testdata/tls/gen.sh [corpus-dir]
set -eu
cd "$(dirname "$0")"
CORPUS=${1:-../corpus}
A=tlsa$$ B=tlsb$$
W=$(mktemp -d /tmp/procap-tls-gen.XXXXXX)
cleanup() {
	ip netns pids $B 2>/dev/null | xargs -r kill 2>/dev/null || true
	ip netns pids $A 2>/dev/null | xargs -r kill 2>/dev/null || true
	ip netns del $A 2>/dev/null || true
	ip netns del $B 2>/dev/null || true
	rm -rf "$W"
}
trap cleanup EXIT
ip netns add $A; ip netns add $B
ip link add ${A}0 netns $A type veth peer name ${B}0 netns $B
ip -n $A addr add 198.51.100.1/24 dev ${A}0; ip -n $B addr add 198.51.100.2/24 dev ${B}0
ip -n $A addr add 2001:db8:51::1/64 dev ${A}0 nodad; ip -n $B addr add 2001:db8:51::2/64 dev ${B}0 nodad
for n in $A $B; do ip -n $n link set lo up; done
ip -n $A link set ${A}0 up; ip -n $B link set ${B}0 up
# segmentation offload off on the client side: a 1.9 KB ClientHello leaves as 2 segments
ip netns exec $A ethtool -K ${A}0 tso off gso off >/dev/null

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$W/k.pem" -out "$W/c.pem" -days 1 \
	-subj /CN=lab.test 2>/dev/null
ip netns exec $B openssl s_server -quiet -accept 443 -key "$W/k.pem" -cert "$W/c.pem" -www \
	>/dev/null 2>&1 &
ip netns exec $B openssl s_server -quiet -accept 8443 -key "$W/k.pem" -cert "$W/c.pem" -www \
	>/dev/null 2>&1 &
ip netns exec $B openssl s_server -quiet -accept '[::]:9443' -key "$W/k.pem" \
	-cert "$W/c.pem" -www >/dev/null 2>&1 &
sleep 1

# capture NAME CMD...: one pcap per client run (client port 443/8443/9443 traffic only)
capture() {
	local name=$1; shift
	ip netns exec $A tcpdump -U -s 0 -i ${A}0 -w "$name.pcap" \
		'tcp port 443 or tcp port 8443 or tcp port 9443' 2>/dev/null &
	local tp=$!
	sleep 1
	timeout 20 "$@" </dev/null >/dev/null 2>&1 || true
	sleep 1
	kill -INT $tp; wait $tp || true
}
S="ip netns exec $A openssl s_client -connect"
capture s_client-tls12-sni-alpn $S 198.51.100.2:443 -tls1_2 -servername tls12.lab.test -alpn h2,http/1.1
capture s_client-tls13-sni-alpn $S 198.51.100.2:443 -tls1_3 -servername tls13.lab.test -alpn h2
capture s_client-tls13-nosni $S 198.51.100.2:443 -tls1_3 -noservername
capture s_client-tls12-nosni $S 198.51.100.2:443 -tls1_2 -noservername
capture s_client-tls13-ipv6-port9443 $S '[2001:db8:51::2]:9443' -servername v6.lab.test -alpn http/1.1
capture curl-port8443 ip netns exec $A curl -sk --resolve curl.lab.test:8443:198.51.100.2 \
	https://curl.lab.test:8443/ -o /dev/null
C="chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
 --disable-component-update --disable-sync --ignore-certificate-errors"
capture chromium-pq-2seg ip netns exec $A $C --user-data-dir="$W/chrome" \
	--host-resolver-rules="MAP chrome.lab.test 198.51.100.2" --dump-dom https://chrome.lab.test/
python3 ./reorder.py chromium-pq-2seg.pcap chromium-pq-ooo.pcap

# expected values from tshark (independent of procap)
{
	printf 'file\tframe\tsrc\tsport\tsni\tja4\tja4_r\n'
	for f in *.pcap; do
		[ "$f" = chromium-pq-ooo.pcap ] && continue
		python3 "$CORPUS/tools/ja4_tshark.py" "$f" | tail -n +2 |
			awk -F'\t' -v f="$f" 'BEGIN{OFS="\t"} {print f,$1,$3,$5,$7,$8,$9}'
	done
} > expected.tsv
./fields.sh > hello-fields.tsv
