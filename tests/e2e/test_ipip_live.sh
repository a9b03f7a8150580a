#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# IP-in-IP and GRE live: this kernel has no ipip device, so the crafted tunnel frames of
# testdata/ipip/ipip.pcap (4in4, 6in4, 4in6, 6in6, nested, GRE, TLS ClientHello in 4in4) are
# injected with an AF_PACKET socket from a peer netns over a veth pair while procap captures
# on the other end. The inner address pairs procap prints must be the ones tcpdump printed
# for the same frames (testdata/ipip/ipip.tcpdump.txt), the SNI the one tshark read.
# Also the same file through -r. Skips the live part when the binary has no live capture.
set -u
NS=bci$$
. "$(dirname "$0")/live_lib.sh"
TD=$ROOT/testdata/ipip
export TZ=UTC

command -v python3 >/dev/null || { echo "SKIP ipip_live: python3 missing"; exit 0; }
[ -x "$PROCAP" ] || { fail ipip_live "no procap binary at $PROCAP"; exit 1; }

# check_pairs NAME OUTPUT: for tcpdump's lines 1-4 and 10 (4in4, 6in4, 4in6, 6in6, TLS in
# 4in4) the innermost "SRC > DST" tcpdump printed must follow "inner" in procap's output
check_pairs() {
	local name=$1 out=$2
	for i in 1 2 3 4 10; do
		line=$(sed -n "${i}p" "$TD/ipip.tcpdump.txt")
		# tcpdump: "... IP a > b: IP c.port > d.port: ..." -> c > d without ports
		pair=$(echo "$line" | awk -F': ' '{print $2}' | sed -E 's/^IP6? //; s/\.[0-9]+ > / > /; s/\.[0-9]+$//')
		if grep -qF "inner $pair" "$out"; then
			pass "$name: frame $i inner $pair as tcpdump"
		else
			fail "$name: frame $i inner $pair as tcpdump" "$(grep -c . "$out") lines, none with it"
		fi
	done
	# tshark's SNIs: TLS in 4in4 (frame 10), QUIC Initial in 6in4 (frame 12)
	while read -r frame sni; do
		grep -q "sni=$sni" "$out" && pass "$name: frame $frame SNI $sni through a tunnel (tshark)" ||
			fail "$name: frame $frame SNI through a tunnel" "no sni=$sni"
	done <"$TD/ipip.tshark_sni.tsv"
}

"$PROCAP" -n -r "$TD/ipip.pcap" >"$T/replay.txt" 2>&1
check_pairs "ipip replay" "$T/replay.txt"

netns_pair
ip -n $B addr add 192.0.2.2/24 dev ${B}0
mac_b=$(ip -n $B -o link show ${B}0 | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)

filter='ip proto 4 or ip proto 41 or ip proto 47 or ip6 proto 4 or ip6 proto 41 or ip6 proto 47'
ip netns exec $B timeout 20 "$PROCAP" -n -l -i ${B}0 -c 12 "$filter" >"$T/live.txt" 2>"$T/live.err" &
pp=$!
PIDS+=($pp)
wait_listening "$T/live.err" $pp
st=$?
[ $st = 2 ] && { echo "SKIP ipip_live: live capture not implemented in this build"; exit 0; }
[ $st = 0 ] || { fail "ipip live: procap starts" "$(head -3 "$T/live.err" | tr '\n' '|')"; exit 1; }

# inject every frame of the pcap, destination MAC rewritten to the capturing veth
ip netns exec $A python3 - "$TD/ipip.pcap" ${A}0 "$mac_b" <<'PY'
import socket, struct, sys
data = open(sys.argv[1], 'rb').read()
dst = bytes.fromhex(sys.argv[3].replace(':', ''))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[2], 0))
off = 24
while off + 16 <= len(data):
    _, _, cl, _ = struct.unpack('<IIII', data[off:off + 16])
    frame = data[off + 16:off + 16 + cl]
    off += 16 + cl
    s.send(dst + frame[6:])
PY
wait $pp
n=$(grep -c . "$T/live.txt")
[ "$n" = 12 ] && pass "ipip live: 12 injected tunnel frames captured" || fail "ipip live: 12 frames" "$n lines"
check_pairs "ipip live" "$T/live.txt"
grep -q "gre=" "$T/live.txt" && pass "ipip live: GRE frames dissected" || fail "ipip live: GRE" "no gre="
exit 0
