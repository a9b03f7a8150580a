#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# QUIC Initial SNI end to end. Replay (-r): the RFC 9001 A.2 Initial and the chromium capture
# (testdata/quic) print the SNI tshark reads. Live: in a netns pair joined by a veth, procap
# captures while (1) python replays the RFC 9001 A.2 and RFC 9369 A.2 Initials to udp/443 and
# (2) headless chromium sends real QUIC Initials (chaos-protected CRYPTO frames over two
# packets) to a silent UDP sink (LAB.md recipe); the SNIs must appear on procap's lines.
# Skips the live part when the binary has no live capture yet, chromium when it is missing.
set -u
NS=bcq$$
. "$(dirname "$0")/live_lib.sh"
TD=$ROOT/testdata/quic
export TZ=UTC

has() { # NAME FILE PATTERN
	if grep -q -- "$3" "$2"; then pass "$1"; else fail "$1" "no '$3' in: $(head -c 300 "$2" | tr '\n' '|')"; fi
}
command -v python3 >/dev/null || { echo "SKIP quic_live: python3 missing"; exit 0; }
[ -x "$PROCAP" ] || { fail quic_live "no procap binary at $PROCAP"; exit 1; }

# ---- replay: no network
python3 "$TD/hex2pcap.py" "$T/rfc9001.pcap" "$TD/rfc9001_a2_client_initial.hex" \
	"$TD/rfc9001_a3_server_initial.hex" "$TD/rfc9001_a4_retry.hex"
"$PROCAP" -n -r "$T/rfc9001.pcap" >"$T/rfc.txt" 2>"$T/rfc.err"
has "replay rfc9001 A.2: SNI example.com" "$T/rfc.txt" "sni=example.com"
has "replay rfc9001 A.2: ALPN alpn" "$T/rfc.txt" "alpn=alpn"
want=$(tail -n +2 "$TD/chromium_quic.pcap.sni.tsv" | cut -f10)	# tshark's SNI
"$PROCAP" -n -r "$TD/chromium_quic.pcap" >"$T/chr.txt" 2>&1
has "replay chromium: SNI as tshark ($want)" "$T/chr.txt" "sni=$want"
n=$(grep -c "sni=" "$T/chr.txt")
[ "$n" = 1 ] && pass "replay chromium: SNI on exactly one packet (the one completing it)" ||
	fail "replay chromium: SNI once" "$n lines"

# ---- live
netns_up

# silent UDP sink: without it the peer answers port-unreachable and chromium gives up early
ip netns exec $B python3 -c "
import socket; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(('$B4',443)); s.settimeout(20)
try:
    while True: s.recvfrom(65535)
except OSError: pass" &
PIDS+=($!)

ip netns exec $B timeout 20 "$PROCAP" -n -l -i ${B}0 -c 2 udp port 443 >"$T/live1.txt" 2>"$T/live1.err" &
pp=$!
PIDS+=($pp)
wait_listening "$T/live1.err" $pp
case $? in
2) echo "SKIP quic_live: live capture not implemented in this build"; exit 0 ;;
1) fail "quic live: procap starts" "$(head -3 "$T/live1.err" | tr '\n' '|')"; exit 1 ;;
esac
ip netns exec $A python3 - "$TD/rfc9001_a2_client_initial.hex" "$TD/rfc9369_a2_client_initial.hex" <<'PY'
import socket, sys
for f in sys.argv[1:]:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)	# one connection (port) each
    s.sendto(bytes.fromhex(''.join(open(f).read().split())), ('198.51.100.2', 443))
PY
wait $pp
has "live rfc9001 A.2 Initial: SNI example.com" "$T/live1.txt" "quic=v1.*sni=example.com"
has "live rfc9369 A.2 Initial: SNI example.com" "$T/live1.txt" "quic=v2.*sni=example.com"

if ! command -v chromium >/dev/null; then
	echo "SKIP quic live chromium: chromium missing"
	exit 0
fi
ip netns exec $B timeout 30 "$PROCAP" -n -l -i ${B}0 -c 2 udp port 443 >"$T/live2.txt" 2>"$T/live2.err" &
pp=$!
PIDS+=($pp)
wait_listening "$T/live2.err" $pp || { fail "quic live chromium: procap starts" "$(head -3 "$T/live2.err")"; exit 1; }
ip netns exec $A timeout 20 chromium --headless --no-sandbox --disable-gpu --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--ignore-certificate-errors --user-data-dir="$T/chrome" --enable-quic \
	--origin-to-force-quic-on=e2e-quic.test:443 \
	--host-resolver-rules="MAP e2e-quic.test $B4" \
	--dump-dom https://e2e-quic.test/ >/dev/null 2>&1
wait $pp
has "live chromium: SNI of its reassembled ClientHello" "$T/live2.txt" "sni=e2e-quic.test"
has "live chromium: a QUIC JA4" "$T/live2.txt" "ja4=q13d"
exit 0
