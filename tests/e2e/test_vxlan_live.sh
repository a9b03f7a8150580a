#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# VXLAN end to end: a vxlan device (VNI 42, UDP 4789) in each of two namespaces joined by a
# veth pair, inner addresses 192.0.2.1/.2; curl's TLS ClientHello (and headless chromium's QUIC
# Initials to a silent UDP sink, when chromium is installed) go through the tunnel while procap
# captures the OUTER interface live (-w and text) and tcpdump captures it too. Checks:
#  - procap's live lines carry tunnel=vxlan:vni=42 and the inner hello's SNI and JA4, equal to
#    tshark's on tcpdump's capture (corpus tool ja4_tshark.py, vendored in testdata/corpus);
#  - replayed (-r) from procap's own pcapng and from tcpdump's pcap: the same findings, and the
#    summary names the inner endpoints; procap's pcapng comments carry the inner flow's SNI;
#  - the text of every packet of the capture is tcpdump's, once the findings are removed.
set -u
NS=bcv$$
. "$(dirname "$0")/live_lib.sh"
export TZ=UTC
need curl openssl tshark tcpdump python3

netns_up
for n in a b; do
	ns=$A local=$A4 remote=$B4 inner=192.0.2.1
	[ $n = b ] && ns=$B local=$B4 remote=$A4 inner=192.0.2.2
	ip -n $ns link add vx42 type vxlan id 42 dstport 4789 local $local remote $remote \
		dev ${ns}0 || { echo "SKIP vxlan_live: no vxlan device"; exit 0; }
	ip -n $ns addr add $inner/24 dev vx42
	ip -n $ns link set vx42 up
done
tls_server $B

start_tcpdump ref $B ${B}0
tcpdump_pid=$LAST_PID
start_procap live $B -n -l -i ${B}0 -w "$T/live.pcapng" --print
grep -qs "not implemented" "$T/live.err" &&
	{ echo "SKIP vxlan_live: live capture not implemented in this build"; exit 0; }
procap_pid=$LAST_PID
ip netns exec $A timeout 10 curl -sk --resolve vx.test:443:192.0.2.2 https://vx.test/ \
	-o /dev/null
have_chromium=0
if command -v chromium >/dev/null; then
	have_chromium=1
	ip netns exec $B python3 -c "
import socket; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(('192.0.2.2',443)); s.settimeout(15)
try:
    while True: s.recvfrom(65535)
except OSError: pass" &
	PIDS+=($!)
	ip netns exec $A timeout 20 chromium --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--ignore-certificate-errors --user-data-dir="$T/chrome" --enable-quic \
		--origin-to-force-quic-on=quic.vx.test:443 \
		--host-resolver-rules="MAP quic.vx.test 192.0.2.2" \
		--dump-dom https://quic.vx.test/ >/dev/null 2>&1
else
	echo "SKIP vxlan_live chromium QUIC: chromium missing"
fi
sleep 0.5
stop $procap_pid
stop $tcpdump_pid

# tshark's hellos on tcpdump's capture of the outer interface: proto, SNI, JA4
python3 "$ROOT/testdata/corpus/tools/ja4_tshark.py" "$T/ref.pcap" | tail -n +2 |
	awk -F'\t' '{print $2 "\t" $7 "\t" $8}' | sort -u >"$T/want.tsv"
grep -q "vx.test" "$T/want.tsv" && pass "vxlan: tshark decodes curl's hello in the tunnel" ||
	fail "vxlan: tshark reference" "$(cat "$T/want.tsv")"
if [ "$have_chromium" = 1 ]; then
	grep -q "^quic" "$T/want.tsv" && pass "vxlan: chromium's QUIC hello in the tunnel" ||
		fail "vxlan: chromium QUIC hello" "tshark found none"
fi

# findings -> "proto sni ja4" rows, like want.tsv
rows() {
	sed -nE 's/.*tunnel=vxlan:vni=42 (tls|quic=v1 dcid=[0-9a-f]+( scid=[0-9a-f]+)?) sni=([^ ]+).* ja4=([^ ]+).*/\1\t\3\t\4/p' "$1" |
		sed -E 's/^quic=v1[^\t]*/quic/' | sort -u
}
check_rows() { # NAME FILE
	local got
	got=$(rows "$2")
	if [ "$got" = "$(cat "$T/want.tsv")" ]; then
		pass "$1: SNI and JA4 of every hello equal tshark's ($(echo "$got" | wc -l) distinct)"
	else
		fail "$1: hellos as tshark" "got [$got] want [$(cat "$T/want.tsv")]"
	fi
}
check_rows "vxlan live" "$T/live.out"
"$PROCAP" -n -r "$T/live.pcapng" >"$T/replay_own.txt" 2>&1
check_rows "vxlan replay of procap's pcapng" "$T/replay_own.txt"
"$PROCAP" -n -r "$T/ref.pcap" >"$T/replay_ref.txt" 2>&1
check_rows "vxlan replay of tcpdump's pcap" "$T/replay_ref.txt"

# the pcapng comments: the inner flow's SNI on its packets (flow table keyed by the inner tuple)
n=$(tshark -r "$T/live.pcapng" -Y 'frame.comment contains "SNI: vx.test"' 2>/dev/null | wc -l)
check_ge "vxlan pcapng: comments name the inner flow's SNI" "$n" 1

"$PROCAP" -r "$T/ref.pcap" --summary >"$T/summary.txt" 2>&1
grep -qE "192\.0\.2\.1:[0-9]+ +192\.0\.2\.2:443 +tls +vx\.test" "$T/summary.txt" &&
	pass "vxlan summary: the inner endpoints and SNI" ||
	fail "vxlan summary" "$(cat "$T/summary.txt")"

# the text: tcpdump's lines for every packet of the capture (VXLAN header line, inner frame
# line), procap's findings removed with the patterns of its findings table
strip_tool=$(dirname "$PROCAP")/tests/tools/findings_strip
if [ -x "$strip_tool" ]; then
	strip=$("$strip_tool" | sed 's|/|\\/|g; s|^|s/|; s|$|//g;|')
	tcpdump -n -r "$T/ref.pcap" >"$T/tcpdump.txt" 2>/dev/null
	sed -E "$strip" "$T/replay_ref.txt" >"$T/procap.txt"
	if cmp -s "$T/tcpdump.txt" "$T/procap.txt"; then
		pass "vxlan: text lines as tcpdump's ($(wc -l <"$T/tcpdump.txt") lines)"
	else
		fail "vxlan: text lines as tcpdump's" "$(diff "$T/tcpdump.txt" "$T/procap.txt" | head -4)"
	fi
else
	echo "SKIP vxlan text: $strip_tool not built"
fi
exit 0
