#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Writes the DNS names test capture (raw IP, pcap): a UDP DNS response with a CNAME chain
# (web.lab.test -> edge.lab.test -> 192.0.2.10), a DNS-over-TCP response with an AAAA answer
# (v6.lab.test -> 2001:db8::10), a response whose answer's owner name is a compression pointer
# to itself (loop.lab.test; RFC 1035 §4.1.4 pointers point backwards; tshark and tcpdump still
# read the A record after it), then a
# TCP SYN to each answered address; an mDNS response (UDP 5353, RFC 6762 §18) and the same
# message format on UDP 9999, which tcpdump and procap do not read as DNS (tshark 4.0's
# heuristic does).
# Usage: mkdns.py OUT.pcap
import struct, sys

def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return (~s) & 0xffff

def ip4(src, dst, proto, payload):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0, src, dst)
    return h[:10] + struct.pack('!H', csum(h)) + h[12:] + payload

def ip6(src, dst, proto, payload):
    return struct.pack('!IHBB16s16s', 0x60000000, len(payload), proto, 64, src, dst) + payload

def l4(src, dst, proto, seg, cks_off):
    ph = src + dst + struct.pack('!BBH', 0, proto, len(seg)) if len(src) == 4 else \
        src + dst + struct.pack('!IxxxB', len(seg), proto)
    c = csum(ph + seg)
    return seg[:cks_off] + struct.pack('!H', c) + seg[cks_off + 2:]

def udp(src, dst, sp, dp, data):
    return l4(src, dst, 17, struct.pack('!HHHH', sp, dp, 8 + len(data), 0) + data, 6)

def tcp(src, dst, sp, dp, flags, data=b'', seq=1000, ack=0):
    return l4(src, dst, 6, struct.pack('!HHIIBBHHH', sp, dp, seq, ack, 0x50, flags, 64240, 0, 0) + data, 16)

def name(n):
    return b''.join(bytes([len(x)]) + x.encode() for x in n.split('.')) + b'\0'

def question(qname, qtype):
    return name(qname) + struct.pack('!HH', qtype, 1)

def rr(owner, rtype, ttl, rdata):
    return owner + struct.pack('!HHIH', rtype, 1, ttl, len(rdata)) + rdata

def msg(qid, flags, qname, qtype, answers):
    return struct.pack('!HHHHHH', qid, flags, 1, len(answers), 0, 0) + question(qname, qtype) + b''.join(answers)

C4, S4 = bytes([198, 51, 100, 1]), bytes([198, 51, 100, 53])
C6 = bytes.fromhex('20010db8000000000000000000000001')
S6 = bytes.fromhex('20010db8000000000000000000000053')
W4, W6, L4 = bytes([192, 0, 2, 10]), bytes.fromhex('20010db8000000000000000000000010'), bytes([192, 0, 2, 99])

q = question('web.lab.test', 1)
edge_off = 12 + len(q) + 12          # edge.lab.test inside the CNAME's rdata
r1 = msg(0x1234, 0x8180, 'web.lab.test', 1, [
    rr(b'\xc0\x0c', 5, 300, name('edge.lab.test')),
    rr(struct.pack('!H', 0xc000 | edge_off), 1, 60, W4)])
r2 = msg(0x2345, 0x8180, 'v6.lab.test', 28, [rr(b'\xc0\x0c', 28, 120, W6)])
loop_owner_off = 12 + len(question('loop.lab.test', 1))
r3 = msg(0x3456, 0x8180, 'loop.lab.test', 1, [rr(struct.pack('!H', 0xc000 | loop_owner_off), 1, 60, L4)])

M4 = bytes([192, 0, 2, 77])
r4 = msg(0, 0x8400, 'mdns.lab.test', 1, [rr(b'\xc0\x0c', 1, 120, M4)])
r5 = msg(0x4567, 0x8180, 'other.lab.test', 1, [rr(b'\xc0\x0c', 1, 60, bytes([192, 0, 2, 78]))])

pkts = [
    ip4(C4, S4, 17, udp(C4, S4, 5555, 53, msg(0x1234, 0x0100, 'web.lab.test', 1, []))),
    ip4(S4, C4, 17, udp(S4, C4, 53, 5555, r1)),
    ip4(C4, W4, 6, tcp(C4, W4, 40000, 443, 0x02)),
    ip6(S6, C6, 6, tcp(S6, C6, 53, 40001, 0x18, struct.pack('!H', len(r2)) + r2, 1, 1)),
    ip6(C6, W6, 6, tcp(C6, W6, 40002, 443, 0x02)),
    ip4(S4, C4, 17, udp(S4, C4, 53, 5556, r3)),
    ip4(C4, L4, 6, tcp(C4, L4, 40003, 443, 0x02)),
    ip4(S4, C4, 17, udp(S4, C4, 5353, 5353, r4)),
    ip4(S4, C4, 17, udp(S4, C4, 9999, 5557, r5)),
]
with open(sys.argv[1], 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
    for i, p in enumerate(pkts):
        f.write(struct.pack('<IIII', 1700000000 + i, 0, len(p), len(p)) + p)
