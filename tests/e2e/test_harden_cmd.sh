#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Attack: `procap -i lo -Z nobody -- id` used to run the command as root with every
# capability (the fork came before the privilege drop), leave its cgroup behind under -Z, and
# after a SIGKILL of procap the command kept running in a cgroup nobody removed; -z ran as
# root too. Now `-- CMD` and -z run as the -Z user, else SUDO_UID/SUDO_GID, else the real user,
# with no capabilities (bounding set included for uid 0) and no procap descriptors; the
# cgroup is removed however procap ends, and a later start removes stale ones.
set -u
NS=hdcm$$
. "$(dirname "$0")/live_lib.sh"
need setpriv
P=$PROCAP
id nobody >/dev/null 2>&1 || { echo "SKIP harden_cmd: no user nobody"; exit 0; }
NOBODY=$(id -u nobody) NOGID=$(id -g nobody)
CGROOT=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
[ -n "$CGROOT" ] || { echo "SKIP harden_cmd: no cgroup2 mount"; exit 0; }
mine() { ls -d "$CGROOT"/procap-"$1" 2>/dev/null | wc -l; }
caps() { grep -E "^Cap(Prm|Eff|Inh|Bnd|Amb)" /proc/$1/status | awk '{ print $2 }' | sort -u | tr '\n' ' '; }

out=$("$P" -i lo -Z nobody -- id -u 2>"$T/err")
check "-Z nobody -- id: uid of nobody" "$out" "$NOBODY"
out=$(SUDO_UID=$NOBODY SUDO_GID=$NOGID "$P" -i lo -- id 2>"$T/err")
check "sudo (SUDO_UID/SUDO_GID) -- id: the invoking user" "$(echo "$out" | cut -d' ' -f1,2 |
	sed 's/([^)]*)//g')" "uid=$NOBODY gid=$NOGID"
"$P" -i lo -- sh -c 'grep -E "^Cap(Prm|Eff|Inh|Bnd|Amb)" /proc/self/status | cut -f2 | sort -u |
	tr "\n" " "; echo; ls /proc/self/fd | tr "\n" " "' >"$T/root.out" 2>"$T/err"
check "root without sudo -- CMD: no capabilities at all (bounding set too)" \
	"$(head -1 "$T/root.out")" "0000000000000000 "
check "-- CMD: no procap descriptor (only 0 1 2 and ls's own)" "$(tail -1 "$T/root.out")" "0 1 2 3 "
SUDO_UID=x "$P" -i lo -- id >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" = 1 ] && [ ! -s "$T/out" ] && grep -q "^procap: SUDO_UID=x is not a user or group id" "$T/err" &&
	pass "malformed SUDO_UID: refused, nothing run" || fail "malformed SUDO_UID: refused" "rc $rc $(cat "$T/err")"

# -Z: procap (now nobody) cannot rmdir below the cgroup root; the keeper does
"$P" -i lo -Z nobody -- sh -c 'echo $PPID; sleep 0.2' >"$T/pp" 2>"$T/err"
check "-Z nobody -- CMD: exit 0" "$?" 0
check "-Z nobody -- CMD: cgroup removed" "$(mine "$(cat "$T/pp")")" 0
# leftovers of the command (a background child) die with the cgroup
"$P" -i lo -- sh -c 'sleep 97 & echo $PPID' >"$T/pp" 2>"$T/err"
check "-- CMD leaving a background child: cgroup removed" "$(mine "$(cat "$T/pp")")" 0
check "-- CMD leaving a background child: child killed" "$(pgrep -cx -f 'sleep 97')" 0

# kill -9 of procap running `-- sleep 100`: sleep gone, cgroup gone
"$P" -i lo -- sleep 100 >/dev/null 2>"$T/k.err" &
pid=$!
wait_listening "$T/k.err" $pid
for i in $(seq 50); do pgrep -x -f 'sleep 100' >/dev/null && break; sleep 0.1; done
sleeper=$(pgrep -x -f 'sleep 100')
check "-- sleep 100 as root: capabilities of the command" "$(caps "$sleeper")" "0000000000000000 "
kill -9 $pid
wait $pid 2>/dev/null
for i in $(seq 30); do [ "$(mine $pid)" = 0 ] && break; sleep 0.1; done
# gone, or a zombie its new parent has yet to reap
check "kill -9 procap: sleep 100 gone" "$(ps -o stat= -p "$sleeper" | grep -v Z | wc -l)" 0
check "kill -9 procap: its cgroup removed" "$(mine $pid)" 0

# procap and its keeper killed together: the next live start removes the stale cgroup
setsid "$P" -i lo -- sh -c 'trap "" HUP; sleep 98' >/dev/null 2>"$T/s.err" &
pid=$!
wait_listening "$T/s.err" $pid
kill -9 -- -$pid
wait $pid 2>/dev/null
sleep 0.3
check "procap and keeper SIGKILLed: cgroup left for now" "$(mine $pid)" 1
timeout 5 "$P" -i lo -c 1 -- true >/dev/null 2>&1
check "next start: stale cgroup removed" "$(mine $pid)" 0
check "next start: its processes killed" "$(pgrep -cx -f 'sleep 98')" 0

# -z runs as the invoking user without capabilities; the file is handed to that user
mkdir -p "$T/z" && chmod 755 "$T" && chmod 1777 "$T/z"
cat >"$T/z/post.sh" <<'EOS'
#!/bin/sh
{ id -u; stat -c %U "$1"; grep -E "^Cap(Prm|Eff|Amb${2:-})" /proc/self/status | cut -f2 | sort -u; } >"$1.who"
EOS
chmod 755 "$T/z/post.sh"
printf '#!/bin/sh\nexec %s "$1" "|Bnd"\n' "$T/z/post.sh" >"$T/z/post-root.sh" && chmod 755 "$T/z/post-root.sh"
SUDO_UID=$NOBODY SUDO_GID=$NOGID "$P" -r "$ROOT/testdata/golden/eth_icmp.pcap" \
	-w "$T/z/a.pcapng" -z "$T/z/post.sh" 2>"$T/err"
wait_for "$T/z/a.pcapng.who" 0000
check "-z via sudo: runs as SUDO_UID, owns the file, no capabilities" \
	"$(tr '\n' ' ' <"$T/z/a.pcapng.who")" "$NOBODY nobody 0000000000000000 "
"$P" -r "$ROOT/testdata/golden/eth_icmp.pcap" -w "$T/z/b.pcapng" -z "$T/z/post-root.sh" 2>"$T/err"
wait_for "$T/z/b.pcapng.who" 0000
check "-z as root without sudo: uid 0 without capabilities (bounding set too)" \
	"$(tr '\n' ' ' <"$T/z/b.pcapng.who")" "0 root 0000000000000000 "
