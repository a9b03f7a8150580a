#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Privileges: live capture without the capabilities it needs is refused with one line naming
# the missing ones (as `nobody`, and as root with single capabilities taken away); the minimal
# set (CAP_BPF, CAP_NET_ADMIN, CAP_PERFMON) is enough. -Z USER: -r and live capture files are
# created as USER (owner checked), a directory USER cannot write is refused, the live run still
# detaches its TC filters at exit. A symlink planted at the -w path is refused, its target left
# untouched.
set -u
NS=rbtp$$
. "$(dirname "$0")/live_lib.sh"
need setpriv python3
P=$PROCAP
F=$ROOT/testdata/golden/eth_tcp.pcap
id nobody >/dev/null 2>&1 || { echo "SKIP privs: no user nobody"; exit 0; }
NOGROUP=$(id -gn nobody)
# the binary must be reachable by nobody: a copy in a world-readable place
mkdir -p "$T/bin" && cp "$P" "$T/bin/procap" && chmod 755 "$T" "$T/bin" "$T/bin/procap"
# the checkout itself may be unreadable to nobody (CI clones into a 0700 mktemp -d): give the
# unprivileged runs their own copy of the input too
cp "$F" "$T/in.pcap" && chmod 644 "$T/in.pcap" && F=$T/in.pcap
P=$T/bin/procap PROCAP=$T/bin/procap

# refused NAME WANT_MISSING CMD...: exit 1, one line naming exactly WANT_MISSING
refused() {
	local name=$1 want=$2 rc
	shift 2
	"$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	if [ "$rc" = 1 ] && [ "$(wc -l <"$T/err")" = 1 ] &&
		grep -q "^procap: live capture needs .*(missing: $want): run it as root or grant them" "$T/err"; then
		pass "privs: $name"
	else
		fail "privs: $name" "exit $rc: $(head -c 300 "$T/err" | tr '\n' '|')"
	fi
}
refused "as nobody: names CAP_BPF CAP_NET_ADMIN CAP_PERFMON" "CAP_BPF CAP_NET_ADMIN CAP_PERFMON" \
	setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups "$P" -i lo -c 1
refused "root without CAP_NET_ADMIN: names it" "CAP_NET_ADMIN" \
	setpriv --inh-caps=-net_admin --bounding-set=-net_admin "$P" -i lo -c 1
refused "root without CAP_BPF and CAP_SYS_ADMIN: names CAP_BPF" "CAP_BPF" \
	setpriv --inh-caps=-bpf,-sys_admin --bounding-set=-bpf,-sys_admin "$P" -i lo -c 1
refused "root without CAP_PERFMON and CAP_SYS_ADMIN: names CAP_PERFMON" "CAP_PERFMON" \
	setpriv --inh-caps=-perfmon,-sys_admin --bounding-set=-perfmon,-sys_admin "$P" -i lo -c 1
# -r needs nothing
setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups "$P" -r "$F" -n >"$T/out" 2>"$T/err"
check "privs: -r as nobody works" "$?:$(wc -l <"$T/out")" "0:$(tcpdump -n -r "$F" 2>/dev/null | wc -l)"

# ---- -Z with -r
mkdir -m 1777 "$T/shared"
"$P" -r "$F" -Z nobody -w "$T/shared/r.pcapng" 2>"$T/err"
check "-Z nobody -r: exit 0" "$?" 0
check "-Z nobody -r: file owned by nobody" "$(stat -c %U "$T/shared/r.pcapng" 2>/dev/null)" nobody
check "-Z nobody -r: file complete (tcpdump count)" \
	"$(tcpdump -r "$T/shared/r.pcapng" -n 2>/dev/null | wc -l)" "$(tcpdump -n -r "$F" 2>/dev/null | wc -l)"
mkdir -m 755 "$T/rootonly"
"$P" -r "$F" -Z nobody -w "$T/rootonly/r.pcapng" 2>"$T/err"
rc=$?
[ "$rc" = 1 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q "^procap: $T/rootonly/r.pcapng: Permission denied" "$T/err" &&
	[ ! -e "$T/rootonly/r.pcapng" ] && pass "-Z nobody: root-only directory refused" ||
	fail "-Z nobody: root-only directory refused" "exit $rc: $(cat "$T/err")"

# ---- symlink planted in the shared directory: refused, target untouched (as root, no -Z)
echo "precious" >"$T/target"
ln -s "$T/target" "$T/shared/planted.pcapng"
"$P" -r "$F" -w "$T/shared/planted.pcapng" 2>"$T/err"
rc=$?
[ "$rc" = 1 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q "^procap: $T/shared/planted.pcapng: " "$T/err" &&
	pass "symlink at -w path: refused with one line" ||
	fail "symlink at -w path: refused with one line" "exit $rc: $(cat "$T/err")"
check "symlink at -w path: target untouched" "$(cat "$T/target")" "precious"
check "symlink at -w path: still a symlink" "$([ -L "$T/shared/planted.pcapng" ] && echo yes)" yes

# ---- live: -Z nobody, and the minimal capability set, in a netns pair
netns_up
udp_burst() {	# udp_burst N: N datagrams from A to B port 9
	ip netns exec $A python3 - "$1" "$B4" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[1])):
    s.sendto(b"x" * 32, (sys.argv[2], 9))
    time.sleep(0.01)
EOF
}
start_procap zlive $A -i ${A}0 -Z nobody -w "$T/shared/live.pcapng" -c 5 udp port 9
pid=$LAST_PID
udp_burst 10
wait "$pid"
check "-Z nobody live: exit 0" "$?" 0
check "-Z nobody live: file owned by nobody" "$(stat -c %U "$T/shared/live.pcapng" 2>/dev/null)" nobody
check "-Z nobody live: 5 packets (tcpdump count)" \
	"$(tcpdump -r "$T/shared/live.pcapng" -n 2>/dev/null | wc -l)" 5
check "-Z nobody live: TC filters detached at exit" \
	"$(ip netns exec $A tc filter show dev ${A}0 ingress; ip netns exec $A tc filter show dev ${A}0 egress)" ""

ip netns exec $A setpriv --inh-caps=-all,+bpf,+net_admin,+perfmon \
	--bounding-set=-all,+bpf,+net_admin,+perfmon "$P" -i ${A}0 -c 3 -w "$T/min.pcapng" udp port 9 \
	>"$T/min.out" 2>"$T/min.err" &
pid=$!
PIDS+=("$pid")
wait_for "$T/min.err" "listening on" || fail "minimal caps: start" "$(head -3 "$T/min.err")"
udp_burst 6
wait "$pid"
check "minimal caps (bpf, net_admin, perfmon): live capture exit 0" "$?" 0
check "minimal caps: 3 packets" "$(tcpdump -r "$T/min.pcapng" -n 2>/dev/null | wc -l)" 3
