#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tcpdump 4.99's options in procap, checked against the real tcpdump where both can run: -dd and
# -ddd print what tcpdump prints for the same expressions; --count, --nano, --micro,
# --time-stamp-precision, -K and the options procap accepts without effect give tcpdump's lines
# on replay; long names are the short options; refused options fail with one line naming the
# reason; -J/-L print tcpdump's listing format; --version names the libraries.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
P=${PROCAP:-$ROOT/${OUT:-build}/procap}
G=$ROOT/testdata/golden
T=$(mktemp -d /tmp/procap-tdopts.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
check() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi; }
command -v tcpdump >/dev/null || { echo "SKIP test_tcpdump_opts: tcpdump missing"; exit 0; }
[ -x "$P" ] || { echo "SKIP test_tcpdump_opts: $P not built"; exit 0; }

# same NAME ARGS...: procap's and tcpdump's stdout for ARGS are identical (and not empty)
same() {
	local name=$1
	shift
	TZ=UTC "$P" "$@" >"$T/p" 2>/dev/null
	TZ=UTC tcpdump "$@" >"$T/t" 2>/dev/null
	if [ -s "$T/t" ] && cmp -s "$T/p" "$T/t"; then pass "$name"; else
		fail "$name" "$(diff "$T/p" "$T/t" | head -3 | tr '\n' ' ')"; fi
}

for expr in ip "tcp port 80 and host 192.0.2.1" "udp or icmp6" "vlan and ip6 multicast" \
	"ether[0] & 1 = 0 and len > 100"; do
	same "-dd '$expr'" -dd "$expr"
	same "-ddd '$expr'" -ddd "$expr"
done
same "-dd -s 96" -dd -s 96 "tcp"

same "--count" --count -r "$G/eth_tcp.pcap"
same "--count with a filter" --count -r "$G/eth_icmp.pcap" icmp6
same "--count -c 3" --count -c 3 -r "$G/eth_tcp.pcap"
for f in eth_tcp eth_icmp; do
	same "$f --nano" -n --nano -r "$G/$f.pcap"
	same "$f --time-stamp-precision=nano -tt" -n --time-stamp-precision=nano -tt -r "$G/$f.pcap"
	same "$f --micro -ttt" -n --micro -ttt -r "$G/$f.pcap"
	same "$f --nano -tttt" -n --nano -tttt -r "$G/$f.pcap"
done
for f in crafted_tcp crafted_ip6 eth_udp; do
	same "$f -v -K" -n -v -K -r "$G/$f.pcap"
	same "$f -vv --dont-verify-checksums" -n -vv --dont-verify-checksums -r "$G/$f.pcap"
done
# -K must change something where tcpdump verifies checksums
[ "$(TZ=UTC "$P" -n -vv -r "$G/crafted_tcp.pcap" | md5sum)" != \
	"$(TZ=UTC "$P" -n -vv -K -r "$G/crafted_tcp.pcap" | md5sum)" ] &&
	pass "-K drops the checksum verdicts" || fail "-K drops the checksum verdicts" "no change"
for o in -p --no-promiscuous-mode -a -N -b -H -u -O --no-optimize -U --packet-buffered -l \
	--number --absolute-tcp-sequence-numbers "--snapshot-length=96" "-j host" \
	"--time-stamp-type=host" "-y EN10MB" "--linktype=EN10MB"; do
	same "$o on replay" -n $o -r "$G/eth_tcp.pcap"
done

# refused: exit 1, one line naming the option and the reason
for o in "-E esp:x" -I --monitor-mode "-m x" "-M x" "-T rtp" "-V list" -Y --fp-type; do
	out=$("$P" $o -r "$G/eth_tcp.pcap" 2>&1 >/dev/null)
	rc=$?
	[ $rc = 1 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] &&
		printf '%s' "$out" | grep -q "not supported: " && pass "$o refused with a reason" ||
		fail "$o refused with a reason" "rc $rc: $out"
done
out=$("$P" -j foo -r "$G/eth_tcp.pcap" 2>&1 >/dev/null)
check "-j foo: tcpdump's error" "$?:$out" "1:procap: invalid time stamp type foo"
out=$("$P" --time-stamp-precision=pico -r "$G/eth_tcp.pcap" 2>&1 >/dev/null)
check "--time-stamp-precision=pico: exit 1" "$?" 1
out=$("$P" -y LINUX_SLL -L 2>&1)
check "-y LINUX_SLL: exit 1" "$?" 1
out=$("$P" -r "$G/eth_tcp.pcap" -w "$T/x.pcap" 2>&1)
rc=$?
[ $rc = 1 ] && [ ! -e "$T/x.pcap" ] && printf '%s' "$out" | grep -q pcapng &&
	pass "-w NAME.pcap refused, no file" || fail "-w NAME.pcap refused" "rc $rc: $out"

# listings in tcpdump's format, on stderr as tcpdump prints them (tcpdump on lo: the reference)
check "-J -i lo" "$("$P" -J -i lo 2>&1 >/dev/null)" "$(tcpdump -J -i lo 2>&1 >/dev/null)"
check "-L -i lo" "$("$P" -L -i lo 2>&1 >/dev/null)" "$(tcpdump -L -i lo 2>&1 >/dev/null)"
"$P" -L -i no-such-if0 >/dev/null 2>&1
check "-L -i no-such-if0: exit 1" "$?" 1

# --version: procap's and its libraries' versions; libpcap's line is tcpdump's
v=$("$P" --version)
check "--version: libpcap line as tcpdump's" "$(printf '%s\n' "$v" | grep '^libpcap')" \
	"$(tcpdump --version 2>&1 | grep '^libpcap')"
for lib in "^procap " "^libbpf version " "^zlib version " "^OpenSSL "; do
	printf '%s\n' "$v" | grep -q "$lib" && pass "--version: $lib" || fail "--version: $lib" "$v"
done
"$P" -h | head -1 | grep -q "^Usage: procap" && pass "-h prints the usage" ||
	fail "-h prints the usage" "$("$P" -h 2>&1 | head -1)"
