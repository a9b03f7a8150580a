#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Wireshark integration, as a user gets it: `make install` into a private root (DESTDIR), file
# capabilities on the installed procap, and tshark run as an unprivileged user (nobody) that
# finds procap through WIRESHARK_EXTCAP_DIR (Wireshark 4.0 ignores it for root). tshark lists the
# procap interface and captures curl's HTTP exchanges through it; the file (written by tshark's
# dumpcap) is checked with tshark and capinfos as references, with the Lua plugin for the
# procap.* fields (full and short comments alike), and with a block walker written here for
# epb_processid_threadid. A process filter set through the extcap config captures only curl.
NS=wsk$$
. "$(dirname "$0")/live_lib.sh"
need tshark capinfos setcap curl python3 runuser
PLUGIN=$ROOT/wireshark/procap.lua

# make install into $T/root; -o: never rebuild procap here (the test uses the build it was given)
R=$T/root
chmod 755 "$T"
if ! make -s -C "$ROOT" -o "${OUT:-build}/procap" OUT="${OUT:-build}" DESTDIR="$R" PREFIX=/usr \
	install >"$T/install.log" 2>&1; then
	fail "make install" "$(tail -3 "$T/install.log")"
	exit 0
fi
want_dir=$(tshark -G folders 2>/dev/null | sed -n 's/^Extcap path:[[:space:]]*//p')
lua_dir=$(tshark -G folders 2>/dev/null | sed -n 's/^Global Lua Plugins:[[:space:]]*//p')
E=$R$want_dir
check "make install: procap in tshark's extcap folder" \
	"$(readlink -f "$E/procap")" "$(readlink -f "$R/usr/sbin/procap")"
check "make install: the Lua plugin in tshark's Lua plugin folder" \
	"$(cmp -s "$R$lua_dir/procap.lua" "$PLUGIN" && echo same)" same
# what the man page tells a non-root Wireshark user to do
setcap cap_bpf,cap_perfmon,cap_net_admin,cap_sys_admin,cap_sys_ptrace,cap_dac_read_search+ep \
	"$R/usr/sbin/procap" || { echo "SKIP test_wireshark: setcap failed"; exit 0; }
mkdir -p "$T/home"
chown nobody "$T/home"
as_nobody() { # NETNS CMD...: CMD as nobody with the private extcap folder
	local ns=$1
	shift
	ip netns exec "$ns" runuser -u nobody -- env WIRESHARK_EXTCAP_DIR="$E" HOME="$T/home" "$@"
}

netns_up
check "tshark -D (unprivileged) lists procap" \
	"$(as_nobody $A tshark -D 2>/dev/null | grep -c ' procap (procap: ')" 1

mkdir -p "$T/www"
echo hello >"$T/www/index.html"
(cd "$T/www" && exec ip netns exec $B python3 -m http.server 8080 --bind $B4 >/dev/null 2>&1) &
PIDS+=($!)
for i in $(seq 50); do
	ip netns exec $B ss -ltn 2>/dev/null | grep -q ":8080 " && break
	sleep 0.1
done

# capture NAME SECS EXTRA_TSHARK_ARGS...: tshark -i procap as nobody into $T/NAME.pcapng; runs
# three curls (their PIDs in $T/NAME.pids) and a ping once the capture is running.
capture() {
	local name=$1 secs=$2 f=$T/$1.pcapng
	shift 2
	: >"$f"
	chown nobody "$f"
	as_nobody $A tshark -i procap -o "extcap.procap.iface:${A}0" "$@" -a duration:$secs \
		-w "$f" >"$T/$name.tshark" 2>&1 &
	local ts=$!
	PIDS+=($ts)
	# the file gets its section and interface blocks once procap has attached
	for i in $(seq 150); do
		[ "$(stat -c %s "$f")" -gt 100 ] && break
		sleep 0.1
	done
	sleep 0.5
	for i in 1 2 3; do
		ip netns exec $A sh -c 'echo $$ >>"$1"; exec curl -s -o /dev/null http://'$B4':8080/' \
			sh "$T/$name.pids"
	done
	ip netns exec $A ping -c 3 -i 0.2 -W 1 $B4 >/dev/null
	wait $ts
}

capture all 9
f=$T/all.pcapng
n=$(capinfos -c -M "$f" 2>"$T/capinfos.err" | awk '/Number of packets/ {print $NF}')
check "capinfos reads the tshark file silently" "$(cat "$T/capinfos.err")" ""
check_ge "packets captured through the extcap" "${n:-0}" 10
check "tshark: every frame is a packet with procap's comment (no extra frames)" \
	"$(tshark -r "$f" -Y 'frame.comment contains "Source: "' 2>/dev/null | wc -l)" "$n"
lua() { tshark -X lua_script:"$PLUGIN" -r "$f" "$@" 2>/dev/null; }
# one pass with the plugin: frame|comm|pid|record|exe|tcp dst port|icmp|comment|tcp src port|
# peer comm. Both ends are on this machine: curl owns what it sends, the server (python3, in the
# peer namespace) what it sends, each with the other as peer (procap(8), ATTRIBUTION).
lua -T fields -E separator='|' -e frame.number -e procap.comm -e procap.pid -e procap.record \
	-e procap.exe -e tcp.dstport -e icmp.type -e frame.comment -e tcp.srcport \
	-e procap.peer.comm >"$T/all.fields"
count() { awk -F'|' "$1" "$T/all.fields" | wc -l; }
check "plugin: procap.pid of curl's packets are curl's PIDs" \
	"$(awk -F'|' '$2 == "curl" {print $3}' "$T/all.fields" | sort -u | tr '\n' ' ')" \
	"$(sort -u "$T/all.pids" | tr '\n' ' ')"
sent=$(count '$6 == 8080')
check_ge "curl's exchanges captured" "$sent" 9
check "plugin: procap.comm == \"curl\" selects exactly the packets curl sent" \
	"$(lua -Y 'procap.comm == "curl"' | wc -l)" "$sent"
check "plugin: the server's replies are python3's, with curl as peer" \
	"$(count '$9 == 8080 && $2 == "python3" && $10 == "curl"')" "$(count '$9 == 8080')"
check "plugin: short-comment packets get the exe from the flow's full comment" \
	"$(count '($6 == 8080 || $9 == 8080) && $4 == "short" && $5 ~ /^\//')" \
	"$(count '($6 == 8080 || $9 == 8080) && $8 !~ /Exe: /')"
check_ge "short comments present" "$(count '$4 == "short"')" 10
check "ping is not curl" "$(count '$7 != "" && $2 == "curl"')" 0

# epb_processid_threadid on every packet with an owner, equal to its comment's PID and TID
# (tshark 4.0 does not decode option 8: this walker follows the pcapng draft directly)
cat >"$T/opt8.py" <<'EOF'
import re, struct, sys
d = open(sys.argv[1], 'rb').read()
off, owned, good, bad = 0, 0, 0, 0
end = '<'
while off + 12 <= len(d):
    btype, blen = struct.unpack_from(end + 'II', d, off)
    if btype == 0x0A0D0D0A:
        end = '<' if struct.unpack_from('<I', d, off + 8)[0] == 0x1A2B3C4D else '>'
        btype, blen = struct.unpack_from(end + 'II', d, off)
    if btype == 6:
        caplen = struct.unpack_from(end + 'I', d, off + 20)[0]
        o, stop = off + 28 + (caplen + 3) // 4 * 4, off + blen - 4
        comment, ids = '', None
        while o + 4 <= stop:
            code, olen = struct.unpack_from(end + 'HH', d, o)
            if code == 0:
                break
            v = d[o + 4:o + 4 + olen]
            if code == 1:
                comment = v.decode('utf-8', 'replace')
            elif code == 8 and olen == 8:
                ids = struct.unpack(end + 'II', v)
            o += 4 + (olen + 3) // 4 * 4
        pid = re.search(r'^PID: (\d+)$', comment, re.M)
        tid = re.search(r'^TID: (\d+)$', comment, re.M)
        if pid:
            owned += 1
            if ids == (int(pid.group(1)), int(tid.group(1)) if tid else 0):
                good += 1
        elif ids:
            bad += 1
    off += blen
print(owned, good, bad)
EOF
read -r owned good bad < <(python3 "$T/opt8.py" "$f")
check_ge "owned packets" "${owned:-0}" 15
check "option 8 on every owned packet, equal to its comment's PID/TID" "$good $bad" "$owned 0"

# the extcap config's process filter: only curl's packets, although ping runs too
capture comm 8 -o extcap.procap.comm:curl
f=$T/comm.pcapng
lua -T fields -E separator='|' -e frame.number -e procap.comm -e icmp.type -e procap.peer.comm \
	>"$T/comm.fields"
n=$(wc -l <"$T/comm.fields")
check_ge "comm filter: curl's packets captured" "$n" 15
check "comm filter: every packet is curl's (sent by it, or to it)" \
	"$(awk -F'|' '$2 == "curl" || $4 == "curl"' "$T/comm.fields" | wc -l)" "$n"
check "comm filter: no ping" "$(awk -F'|' '$3 != ""' "$T/comm.fields" | wc -l)" 0
