# SPDX-License-Identifier: BSD-3-Clause
# Shared by the live tests/e2e/test_*.sh (sourced, not run): two network namespaces joined by a
# veth pair, start/stop helpers for procap, tcpdump and servers, and PASS/FAIL/SKIP printing.
# The caller sets NS (unique prefix, include $$) before sourcing.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PROCAP=${PROCAP:-$ROOT/${OUT:-build}/procap}
T=$(mktemp -d /tmp/procap-live.XXXXXX)
A=${NS}a B=${NS}b
A4=198.51.100.1 B4=198.51.100.2 A6=2001:db8:51::1 B6=2001:db8:51::2
PIDS=()

cleanup() {
	for p in "${PIDS[@]}"; do kill -INT "$p" 2>/dev/null; done
	sleep 0.2
	for p in "${PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	ip netns del $A 2>/dev/null
	ip netns del $B 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
check() { # NAME GOT WANT
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}
check_ge() { # NAME GOT MIN
	if [ "$2" -ge "$3" ] 2>/dev/null; then pass "$1"; else fail "$1" "got '$2', want >= $3"; fi
}
need() {
	for t in "$@"; do
		command -v "$t" >/dev/null || { echo "SKIP $(basename "$0"): $t missing"; exit 0; }
	done
	[ -x "$PROCAP" ] || { echo "SKIP $(basename "$0"): $PROCAP not built"; exit 0; }
}

# netns_pair: namespaces $A and $B joined by the veth ${A}0 - ${B}0, all links up, no
# addresses (for tests that address it their own way). Skips the test without netns support.
# podman_bridge: the host end of podman's default network, podman0 with netavark, cni-podman0
# with CNI (Debian 12's podman takes either, by what is installed); empty if podman has none.
podman_bridge() {
	podman network inspect podman --format '{{.NetworkInterface}}' 2>/dev/null
}

netns_pair() {
	ip netns add $A && ip netns add $B || { echo "SKIP $(basename "$0"): no netns"; exit 0; }
	ip link add ${A}0 netns $A type veth peer name ${B}0 netns $B
	for n in $A $B; do ip -n $n link set lo up; done
	ip -n $A link set ${A}0 up
	ip -n $B link set ${B}0 up
}

# netns_up: netns_pair with $A4/$A6 on ${A}0, $B4/$B6 on ${B}0 and permanent neighbours.
netns_up() {
	netns_pair
	ip -n $A addr add $A4/24 dev ${A}0
	ip -n $B addr add $B4/24 dev ${B}0
	ip -n $A addr add $A6/64 dev ${A}0 nodad
	ip -n $B addr add $B6/64 dev ${B}0 nodad
	# permanent neighbours: no ARP/ND exchange in the middle of a measured flow
	local ma mb
	ma=$(ip netns exec $A cat /sys/class/net/${A}0/address)
	mb=$(ip netns exec $B cat /sys/class/net/${B}0/address)
	ip -n $A neigh replace $B4 lladdr "$mb" dev ${A}0 nud permanent
	ip -n $A neigh replace $B6 lladdr "$mb" dev ${A}0 nud permanent
	ip -n $B neigh replace $A4 lladdr "$ma" dev ${B}0 nud permanent
	ip -n $B neigh replace $A6 lladdr "$ma" dev ${B}0 nud permanent
}

# wait_for FILE TEXT [PID]: until TEXT appears in FILE (10 s at most; 1 at once if PID is gone).
wait_for() {
	local i
	for i in $(seq 100); do
		grep -qs "$2" "$1" && return 0
		[ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null && return 1
		sleep 0.1
	done
	return 1
}

# wait_listening ERRFILE PID: for a procap started by the caller; 0 once it says "listening
# on", 2 if this build has no live capture ("not implemented"), 1 if PID is gone or 10 s pass.
wait_listening() {
	local i
	for i in $(seq 100); do
		grep -qs "listening on" "$1" && return 0
		grep -qs "not implemented" "$1" && return 2
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# start_procap NAME NETNS ARGS...: procap in the background, stderr in $T/NAME.err, stdout in
# $T/NAME.out; waits for its "listening on" line. Sets LAST_PID.
start_procap() {
	local name=$1 ns=$2
	shift 2
	ip netns exec "$ns" "$PROCAP" "$@" >"$T/$name.out" 2>"$T/$name.err" &
	LAST_PID=$!
	PIDS+=("$LAST_PID")
	wait_for "$T/$name.err" "listening on" || fail "$name: start" "$(head -3 "$T/$name.err")"
}

# start_tcpdump NAME NETNS IFACE: tcpdump -w $T/NAME.pcap in the background. Sets LAST_PID.
start_tcpdump() {
	ip netns exec "$2" tcpdump -i "$3" -n --immediate-mode -w "$T/$1.pcap" 2>"$T/$1.err" &
	LAST_PID=$!
	PIDS+=("$LAST_PID")
	wait_for "$T/$1.err" "listening on" || fail "$1: tcpdump start" "$(head -3 "$T/$1.err")"
}

# stop PID: SIGINT and wait (procap drains its ring and closes the file).
stop() {
	kill -INT "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# tls_server NETNS: openssl s_server on port 443 (dual stack). Sets LAST_PID.
tls_server() {
	[ -f "$T/k.pem" ] || openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/k.pem" \
		-out "$T/c.pem" -days 1 -subj /CN=lab.test 2>/dev/null
	ip netns exec "$1" openssl s_server -quiet -accept 443 -key "$T/k.pem" -cert "$T/c.pem" \
		-www >/dev/null 2>&1 &
	LAST_PID=$!
	PIDS+=("$LAST_PID")
	local i
	for i in $(seq 50); do
		ip netns exec "$1" ss -ltn 2>/dev/null | grep -q ':443 ' && return 0
		sleep 0.1
	done
}

# fields FILE FILTER FIELDS...: tshark fields of the packets matching FILTER.
fields() {
	local f=$1 flt=$2
	shift 2
	local args=()
	for x in "$@"; do args+=(-e "$x"); done
	tshark -r "$f" -Y "$flt" -T fields -E separator='|' "${args[@]}" 2>/dev/null
}
