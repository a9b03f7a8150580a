#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Attribution truth: every sender writes its own PID and TID into each payload (tests/e2e/
# truth.py), so every packet says who sent it; the checker compares procap's pcapng comments
# with that and prints precision (named packets named right, must be 100%), recall
# (attributable packets named, >= 99.5%) and the peer per scenario. Kernel-originated packets
# (ARP, ND, RS, MLD, IGMP, port unreachable, resets of closed ports) must carry no owner.
#  1. procap in namespace A (-i any, and two more with -Q in / -Q out), traffic between A and B
#     (another namespace: its processes are local too): TCP/UDP over IPv4/IPv6 both ways, lo,
#     a connection older than procap, prefork workers, threads, short-lived clients, a socket
#     passed over SCM_RIGHTS, ping and raw ICMP echo, kernel traffic; servers bound to the
#     wildcard address in A, which forwards nothing (a host's default), name their process as
#     the peer of every packet they receive.
#  2. procap in router namespace H (the shape of a container host): N behind masquerade, R
#     outside; N -> R through NAT, R -> H:8080 port-forwarded (DNAT) to N, H itself -> N.
#  3. podman: a container's curl to a server on the host, captured on podman0 (skipped without
#     podman or the image tools).
set -u
NS=attr$$
. "$(dirname "$0")/live_lib.sh"
need python3 ip
PY=$(command -v /usr/bin/python3 || command -v python3)
TR="$PY $ROOT/tests/e2e/truth.py"
netns_up
# ping sockets (SOCK_DGRAM, IPPROTO_ICMP) for every group
ip netns exec $A sysctl -qw net.ipv4.ping_group_range="0 2147483647"

# roles run in the background; wait_ready waits for a server's "ready" file
role() { # NAME NETNS ROLE ARGS...
	local name=$1 ns=$2
	shift 2
	TRUTH_READY=$T/$name.ready ip netns exec "$ns" timeout 40 $TR "$@" >/dev/null \
		2>"$T/$name.rerr" &
	LAST_PID=$!
	PIDS+=("$LAST_PID")
}
wait_ready() { wait_for "$T/$1.ready" "" || [ -e "$T/$1.ready" ] || fail "$1" "not ready"; }
serve() { # NAME NETNS ROLE ARGS...: a server role, waited for
	role "$@"
	local i
	for i in $(seq 100); do [ -e "$T/$1.ready" ] && return; sleep 0.05; done
	fail "$1" "server not ready: $(head -2 "$T/$1.rerr")"
}
run() { # NETNS ROLE ARGS...: a client role, in the foreground
	local ns=$1
	shift
	ip netns exec "$ns" timeout 20 $TR "$@" >/dev/null 2>>"$T/clients.err" ||
		echo "client $* failed: $(tail -1 "$T/clients.err")" >>"$T/client-failures"
}

# ---------------------------------------------------------------- 1: A <-> B
# neighbours of the second pair are not permanent: the kernel resolves them (ARP, ND)
ip link add ${A}k netns $A type veth peer name ${B}k netns $B
ip -n $A addr add 192.0.2.1/24 dev ${A}k
ip -n $B addr add 192.0.2.2/24 dev ${B}k
ip -n $A addr add 2001:db8:77::1/64 dev ${A}k nodad
ip -n $B addr add 2001:db8:77::2/64 dev ${B}k nodad
ip -n $A link set ${A}k up
ip -n $B link set ${B}k up

serve old_srv $B tcp-server $B4 7009
role old_cli $A tcp-client-old $B4 7009 "$T/go"
wait_ready old_cli
serve tcp_srv $B tcp-server $B4 7001
serve tcp6_srv $B tcp-server $B6 7002
serve udp_srv $B udp-server $B4 7003
serve udp6_srv $B udp-server $B6 7004

start_procap any $A -n -i any -w "$T/any.pcapng"
CAP_ANY=$LAST_PID
start_procap qin $A -n -i ${A}0 -Q in -w "$T/qin.pcapng"
CAP_QIN=$LAST_PID
start_procap qout $A -n -i ${A}0 -Q out -w "$T/qout.pcapng"
CAP_QOUT=$LAST_PID
touch "$T/go"

serve a_srv $A tcp-server $A4 7005
serve a_usrv $A udp-server $A4 7006
serve lo_srv $A tcp-server 127.0.0.1 7007
serve lo_usrv $A udp-server 127.0.0.1 7008
serve fork_srv $A tcp-server $A4 7010 3
# forwarding off: bpf_fib_lookup() then answers without a lookup, and a wildcard socket's
# packets must still be seen as local (whatever the host's own setting this namespace inherits)
ip netns exec $A sysctl -qw net.ipv4.conf.all.forwarding=0 net.ipv4.conf.${A}0.forwarding=0 \
	net.ipv6.conf.all.forwarding=0
serve wild_srv $A tcp-server 0.0.0.0 7015
serve wild_usrv $A udp-server 0.0.0.0 7016
serve wild_usrv6 $A udp-server :: 7017
serve thr_srv $B udp-server $B4 7011
serve exit_srv $B tcp-server $B4 7012
serve scm_srv $B udp-server $B4 7013
serve conn_srv $B udp-server $B4 7014

run $A tcp-client $B4 7001
run $A tcp-client $B6 7002
run $A udp-client $B4 7003
run $A udp-client $B6 7004
run $B tcp-client $A4 7005
run $B udp-client $A4 7006
run $B tcp-client $A4 7015
run $B udp-client $A4 7016
run $B udp-client $A6 7017
run $A tcp-client 127.0.0.1 7007
run $A udp-client 127.0.0.1 7008
for i in 1 2 3; do run $B tcp-client $A4 7010; done
run $A udp-threads $B4 7011
for i in 1 2 3; do run $A tcp-client-exit $B4 7012; done
run $A scm-client $B4 7013
run $A udp-client-connected $B4 7014
run $A ping $B4
run $A raw-ping $B4

# kernel traffic: ARP and ND on the way of a datagram whose sender then exits; a router
# solicitation and MLD reports when the link comes back up; IGMP; a port unreachable; resets
ip netns exec $A sysctl -qw net.ipv6.conf.${A}k.router_solicitations=1 2>/dev/null
run $A udp-once 192.0.2.2 7020
run $A udp-once 2001:db8:77::2 7021
ip -n $A neigh flush dev ${A}k
run $B udp-once 192.0.2.1 7022
run $B udp-once 2001:db8:77::1 7023
run $B tcp-closed 192.0.2.1 7024
run $B tcp-closed 2001:db8:77::1 7025
run $A mcast-join 239.1.2.3 192.0.2.1
ip -n $A link set ${A}k down
ip -n $A link set ${A}k up
sleep 1.5
stop $CAP_ANY
stop $CAP_QIN
stop $CAP_QOUT
[ -e "$T/client-failures" ] && fail clients "$(head -3 "$T/client-failures")"

flows="tcp4=7001 tcp6=7002 udp4=7003 udp6=7004 tcp_server=7005 udp_server=7006 lo_tcp=7007
	lo_udp=7008 old_socket=7009 prefork=7010 threads=7011 short_lived=7012 scm_rights=7013
	udp_connected=7014 icmp_echo=icmp exited_sender=7020,7021 wild_tcp=7015 wild_udp=7016
	wild_udp6=7017"
# TIDs are checked where every sending thread sends in the capture's namespace (a thread of
# B's TCP server is named by its process)
[ -n "${TRUTH_KEEP:-}" ] && cp "$T"/*.pcapng "$TRUTH_KEEP"/
$TR check "$T/any.pcapng" $flows kernel=kernel --closed=7022,7023,7024,7025 \
	--holder=7010:"$(head -1 "$T/fork_srv.ready")" \
	--tid=udp4,udp6,lo_tcp,lo_udp,threads,scm_rights,udp_connected,icmp_echo \
	--peer-all=wild_tcp,wild_udp,wild_udp6
for q in qin qout; do
	$TR check "$T/$q.pcapng" q_${q#q}=all --truth-from="$T/any.pcapng" \
		--holder=7010:"$(head -1 "$T/fork_srv.ready")"
done

# ---------------------------------------------------------------- 2: a router namespace
# H routes between N (192.0.2.0/24 behind masquerade) and R (203.0.113.0/24); procap runs in H,
# the processes in N and R: the packets it sees on the way are named after them, translated
# or not (connection tracking gives back each end's own view).
H=${NS}h N=${NS}n R=${NS}r
ip netns add $H && ip netns add $N && ip netns add $R
cleanup_router() { ip netns del $H; ip netns del $N; ip netns del $R; } 2>/dev/null
trap 'cleanup; cleanup_router' EXIT
ip link add hn netns $H type veth peer name nh netns $N
ip link add hr netns $H type veth peer name rh netns $R
for n in $H $N $R; do ip -n $n link set lo up; done
ip -n $H link set hn up && ip -n $H link set hr up
ip -n $N link set nh up && ip -n $R link set rh up
ip -n $H addr add 192.0.2.1/24 dev hn
ip -n $N addr add 192.0.2.10/24 dev nh
ip -n $H addr add 203.0.113.1/24 dev hr
ip -n $R addr add 203.0.113.2/24 dev rh
ip -n $N route add default via 192.0.2.1
ip netns exec $H sysctl -qw net.ipv4.ip_forward=1
NAT_OK=1
ip netns exec $H nft -f - <<'NFT' 2>"$T/nft.err" || NAT_OK=0
table ip procaptruth {
	chain pre { type nat hook prerouting priority -100; tcp dport 8080 dnat to 192.0.2.10:7102; }
	chain post { type nat hook postrouting priority 100; ip saddr 192.0.2.0/24 oifname "hr" masquerade; }
}
NFT
if [ $NAT_OK = 1 ]; then
	serve r_srv $R tcp-server 203.0.113.2 7101
	serve r_usrv $R udp-server 203.0.113.2 7104
	serve n_srv $N tcp-server 192.0.2.10 7102
	serve n_srv2 $N tcp-server 192.0.2.10 7103
	start_procap router $H -n -i any -w "$T/router.pcapng"
	CAP_ROUTER=$LAST_PID
	run $N tcp-client 203.0.113.2 7101
	run $N udp-client 203.0.113.2 7104
	run $R tcp-client 203.0.113.1 8080
	run $H tcp-client 192.0.2.10 7103
	sleep 0.5
	stop $CAP_ROUTER
	$TR check "$T/router.pcapng" nat_tcp=7101 nat_udp=7104 dnat_tcp=7102,8080 host_to_netns=7103
else	# the NAT cases mean nothing without the NAT
	echo "SKIP truth_router: no NAT rules ($(head -c 200 "$T/nft.err"))"
fi


# ---------------------------------------------------------------- 3: podman
# A container (own network namespace and cgroup; host PIDs so its shell's $$ is what procap
# names) runs curl against a server of the host, over podman's bridge; procap on the host
# captures podman0. curl writes its PID into a request header (exec keeps the shell's PID).
P=(podman --runtime runc --cgroup-manager cgroupfs)
if ! command -v podman >/dev/null || ! command -v runc >/dev/null; then
	echo "SKIP truth_podman: podman or runc missing"
	exit 0
fi
IMG=localhost/procap-truth-curl
if ! "${P[@]}" image exists $IMG 2>/dev/null; then
	R=$T/img
	mkdir -p $R/bin
	cp /usr/bin/curl /bin/sleep $R/bin/ && cp /bin/dash $R/bin/sh
	for l in $(ldd /usr/bin/curl /bin/dash /bin/sleep | awk '/=>/{print $3} /ld-linux/{print $1}' |
		sort -u); do
		mkdir -p "$R$(dirname "$l")" && cp -L "$l" "$R$l"
	done
	tar -C $R -cf $T/img.tar . && "${P[@]}" import -q $T/img.tar $IMG >/dev/null ||
		{ echo "SKIP truth_podman: podman import failed"; exit 0; }
fi
CTR=procap-truth-$$
# the host's server, in procap's (the host's) namespace
TRUTH_READY=$T/host_srv.ready timeout 40 $TR tcp-server 0.0.0.0 7201 >/dev/null 2>&1 &
PIDS+=($!)
for i in $(seq 100); do [ -e "$T/host_srv.ready" ] && break; sleep 0.05; done
"${P[@]}" run -d --rm --name $CTR --pid host --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
	$IMG /bin/sleep 30 >/dev/null 2>"$T/podman.err" ||
	{ echo "SKIP truth_podman: podman run failed: $(tail -1 "$T/podman.err")"; exit 0; }
trap '"${P[@]}" rm -f -t 0 $CTR >/dev/null 2>&1; cleanup; cleanup_router' EXIT
BRIDGE=$(podman_bridge)
"$PROCAP" -n -i "${BRIDGE:-podman0}" -w "$T/podman.pcapng" tcp port 7201 2>"$T/podman_cap.err" &
CAP_PODMAN=$!
PIDS+=($CAP_PODMAN)
wait_for "$T/podman_cap.err" "listening on" $CAP_PODMAN ||
	fail podman_cap "$(head -3 "$T/podman_cap.err")"
for i in 1 2 3; do
	"${P[@]}" exec $CTR /bin/sh -c 'exec /bin/curl -s -m 5 -H "X-Truth: TRUTH pid=$$ tid=$$ ." \
		http://10.88.0.1:7201/' >/dev/null 2>>"$T/podman.err"
done
sleep 0.5
stop $CAP_PODMAN
$TR check "$T/podman.pcapng" podman_host_container=7201
