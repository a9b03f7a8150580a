#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# -r / -w end to end, judged by independent readers: `procap -r A -w B` then `tcpdump -n -r B`
# prints exactly what `tcpdump -n -r A` prints, tshark reads B with nothing on stderr but its
# root notice, capinfos accepts it; filters select what tcpdump selects; .gz, -w -, stdin,
# -c, a closed pipe, damaged input, a full disk (1 MB tmpfs in this test's mount namespace)
# and rotation (-C, -G, -W, -z). No network.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
P=${PROCAP:-$ROOT/${OUT:-build}/procap}
CORPUS=${PROCAP_CORPUS:-$ROOT/testdata/corpus}
TD=$ROOT/testdata/io
T=$(mktemp -d /tmp/procap-io.XXXXXX)
cleanup() {
	mountpoint -q "$T/full" 2>/dev/null && umount "$T/full"
	rm -rf "$T"
}
trap cleanup EXIT
export TZ=UTC

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
check() { # NAME GOT WANT
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}
for t in tcpdump tshark capinfos python3 gzip; do
	command -v $t >/dev/null || { echo "SKIP io_files: $t missing"; exit 0; }
done
[ -x "$P" ] || { fail io_files "no procap binary at $P"; exit 1; }

# tshark_silent FILE: tshark reads every packet and says nothing but the root notice
tshark_silent() {
	local err
	err=$(tshark -r "$1" 2>&1 >/dev/null | grep -v 'Running as user')
	[ -z "$err" ] || { echo "  tshark: $err" >&2; return 1; }
}
capinfos_ok() { capinfos "$1" >/dev/null 2>&1; }
tcount() { tcpdump -n -r "$1" 2>/dev/null | wc -l; }

# same_as_tcpdump NAME A B [EXPR...]: tcpdump's lines for B equal those for A (with EXPR)
same_as_tcpdump() {
	local name=$1 a=$2 b=$3
	shift 3
	tcpdump -n -r "$a" "$@" >"$T/want" 2>/dev/null
	tcpdump -n -r "$b" >"$T/got" 2>/dev/null
	if [ -e "$b" ] && cmp -s "$T/want" "$T/got"; then
		pass "$name ($(wc -l <"$T/want") packets)"
	else
		fail "$name" "$(diff "$T/want" "$T/got" | head -3 | tr '\n' ' ')"
	fi
}

# ---- inputs: crafted files, corpus captures of several link types and formats, a big one
inputs=("$TD/pcap_be_nsec.pcap" "$TD/pcap_kuznetzov.pcap" "$TD/ng_sections_le.pcapng")
for f in ja4/pcap/tls-sni.pcapng ja4/pcap/v6.pcap ja4/pcap/http-empty-useragent.pcap \
	 ja4/pcap/ipv6.pcapng quic/pcap/zeek__quicdoq.pcap ja4/pcap/dhcp.pcapng; do
	[ -r "$CORPUS/$f" ] && inputs+=("$CORPUS/$f")
done
python3 - "$T/big.pcap" <<'PY'
import struct, sys
# 3000 Ethernet/IPv4/UDP frames of 1000 bytes, one per second from 1700000000 (2023-11-14 22:13:20Z)
out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1)
for i in range(3000):
    payload = bytes([i & 0xff]) * (1000 - 42)
    udp = struct.pack('>HHHH', 1024 + i % 1000, 9, 8 + len(payload), 0) + payload
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), i & 0xffff, 0, 64, 17, 0,
                     bytes([192, 0, 2, 1]), bytes([198, 51, 100, 2]))
    f = b'\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00' + ip + udp
    out += struct.pack('<IIII', 1700000000 + i, i, len(f), len(f)) + f
open(sys.argv[1], 'wb').write(out)
PY

# ---- -r A -w B: same tcpdump lines, tshark silent, capinfos ok
for a in "${inputs[@]}"; do
	n=$(basename "$a")
	if "$P" -r "$a" -w "$T/$n.out.pcapng" 2>"$T/err"; then
		same_as_tcpdump "rw $n: tcpdump lines" "$a" "$T/$n.out.pcapng"
		tshark_silent "$T/$n.out.pcapng" && pass "rw $n: tshark silent" || fail "rw $n: tshark silent" "see above"
		capinfos_ok "$T/$n.out.pcapng" && pass "rw $n: capinfos" || fail "rw $n: capinfos" "rejected"
	else
		fail "rw $n" "exit $?: $(cat "$T/err")"
	fi
done

# ---- per-packet metadata survives -r/-w: tshark's view of times, lengths, comments (a foreign
# one and a procap one), direction, drop count and packet id is the same before and after
fields() {
	tshark -r "$1" -T fields -e frame.time_epoch -e frame.len -e frame.cap_len -e frame.comment \
		-e frame.packet_flags_direction -e frame.drop_count -e frame.packet_id 2>/dev/null |
		grep '^[1-9]'	# packets with a timestamp (not the SPB, nor the unknown block)
}
"$P" -r "$TD/ng_multi.pcapng" -w "$T/multi.pcapng" 2>"$T/err"
fields "$TD/ng_multi.pcapng" >"$T/want"
fields "$T/multi.pcapng" >"$T/got"
[ "$(wc -l <"$T/want")" = 4 ] && cmp -s "$T/want" "$T/got" && pass "metadata round-trip (tshark fields)" ||
	fail "metadata round-trip (tshark fields)" "$(diff "$T/want" "$T/got" | head -4 | tr '\n' ' ')"
# tshark 4.0 itself shows the 2nd section's interface as the 1st's; procap renumbers, so the
# written file names each packet's own interface (as gen.py declared them)
check "interfaces renumbered across sections" \
	"$(tshark -r "$T/multi.pcapng" -T fields -e frame.interface_name 2>/dev/null | tr '\n' ' ')" \
	"eth0 tun0 eth0 eth9 eth9 "
tshark_silent "$T/multi.pcapng" && pass "multi-linktype output: tshark silent" || fail "multi-linktype output: tshark silent" "see above"

# a procap comment read back restores the process columns (IFNAME COMM.PID In|Out) of the live line
"$P" -n -r "$TD/ng_multi.pcapng" >"$T/text" 2>"$T/err"
grep -q '^22:13:23.500000 eth9 curl.42 Out IP 192.0.2.1.1004 > 198.51.100.2.9: UDP, length 18$' "$T/text" &&
	pass "-r of a procap comment: process columns" || fail "-r of a procap comment: process columns" "$(sed -n 4p "$T/text")"

# ---- filters select what tcpdump selects; a bad one is a one-line error, exit 1, no file
for a in "${inputs[@]}"; do
	for expr in "tcp port 443" "udp" "ip6" "tcp[tcpflags] & tcp-syn != 0" "greater 1000" "not ip"; do
		rm -f "$T/f.pcapng"
		"$P" -r "$a" -w "$T/f.pcapng" "$expr" 2>/dev/null
		same_as_tcpdump "filter '$expr' on $(basename "$a")" "$a" "$T/f.pcapng" "$expr"
	done
done
a=$T/big.pcap
"$P" -r "$a" -w "$T/bad.pcapng" "tcp port" 2>"$T/err"
rc=$?
check "bad filter: exit 1" "$rc" 1
grep -q "^procap: bad filter expression 'tcp port': " "$T/err" && [ "$(wc -l <"$T/err")" = 1 ] &&
	pass "bad filter: one-line message" || fail "bad filter: one-line message" "$(cat "$T/err")"
[ ! -e "$T/bad.pcapng" ] && pass "bad filter: no output file" || fail "bad filter: no output file" "created"

# ---- gzip in (by content, any name) and out (.gz)
"$P" -r "$T/big.pcap" -w "$T/big.pcapng.gz" 2>"$T/err"
check "gz out: exit 0" "$?" 0
gzip -t "$T/big.pcapng.gz" 2>/dev/null && pass "gz out: valid gzip" || fail "gz out: valid gzip" "gzip -t failed"
tshark_silent "$T/big.pcapng.gz" && pass "gz out: tshark silent" || fail "gz out: tshark silent" "see above"
cp "$T/big.pcapng.gz" "$T/noext"
"$P" -r "$T/noext" -w "$T/from_gz.pcapng" 2>"$T/err"
same_as_tcpdump "gz in (no .gz name): packets intact" "$T/big.pcap" "$T/from_gz.pcapng"

# ---- -w - and -r - (stdin)
"$P" -r "$T/big.pcap" -w - 2>"$T/err" | tcpdump -n -r - >"$T/got" 2>/dev/null
tcpdump -n -r "$T/big.pcap" >"$T/want" 2>/dev/null
cmp -s "$T/want" "$T/got" && pass "-w -: stdout pcapng" || fail "-w -: stdout pcapng" "differs"
"$P" -r - -w "$T/stdin.pcapng" <"$T/big.pcap" 2>"$T/err"
same_as_tcpdump "-r -: stdin" "$T/big.pcap" "$T/stdin.pcapng"
"$P" -r "$T/big.pcap" -c 5 -w "$T/c5.pcapng" 2>/dev/null
check "-c 5" "$(tcount "$T/c5.pcapng")" 5

# ---- ^C while reading a pipe: a normal stop (exit 0), every packet read so far written, the
# file complete. SIGINT is sent once procap has drained the pipe and sleeps in read (wchan).
python3 - "$P" "$TD/ng_sections_le.pcapng" "$T/int.pcapng" <<'PY' >"$T/int.rc" 2>"$T/err"
import fcntl, os, signal, struct, subprocess, sys, termios, time
r, w = os.pipe()
p = subprocess.Popen([sys.argv[1], '-r', '-', '-w', sys.argv[3]], stdin=r)
os.close(r)
os.write(w, open(sys.argv[2], 'rb').read())
for _ in range(200):    # 10 s at most
    left = struct.unpack('i', fcntl.ioctl(w, termios.FIONREAD, b'\0' * 4))[0]
    wchan = open(f'/proc/{p.pid}/wchan').read()
    if left == 0 and 'pipe_read' in wchan:
        break
    time.sleep(0.05)
p.send_signal(signal.SIGINT)
print(p.wait(timeout=20))
PY
check "SIGINT on -r -: exit 0" "$(cat "$T/int.rc")" 0
check "SIGINT on -r -: nothing on stderr" "$(cat "$T/err")" ""
check "SIGINT on -r -: packets read so far written" "$(tcount "$T/int.pcapng")" 4
capinfos_ok "$T/int.pcapng" && pass "SIGINT on -r -: file complete" || fail "SIGINT on -r -: file complete" "capinfos"

# ---- reader gone: -w - | head -c 1000 is a clean exit (as tcpdump), file-less, silent
"$P" -r "$T/big.pcap" -w - 2>"$T/err" | head -c 1000 >/dev/null
rc=${PIPESTATUS[0]}
check "-w - | head: exit 0" "$rc" 0
check "-w - | head: nothing on stderr" "$(cat "$T/err")" ""

# ---- damaged input: packets before the damage are written, then one error line with the offset
for cut in 3000 5555; do
	head -c $cut "$T/big.pcap" >"$T/cut.pcap"
	"$P" -r "$T/cut.pcap" -w "$T/cut.pcapng" 2>"$T/err"
	rc=$?
	check "cut at $cut: exit 1" "$rc" 1
	grep -Eq "^procap: $T/cut.pcap: truncated record at offset [0-9]+ \(" "$T/err" &&
		[ "$(wc -l <"$T/err")" = 1 ] && pass "cut at $cut: one error line with offset" ||
		fail "cut at $cut: one error line with offset" "$(cat "$T/err")"
	check "cut at $cut: packets before the damage (tcpdump's count)" \
		"$(tcount "$T/cut.pcapng")" "$(tcount "$T/cut.pcap")"
	capinfos_ok "$T/cut.pcapng" && pass "cut at $cut: output complete" || fail "cut at $cut: output complete" "capinfos"
done
printf 'garbage!' >"$T/garbage"
"$P" -r "$T/garbage" -w "$T/g.pcapng" 2>"$T/err"
check "bad magic: exit 1" "$?" 1
grep -q "^procap: $T/garbage: not a pcap or pcapng file (magic 0x62726167 at offset 0)$" "$T/err" &&
	pass "bad magic: message" || fail "bad magic: message" "$(cat "$T/err")"

# ---- full disk: 1 MB tmpfs (this test runs in its own mount namespace)
mkdir -p "$T/full"
if mount -t tmpfs -o size=1m tmpfs "$T/full" 2>/dev/null; then
	"$P" -r "$T/big.pcap" -w "$T/full/x.pcapng" 2>"$T/err"
	rc=$?
	[ $rc -ne 0 ] && pass "full disk: non-zero exit" || fail "full disk: non-zero exit" "exit 0"
	grep -q "^procap: $T/full/x.pcapng: No space left on device$" "$T/err" &&
		pass "full disk: message" || fail "full disk: message" "$(cat "$T/err")"
	tshark_silent "$T/full/x.pcapng" && pass "full disk: tshark reads the cut file silently" ||
		fail "full disk: tshark reads the cut file silently" "see above"
	capinfos_ok "$T/full/x.pcapng" && pass "full disk: capinfos ok" || fail "full disk: capinfos ok" "rejected"
	n=$(tcount "$T/full/x.pcapng")
	[ "$n" -gt 500 ] && [ "$n" -lt 3000 ] && pass "full disk: complete packets kept ($n)" ||
		fail "full disk: complete packets kept" "$n"
	umount "$T/full"
else
	echo "SKIP full disk: cannot mount tmpfs"
fi

# ---- rotation: -C (MB), -C -W ring, -G strftime, -G -W stop, -z
mkdir "$T/rot"
"$P" -r "$T/big.pcap" -w "$T/rot/c.pcapng" -C 1 2>"$T/err"
check "-C 1: exit 0" "$?" 0
files=$(cd "$T/rot" && ls c.pcapng* | sort | tr '\n' ' ')
# 3000 packets of 1000 bytes in 1032-byte blocks: 969 per million bytes, so 4 files
check "-C 1: names" "$files" "c.pcapng c.pcapng1 c.pcapng2 c.pcapng3 "
total=0 ok=1
for f in "$T"/rot/c.pcapng*; do
	capinfos_ok "$f" && tshark_silent "$f" || ok=0
	total=$((total + $(tcount "$f")))
done
check "-C 1: every file complete" "$ok" 1
check "-C 1: every packet once" "$total" 3000
"$P" -r "$T/big.pcap" -w "$T/rot/r.pcapng" -C 1 -W 2 2>"$T/err"
check "-C 1 -W 2: ring names" "$(cd "$T/rot" && ls r.pcapng* | tr '\n' ' ')" "r.pcapng0 r.pcapng1 "
tcpdump -n -r "$T/big.pcap" 2>/dev/null | tail -1 >"$T/want"
for f in "$T"/rot/r.pcapng*; do tcpdump -n -r "$f" 2>/dev/null | tail -1; done >"$T/got"
grep -qxFf "$T/want" "$T/got" && pass "-C -W: newest packet kept" || fail "-C -W: newest packet kept" "missing"
"$P" -r "$T/big.pcap" -c 100 -w "$T/rot/g-%H%M%S.pcapng" -G 30 2>"$T/err"
check "-G 30: strftime names from packet times" "$(cd "$T/rot" && ls g-* | tr '\n' ' ')" \
	"g-221320.pcapng g-221350.pcapng g-221420.pcapng g-221450.pcapng "
check "-G 30: 30 packets per file" "$(tcount "$T/rot/g-221350.pcapng")" 30
"$P" -r "$T/big.pcap" -w "$T/rot/w-%H%M%S.pcapng" -G 30 -W 2 2>"$T/err"
check "-G 30 -W 2: exit 0" "$?" 0
check "-G 30 -W 2: stops after 2 files" "$(cd "$T/rot" && ls w-* | tr '\n' ' ')" "w-221320.pcapng w-221350.pcapng "
"$P" -r "$T/big.pcap" -w "$T/rot/z.pcapng" -C 1 -z gzip 2>"$T/err"
zwant="z.pcapng.gz z.pcapng1.gz z.pcapng2.gz z.pcapng3.gz "
for i in $(seq 100); do	# the command runs detached: wait (10 s at most) for it
	[ "$(cd "$T/rot" && ls z.* 2>/dev/null | tr '\n' ' ')" = "$zwant" ] && break
	sleep 0.1
done
check "-z gzip: every closed file compressed" "$(cd "$T/rot" && ls z.* 2>/dev/null | tr '\n' ' ')" "$zwant"
exit 0
