#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Names from DNS answers (dissectors/dns.c, src/sink/names.c), checked against tshark:
#  - replay: a capture crafted by tests/e2e/mkdns.py with a CNAME chain over UDP, an AAAA
#    answer over TCP, an answer whose owner name is a pointer loop, and then
#    connections to the answered addresses, an mDNS answer (port 5353) and a DNS-shaped
#    message on port 9999 (DNS to tshark's heuristic, not to tcpdump, which decodes by port
#    as procap does); procap's JSON dns answers equal tshark's dns.a,
#    dns.aaaa and dns.cname, dst_name is the question's name;
#  - the pcapng procap writes carries Name Resolution Blocks: tshark -N n names the
#    addresses from the file alone (the plain capture gives tshark no names);
#  - live: dnsmasq in a namespace answers web.lab.test; curl's connection is named.
NS=dn$$
. "$(dirname "$0")/live_lib.sh"
need tshark python3
F=$T/names.pcap
python3 "$ROOT/tests/e2e/mkdns.py" "$F" || { fail dns_mkpcap "mkdns.py failed"; exit 0; }

# JSON answers against tshark's
"$PROCAP" -n -r "$F" --json >"$T/p.json" 2>"$T/err"
check replay_rc "$?" 0
got=$(python3 -c '
import json,sys
for l in open(sys.argv[1]):
    o=json.loads(l); d=o.get("dns")
    if not d or not d.get("answers"): continue
    print(",".join(sorted(a.get("a") or a.get("aaaa") or a.get("cname") for a in d["answers"])))
' "$T/p.json")
want=$(tshark -r "$F" -Y "dns.flags.response==1 && dns.count.answers>0 && !(udp.port == 9999)" \
	-T fields -e dns.a \
	-e dns.aaaa -e dns.cname 2>/dev/null |
	tr '\t' ',' | python3 -c '
import sys
for l in sys.stdin:
    print(",".join(sorted(x for x in l.strip().split(",") if x)))')
check dns_answers_equal_tshark "$got" "$want"
check dns_answer_messages "$(printf '%s\n' "$got" | grep -c .)" 4
check mdns_answer_read "$(printf '%s\n' "$got" | grep -c '^192.0.2.77$')" 1
check port_9999_not_dns_as_tcpdump \
	"$(tcpdump -n -r "$F" udp port 9999 2>/dev/null | grep -c 'UDP, length')$(grep -c 'other.lab.test' "$T/p.json")" 10
# every connection after the answers carries its question's name
check dst_name_v4_via_cname "$(python3 -c '
import json,sys
print(sorted({o.get("dst_name","-") for o in map(json.loads,open(sys.argv[1])) if o.get("dport")==443 and o.get("dst")=="192.0.2.10"}))' "$T/p.json")" "['web.lab.test']"
check dst_name_v6_via_tcp "$(python3 -c '
import json,sys
print(sorted({o.get("dst_name","-") for o in map(json.loads,open(sys.argv[1])) if o.get("dport")==443 and o.get("dst")=="2001:db8::10"}))' "$T/p.json")" "['v6.lab.test']"
check pointer_loop_answer_kept "$(grep -c '"dst_name":"loop.lab.test"' "$T/p.json")" 1
check v_text_dst_name "$("$PROCAP" -n -v -r "$F" 2>/dev/null | grep -c 'dst_name=web.lab.test')" 1

# NRBs: tshark names the addresses from procap's file, not from the plain capture
"$PROCAP" -n -r "$F" -w "$T/o.pcapng" 2>"$T/err"
check write_rc "$?" 0
check nrb_names_v4 "$(tshark -r "$T/o.pcapng" -N n -Y 'ip.dst==192.0.2.10' -T fields -e ip.dst_host 2>/dev/null | sort -u)" web.lab.test
check nrb_names_v6 "$(tshark -r "$T/o.pcapng" -N n -Y 'tcp.dstport==443 && ipv6' -T fields -e ipv6.dst_host 2>/dev/null | sort -u)" v6.lab.test
check plain_capture_has_no_names "$(tshark -r "$F" -N n -Y 'ip.dst==192.0.2.10' -T fields -e ip.dst_host 2>/dev/null | sort -u)" 192.0.2.10

# live: a resolver in namespace B answers web.lab.test; curl in A connects to the answer
if ! command -v dnsmasq >/dev/null || ! command -v curl >/dev/null; then
	echo "SKIP dns_live: dnsmasq or curl missing"
	exit 0
fi
netns_up
ip netns exec $B dnsmasq --no-daemon --no-resolv --no-hosts --port=53 --listen-address=$B4 \
	--bind-interfaces --address=/web.lab.test/$B4 --pid-file="$T/dnsmasq.pid" \
	>"$T/dnsmasq.log" 2>&1 &
PIDS+=($!)
ip netns exec $B python3 -m http.server 80 --bind $B4 >/dev/null 2>&1 &
PIDS+=($!)
sleep 1
mkdir -p /etc/netns/$A && echo "nameserver $B4" >/etc/netns/$A/resolv.conf
ip netns exec $A "$PROCAP" -n -i ${A}0 --json -c 40 >"$T/live.json" 2>"$T/live.err" &
P=$!
PIDS+=($P)
sleep 1
ip netns exec $A curl -s -m 5 -o /dev/null http://web.lab.test/ 2>/dev/null
sleep 1
kill -INT $P 2>/dev/null
wait $P 2>/dev/null
rm -rf /etc/netns/$A
check live_curl_named "$(python3 -c '
import json,sys
names=set()
for l in open(sys.argv[1]):
    try: o=json.loads(l)
    except ValueError: continue
    if o.get("dport")==80: names.add((o.get("comm"),o.get("dst_name")))
print(sorted(names))' "$T/live.json")" "[('curl', 'web.lab.test')]"
