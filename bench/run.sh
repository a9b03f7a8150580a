#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# procap benchmark: procap against tcpdump, xdpdump and tshark on this machine, in network
# namespaces this script creates (veth pair, 198.51.100.0/24) and removes on exit.
# See bench/README.md for the scenarios, the metrics and the last results.
#
#   make bench                       full run (median of BENCH_REPS=5, 6-10 minutes)
#   BENCH_QUICK=1 make bench         sanity run (1 repetition, small counts, about 1 minute)
#
# Knobs (environment): PROCAP (default build/procap), BENCH_REPS, BENCH_QUICK, BENCH_SCENARIOS
# ("1 2 3 4 5 6 7"), BENCH_PACKETS (flood size), BENCH_TCP_BYTES (scenario 7's TCP transfer,
# 300M), BENCH_SOAK_SECS (live capture duration of the memory scenario; 600 for the documented
# 10-minute run), BENCH_SOAK_PPS, BENCH_SOAK_TOOLS
# ("tcpdump procap"), BENCH_PIN (1: sender on CPU 0, capture tool on CPU 1), BENCH_KEEP (1: keep
# the raw results directory), BENCH_WARM (0: no page warming before a flood, see warm_pages),
# BENCH_PERF (1: `perf record -g` of procap and `perf record -a -g`
# during every procap flood, into build/bench/perf-SCENARIO-CASE-TOOL{,-all}.data).
# The benchmark reports; it never fails because a number missed its target.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PROCAP=$(realpath -m "${PROCAP:-$ROOT/build/procap}")
BIN=$(realpath -m "${BENCH_BIN:-$ROOT/build/bench}")
DATA=${BENCH_DATA:-$ROOT/build/bench}
QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then
	REPS=${BENCH_REPS:-1}
	PKTS=${BENCH_PACKETS:-50000}
	BIG_PKTS=${BENCH_BIG_PACKETS:-100000}
	TLS_FLOWS=${BENCH_TLS_FLOWS:-2000}
	MEM_FLOWS=${BENCH_MEM_FLOWS:-100000}
	SOAK_SECS=${BENCH_SOAK_SECS:-5}
	NOMATCH_PKTS=${BENCH_NOMATCH_PACKETS:-50000}
	TCP_BYTES=${BENCH_TCP_BYTES:-100M}
else
	REPS=${BENCH_REPS:-5}
	PKTS=${BENCH_PACKETS:-300000}
	BIG_PKTS=${BENCH_BIG_PACKETS:-1000000}
	TLS_FLOWS=${BENCH_TLS_FLOWS:-20000}
	MEM_FLOWS=${BENCH_MEM_FLOWS:-1000000}
	SOAK_SECS=${BENCH_SOAK_SECS:-20}
	NOMATCH_PKTS=${BENCH_NOMATCH_PACKETS:-500000}
	TCP_BYTES=${BENCH_TCP_BYTES:-300M}
fi
SOAK_PPS=${BENCH_SOAK_PPS:-50000}
IDLE_SECS=5
EXEC_LOAD=2000	# processes run during the idle measurement (scenario 2)
SCENARIOS=${BENCH_SCENARIOS:-1 2 3 4 5 6 7}
PIN=${BENCH_PIN:-1}
FLOOD_SECS=20		# hard time bound of every flood, whatever its packet count
GEN_CPU=0
CAP_CPU=1

NS_S=bn$$s		# sender namespace and its veth end (also the names of the interfaces)
NS_R=bn$$r		# receiver
A_S=198.51.100.1
A_R=198.51.100.2
A_SINK=198.51.100.3	# nobody has it: the receiver drops the flood in IP (forwarding off, no ICMP)

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }

[ "$(id -u)" = 0 ] || die "needs root (network namespaces, BPF)"
for b in gen pcount runstat; do
	[ -x "$BIN/$b" ] || die "$BIN/$b missing: run 'make bench' (or make OUT=build bench-bins)"
done
for t in ip taskset tcpdump python3; do
	command -v "$t" >/dev/null || die "$t not installed"
done
have() { command -v "$1" >/dev/null 2>&1; }

TMP=$(mktemp -d /dev/shm/procap-bench.XXXXXX 2>/dev/null || mktemp -d)
RES=$TMP/results.tsv
PIDS=()

cleanup() {
	for p in "${PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
	ip netns del "$NS_S" 2>/dev/null
	ip netns del "$NS_R" 2>/dev/null
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		log "raw results kept in $TMP"
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- network
setup_net() {
	ip netns add "$NS_S" && ip netns add "$NS_R" || die "cannot create network namespaces"
	for ns in "$NS_S" "$NS_R"; do
		# No IPv6 (router solicitations would add packets nobody sent), no forwarding.
		ip netns exec "$ns" sysctl -q -w net.ipv6.conf.default.disable_ipv6=1 \
			net.ipv6.conf.all.disable_ipv6=1 net.ipv4.ip_forward=0 >/dev/null
		ip -n "$ns" link set lo up
	done
	ip link add "$NS_S" netns "$NS_S" type veth peer name "$NS_R" netns "$NS_R" ||
		die "cannot create the veth pair"
	ip -n "$NS_S" addr add $A_S/24 dev "$NS_S"
	ip -n "$NS_R" addr add $A_R/24 dev "$NS_R"
	ip -n "$NS_S" link set "$NS_S" up
	ip -n "$NS_R" link set "$NS_R" up
	local mac_r mac_s
	mac_r=$(ip netns exec "$NS_R" cat /sys/class/net/"$NS_R"/address)
	mac_s=$(ip netns exec "$NS_S" cat /sys/class/net/"$NS_S"/address)
	ip -n "$NS_S" neigh replace $A_SINK lladdr "$mac_r" dev "$NS_S" nud permanent
	ip -n "$NS_S" neigh replace $A_R lladdr "$mac_r" dev "$NS_S" nud permanent
	ip -n "$NS_R" neigh replace $A_S lladdr "$mac_s" dev "$NS_R" nud permanent
}

# ---------------------------------------------------------------- helpers
pin() { # CPU CMD...: run CMD pinned to CPU when BENCH_PIN=1
	local cpu=$1
	shift
	if [ "$PIN" = 1 ]; then
		taskset -c "$cpu" "$@"
	else
		"$@"
	fi
}

# CPU clock ticks of PID so far (all threads), coarse on purpose: a tool that wakes up now and
# then to poll counts as idle.
cpu_ticks() {
	local s
	s=$(cat /proc/"$1"/stat 2>/dev/null) || { echo 0; return; }
	s=${s##*) }
	set -- $s
	echo $((${12} + ${13}))
}

# CPU time of PID so far in ns, all threads: sum_exec_runtime from /proc/PID/task/*/schedstat
# (nanoseconds; /proc/PID/stat's utime+stime count 10 ms ticks, too coarse for a filtered run).
cpu_ns() {
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%.0f\n", s}'
}

hwm_kb() { awk '/^VmHWM:/ {print $2}' /proc/"$1"/status 2>/dev/null || echo 0; }
rss_kb() { awk '/^VmRSS:/ {print $2}' /proc/"$1"/status 2>/dev/null || echo 0; }

record() { # SCENARIO CASE TOOL REP KEY VALUE
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RES"
}

# start_tool NS BASE CMD...: start a capture tool in NS (stdout to BASE.out, or TOOL_STDOUT if
# set; stderr to BASE.err), wait for its "listening on" line. Sets TOOL_PID; returns 1 if the
# tool exited or never got ready.
start_tool() {
	local ns=$1 base=$2
	shift 2
	: >"$base.out"
	ip netns exec "$ns" $(if [ "$PIN" = 1 ]; then echo taskset -c $CAP_CPU; fi) "$@" \
		>"${TOOL_STDOUT:-$base.out}" 2>"$base.err" &
	TOOL_PID=$!
	PIDS+=("$TOOL_PID")
	local i
	for i in $(seq 150); do
		grep -qs "listening on" "$base.err" "$base.out" && return 0
		kill -0 "$TOOL_PID" 2>/dev/null || break
		sleep 0.1
	done
	log "$1 did not start: $(head -c 300 "$base.err")"
	stop_tool
	return 1
}

stop_tool() {
	local i
	kill -INT "$TOOL_PID" 2>/dev/null
	for i in $(seq 100); do
		kill -0 "$TOOL_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$TOOL_PID" 2>/dev/null
	wait "$TOOL_PID" 2>/dev/null
}

# Wait until the tool has caught up: its output file and its CPU time unchanged for 1.5 s. That
# outlasts libpcap's 1 s buffer timeout, after which the kernel hands over a partly filled
# TPACKET_V3 block; stopping sooner would count packets still in the ring as lost.
drain() { # FILE
	local prev="" cur i same=0
	for i in $(seq 80); do
		sleep 0.25
		cur="$(stat -c %s "$1" 2>/dev/null) $(cpu_ticks "$TOOL_PID")"
		if [ "$cur" = "$prev" ]; then
			same=$((same + 1))
			[ $same -ge 6 ] && return
		else
			same=0
		fi
		prev=$cur
	done
}

dropped() { # BASE: kernel drops the tool reported at exit
	local n
	n=$(grep -hoE '[0-9]+ packets? dropped by (kernel|perf ring)' "$1.err" "$1.out" | head -1)
	[ -z "$n" ] && n=$(grep -hoiE '[0-9]+ (packets? )?dropped' "$1.err" "$1.out" | head -1)
	echo "${n%% *}"
}

record_gen() { # SCENARIO CASE TOOL REP: what the last gen reported
	record "$@" sent "$SENT"
	record "$@" matched "$MATCHED"
	record "$@" pps "$PPS"
	record "$@" gen_cpu_s "$GEN_CPU_S"
}

# gen ARGS...: one flood from the sender namespace; sets SENT, MATCHED, PPS and GEN_CPU_S (the
# sender's own CPU seconds from wait4(), which include the in-kernel send path, the capture
# tools' hooks that run in its context, and the softirq receive work done on its behalf).
gen() {
	local out
	out=$(ip netns exec "$NS_S" $(if [ "$PIN" = 1 ]; then echo taskset -c $GEN_CPU; fi) \
		"$BIN/runstat" -- "$BIN/gen" -d $A_SINK -p 9 -t $FLOOD_SECS "$@" 2>&1)
	[[ $out =~ sent=([0-9]+)\ matched=([0-9]+).*pps=([0-9]+) ]] || die "gen: bad output '$out'"
	SENT=${BASH_REMATCH[1]}
	MATCHED=${BASH_REMATCH[2]}
	PPS=${BASH_REMATCH[3]}
	[[ $out =~ runstat\ wall=[0-9.]+\ cpu=([0-9.]+) ]] || die "gen: no runstat line in '$out'"
	GEN_CPU_S=${BASH_REMATCH[1]}
}

# start_capture TOOL BASE FILE: starts capture tool TOOL (none | tcpdump | procap | tcpdump-U |
# procap-U | procap-tcpinfo | xdpdump | procap-xdp) writing FILE; SNAP and FILTER come from
# globals. Returns 1 if it did not start.
start_capture() {
	local tool=$1 base=$2 file=$3 ns=$NS_S ifc=$NS_S snap=()
	[ -n "$SNAP" ] && snap=(-s "$SNAP")
	case $tool in
	none) ;;
	tcpdump) start_tool $ns "$base" tcpdump -i $ifc -n "${snap[@]}" -w "$file" $FILTER ;;
	procap) start_tool $ns "$base" "$PROCAP" -i $ifc "${snap[@]}" -w "$file" $FILTER ;;
	procap-tcpinfo)
		start_tool $ns "$base" "$PROCAP" --tcpinfo -i $ifc "${snap[@]}" -w "$file" $FILTER ;;
	tcpdump-U)
		start_tool $ns "$base" tcpdump -U -i $ifc -n "${snap[@]}" -w "$file" $FILTER ;;
	procap-U)
		start_tool $ns "$base" "$PROCAP" -U -i $ifc "${snap[@]}" -w "$file" $FILTER ;;
	xdpdump)
		ns=$NS_R ifc=$NS_R
		start_tool $ns "$base" xdpdump -i $ifc --load-xdp-program "${snap[@]}" -w "$file" ;;
	procap-xdp)
		ns=$NS_R ifc=$NS_R
		start_tool $ns "$base" "$PROCAP" --xdp -i $ifc "${snap[@]}" -w "$file" $FILTER ;;
	esac
}

# finish_capture SCEN CASE TOOL REP BASE FILE COUNTFILTER T0: after the traffic, waits for the tool
# to catch up, stops it and records its CPU since T0 (ns), peak RSS, packets in FILE matching
# COUNTFILTER, drops and file size.
finish_capture() {
	local scen=$1 case=$2 tool=$3 rep=$4 base=$5 file=$6 cfilter=$7 t0=$8 t1 hwm
	drain "$file"
	t1=$(cpu_ns "$TOOL_PID")
	hwm=$(hwm_kb "$TOOL_PID")
	stop_tool
	record "$scen" "$case" "$tool" "$rep" cpu_s "$(awk -v a="$t0" -v b="$t1" \
		'BEGIN {printf "%.4f", (b - a) / 1e9}')"
	record "$scen" "$case" "$tool" "$rep" hwm_kb "$hwm"
	record "$scen" "$case" "$tool" "$rep" captured "$("$BIN/pcount" "$file" "$cfilter")"
	record "$scen" "$case" "$tool" "$rep" drops "$(dropped "$base")"
	record "$scen" "$case" "$tool" "$rep" file_bytes "$(stat -c %s "$file")"
	rm -f "$file"
}

# warm_pages GENARGS: writes and deletes, on the capture tool's CPU, a file as large as the
# flood's capture can grow (packets x (frame + 400) bytes). This VM hands freed memory back to
# its host at once (free page reporting: /sys/module/page_reporting), and the kernel's first
# write to such a page costs about 1.7 ns a byte against 0.28 for a page the guest still holds
# (3 GB to tmpfs: 5.4 s, then 0.84 s). That charge lands on whichever tool writes into
# reclaimed memory, in proportion to its bytes, and decided most of the spread between
# repetitions. Warm, every tool writes as it would on a machine that owns its memory.
# BENCH_WARM=0 skips it.
warm_pages() {
	[ "${BENCH_WARM:-1}" = 1 ] || return 0
	local size n
	[[ $1 =~ -s\ ([0-9]+) ]] && size=${BASH_REMATCH[1]} || size=1458
	[[ $1 =~ -n\ ([0-9]+) ]] && n=${BASH_REMATCH[1]} || n=$PKTS
	pin $CAP_CPU dd if=/dev/zero of="$TMP/warm" bs=1M \
		count=$(((n * (size + 42 + 400)) / 1048576 + 1)) status=none
	rm -f "$TMP/warm"
}

# flood SCEN CASE TOOL REP GENARGS COUNTFILTER: one capture run of TOOL during one flood.
flood() {
	local scen=$1 case=$2 tool=$3 rep=$4 genargs=$5 cfilter=$6
	local base=$TMP/$scen-$case-$tool-$rep file
	file=$base.cap
	start_capture "$tool" "$base" "$file" || return
	local t0=0 perf=() p
	[ "$tool" != none ] && t0=$(cpu_ns "$TOOL_PID")
	if [ "${BENCH_PERF:-0}" = 1 ] && [[ $tool == procap* ]]; then
		# procap's own process (the consumer), and system-wide with the BPF programs that run
		# in the sender's context (perf report --comms gen).
		perf record -q -g -p "$TOOL_PID" -o "$DATA/perf-$scen-$case-$tool.data" \
			>/dev/null 2>&1 &
		perf+=($!)
		perf record -q -a -g -o "$DATA/perf-$scen-$case-$tool-all.data" >/dev/null 2>&1 &
		perf+=($!)
		PIDS+=("${perf[@]}")
	fi
	[ "$tool" != none ] && warm_pages "$genargs"
	gen $genargs
	[ ${#perf[@]} -gt 0 ] && drain "$file"
	for p in "${perf[@]}"; do
		kill -INT "$p"
		wait "$p"
	done
	record_gen "$scen" "$case" "$tool" "$rep"
	[ "$tool" = none ] && return
	finish_capture "$scen" "$case" "$tool" "$rep" "$base" "$file" "$cfilter" "$t0"
}

rotate() { # REP ITEMS...: the items rotated left by REP, so each tool takes each slot in turn
	local r=$1
	shift
	local a=("$@") n=$# i
	for ((i = 0; i < n; i++)); do
		echo "${a[$(((i + r) % n))]}"
	done
}

# ---------------------------------------------------------------- scenarios
# 1: full capture to file, 64- and 1400-byte frames (Ethernet header included, no FCS).
scenario1() {
	local rep size item tool snap
	FILTER=""
	for rep in $(seq "$REPS"); do
		for size in 64 1400; do
			for item in $(rotate "$rep" none tcpdump:128 procap:128 tcpdump:full \
				procap:full); do
				tool=${item%%:*}
				snap=${item#*:}
				[ "$tool" = none ] && snap=""
				SNAP=$snap
				[ "$snap" = full ] && SNAP=0
				log "1 size=$size tool=$tool snap=${snap:--} rep=$rep"
				flood 1 "$size${snap:+-s$snap}" "$tool" "$rep" \
					"-s $((size - 42)) -n $PKTS" "udp and dst host $A_SINK"
			done
		done
		SNAP=128
		log "1 size=64 tcpdump and procap on the same flood, snap=128 rep=$rep"
		together 1 64-s128 "$rep" "-s 22 -n $PKTS" "udp and dst host $A_SINK"
	done
}

# together SCEN CASE REP GENARGS COUNTFILTER: tcpdump and procap capture the same flood at once,
# both on the capture CPU, each into its own file. The host's speed swings from minute to
# minute on this VM (a fixed loop: 57 to 105 ms); floods run one after the other meet
# different speeds, two tools on one flood meet the same. Recorded as tools tcpdump-same and
# procap-same.
together() {
	local scen=$1 case=$2 rep=$3 genargs=$4 cfilter=$5 tool pid t0 i
	local -A pids=() base=() file=() t0s=()
	for tool in tcpdump procap; do
		base[$tool]=$TMP/$scen-$case-$tool-same-$rep
		file[$tool]=${base[$tool]}.cap
		start_capture "$tool" "${base[$tool]}" "${file[$tool]}" || return
		pids[$tool]=$TOOL_PID
	done
	for tool in tcpdump procap; do
		t0s[$tool]=$(cpu_ns "${pids[$tool]}")
	done
	warm_pages "${genargs% -n *} -n $((2 * ${genargs##*-n }))"	# two files
	gen $genargs
	for tool in tcpdump procap; do
		TOOL_PID=${pids[$tool]}
		record_gen "$scen" "$case" "$tool-same" "$rep"
		finish_capture "$scen" "$case" "$tool-same" "$rep" "${base[$tool]}" "${file[$tool]}" \
			"$cfilter" "${t0s[$tool]}"
	done
}

# 6: what -U (a write per packet) costs each tool: 64-byte frames, snaplen 128, -w file.
scenario6() {
	local rep tool
	FILTER=""
	SNAP=128
	for rep in $(seq "$REPS"); do
		for tool in $(rotate "$rep" none tcpdump tcpdump-U procap procap-U); do
			log "6 tool=$tool rep=$rep"
			flood 6 64-s128 "$tool" "$rep" "-s 22 -n $PKTS" "udp and dst host $A_SINK"
		done
	done
}

# tcp_send: one bulk TCP transfer of TCP_BYTES from the sender to the receiver's iperf3 server;
# sets SENT (packets the sender's veth sent), PPS and GEN_CPU_S (iperf3's own CPU, the
# sender's context: the egress capture programs run in it).
tcp_send() {
	local out tx0 tx1 wall
	tx0=$(ip netns exec "$NS_S" cat /sys/class/net/"$NS_S"/statistics/tx_packets)
	out=$(ip netns exec "$NS_S" $(if [ "$PIN" = 1 ]; then echo taskset -c $GEN_CPU; fi) \
		timeout $((FLOOD_SECS + 10)) "$BIN/runstat" -- iperf3 -c $A_R -n "$TCP_BYTES" \
		-l 128K 2>&1 >/dev/null)
	tx1=$(ip netns exec "$NS_S" cat /sys/class/net/"$NS_S"/statistics/tx_packets)
	[[ $out =~ runstat\ wall=([0-9.]+)\ cpu=([0-9.]+).*status=0 ]] ||
		die "iperf3: bad run '$out'"
	wall=${BASH_REMATCH[1]}
	GEN_CPU_S=${BASH_REMATCH[2]}
	SENT=$((tx1 - tx0))
	PPS=$(awk -v n="$SENT" -v w="$wall" 'BEGIN {printf "%.0f", n / w}')
}

# 7: what --tcpinfo costs: a bulk TCP transfer (iperf3) with the sender's veth limited to
# one-segment GSO packets (gso_max_segs 1), so that every 1448-byte segment is a packet the
# programs see (TC egress runs before software segmentation, and TCP builds GSO packets even
# with `ethtool -K gso off`; the per-segment cost is what --tcpinfo adds: a socket read and a
# second ring record); snaplen 128, -w file, on the sender's veth: tcpdump, procap, procap
# --tcpinfo.
scenario7() {
	local rep tool base srv t0
	have iperf3 || { log "iperf3 missing: scenario 7 skipped"; return; }
	FILTER=""
	SNAP=128
	ip -n "$NS_S" link set dev "$NS_S" gso_max_segs 1
	ip netns exec "$NS_R" iperf3 -s -B $A_R >/dev/null 2>&1 &
	srv=$!
	PIDS+=("$srv")
	sleep 0.5
	for rep in $(seq "$REPS"); do
		for tool in $(rotate "$rep" none tcpdump procap procap-tcpinfo); do
			log "7 tool=$tool rep=$rep"
			base=$TMP/7-tcp-$tool-$rep
			start_capture "$tool" "$base" "$base.cap" || continue
			t0=0
			[ "$tool" != none ] && t0=$(cpu_ns "$TOOL_PID")
			tcp_send
			record 7 tcp-s128 "$tool" "$rep" sent "$SENT"
			record 7 tcp-s128 "$tool" "$rep" pps "$PPS"
			record 7 tcp-s128 "$tool" "$rep" gen_cpu_s "$GEN_CPU_S"
			[ "$tool" = none ] && continue
			finish_capture 7 tcp-s128 "$tool" "$rep" "$base" "$base.cap" \
				"tcp and src host $A_S and dst port 5201" "$t0"
		done
	done
	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
	ip -n "$NS_S" link set dev "$NS_S" gso_max_segs 65535
}

# 2: filter matching 1% of a 64-byte flood.
scenario2() {
	local rep tool
	FILTER="udp port 443"
	SNAP=""
	for rep in $(seq "$REPS"); do
		for tool in $(rotate "$rep" none tcpdump procap); do
			log "2 tool=$tool rep=$rep"
			flood 2 64-1pct "$tool" "$rep" "-s 22 -n $PKTS -m 443 -M 1" "udp dst port 443"
		done
	done
	# the in-kernel filter's check: nothing of a UDP flood matches "tcp port 443", so every
	# packet in the file would be one the filter should have dropped
	FILTER="tcp port 443"
	for rep in $(seq "$REPS"); do
		for tool in $(rotate "$rep" none tcpdump procap); do
			log "2 nomatch tool=$tool rep=$rep"
			flood 2 64-nomatch "$tool" "$rep" "-s 22 -n $NOMATCH_PKTS" ""
		done
	done
	FILTER=""
	log "2 idle cost, ${IDLE_SECS}s per tool"
	idle_cost
}

# Idle cost: CPU a capture tool burns over IDLE_SECS with no packet on its interface, next to
# the machine's process creation rate (procap follows every exec/exit on the system), then its
# CPU per process while EXEC_LOAD short-lived processes run.
idle_cost() {
	local tool t0 t1 t2 f0 f1 base
	for tool in tcpdump procap; do
		base=$TMP/idle-$tool
		case $tool in
		tcpdump) start_tool $NS_S "$base" tcpdump -i $NS_S -n -w "$base.cap" ;;
		procap) start_tool $NS_S "$base" "$PROCAP" -i $NS_S -w "$base.cap" ;;
		esac || continue
		sleep 1
		t0=$(cpu_ns "$TOOL_PID")
		f0=$(awk '/^processes/ {print $2}' /proc/stat)
		sleep "$IDLE_SECS"
		t1=$(cpu_ns "$TOOL_PID")
		f1=$(awk '/^processes/ {print $2}' /proc/stat)
		# then an exec load: EXEC_LOAD short-lived processes, still no packet
		for _ in $(seq "$EXEC_LOAD"); do /bin/true; done
		t2=$(cpu_ns "$TOOL_PID")
		stop_tool
		rm -f "$base.cap"
		record 2 idle "$tool" 1 cpu_ms_per_s "$(awk -v a="$t0" -v b="$t1" -v s="$IDLE_SECS" \
			'BEGIN {printf "%.2f", (b - a) / 1e6 / s}')"
		record 2 idle "$tool" 1 forks_per_s "$(((f1 - f0) / IDLE_SECS))"
		record 2 idle "$tool" 1 cpu_us_per_exec "$(awk -v a="$t1" -v b="$t2" -v n="$EXEC_LOAD" \
			'BEGIN {printf "%.2f", (b - a) / 1e3 / n}')"
	done
}

# 3: XDP ingress on the receiving veth end, 64-byte flood.
scenario3() {
	local rep tool
	have xdpdump || log "xdpdump not installed: scenario 3 runs procap --xdp alone"
	FILTER=""
	SNAP=""
	for rep in $(seq "$REPS"); do
		for tool in $(rotate "$rep" none xdpdump procap-xdp); do
			[ "$tool" = xdpdump ] && ! have xdpdump && continue
			log "3 tool=$tool rep=$rep"
			flood 3 64-xdp "$tool" "$rep" "-s 22 -n $PKTS" "udp and dst host $A_SINK"
		done
	done
}

# Real ClientHellos (curl and openssl s_client against openssl s_server) as the seed of the
# synthetic TLS pcaps. Captured once into $DATA/tls-seed.pcap.
make_tls_seed() {
	local seed=$DATA/tls-seed.pcap
	[ -s "$seed" ] && return 0
	have openssl && have curl || { log "openssl/curl missing: no TLS seed"; return 1; }
	log "capturing real ClientHellos (curl, openssl s_client) into $seed"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/k.pem" -out "$TMP/c.pem" -days 1 \
		-subj /CN=lab.test >/dev/null 2>&1 || return 1
	ip netns exec "$NS_R" timeout 30 openssl s_server -quiet -accept 443 -key "$TMP/k.pem" \
		-cert "$TMP/c.pem" -www >/dev/null 2>&1 &
	local srv=$!
	PIDS+=("$srv")
	start_tool "$NS_S" "$TMP/seed" tcpdump -i "$NS_S" -n -s 4096 --immediate-mode \
		-w "$TMP/seed.pcap" tcp port 443 || return 1
	sleep 0.5
	ip netns exec "$NS_S" timeout 10 curl -sk --resolve lab.test:443:$A_R \
		https://lab.test/ -o /dev/null
	ip netns exec "$NS_S" timeout 10 openssl s_client -connect $A_R:443 -servername lab.test \
		-alpn h2,http/1.1 </dev/null >/dev/null 2>&1
	sleep 0.5
	stop_tool
	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
	mkdir -p "$DATA" && mv "$TMP/seed.pcap" "$seed"
}

make_inputs() {
	mkdir -p "$DATA"
	BIG=$DATA/big-$BIG_PKTS.pcap
	if [ ! -s "$BIG" ]; then
		log "synthesising $BIG ($BIG_PKTS packets, mixed TCP/UDP, IPv4/IPv6)"
		python3 "$ROOT/bench/pcapgen.py" mixed "$BIG_PKTS" "$BIG.tmp" && mv "$BIG.tmp" "$BIG"
	fi
	TLS=""
	FLOWS=""
	make_tls_seed || return 0
	TLS=$DATA/tls-$TLS_FLOWS.pcap
	if [ ! -s "$TLS" ]; then
		log "synthesising $TLS ($TLS_FLOWS TLS connections from the real ClientHellos)"
		python3 "$ROOT/bench/pcapgen.py" tls "$DATA/tls-seed.pcap" "$TLS_FLOWS" "$TLS.tmp" &&
			mv "$TLS.tmp" "$TLS"
	fi
	[ -s "$TLS" ] || TLS=""
	FLOWS=$DATA/flows-$MEM_FLOWS.pcap
	FLOWS_SMALL=$DATA/flows-$((MEM_FLOWS / 10)).pcap
	local f n
	for f in "$FLOWS" "$FLOWS_SMALL"; do
		[ -s "$f" ] && continue
		n=${f##*flows-}
		n=${n%.pcap}
		log "synthesising $f ($n distinct flows, first half of a ClientHello each)"
		python3 "$ROOT/bench/pcapgen.py" flows "$DATA/tls-seed.pcap" "$n" "$f.tmp" &&
			mv "$f.tmp" "$f"
	done
	[ -s "$FLOWS" ] && [ -s "$FLOWS_SMALL" ] || FLOWS=""
}

# replay SCEN CASE TOOL REP OUTFILE CMD...: one timed run of CMD with stdout to OUTFILE.
replay() {
	local scen=$1 case=$2 tool=$3 rep=$4 out=$5 line
	shift 5
	line=$("$BIN/runstat" -- "$@" 2>&1 >"$out" | grep '^runstat ' | tail -1)
	[[ $line =~ wall=([0-9.]+)\ cpu=([0-9.]+).*maxrss_kb=([0-9]+)\ status=([0-9]+) ]] ||
		{ log "$tool: no runstat line"; return 1; }
	if [ "${BASH_REMATCH[4]}" != 0 ]; then
		log "$case $tool exited with status ${BASH_REMATCH[4]}"
		return 1
	fi
	record "$scen" "$case" "$tool" "$rep" wall_s "${BASH_REMATCH[1]}"
	record "$scen" "$case" "$tool" "$rep" cpu_s "${BASH_REMATCH[2]}"
	record "$scen" "$case" "$tool" "$rep" maxrss_kb "${BASH_REMATCH[3]}"
}

# 4: replay speed: text printing vs tcpdump, SNI extraction vs tshark.
scenario4() {
	local rep tool n
	n=$BIG_PKTS
	for rep in $(seq "$REPS"); do
		for tool in $(rotate "$rep" tcpdump procap procap-flows); do
			log "4 text tool=$tool rep=$rep"
			case $tool in
			tcpdump) replay 4 text "$tool" "$rep" /dev/null tcpdump -n -r "$BIG" ;;
			procap) replay 4 text "$tool" "$rep" /dev/null "$PROCAP" -n -r "$BIG" ;;
			# --flows: the connection table instead of a line per packet (its CPU per
			# packet must not exceed text mode's)
			procap-flows) replay 4 text "$tool" "$rep" /dev/null "$PROCAP" -n -r "$BIG" \
					--flows ;;
			esac
			record 4 text "$tool" "$rep" packets "$n"
		done
	done
	# Same lines? (not timed; tells whether the speed comparison compares like with like)
	tcpdump -n -r "$BIG" >"$TMP/big.tcpdump" 2>/dev/null
	if "$PROCAP" -n -r "$BIG" >"$TMP/big.procap" 2>/dev/null; then
		record 4 text check 1 lines_tcpdump "$(wc -l <"$TMP/big.tcpdump")"
		record 4 text check 1 lines_differing \
			"$(diff "$TMP/big.tcpdump" "$TMP/big.procap" | grep -c '^<')"
	fi
	rm -f "$TMP/big.tcpdump" "$TMP/big.procap"

	[ -n "$TLS" ] || { log "no TLS pcap: SNI part of scenario 4 skipped"; return; }
	have tshark || { log "tshark missing: SNI part of scenario 4 skipped"; return; }
	n=$TLS_FLOWS
	for rep in $(seq "$REPS"); do
		for tool in $(rotate "$rep" tshark procap-summary procap-json); do
			log "4 sni tool=$tool rep=$rep"
			case $tool in
			tshark) replay 4 sni "$tool" "$rep" "$TMP/sni.$tool" tshark -r "$TLS" -T fields \
					-e tls.handshake.extensions_server_name ;;
			procap-summary) replay 4 sni "$tool" "$rep" "$TMP/sni.$tool" "$PROCAP" -r "$TLS" \
					--summary ;;
			procap-json) replay 4 sni "$tool" "$rep" "$TMP/sni.$tool" "$PROCAP" -r "$TLS" \
					--json ;;
			esac || continue
			record 4 sni "$tool" "$rep" hellos "$n"
			record 4 sni "$tool" "$rep" sni_found \
				"$(grep -oE 'host[0-9]+\.bench\.example' "$TMP/sni.$tool" | sort -u | wc -l)"
		done
	done
	rm -f "$TMP"/sni.*
}

# 5: memory. (a) replay of FLOWS distinct half-ClientHello flows vs a tenth of them: a bounded
# flow table gives the same peak RSS. (b) live capture for SOAK_SECS at SOAK_PPS with 1M
# distinct source (address, port) flows, RSS sampled every 5 s.
scenario5() {
	if [ -n "$FLOWS" ]; then
		local f
		for f in "$FLOWS_SMALL" "$FLOWS"; do
			local n=${f##*flows-}
			n=${n%.pcap}
			log "5 replay flows=$n"
			replay 5 "flows-$n" procap-summary 1 /dev/null "$PROCAP" -r "$f" --summary
			replay 5 "flows-$n" procap-json 1 /dev/null "$PROCAP" -r "$f" --json
			# --flows keeps at most --max-flows connections (65536): evictions, same RSS
			replay 5 "flows-$n" procap-flows 1 /dev/null "$PROCAP" -r "$f" --flows
			# tshark keeps every flow (~5 KB each): as a reference on the small file only
			[ "$f" = "$FLOWS_SMALL" ] && have tshark &&
				replay 5 "flows-$n" tshark 1 /dev/null tshark -r "$f" -T fields \
					-e tls.handshake.extensions_server_name
		done
	fi
	local tool base i rss t0 t1
	for tool in ${BENCH_SOAK_TOOLS:-tcpdump procap}; do
		base=$TMP/soak-$tool
		log "5 soak tool=$tool ${SOAK_SECS}s at ${SOAK_PPS} pps, 1M flows"
		# Text output to /dev/null: the tool formats every line, nothing accumulates.
		case $tool in
		tcpdump) TOOL_STDOUT=/dev/null start_tool $NS_S "$base" tcpdump -i $NS_S -n ;;
		procap) TOOL_STDOUT=/dev/null start_tool $NS_S "$base" "$PROCAP" -i $NS_S -n ;;
		esac || continue
		t0=$(cpu_ns "$TOOL_PID")
		record 5 soak "$tool" 1 rss_start_kb "$(rss_kb "$TOOL_PID")"
		ip netns exec "$NS_S" $(if [ "$PIN" = 1 ]; then echo taskset -c $GEN_CPU; fi) \
			"$BIN/gen" -d $A_SINK -p 9 -S 198.51.100.16 --flows 1000000 -s 22 \
			-r "$SOAK_PPS" -n $((SOAK_PPS * SOAK_SECS)) -t $((SOAK_SECS + 5)) \
			>"$base.gen" &
		local g=$!
		PIDS+=("$g")
		for ((i = 5; i <= SOAK_SECS; i += 5)); do
			sleep 5
			record 5 soak "$tool" 1 "rss_${i}s_kb" "$(rss_kb "$TOOL_PID")"
		done
		wait "$g"
		drain /dev/null
		t1=$(cpu_ns "$TOOL_PID")
		record 5 soak "$tool" 1 rss_end_kb "$(rss_kb "$TOOL_PID")"
		record 5 soak "$tool" 1 hwm_kb "$(hwm_kb "$TOOL_PID")"
		record 5 soak "$tool" 1 cpu_s "$(awk -v a="$t0" -v b="$t1" \
			'BEGIN {printf "%.4f", (b - a) / 1e9}')"
		stop_tool
		[[ $(cat "$base.gen") =~ sent=([0-9]+) ]] && record 5 soak "$tool" 1 sent \
			"${BASH_REMATCH[1]}"
		record 5 soak "$tool" 1 drops "$(dropped "$base")"
	done
}

# ---------------------------------------------------------------- main
MACHINE="$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo |
	cut -d: -f2 | sed 's/^ //')), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
log "$MACHINE"
log "procap: $PROCAP; reps=$REPS packets/flood=$PKTS quick=$QUICK scenarios: $SCENARIOS"
[ -x "$PROCAP" ] || log "$PROCAP missing: procap rows will be empty"
: >"$RES"
setup_net
for s in $SCENARIOS; do
	case $s in
	4 | 5) [ -n "${BIG:-}" ] || make_inputs ;;
	esac
	"scenario$s"
done
echo
echo "procap benchmark: $MACHINE"
echo "procap: $PROCAP ($("$PROCAP" --version 2>/dev/null | head -1)); $(tcpdump --version 2>&1 |
	head -1); $(xdpdump --version 2>&1 | head -1); $(tshark --version 2>/dev/null | head -1)"
echo "reps=$REPS (median), packets per flood=$PKTS, replay: $BIG_PKTS packets, $TLS_FLOWS TLS" \
	"connections, $MEM_FLOWS flows; soak ${SOAK_SECS}s at $SOAK_PPS pps"
python3 "$ROOT/bench/report.py" "$RES"
mkdir -p "$DATA"
cp "$RES" "$DATA/results-$(date -u +%Y%m%dT%H%M).tsv"
