#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Attack: a -r record or block could be 256 MiB (a 261 KB gzip cost 267 MB of RSS), records
# over the snaplen went through to -w files that Wireshark rejects ("cap_len 1048576 >
# 262144") with exit 0, and -B 2097153..4194304 passed the range check and wrapped the ring
# size to 0. Now, as libpcap: pcapng blocks over 16 MiB and pcap records over 262144 bytes
# are refused (tcpdump refuses the same record), records over their snaplen are cut to it
# (tcpdump's lines are the reference), every written file is one tshark reads; -B is checked
# before any arithmetic.
set -u
NS=hdlm$$
. "$(dirname "$0")/live_lib.sh"
need python3 tcpdump tshark
P=$PROCAP
export LC_ALL=C

python3 - "$T" <<'EOS'
import gzip, struct, sys
t = sys.argv[1]
eth = b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00"
def ip_udp(n):	# an IPv4/UDP frame of n bytes in all
    body = n - 14 - 28
    return (eth + struct.pack(">BBHHHBBH4s4s", 0x45, 0, (28 + body) & 0xffff, 0, 0, 64, 17, 0,
            bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])) +
            struct.pack(">HHHH", 1234, 9, (8 + body) & 0xffff, 0) + b"z" * body)
def pcap(snaplen, frames, wire=None):
    out = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, snaplen, 1)
    for i, f in enumerate(frames):
        out += struct.pack("<IIII", 1 + i, 0, len(f), wire or len(f)) + f
    return out
# one 1 MiB record: 1 KB of gzip
open(t + "/huge.pcap.gz", "wb").write(gzip.compress(pcap(1 << 20, [ip_udp(1 << 20)])))
# snaplen 100, records of 60, 200 and 1500 bytes
open(t + "/snap.pcap", "wb").write(pcap(100, [ip_udp(60), ip_udp(200), ip_udp(1500)]))
def opt(code, val):
    return struct.pack("<HH", code, len(val)) + val + b"\0" * ((4 - len(val) % 4) % 4)
def block(bt, body):
    return struct.pack("<II", bt, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))
def epb(f):
    return block(6, struct.pack("<IIIII", 0, 0, 1, len(f), len(f)) + f + b"\0" * ((4 - len(f) % 4) % 4))
shb = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
idb0 = block(1, struct.pack("<HHI", 1, 0, 0))	# snaplen 0: "unlimited"
open(t + "/big.pcapng", "wb").write(shb + idb0 + epb(ip_udp(100)) + epb(ip_udp(300000)))
# a 20 MiB block (a custom block nobody knows)
with gzip.open(t + "/block.pcapng.gz", "wb") as g:
    g.write(shb + idb0 + epb(ip_udp(100)) + block(0x40000BAD, b"\0" * (20 << 20)))
EOS

# refused NAME MESSAGE ARGS...: exit 1, the message, and at most 64 MB of RSS
refused() {
	local name=$1 msg=$2 rc
	shift 2
	/usr/bin/time -f %M -o "$T/rss" "$P" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" = 1 ] && grep -q "^procap: .*$msg" "$T/err" && [ "$(tail -1 "$T/rss")" -lt 65536 ]; then
		pass "$name"
	else
		fail "$name" "exit $rc, rss $(tail -1 "$T/rss") KB: $(head -c 300 "$T/err")"
	fi
}
refused "-r: a 1 MiB pcap record (1 KB gzip) refused in little memory" \
	"oversize record at offset 24 (1048576 bytes, limit 262144)" -r "$T/huge.pcap.gz" -n
tcpdump -r "$T/huge.pcap.gz" -n >/dev/null 2>&1 || zcat "$T/huge.pcap.gz" | tcpdump -r - -n >/dev/null 2>&1
check "-r: tcpdump refuses the same record" "$?" 1
refused "-r: a 20 MiB pcapng block refused (libpcap's 16 MiB)" \
	"oversize block at offset .* limit 16777216" -r "$T/block.pcapng.gz" -n

# records over the snaplen: cut, as tcpdump shows them
check "-r: records over the snaplen cut (tcpdump's lines)" "$("$P" -r "$T/snap.pcap" -n 2>&1)" \
	"$(tcpdump -r "$T/snap.pcap" -n 2>/dev/null)"
"$P" -r "$T/snap.pcap" -w "$T/snap.pcapng" 2>/dev/null
check "-r -w: written lengths are the cut ones (tshark)" \
	"$(tshark -r "$T/snap.pcapng" -T fields -e frame.cap_len -e frame.len 2>/dev/null | tr '\t\n' ',,')" \
	"60,60,100,200,100,1500,"
tshark -r "$T/big.pcapng" >/dev/null 2>"$T/tshark.err"
check "reference: tshark rejects the 300000-byte record of the input" \
	"$(grep -c 'cap_len 300000 is larger than 262144' "$T/tshark.err")" 1
"$P" -r "$T/big.pcapng" -w "$T/big.out.pcapng" 2>"$T/err"
check "-r -w: the 300000-byte record is cut to 262144, exit 0" "$?:$(tshark -r "$T/big.out.pcapng" \
	-T fields -e frame.cap_len -e frame.len 2>/dev/null | tr '\t\n' ',,')" "0:100,100,262144,300000,"

# -B: validated before arithmetic (2097153 KiB * 1024 wrapped the ring size to 0)
for b in 2097153 4194304 4294967296; do
	"$P" -B $b -i lo -c 1 >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" = 1 ] && grep -q "^procap: invalid buffer size -B '$b': must be 64..2097152 KiB" "$T/err" &&
		pass "-B $b refused" || fail "-B $b refused" "exit $rc: $(head -c 200 "$T/err")"
done
