#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Live capture and attribution, checked with independent readers: curl (client namespace) talks
# TLS to openssl s_server (server namespace). procap on the client side must put curl's PID and
# comm on >= 99% of the connection's packets (tshark reads the pcapng comments), procap on the
# server side openssl's PID; procap counts exactly what a tcpdump capturing the same interface
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

# client side: curl's connection, both directions
conn="tcp.port==443"
total=$(fields "$T/cli.pcapng" "$conn" frame.number | wc -l)
mine=$(fields "$T/cli.pcapng" "$conn" frame.comment | grep "PID: $CURL\\\\n" | grep -c 'Cmd: curl')
check_ge client_packets "$total" 10
check_ge client_attributed_99pct "$((mine * 100))" "$((total * 99))"
check client_in_attributed "$(fields "$T/cli.pcapng" "$conn && ip.dst==$A4" frame.comment |
	grep -vc "PID: $CURL\\\\n")" 0
check client_syn_by_cookie "$(fields "$T/cli.pcapng" "$conn && tcp.flags.syn==1 && ip.src==$A4" \
	frame.comment | grep -c 'Source: cookie')" 1
check client_synack_by_tuple "$(fields "$T/cli.pcapng" "$conn && tcp.flags.syn==1 && ip.dst==$A4" \
	frame.comment | grep -c 'Source: tuple')" 1

# server side: openssl's packets
stotal=$(fields "$T/srv.pcapng" "$conn" frame.number | wc -l)
smine=$(fields "$T/srv.pcapng" "$conn" frame.comment | grep "PID: $SRV\\\\n" | grep -c 'Cmd: openssl')
check_ge server_packets "$stotal" 10
check_ge server_attributed_99pct "$((smine * 100))" "$((stotal * 99))"
# the server listened before procap started: the /proc scan names the owner of what reaches it
# until openssl sends (its SYN, the SYN-ACK the kernel answers with); what openssl's own system
# calls send is named by the sending task through the socket (cookie), which also teaches the
# tuple map who gets the rest of the connection (tuple)
check server_source_known "$(fields "$T/srv.pcapng" "$conn" frame.comment |
	grep -vcE 'Source: (proc|cookie|tuple)')" 0
check server_syn_by_proc "$(fields "$T/srv.pcapng" "$conn && tcp.flags.syn==1" frame.comment |
	grep -c 'Source: proc')" 2
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
