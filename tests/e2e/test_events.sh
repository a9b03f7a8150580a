#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# --events: `procap --events -- sh -c ...` where the shell runs /bin/true 100 times, then
# commands with known endings (exit 3, /bin/false, killed by SIGKILL, sleep 0.3). Every exec
# and exit line must be there with the shell's own $$ as parent, the exit codes and signal the
# commands were made to end with, a lifetime that covers the sleep, and the per-user exec count
# at exit; the same run with --json gives the same events as objects.
set -u
NS=ev$$
. "$(dirname "$0")/live_lib.sh"
need python3
netns_pair

script='echo $$ >'$T'/sh.pid; for i in $(seq 100); do /bin/true; done; /bin/sh -c "exit 3";
/bin/false; /bin/sh -c "kill -9 \$\$"; /bin/sleep 0.3; exit 0'
ip netns exec $A timeout 60 "$PROCAP" -n --events -- sh -c "$script" >"$T/ev.txt" 2>"$T/ev.err"
check "events: procap exits with the command's status" "$?" 0
sh=$(cat "$T/sh.pid")
ev() { grep -E " $1 pid=[0-9]+ ppid=$sh uid=0 comm=$2 " "$T/ev.txt"; }
check "events: 100 exec lines of true, parent the shell" "$(ev exec true | wc -l)" 100
check "events: 100 exit lines of true with code 0" "$(ev exit true | grep -c ' code=0 ')" 100
check "events: exit 3" "$(ev exit sh | grep -c ' code=3 ')" 1
check "events: /bin/false exits 1" "$(ev exit false | grep -c ' code=1 ')" 1
check "events: killed by SIGKILL" "$(ev exit sh | grep -c ' signal=9 ')" 1
check "events: exec line has exe and args" "$(ev exec sleep | grep -c 'exe=/bin/sleep args=/bin/sleep 0.3$')" 1
life=$(ev exit sleep | sed -E 's/.* lifetime=([0-9.]+) .*/\1/')
if awk -v l="$life" 'BEGIN { exit !(l >= 0.3 && l < 2) }'; then pass "events: lifetime of sleep 0.3 ($life s)"
else fail "events: lifetime of sleep 0.3" "got '$life'"; fi
# the shell itself: exec'd by procap's child, exits last with 0
check "events: the command's own exit" "$(grep -cE " exit pid=$sh .* comm=sh code=0 " "$T/ev.txt")" 1
# nothing from outside the command's cgroup
check "events: only the command's processes" \
	"$(grep -E ' (exec|exit) ' "$T/ev.txt" | grep -cvE "pid=$sh |ppid=$sh ")" 0
# sh, seq, 100 true, sh (exit 3), false, sh (kill), sleep
check "events: execs per user at exit" \
	"$(awk '$1 == "EXECS" {h = 1; next} h && $2 == "0" {print $1}' "$T/ev.txt")" 106

# JSON: the same events as objects
script2='echo $$ >'$T'/sh2.pid; for i in 1 2 3 4 5; do /bin/true; done; /bin/false; exit 0'
ip netns exec $A timeout 60 "$PROCAP" -n --events --json -- sh -c "$script2" >"$T/ev.json" 2>/dev/null
python3 - "$T/ev.json" "$(cat "$T/sh2.pid")" <<'PY'
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
sh = int(sys.argv[2])
ex = [o for o in objs if o.get("type") == "exec" and o["comm"] == "true" and o["ppid"] == sh]
ends = [o for o in objs if o.get("type") == "exit" and o["ppid"] == sh]
codes = sorted((o["comm"], o.get("exit_code")) for o in ends)
ok = len(ex) == 5 and codes == [("false", 1)] + [("true", 0)] * 5
print(("PASS" if ok else "FAIL") + f" events json: 5 exec and 6 exit objects ({len(ex)}, {codes})")
u = [o for o in objs if o.get("type") == "execs" and o["uid"] == 0]
ok = len(u) == 1 and u[0]["execs"] == 7 and u[0]["user"] == "root"
print(("PASS" if ok else "FAIL") + f" events json: execs per user ({u})")
PY
