#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""reorder.py IN.pcap OUT.pcap [ORDER]: rewrites the first TLS ClientHello of IN (Ethernet,
IPv4, TCP, any number of segments) as three segments A B C sent in ORDER, default ACABC: out of
order, retransmitted (A twice) and duplicated (C twice); BCA sends the hello's first segment
last. Sequence numbers, IPv4 total length and both checksums are recomputed; every other packet
is copied unchanged."""
import struct, sys

def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def parse(frame):
    """(ip offset, ip header len, tcp header len, src, dst, sport, dport, seq) or None"""
    if len(frame) < 54 or frame[12:14] != b'\x08\x00' or frame[23] != 6:
        return None
    ihl = (frame[14] & 15) * 4
    t = 14 + ihl
    thl = (frame[t + 12] >> 4) * 4
    total = struct.unpack('!H', frame[16:18])[0]
    sport, dport, seq = struct.unpack('!HHI', frame[t:t + 8])
    return ihl, thl, frame[26:30], frame[30:34], sport, dport, seq, frame[t + thl:14 + total]

def build(tmpl, seq, payload):
    ihl, thl = (tmpl[14] & 15) * 4, (tmpl[14 + (tmpl[14] & 15) * 4 + 12] >> 4) * 4
    ip = bytearray(tmpl[14:14 + ihl])
    tcp = bytearray(tmpl[14 + ihl:14 + ihl + thl])
    struct.pack_into('!H', ip, 2, ihl + thl + len(payload))
    struct.pack_into('!H', ip, 10, 0)
    struct.pack_into('!H', ip, 10, csum(bytes(ip)))
    struct.pack_into('!I', tcp, 4, seq)
    struct.pack_into('!H', tcp, 16, 0)
    pseudo = bytes(ip[12:20]) + struct.pack('!BBH', 0, 6, thl + len(payload))
    struct.pack_into('!H', tcp, 16, csum(pseudo + bytes(tcp) + payload))
    return tmpl[:14] + bytes(ip) + bytes(tcp) + payload

def main(src, dst, order='ACABC'):
    data = open(src, 'rb').read()
    ghdr, off, pkts = data[:24], 24, []
    while off + 16 <= len(data):
        ts, tu, cl, wl = struct.unpack('<IIII', data[off:off + 16])
        pkts.append([ts, tu, data[off + 16:off + 16 + cl]])
        off += 16 + cl
    first = None
    for i, (_, _, fr) in enumerate(pkts):
        p = parse(fr)
        if p and p[7][:1] == b'\x16' and len(p[7]) > 5 and p[7][5] == 1:
            first = i
            break
    flow = parse(pkts[first][2])[2:6]
    need = 5 + struct.unpack('!H', parse(pkts[first][2])[7][3:5])[0]
    seq0 = parse(pkts[first][2])[6]
    stream, used = b'', []
    for i in range(first, len(pkts)):
        p = parse(pkts[i][2])
        if p and p[2:6] == flow and p[7] and len(stream) < need:
            stream += p[7]
            used.append(i)
    hello = stream[:need]
    a, b = need // 3, 2 * need // 3
    tmpl = pkts[first][2]
    seg = {'A': (seq0, hello[:a]), 'B': (seq0 + a, hello[a:b]), 'C': (seq0 + b, hello[b:])}
    ts, tu = pkts[first][0], pkts[first][1]
    out = []
    for i, pk in enumerate(pkts):
        if i == first:
            for k, name in enumerate(order):
                s, pl = seg[name]
                out.append([ts, tu + k, build(tmpl, s, pl)])
            rest = stream[need:]
            if rest:
                out.append([ts, tu + len(order), build(tmpl, seq0 + need, rest)])
        elif i not in used:
            out.append(pk)
    with open(dst, 'wb') as f:
        f.write(ghdr)
        for ts, tu, fr in out:
            f.write(struct.pack('<IIII', ts, tu, len(fr), len(fr)) + fr)

main(*sys.argv[1:4])
