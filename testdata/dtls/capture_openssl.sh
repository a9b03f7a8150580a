#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Makes testdata/dtls/openssl.pcap: real DTLS handshakes between openssl s_client and s_server
# in a private network namespace (loopback, IPv4 and IPv6), captured with tcpdump. Run as root
# from the repository root; then the expected values come from tshark:
#   python3 testdata/corpus/tools/ja4_tshark.py testdata/dtls/openssl.pcap > testdata/dtls/openssl.pcap.ja4.tsv
set -eu
out=${1:-testdata/dtls/openssl.pcap}
tmp=$(mktemp -d)
ns=dtlscap$$
ip netns add $ns
trap 'ip netns del $ns; rm -rf $tmp' EXIT
ip -n $ns link set lo up
ip -n $ns addr add 2001:db8:51::1/128 dev lo nodad
openssl req -x509 -newkey rsa:2048 -nodes -keyout $tmp/k.pem -out $tmp/c.pem -days 1 \
	-subj /CN=lab.test 2>/dev/null
ip netns exec $ns tcpdump -i lo -U -s 0 -w "$out" udp 2>/dev/null & cap=$!
ip netns exec $ns timeout 20 openssl s_server -dtls -accept 4433 -key $tmp/k.pem \
	-cert $tmp/c.pem -quiet >/dev/null 2>&1 & s4=$!
ip netns exec $ns timeout 20 openssl s_server -dtls -6 -accept 5684 -key $tmp/k.pem \
	-cert $tmp/c.pem -quiet >/dev/null 2>&1 & s6=$!
sleep 1
c() { echo | ip netns exec $ns timeout 5 openssl s_client "$@" >/dev/null 2>&1 || true; }
# DTLS 1.2 with SNI and ALPN: ClientHello, HelloVerifyRequest, ClientHello with the cookie
c -dtls1_2 -connect 127.0.0.1:4433 -servername lab.test -alpn h2,coap
# version-flexible DTLS (-dtls): legacy_version 1.2 hello
c -dtls -connect 127.0.0.1:4433 -servername dtls.example
# DTLS 1.0 (0xfeff) at security level 0
c -dtls1 -connect 127.0.0.1:4433 -servername one.example -cipher DEFAULT:@SECLEVEL=0
# a ClientHello over the 256-byte MTU: two handshake fragments in two datagrams
c -dtls1_2 -mtu 256 -connect 127.0.0.1:4433 \
	-servername a-rather-long-server-name-to-push-the-client-hello-past-the-mtu.fragmented.example \
	-alpn coap,h2,http/1.1,spdy/3.1,webrtc,c-webrtc,stun.turn,stun.nat-discovery
# IPv6, port 5684 (CoAP over DTLS)
c -dtls1_2 -connect '[2001:db8:51::1]:5684' -servername v6.example
sleep 1
kill $s4 $s6 $cap 2>/dev/null || true
wait $cap 2>/dev/null || true
