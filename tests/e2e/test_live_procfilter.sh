#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# In-kernel process filters and `procap -- CMD`. Two senders share one interface; each filter
# must keep exactly one sender's datagrams (told apart by destination port, read back with
# tshark): --pid, --pid --follow-forks (a child forked after the start), --comm, --uid,
# --cgroup, and a pcap expression combined with a process filter. `-- curl` writes exactly
# curl's packets (compared with a tcpdump full capture of the same run) while another process
# sends, and exits with the command's exit code.
set -u
NS=lvpf$$
. "$(dirname "$0")/live_lib.sh"
need tshark tcpdump curl openssl python3 ss
netns_up

# sender.py NAME UID PORT COUNT FORK: waits for $T/go, optionally forks a child that sends too
cat >"$T/sender.py" <<PY
import ctypes, os, socket, sys, time
name, uid, port, count, fork = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
ctypes.CDLL(None).prctl(15, name.encode(), 0, 0, 0)   # PR_SET_NAME: the comm
if uid:
    os.setuid(uid)
for _ in range(100):
    if os.path.exists("$T/go"): break
    time.sleep(0.1)
if fork and os.fork() == 0:
    port += 2
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(count):
    s.sendto(b"%s %d" % (name.encode(), i), ("$B4", port))
PY
chmod 644 "$T/sender.py"
chmod 755 "$T"

# run_case NAME PROCAP-ARGS...: senders alpha (uid 0, port 6001) and beta (uid 65534, port
# 6002) start, procap starts with the args, go; echoes "alpha beta" datagram counts in the file.
run_case() {
	local name=$1
	shift
	rm -f "$T/go"
	ip netns exec $A python3 "$T/sender.py" lvalpha 0 6001 5 "${FORK:-0}" &
	SA=$!
	ip netns exec $A python3 "$T/sender.py" lvbeta 65534 6002 5 0 &
	SB=$!
	if [ -n "${CGROUP:-}" ]; then echo $SB >"$CGROUP/cgroup.procs"; fi
	start_procap "$name" $A -n -i ${A}0 -w "$T/$name.pcapng" "${@//@ALPHA@/$SA}"
	local P=$LAST_PID
	touch "$T/go"
	wait $SA $SB
	sleep 0.3
	stop $P
	echo "$(fields "$T/$name.pcapng" "udp.dstport==6001 && !icmp" frame.number | wc -l)" \
	     "$(fields "$T/$name.pcapng" "udp.dstport==6002 && !icmp" frame.number | wc -l)" \
	     "$(fields "$T/$name.pcapng" "udp.dstport==6003 && !icmp" frame.number | wc -l)"
}

check pid_filter "$(run_case pid --pid @ALPHA@)" "5 0 0"
check pid_without_follow "$(FORK=1 run_case pidnf --pid @ALPHA@)" "5 0 0"
check pid_follow_forks "$(FORK=1 run_case pidff --pid @ALPHA@ --follow-forks)" "5 0 5"
check comm_filter "$(run_case comm --comm lvbeta)" "0 5 0"
check uid_filter "$(run_case uid --uid 65534)" "0 5 0"
check expr_and_process "$(run_case expr --uid 0 udp dst port 6002 or udp dst port 6001)" "5 0 0"
check expr_excludes "$(run_case expr2 --comm lvalpha udp dst port 6002)" "0 0 0"

CGROOT=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
if [ -n "$CGROOT" ] && mkdir "$CGROOT/procap-e2e-$$" 2>/dev/null; then
	CG="$CGROOT/procap-e2e-$$"
	mkdir "$CG/child"
	# --full-comments: every packet's comment, not only each flow's first, names the cgroup
	check cgroup_filter "$(CGROUP=$CG/child run_case cg --full-comments --cgroup "/procap-e2e-$$")" "0 5 0"
	# the comment names the cgroup as /proc/PID/cgroup does ("0::/procap-e2e-N/child")
	check cgroup_path_in_comment "$(fields "$T/cg.pcapng" "udp.dstport==6002 && !icmp" frame.comment |
		grep -cF "\\nCgroup: /procap-e2e-$$/child\\n")" 5
	check cgroup_filter_fs_path "$(CGROUP=$CG/child run_case cg2 --cgroup "$CG/child")" "0 5 0"
	rmdir "$CG/child" "$CG"
else
	echo "SKIP cgroup_filter: cannot create a cgroup v2 directory"
fi

# -- CMD: exactly curl's packets, while another process sends on the same interface
tls_server $B
ip netns exec $A python3 -c "
import socket, time; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(60): s.sendto(b'noise', ('$B4', 6009)); time.sleep(0.05)" &
NOISE=$!
start_tcpdump full $A ${A}0
TD=$LAST_PID
ip netns exec $A "$PROCAP" -n -i ${A}0 -w "$T/cmd.pcapng" --full-comments -- \
	curl -sk --resolve lab.test:443:$B4 https://lab.test/ -o "$T/body" 2>"$T/cmd.err"
check cmd_exit_code "$?" 0
wait $NOISE
sleep 0.3
stop $TD
want=$(fields "$T/full.pcap" "tcp.port==443" frame.number | wc -l)
check_ge cmd_tcpdump_saw_curl "$want" 10
check_ge cmd_noise_on_wire "$(fields "$T/full.pcap" "udp.dstport==6009 && !icmp" frame.number |
	wc -l)" 1
check cmd_exactly_curl "$(fields "$T/cmd.pcapng" "tcp.port==443" frame.number | wc -l)/$(
	fields "$T/cmd.pcapng" "" frame.number | wc -l)" "$want/$want"
check cmd_all_curl "$(fields "$T/cmd.pcapng" "" frame.comment | grep -c 'Cmd: curl')" "$want"
# the command's cgroup (procap-N below the root, removed at exit) named in the comment of
# every packet curl sent (the server's replies are the server's own, curl their peer)
check cmd_cgroup_in_comment "$(fields "$T/cmd.pcapng" "tcp.dstport==443" frame.comment |
	grep -c '\\nCgroup: /procap-[0-9][0-9]*\\n')" "$(fields "$T/cmd.pcapng" "tcp.dstport==443" \
	frame.number | wc -l)"
ip netns exec $A "$PROCAP" -n -i ${A}0 -- sh -c 'exit 3' >/dev/null 2>&1
check cmd_exit_code_passed "$?" 3
check cmd_cgroup_removed "$(ls "$CGROOT" 2>/dev/null | grep -c '^procap-[0-9]')" 0
