#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Bad options, filters, files and interface names each give exit 1 and exactly one stderr line
# "procap: ..." naming the culprit (and the next step where there is one); a closed stdout
# pipe (procap -r BIG | head -1) is a clean exit 0 with nothing on stderr, as tcpdump does.
# (-w - | head -c and full disk are covered by test_io_files.sh.)
set -u
cd "$(dirname "$0")/../.."
P=${PROCAP:-$PWD/${OUT:-build}/procap}
[ -x "$P" ] || { echo "SKIP cli: $P not built"; exit 0; }
T=$(mktemp -d /tmp/procap-robust-cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
F=testdata/golden/eth_tcp.pcap

# one_line NAME PATTERN ARGS...: exit 1, one stderr line matching ^procap: PATTERN, no stdout
one_line() {
	local name=$1 pat=$2 rc lines
	shift 2
	"$P" "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	lines=$(wc -l <"$T/err")
	if [ "$rc" -ne 1 ]; then
		echo "FAIL cli: $name: exit $rc, want 1 ($(head -c 200 "$T/err" | tr '\n' '|'))"
	elif [ "$lines" -ne 1 ]; then
		echo "FAIL cli: $name: $lines stderr lines, want 1: $(head -c 300 "$T/err" | tr '\n' '|')"
	elif ! grep -Eq "^procap: $pat" "$T/err"; then
		echo "FAIL cli: $name: '$(cat "$T/err")' does not match 'procap: $pat'"
	elif [ -s "$T/out" ]; then
		echo "FAIL cli: $name: output on stdout"
	else
		echo "PASS cli: $name"
	fi
}

one_line "unknown long option" ".*'--bogus'.*procap --help" --bogus
one_line "unknown short option" ".*(-j|'j').*procap --help" -j
one_line "missing option argument" ".*-r.*" -r
one_line "bad filter syntax" "bad filter expression 'tcp and and'" -r "$F" tcp and and
one_line "unknown filter keyword" "bad filter expression 'frobnicate 3'" -r "$F" frobnicate 3
one_line "filter file missing" ".*$T/nope\.flt.*No such file" -r "$F" -F "$T/nope.flt"
one_line "-r missing file" "$T/missing\.pcap: No such file or directory" -r "$T/missing.pcap"
one_line "-r a directory" "$T: .*(directory|Is a directory)" -r "$T"
printf 'this is not a capture file at all' >"$T/text"
one_line "-r not a capture" "$T/text: not a pcap or pcapng file" -r "$T/text"
: >"$T/empty"
one_line "-r empty file" "$T/empty: .*" -r "$T/empty"
one_line "-w into a missing directory" "$T/no/dir\.pcapng: No such file or directory" \
	-r "$F" -w "$T/no/dir.pcapng"
one_line "-s out of range" "invalid snaplen -s '-5'" -r "$F" -s -5
one_line "-c not a number" "invalid packet count -c 'abc'" -r "$F" -c abc
one_line "-B too small" "invalid buffer size -B '0'" -B 0
one_line "-C zero" "invalid file size -C '0'" -r "$F" -C 0 -w "$T/c.pcapng"
one_line "-W without -C/-G" "-W needs -C or -G" -r "$F" -W 5 -w "$T/w.pcapng"
one_line "-Q bad direction" "invalid direction -Q 'sideways'" -Q sideways
one_line "--pid not a number" "invalid --pid 'abc'" -r "$F" --pid abc
one_line "-Z unknown user" "-Z no_such_user_x: no such user" -r "$F" -Z no_such_user_x
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
	# an interface name that does not exist (in an empty namespace: nothing is attached)
	unshare -n "$P" -i rbtnosuch0 -c 1 >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	if [ "$rc" = 1 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q '^procap: .*rbtnosuch0' "$T/err"; then
		echo "PASS cli: unknown interface"
	else
		echo "FAIL cli: unknown interface: exit $rc: $(head -c 300 "$T/err" | tr '\n' '|')"
	fi
fi

# A filter whose libpcap program loops forever on a crafted packet (IPv6 extension headers that
# send "protochain" round in circles; tcpdump 4.99 / libpcap 1.10 spin too): -r must still end.
# 20 s is a hang bound, not a speed expectation (the file has one packet).
timeout -s KILL 20 "$P" -r testdata/malformed/replay_protochain_loop.pcap -n 'ip6 protochain 6' \
	>/dev/null 2>"$T/err"
rc=$?
if [ "$rc" = 0 ] || { [ "$rc" = 1 ] && [ "$(wc -l <"$T/err")" = 1 ]; }; then
	echo "PASS cli: -r with a protochain filter that loops in libpcap ends"
else
	echo "FAIL cli: -r with a protochain filter that loops in libpcap ends: exit $rc (137: hung, killed)"
fi

# closed stdout: a 3000-packet file through text, -v, -x and --json into `head -1`
python3 - "$T/big.pcap" <<'EOF' || { echo "SKIP cli: python3 missing for the big file"; exit 0; }
import struct, sys
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(3000):
        pay = bytes(958)
        udp = struct.pack(">HHHH", 1024 + i % 1000, 9, 8 + len(pay), 0) + pay
        ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i, 0, 64, 17, 0,
                         bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])) + udp
        fr = bytes([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0]) + ip
        f.write(struct.pack("<IIII", 1700000000 + i, 0, len(fr), len(fr)) + fr)
EOF
for v in "-n" "-n -v" "-n -x" "--json" "-n -e -X"; do
	# shellcheck disable=SC2086
	"$P" -r "$T/big.pcap" $v 2>"$T/err" | head -1 >/dev/null
	rc=${PIPESTATUS[0]}
	if [ "$rc" = 0 ] && [ ! -s "$T/err" ]; then
		echo "PASS cli: procap -r BIG $v | head -1: exit 0, silent"
	else
		echo "FAIL cli: procap -r BIG $v | head -1: exit $rc, stderr '$(head -c 200 "$T/err")'"
	fi
done
