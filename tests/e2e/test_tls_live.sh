#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# TLS SNI/JA4 end to end, live. Two namespaces joined by a veth; the client side has TSO/GSO
# off, so chromium's ~1.9 KB post-quantum ClientHello leaves as 2 TCP segments (LAB.md).
# procap captures on the client's veth (TC egress/ingress) while tcpdump captures the same
# traffic on the server's veth; openssl s_client (TLS 1.3 with -servername/-alpn, TLS 1.2 on
# port 8443) and headless chromium connect to openssl s_server. procap's lines must carry the
# names given to the clients, once per ClientHello, and the JA4 that corpus/tools/ja4_tshark.py
# computes from tshark's decode of tcpdump's capture (independent of procap).
set -u
NS=bct$$
. "$(dirname "$0")/live_lib.sh"
CORPUS=${CORPUS_DIR:-$ROOT/testdata/corpus}
export TZ=UTC

for t in openssl tcpdump ethtool; do
	command -v $t >/dev/null || { echo "SKIP tls_live: $t missing"; exit 0; }
done
[ -x "$PROCAP" ] || { fail tls_live "no procap binary at $PROCAP"; exit 1; }

netns_up
ip netns exec $A ethtool -K ${A}0 tso off gso off >/dev/null
# and the receiver must not merge them again before tcpdump's reference capture sees them
ip netns exec $B ethtool -K ${B}0 gro off lro off >/dev/null 2>&1

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/k.pem" -out "$T/c.pem" -days 1 \
	-subj /CN=e2e.test 2>/dev/null
for port in 443 8443; do
	ip netns exec $B timeout 120 openssl s_server -quiet -accept $port -key "$T/k.pem" \
		-cert "$T/c.pem" -www >/dev/null 2>&1 &
	PIDS+=($!)
done

# --immediate-mode: without it the last packets wait in a TPACKET_V3 block (1 s timeout)
# and are lost when tcpdump is stopped right after chromium (seen: chromium's whole
# connection missing from the reference while tcpdump counted it as received)
ip netns exec $B timeout 120 tcpdump --immediate-mode -U -n -s 0 -i ${B}0 -w "$T/ref.pcap" tcp \
	>/dev/null 2>"$T/tcpdump.err" &
tp=$!
PIDS+=($tp)
wait_for "$T/tcpdump.err" "listening on" $tp || { fail "tcpdump starts" "$(cat "$T/tcpdump.err")"; exit 1; }
ip netns exec $A timeout 120 "$PROCAP" -n -l -i ${A}0 tcp >"$T/live.txt" 2>"$T/live.err" &
pp=$!
PIDS+=($pp)
wait_listening "$T/live.err" $pp
case $? in
2) echo "SKIP tls_live: live capture not implemented in this build"; exit 0 ;;
1) fail "procap starts" "$(head -3 "$T/live.err" | tr '\n' '|')"; exit 1 ;;
esac

S="ip netns exec $A timeout 10 openssl s_client"
$S -connect $B4:443 -tls1_3 -servername e2e-tls13.test -alpn h2 </dev/null >/dev/null 2>&1
$S -connect $B4:8443 -tls1_2 -servername e2e-tls12.test </dev/null >/dev/null 2>&1
chrome=0
if command -v chromium >/dev/null; then
	chrome=1
	ip netns exec $A timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--ignore-certificate-errors --user-data-dir="$T/chrome" \
		--host-resolver-rules="MAP e2e-chrome.test $B4" \
		--dump-dom https://e2e-chrome.test/ >/dev/null 2>&1
fi
sleep 0.5
kill -INT $pp $tp
wait $pp $tp 2>/dev/null

for name in e2e-tls13.test e2e-tls12.test; do
	if grep -q "sni=$name" "$T/live.txt"; then pass "live: SNI $name"; else
		fail "live: SNI $name" "$(grep -c . "$T/live.txt") lines, none with it"; fi
done
grep -q "sni=e2e-tls13.test alpn=h2 ja4=t13d" "$T/live.txt" && pass "live: TLS 1.3 ALPN and JA4" ||
	fail "live: TLS 1.3 ALPN and JA4" "$(grep sni=e2e-tls13 "$T/live.txt" | head -1)"
grep -q "sni=e2e-tls12.test ja4=t12d" "$T/live.txt" && pass "live: TLS 1.2 on port 8443" ||
	fail "live: TLS 1.2 on port 8443" "$(grep sni=e2e-tls12 "$T/live.txt" | head -1)"

if ! command -v tshark >/dev/null || [ ! -f "$CORPUS/tools/ja4_tshark.py" ]; then
	echo "SKIP tls_live JA4 vs tshark: tshark or corpus/tools/ja4_tshark.py missing"
	exit 0
fi
python3 "$CORPUS/tools/ja4_tshark.py" "$T/ref.pcap" 2>/dev/null | tail -n +2 >"$T/ref.tsv"
n=0
while IFS=$'\t' read -r frame proto src dst sport dport sni ja4 ja4r; do
	n=$((n + 1))
	got=$(grep -F "$src.$sport > $dst.$dport:" "$T/live.txt" | grep -o 'ja4=[^ ]*' | head -1)
	if [ "$got" = "ja4=$ja4" ]; then pass "live JA4 of $sni (port $sport) = tshark's $ja4"; else
		fail "live JA4 of $sni (port $sport)" "got '$got', want ja4=$ja4"; fi
	c=$(grep -F "$src.$sport > $dst.$dport:" "$T/live.txt" | grep -c "sni=")
	[ "$c" = 1 ] && pass "live: $sni (port $sport) reported once" ||
		fail "live: $sni (port $sport) reported once" "$c lines"
done <"$T/ref.tsv"
[ $n -ge 2 ] && pass "tshark found the hellos ($n)" || fail "tshark found the hellos" "$n"
if [ $chrome = 1 ]; then
	segs=$(tshark -n -r "$T/ref.pcap" -Y 'tls.handshake.extensions_server_name == "e2e-chrome.test"' \
		-T fields -e tcp.segment.count 2>/dev/null | head -1)
	if [ -z "$segs" ]; then
		# the reference holds no reassembled chromium hello (seen on a loaded machine); the
		# 2-segment reassembly is then covered by the unit tests' chromium-pq-2seg capture
		echo "SKIP chromium hello spanned 2 segments: tshark found no reassembled hello in the reference capture this run"
	elif [ "$segs" -ge 2 ]; then
		pass "chromium hello spanned $segs TCP segments on the wire"
	else
		fail "chromium hello spanned 2 segments" "tshark says '${segs}'"
	fi
	grep -q "sni=e2e-chrome.test .*ja4=t13d.*ech=1" "$T/live.txt" &&
		pass "live chromium: reassembled hello with SNI, JA4 and ECH flag" ||
		fail "live chromium: reassembled hello" "$(grep -c e2e-chrome "$T/live.txt") lines"
fi
exit 0
