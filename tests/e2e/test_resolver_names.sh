#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# --resolver-names: names from the processes' own resolver calls (uprobes on libc's getaddrinfo
# and gethostbyname*, bpf/resolvprobe.bpf.c), with no DNS on the wire. Namespace A has a hosts
# file of its own (/etc/netns/A/hosts, which `ip netns exec` mounts over /etc/hosts) and a
# resolv.conf pointing at B, where no DNS server runs, so a DNS query would be seen:
#  - curl http://web.lab.test/ (getaddrinfo, IPv4): procap's -v lines and JSON name every
#    packet to and from B:80 of curl's connection, the first SYN included; the JSON says the
#    name came from the resolver; tshark -N n names the address from the file's NRB;
#  - Python's socket module (libc's getaddrinfo, IPv6; gethostbyname_ex, which is libc's
#    gethostbyname_r) names its connections likewise;
#  - tcpdump on the same interface saw no packet to or from port 53 (no DNS on the wire) and
#    did see the connections;
#  - without --resolver-names nothing is named; with --comm curl the file names only curl's;
#  - a replay of the file names the packets from its NRBs as tshark does, and --flows each
#    connection;
#  - a process in a root of its own (a copy of libc, as in a container) started after procap is
#    probed from its first exec: its lookup's name is in the file.
NS=rn$$
. "$(dirname "$0")/live_lib.sh"
need tshark tcpdump curl python3
trap 'rm -rf /etc/netns/$A; cleanup' EXIT
B4b=198.51.100.3

netns_up
ip -n $B addr add $B4b/24 dev ${B}0
mkdir -p /etc/netns/$A
printf '127.0.0.1 localhost\n%s web.lab.test\n%s py.lab.test\n%s hb.lab.test\n' \
	$B4 $B6 $B4b >/etc/netns/$A/hosts
echo "nameserver $B4" >/etc/netns/$A/resolv.conf
ip netns exec $B python3 -m http.server 80 --bind :: >/dev/null 2>&1 &
PIDS+=($!)

start_tcpdump ref $A ${A}0
start_procap text $A -n -i ${A}0 -w "$T/f.pcapng" --print -v --resolver-names
start_procap json $A -n -i ${A}0 --json --resolver-names
start_procap plain $A -n -i ${A}0 --json
start_procap curlonly $A -n -i ${A}0 -w "$T/c.pcapng" --comm curl --resolver-names
for i in $(seq 50); do
	ip netns exec $B ss -ltn 2>/dev/null | grep -q ':80 ' && break
	sleep 0.1
done

# a root of its own started after procap, as a container's: its C library is another file
# (a copy), probed when its first process executes; its hosts file names ctr.lab.test
R=$T/root
mkdir -p $R/bin $R/etc $R/lib/x86_64-linux-gnu $R/lib64
cp /bin/dash $R/bin/sh && cp /bin/sleep /usr/bin/getent $R/bin/ &&
	cp /lib/x86_64-linux-gnu/libc.so.6 $R/lib/x86_64-linux-gnu/ &&
	cp /lib64/ld-linux-x86-64.so.2 $R/lib64/
echo "198.51.100.4 ctr.lab.test" >$R/etc/hosts
echo "hosts: files" >$R/etc/nsswitch.conf
check chroot_lookup "$(ip netns exec $A unshare -m chroot $R /bin/sh -c \
	'sleep 1; getent hosts ctr.lab.test' | awk '{print $1}')" 198.51.100.4

ip netns exec $A curl -s -m 5 -o /dev/null http://web.lab.test/
ip netns exec $A python3 -c '
import socket, urllib.request
urllib.request.urlopen("http://py.lab.test/", timeout=5).read()
addr = socket.gethostbyname_ex("hb.lab.test")[2][0]
socket.create_connection((addr, 80), timeout=5).close()
'
sleep 1
for p in "${PIDS[@]:2}"; do stop "$p"; done

# JSON: (comm, dst_name, source) of the packets to port 80, and the replies' src_name
jq_names() { # FILE
	python3 -c '
import json, sys
out = set()
for l in open(sys.argv[1]):
    try: o = json.loads(l)
    except ValueError: continue
    if o.get("dport") == 80:
        out.add((o.get("comm"), o.get("dst"), o.get("dst_name"), o.get("dst_name_source")))
    if o.get("sport") == 80:
        out.add(("reply", o.get("src"), o.get("src_name"), o.get("src_name_source")))
print(sorted(out, key=str))' "$1"
}
check json_names_from_resolver "$(jq_names "$T/json.out")" \
	"[('curl', '$B4', 'web.lab.test', 'resolver'), ('python3', '$B4b', 'hb.lab.test', 'resolver'), ('python3', '$B6', 'py.lab.test', 'resolver'), ('reply', '$B4', 'web.lab.test', 'resolver'), ('reply', '$B4b', 'hb.lab.test', 'resolver'), ('reply', '$B6', 'py.lab.test', 'resolver')]"
check json_without_flag_no_names "$(jq_names "$T/plain.out")" \
	"[('curl', '$B4', None, None), ('python3', '$B4b', None, None), ('python3', '$B6', None, None), ('reply', '$B4', None, None), ('reply', '$B4b', None, None), ('reply', '$B6', None, None)]"

# -v text (tcpdump -v puts the IP header on a line of its own, the findings end the last line of
# the packet): every packet of curl's to port 80 carries the name, the SYN first among them
curl_lines=$(awk '/^[0-9]/ { if (p != "") print p; p = $0; next } { p = p " " $0 }
	END { if (p != "") print p }' "$T/text.out" |
	grep -E " curl\.[0-9]+ Out IP .* $A4\.[0-9]+ > $B4\.80:")
check_ge v_text_curl_packets "$(printf '%s\n' "$curl_lines" | grep -c .)" 3
check v_text_every_curl_packet_named "$(printf '%s\n' "$curl_lines" | grep -vc 'dst_name=web\.lab\.test$')" 0
check v_text_syn_named "$(printf '%s\n' "$curl_lines" | head -1 | grep -c 'Flags \[S\].*dst_name=web\.lab\.test$')" 1

# the file's Name Resolution Blocks, read by tshark
check nrb_names_v4 "$(tshark -r "$T/f.pcapng" -N n -Y "ip.dst==$B4 && tcp.dstport==80" \
	-T fields -e ip.dst_host 2>/dev/null | sort -u)" web.lab.test
check nrb_names_v6 "$(tshark -r "$T/f.pcapng" -N n -Y "ipv6.dst==$B6 && tcp.dstport==80" \
	-T fields -e ipv6.dst_host 2>/dev/null | sort -u)" py.lab.test
check nrb_names_gethostbyname "$(tshark -r "$T/f.pcapng" -N n -Y "ip.dst==$B4b && tcp.dstport==80" \
	-T fields -e ip.dst_host 2>/dev/null | sort -u)" hb.lab.test
# replay: the names come back from the file's NRBs (there is no DNS in it), packet by packet as
# tshark names them from the same blocks
replay_names=$("$PROCAP" -n -r "$T/f.pcapng" --json 2>/dev/null | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("dport") == 80: print(o.get("dst_name", o.get("dst")), o.get("dst_name_source"))')
check_ge replay_packets_to_80 "$(printf '%s\n' "$replay_names" | grep -c .)" 9
check replay_names_from_nrb_equal_tshark "$replay_names" "$(tshark -r "$T/f.pcapng" -N n \
	-Y tcp.dstport==80 -T fields -e ip.dst_host -e ipv6.dst_host 2>/dev/null |
	awk '{print $1, "file"}')"
# --flows on the replay: each connection to port 80 carries its dst's name, as tshark names the
# SYN's destination from the same blocks
check flows_dst_name_equal_tshark "$("$PROCAP" -n -r "$T/f.pcapng" --flows --json 2>/dev/null |
	python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("type") == "flow" and o.get("dport") == 80: print(o["dst"], o.get("dst_name"))' |
	sort)" "$(tshark -r "$T/f.pcapng" -N n -Y 'tcp.flags.syn==1 && tcp.flags.ack==0 && tcp.dstport==80' \
	-T fields -e ip.dst -e ipv6.dst -e ip.dst_host -e ipv6.dst_host 2>/dev/null | awk '{print $1, $2}' | sort)"
check nrb_later_root_probed "$(tshark -r "$T/f.pcapng" -q -z hosts 2>/dev/null |
	awk '$2 == "ctr.lab.test" {print $1}')" 198.51.100.4
check nrb_process_filter "$(tshark -r "$T/c.pcapng" -q -z hosts 2>/dev/null |
	grep -oE '[a-z]+\.lab\.test' | sort -u | tr '\n' ' ')" "web.lab.test "

# no DNS on the wire (tcpdump's own capture), which did see the connections
stop "${PIDS[1]}"
check no_dns_on_wire "$(tcpdump -nr "$T/ref.pcap" 'port 53' 2>/dev/null | wc -l)" 0
check tcpdump_saw_syns "$(tcpdump -nr "$T/ref.pcap" 'dst port 80' 2>/dev/null |
	grep -c 'Flags \[S\],')" 3
