#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# --flows end to end. Namespace A (client) talks to B (server): three TLS connections to a
# Python server that answers after 50, 300 and 1000 ms, openssl s_client, iperf3 over TCP and
# UDP, and ping -c 5. procap captures on A's veth with --flows --json -w, a second procap runs
# `--flows icmp` (text). Checks:
#  - the -w file and procap's live flow records both equal tshark's conversations (tshark
#    -z conv,tcp / conv,udp on the file; bytes and first/last times from tshark's fields):
#    packets and bytes each way, duration within 1 us (tests/e2e/flows_ref.py); the replay of
#    the file (-r --flows) likewise;
#  - each delayed connection is one flow owned by curl's PID, its duration within 10 ms of
#    curl's own time (time_total - time_namelookup), SNI and JA4 present, and in the
#    histogram bucket of its duration;
#  - ping's 5 echo requests are counted as ping's in the per-process totals (JSON and text).
set -u
NS=fl$$
. "$(dirname "$0")/live_lib.sh"
need tshark capinfos iperf3 curl openssl python3 ping
export TZ=UTC

netns_up
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/k.pem" -out "$T/c.pem" -days 1 \
	-subj /CN=lab.test 2>/dev/null
# TLS server answering GET /delay/MS after MS milliseconds (the connection's length)
cat >"$T/srv.py" <<'PY'
import socket, ssl, sys, threading, time
ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
ls = socket.create_server(("0.0.0.0", 443))
def serve(c):
    try:
        s = ctx.wrap_socket(c, server_side=True)
        req = s.recv(4096).decode()
        ms = int(req.split()[1].rsplit("/", 1)[1])
        time.sleep(ms / 1000)
        s.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        s.close()
    except Exception:
        c.close()
deadline = time.time() + 60
while time.time() < deadline:
    c, _ = ls.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
ip netns exec $B timeout 60 python3 "$T/srv.py" "$T/c.pem" "$T/k.pem" 2>/dev/null &
PIDS+=($!)
ip netns exec $B timeout 60 openssl s_server -quiet -accept 8443 -key "$T/k.pem" \
	-cert "$T/c.pem" -www >/dev/null 2>&1 &
PIDS+=($!)
ip netns exec $B timeout 60 iperf3 -s -p 5201 >/dev/null 2>&1 &
PIDS+=($!)
for i in $(seq 50); do
	n=$(ip netns exec $B ss -ltn | grep -cE ':(443|8443|5201) ')
	[ "$n" -ge 3 ] && break
	sleep 0.1
done

start_procap live $A -n --flows --json -w "$T/cap.pcapng" -i ${A}0
live=$LAST_PID
start_procap icmp $A -n --flows -i ${A}0 icmp
icmp=$LAST_PID

for ms in 50 300 1000; do
	ip netns exec $A sh -c 'echo $$; exec curl -sk -m 10 --resolve lab.test:443:'$B4' \
		-o /dev/null -w "%{time_namelookup} %{time_total}\n" https://lab.test/delay/'$ms \
		>"$T/curl$ms" 2>&1
done
ip netns exec $A timeout 10 openssl s_client -connect $B4:8443 -servername s.lab.test \
	</dev/null >/dev/null 2>&1
ip netns exec $A timeout 10 iperf3 -c $B4 -p 5201 -t 1 -b 20M >/dev/null 2>&1
ip netns exec $A timeout 10 iperf3 -c $B4 -p 5201 -u -t 1 -b 1M >/dev/null 2>&1
ip netns exec $A sh -c 'echo $$; exec ping -c 5 -i 0.2 -w 10 '$B4 >"$T/ping" 2>&1
sleep 0.3
cp "$T/live.out" "$T/live.before-exit"
stop $live
stop $icmp
# a connection is printed when it ends, not only at exit (the 50 ms one ended seconds ago)
check "flows: a finished connection printed before exit" \
	"$(grep -cE '"dport":443,.*"ended":"(fin|rst)"' "$T/live.before-exit")" 3

# the file, procap's live records and procap's replay of the file, all against tshark
"$PROCAP" -r "$T/cap.pcapng" --flows --json >"$T/replay.json" 2>/dev/null
python3 "$ROOT/tests/e2e/flows_ref.py" "$T/cap.pcapng" "flows: live records = tshark" "$T/live.out" \
	"flows: replay of the -w file = tshark" "$T/replay.json"
check "flows: -w kept every packet" \
	"$(capinfos -c -M "$T/cap.pcapng" 2>/dev/null | awk '/Number of packets/ {print $NF}')" \
	"$(grep -m1 'packets captured' "$T/live.err" | awk '{print $1}')"

# the delayed connections: curl's PID, curl's time, SNI, JA4, histogram bucket
python3 - "$T" <<'PY'
import json, sys
T = sys.argv[1]
objs = [json.loads(l) for l in open(f"{T}/live.out")]
flows = [o for o in objs if o.get("type") == "flow"]
hist = next((o for o in objs if o.get("type") == "histogram" and o["name"] == "tcp_duration"), None)
for ms in (50, 300, 1000):
    # curl's own clock from the start of its connection (after the name lookup, before the
    # SYN) to the end of the transfer
    pid, t0, t1 = open(f"{T}/curl{ms}").read().split()
    t = f"{float(t1) - float(t0):.6f}"
    f = [o for o in flows if o.get("dport") == 443]
    mine = [o for o in f if o.get("pid") == int(pid)]
    name = f"flows: curl {ms} ms"
    if len(mine) != 1:
        print(f"FAIL {name}: {len(mine)} flows with curl's pid {pid} (443 flows: {[o.get('pid') for o in f]})")
        continue
    o = mine[0]
    d = float(o["duration"])
    ok = abs(d - float(t)) <= 0.010
    print(("PASS" if ok else "FAIL") + f" {name}: duration {d:.6f} s, curl measured {t} s" )
    tls = o.get("tls", {})
    ok = tls.get("sni") == "lab.test" and tls.get("ja4", "").startswith("t13")
    print(("PASS" if ok else f"FAIL") + f" {name}: SNI and JA4 ({tls})")
    us = int(d * 1e6)
    b = [x for x in (hist or {}).get("buckets", []) if x["low"] <= us <= x["high"]]
    ok = bool(b) and b[0]["count"] >= 1
    print(("PASS" if ok else "FAIL") + f" {name}: in the histogram bucket {b[0]['low'] if b else '?'}..")
ping_pid = int(open(f"{T}/ping").read().split()[0])
p = [o for o in objs if o.get("type") == "process" and o["pid"] == ping_pid]
ok = len(p) == 1 and p[0]["comm"] == "ping" and p[0]["tx_packets"] == 5
print(("PASS" if ok else "FAIL") + f" flows: ping -c 5 counted as 5 packets sent by ping ({p})")
PY
# `procap --flows icmp`: the text table's per-process row of ping
ping_pid=$(head -1 "$T/ping")
row=$(awk -v p="$ping_pid" '$1 == p && $2 == "ping"' "$T/icmp.out")
check "flows icmp: ping's echo requests (TX_PKTS)" "$(echo "$row" | awk '{print $6}')" 5
check "flows icmp: one ICMP flow record for ping" \
	"$(awk -v p="$ping_pid" '$3 == p && $5 == "icmp"' "$T/icmp.out" | wc -l)" 1
