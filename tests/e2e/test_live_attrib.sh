#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Live capture and attribution, checked with independent readers: curl (client namespace) talks
# TLS to openssl s_server (server namespace). On both sides every packet curl sends must name
# curl (PID from the shell's $!) with openssl as the peer, and every packet openssl sends
# openssl with curl as the peer (tshark reads the pcapng comments); procap counts exactly what a tcpdump capturing the same interface
# at the same time counts; EPB direction flags match the addresses; timestamps agree with
# tcpdump's to the millisecond.
set -u
NS=lvat$$
. "$(dirname "$0")/live_lib.sh"
need tshark tcpdump curl openssl ss
netns_up

tls_server $B
SRV=$LAST_PID
start_procap cli $A -n -i ${A}0 -w "$T/cli.pcapng"
CLI=$LAST_PID
start_procap srv $B -n -i ${B}0 -w "$T/srv.pcapng"
SRVCAP=$LAST_PID
start_tcpdump td $A ${A}0
TD=$LAST_PID

ip netns exec $A curl -sk --resolve lab.test:443:$B4 https://lab.test/ -o "$T/body" &
CURL=$!
wait $CURL
check curl_ok "$?" 0
sleep 0.5
stop $CLI
stop $SRVCAP
stop $TD

# A packet's owner is the process that sent it, on this machine (here in the other namespace
# too), the other end its peer: curl's packets name curl (and openssl as peer), openssl's
# name openssl (and curl), on both sides.
conn="tcp.port==443"
owned() { # FILE FILTER OWNER PEER -> packets whose comment starts with OWNER's PID, PEER as peer
	fields "$1" "$2" frame.comment | grep "^PID: $3\\\\n" | grep -c "PeerPID: $4\\\\n"
}
total=$(fields "$T/cli.pcapng" "$conn" frame.number | wc -l)
out=$(fields "$T/cli.pcapng" "$conn && ip.src==$A4" frame.number | wc -l)
in=$(fields "$T/cli.pcapng" "$conn && ip.dst==$A4" frame.number | wc -l)
check_ge client_packets "$total" 10
check client_out_curl_peer_openssl "$(owned "$T/cli.pcapng" "$conn && ip.src==$A4" $CURL $SRV)" "$out"
check client_in_openssl_peer_curl "$(owned "$T/cli.pcapng" "$conn && ip.dst==$A4" $SRV $CURL)" "$in"
check client_syn_by_cookie "$(fields "$T/cli.pcapng" "$conn && tcp.flags.syn==1 && ip.src==$A4" \
	frame.comment | grep -c 'Source: cookie')" 1
# the SYN-ACK from the other namespace: its listener, found through the veth's peer namespace
check client_synack_by_peer_socket "$(fields "$T/cli.pcapng" \
	"$conn && tcp.flags.syn==1 && ip.dst==$A4" frame.comment | grep "^PID: $SRV\\\\n" |
	grep -c 'Source: cookie')" 1

# server side: the same from openssl's namespace; openssl listened before procap started (its
# socket got its storage from the /proc scan)
stotal=$(fields "$T/srv.pcapng" "$conn" frame.number | wc -l)
sout=$(fields "$T/srv.pcapng" "$conn && ip.src==$B4" frame.number | wc -l)
sin=$(fields "$T/srv.pcapng" "$conn && ip.dst==$B4" frame.number | wc -l)
check_ge server_packets "$stotal" 10
check server_out_openssl_peer_curl "$(owned "$T/srv.pcapng" "$conn && ip.src==$B4" $SRV $CURL)" \
	"$sout"
check server_in_curl_peer_openssl "$(owned "$T/srv.pcapng" "$conn && ip.dst==$B4" $CURL $SRV)" \
	"$sin"
check server_source_known "$(fields "$T/srv.pcapng" "$conn" frame.comment |
	grep -vcE 'Source: (proc|cookie|tuple)')" 0
check_ge server_out_by_socket "$(fields "$T/srv.pcapng" "$conn && ip.src==$B4" frame.comment |
	grep -c 'Source: cookie')" 1

# same packets as tcpdump on the same interface at the same time
check count_equals_tcpdump "$total" "$(fields "$T/td.pcap" "$conn" frame.number | wc -l)"
check server_count_equals_client "$stotal" "$total"

# EPB direction flags (1 inbound, 2 outbound) agree with the addresses
check dir_out "$(fields "$T/cli.pcapng" "$conn && ip.src==$A4" frame.packet_flags_direction |
	sort -u)" 0x00000002
check dir_in "$(fields "$T/cli.pcapng" "$conn && ip.dst==$A4" frame.packet_flags_direction |
	sort -u)" 0x00000001

# timestamps: first SYN seen by procap and by tcpdump within 1 ms (no 1 s clock error)
t1=$(fields "$T/cli.pcapng" "tcp.flags.syn==1 && tcp.flags.ack==0" frame.time_epoch | head -1)
t2=$(fields "$T/td.pcap" "tcp.flags.syn==1 && tcp.flags.ack==0" frame.time_epoch | head -1)
check timestamp_within_1ms "$(python3 -c "print(abs($t1 - $t2) < 0.001)")" True

# the file is readable by capinfos and holds the tcpdump-style exit counters on stderr
check stats_line "$(grep -c 'packets captured' "$T/cli.err")" 1
check no_procap_filters_left "$(ip netns exec $A tc filter show dev ${A}0 ingress;
	ip netns exec $A tc filter show dev ${A}0 egress)" ""
