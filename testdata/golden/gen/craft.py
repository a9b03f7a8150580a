#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes crafted frames for cases real traffic here does not produce (IPv6 routing headers,
rare TCP options, ICMP types, tunnels, other link types, well-known UDP ports). The expected
outputs still come from tcpdump. Usage: craft.py OUTDIR"""
import os, struct, sys

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
T0 = 1795298946  # 2026-11-21 22:09:06 UTC

A_MAC, B_MAC = bytes.fromhex("02000000000a"), bytes.fromhex("0200000000fa")
A4, B4, C4, D4 = (bytes([198, 51, 100, 1]), bytes([192, 0, 2, 2]), bytes([198, 51, 100, 254]),
                  bytes([192, 0, 2, 77]))
A6 = bytes.fromhex("20010db8005100000000000000000001")
B6 = bytes.fromhex("20010db8000200000000000000000002")
R6 = bytes.fromhex("20010db80051000000000000000000fe")
LL_A = bytes.fromhex("fe80000000000000000000fffe00000a")
LL_R = bytes.fromhex("fe80000000000000000000fffe0000fa")
ALLN = bytes.fromhex("ff020000000000000000000000000001")
MLDR = bytes.fromhex("ff020000000000000000000000000016")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip4(src, dst, proto, payload, ttl=64, ident=1, off=0, tos=0, opts=b"", bad_sum=False,
        total=None):
    hl = 20 + len(opts)
    assert hl % 4 == 0
    tl = total if total is not None else hl + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | hl // 4, tos, tl, ident, off, ttl, proto, 0, src,
                    dst) + opts
    s = csum(h)
    if bad_sum:
        s ^= 0x1234
    return h[:10] + struct.pack("!H", s) + h[12:] + payload


def ip6(src, dst, nh, payload, hlim=64, flow=0, tc=0, plen=None):
    first = 0x60000000 | tc << 20 | flow
    pl = len(payload) if plen is None else plen
    return struct.pack("!IHBB16s16s", first, pl, nh, hlim, src, dst) + payload


def pseudo4(src, dst, proto, l4):
    return struct.pack("!4s4sBBH", src, dst, 0, proto, len(l4))


def pseudo6(src, dst, proto, l4):
    return struct.pack("!16s16sI3xB", src, dst, len(l4), proto)


def tcp(src, dst, sport, dport, seq, ack, flags, win=64240, opts=b"", data=b"", urp=0,
        v6=False, hl=None, bad_sum=False):
    while len(opts) % 4:
        opts += b"\0"
    hlen = (20 + len(opts)) if hl is None else hl
    h = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, (hlen // 4) << 4, flags, win, 0,
                    urp) + opts + data
    ph = (pseudo6 if v6 else pseudo4)(src, dst, 6, h)
    s = csum(ph + h) ^ (0x55 if bad_sum else 0)
    return h[:16] + struct.pack("!H", s) + h[18:]


def udp(src, dst, sport, dport, data, v6=False, zero_sum=False, bad_sum=False, ulen=None):
    h = struct.pack("!HHHH", sport, dport, 8 + len(data) if ulen is None else ulen, 0) + data
    if zero_sum:
        return h
    s = csum((pseudo6 if v6 else pseudo4)(src, dst, 17, h) + h) ^ (0x77 if bad_sum else 0)
    return h[:6] + struct.pack("!H", s or 0xffff) + h[8:]


def icmp(t, code, rest, data=b"", bad_sum=False):
    h = struct.pack("!BBH", t, code, 0) + rest + data
    s = csum(h) ^ (0x99 if bad_sum else 0)
    return h[:2] + struct.pack("!H", s) + h[4:]


def icmp6(src, dst, t, code, rest, data=b""):
    h = struct.pack("!BBH", t, code, 0) + rest + data
    s = csum(pseudo6(src, dst, 58, h) + h)
    return h[:2] + struct.pack("!H", s) + h[4:]


def eth(payload, etype=0x0800, src=A_MAC, dst=B_MAC):
    return dst + src + struct.pack("!H", etype) + payload


class Pcap:
    def __init__(self, name, linktype=1, snap=262144):
        self.f = open(os.path.join(OUT, name), "wb")
        self.f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, snap, linktype))
        self.t = T0 * 1000000

    def add(self, frame, wire=None):
        self.t += 1234
        self.f.write(struct.pack("<IIII", self.t // 1000000, self.t % 1000000, len(frame),
                                 wire or len(frame)) + frame)

    def close(self):
        self.f.close()


def e4(p, proto, l4, **kw):
    p.add(eth(ip4(A4, B4, proto, l4, **kw)))


def tcp_file():
    p = Pcap("crafted_tcp.pcap")
    t = lambda *a, **k: e4(p, 6, tcp(A4, B4, *a, **k))
    r = lambda *a, **k: p.add(eth(ip4(B4, A4, 6, tcp(B4, A4, *a, **k)), src=B_MAC, dst=A_MAC))
    # handshake with every common option, then SACK blocks, urgent data, ECN flags
    t(40000, 80, 1000, 0, 0x02 | 0x40 | 0x80, opts=bytes([2, 4, 5, 0xb4, 4, 2, 8, 10]) +
      struct.pack("!II", 11, 0) + bytes([1, 3, 3, 7]))
    r(80, 40000, 5000, 1001, 0x12 | 0x40, opts=bytes([2, 4, 5, 0xb4, 1, 1, 4, 2, 1, 3, 3, 2]))
    t(40000, 80, 1001, 5001, 0x10)
    t(40000, 80, 1001, 5001, 0x18, data=b"hello")
    r(80, 40000, 5001, 1006, 0x10, opts=bytes([1, 1, 5, 18]) +
      struct.pack("!IIII", 1010, 1020, 1030, 1040))
    r(80, 40000, 5001, 1006, 0x10, opts=bytes([1, 1, 5, 10]) + struct.pack("!II", 900, 950))
    r(80, 40000, 5001, 1006, 0x10, opts=bytes([5, 7, 1, 2, 3, 4, 5]))  # invalid sack
    t(40000, 80, 1006, 5001, 0x38, data=b"!", urp=1)
    t(40000, 80, 1007, 5001, 0x10 | 0x40)
    t(40000, 80, 1007, 5001, 0x10 | 0x80, win=0)
    t(40000, 80, 1007, 5001, 0)                      # no flags
    t(40000, 80, 1007, 5001, 0xff)                   # all flags
    # other options
    t(40001, 443, 7, 0, 0x02, opts=bytes([19, 18]) + bytes(range(16)))          # md5
    t(40001, 443, 7, 0, 0x02, opts=bytes([28, 4, 0x01, 0x2d]))                  # uto
    t(40001, 443, 7, 0, 0x02, opts=bytes([28, 4, 0x00, 0x20]))
    t(40001, 443, 7, 0, 0x02, opts=bytes([29, 8, 3, 4, 1, 2, 3, 4]))           # tcp-ao
    t(40001, 443, 7, 0, 0x02, opts=bytes([34, 2]))                              # tfo req
    t(40001, 443, 7, 0, 0x02, opts=bytes([34, 10]) + bytes(range(8)))          # tfo cookie
    t(40001, 443, 7, 0, 0x02, opts=bytes([34, 5, 1, 2, 3]))                     # tfo invalid
    t(40001, 443, 7, 0, 0x02, opts=bytes([254, 4, 0xf9, 0x89]))                 # exp tfo req
    t(40001, 443, 7, 0, 0x02, opts=bytes([254, 8, 0xf9, 0x89, 1, 2, 3, 4]))     # exp tfo
    t(40001, 443, 7, 0, 0x02, opts=bytes([254, 6, 0x12, 0x34, 1, 2]))           # exp other
    t(40001, 443, 7, 0, 0x02, opts=bytes([30, 4, 0x00, 0x81]))                  # mptcp capable?
    t(40001, 443, 7, 0, 0x02, opts=bytes([99, 4, 0xab, 0xcd]))                  # unknown
    t(40001, 443, 7, 0, 0x02, opts=bytes([99, 2]))                              # unknown empty
    t(40001, 443, 7, 0, 0x02, opts=bytes([2, 5, 5, 0xb4, 0]))                   # mss len 5
    t(40001, 443, 7, 0, 0x02, opts=bytes([2, 40, 5, 0xb4]))                     # bad length
    t(40001, 443, 7, 0, 0x02, opts=bytes([0, 2, 4, 5, 0xb4]))                   # eol first
    t(40001, 443, 7, 0, 0x02, opts=bytes([11, 6, 0, 0, 0, 9, 12, 6, 0, 0, 0, 8]))  # cc, ccnew
    t(40001, 443, 7, 0, 0x02, opts=bytes([20, 4, 0xab, 3]))                     # scps
    t(40002, 80, 9, 0, 0x02, hl=16)                                             # bad hlen
    t(40002, 80, 9, 0, 0x02, hl=60)                                             # too long
    t(40002, 80, 9, 0, 0x02, bad_sum=True)
    # IPv6 TCP, relative numbers in both directions
    s6 = lambda *a, **k: p.add(eth(ip6(A6, B6, 6, tcp(A6, B6, *a, v6=True, **k)), 0x86dd))
    r6 = lambda *a, **k: p.add(eth(ip6(B6, A6, 6, tcp(B6, A6, *a, v6=True, **k)), 0x86dd))
    s6(50000, 22, 0xfffffff0, 0, 0x02)
    r6(22, 50000, 77, 0xfffffff1, 0x12)
    s6(50000, 22, 0xfffffff1, 78, 0x18, data=b"x" * 40)     # sequence wraps
    r6(22, 50000, 78, 0x19, 0x11)
    s6(50000, 22, 0x19, 79, 0x14)
    p.close()


def ip_file():
    p = Pcap("crafted_ip.pcap")
    u = udp(A4, B4, 1111, 2222, b"abc")
    e4(p, 17, u, tos=0x02)
    e4(p, 17, u, tos=0x03)
    e4(p, 17, u, tos=0xb9)
    e4(p, 17, u, ttl=0)
    e4(p, 17, u, bad_sum=True)
    e4(p, 17, u, off=0x8000)
    e4(p, 17, u, opts=bytes([131, 11, 4]) + A4 + B4 + b"\0")             # LSRR
    e4(p, 17, u, opts=bytes([137, 7, 8]) + C4 + b"\0")                    # SSRR
    e4(p, 17, u, opts=bytes([148, 4, 0, 0]))                               # router alert
    e4(p, 17, u, opts=bytes([148, 4, 0, 1]))
    e4(p, 17, u, opts=bytes([130, 11]) + bytes(9) + b"\0")                # security
    e4(p, 17, u, opts=bytes([68, 12, 13, 1]) + A4 + struct.pack("!I", 5) + b"")  # TS+ADDR
    e4(p, 17, u, opts=bytes([68, 12, 5, 0x23]) + struct.pack("!II", 1, 2))  # TSONLY overflow
    e4(p, 17, u, opts=bytes([99, 4, 1, 2]))                                # unknown
    e4(p, 17, u, opts=bytes([7, 1, 0, 0]))                                 # bad length
    # fragments: first with MF, a middle one, unknown protocols, no next header
    big = udp(A4, B4, 1111, 2222, b"F" * 40)
    e4(p, 17, big[:24], off=0x2000, total=20 + 48)
    p.add(eth(ip4(A4, B4, 17, big[24:], off=3)))
    e4(p, 99, b"\x01\x02\x03\x04")
    # IP in IP
    inner = ip4(C4, D4, 1, icmp(8, 0, struct.pack("!HH", 7, 1), b"ping"))
    e4(p, 4, inner)
    inner6 = ip6(A6, B6, 17, udp(A6, B6, 5000, 6000, b"six", v6=True))
    e4(p, 41, inner6)
    p.add(eth(ip6(A6, B6, 4, inner), 0x86dd))
    p.add(eth(ip6(A6, B6, 41, inner6), 0x86dd))
    p.add(eth(ip6(A6, B6, 59, b""), 0x86dd))
    # truncated IP: header says more than the frame holds; ethernet padding after a short packet
    p.add(eth(ip4(A4, B4, 17, u, total=200)))
    p.add(eth(ip4(A4, B4, 17, u)) + bytes(20))
    # UDP checksums: zero (v4 allowed), bad, bad length
    e4(p, 17, udp(A4, B4, 1111, 2222, b"zero", zero_sum=True))
    e4(p, 17, udp(A4, B4, 1111, 2222, b"bad", bad_sum=True))
    e4(p, 17, udp(A4, B4, 1111, 2222, b"len", ulen=40))
    e4(p, 17, udp(A4, B4, 1111, 2222, b"len", ulen=4))
    p.add(eth(ip6(A6, B6, 17, udp(A6, B6, 1, 2, b"v6bad", v6=True, bad_sum=True)), 0x86dd))
    # link layer: VLAN, QinQ, unknown EtherType, 802.3 length field
    p.add(eth(struct.pack("!HH", 0x2064, 0x0800) + ip4(A4, B4, 17, u), 0x8100))
    p.add(eth(struct.pack("!HH", 0x0005, 0x8100) + struct.pack("!HH", 0x3007, 0x86dd) +
              ip6(A6, B6, 17, udp(A6, B6, 1, 2, b"q", v6=True)), 0x88a8))
    p.add(eth(b"\x01\x02\x03\x04" * 12, 0x88b5))
    p.add(eth(b"\xaa\xaa\x03\x00\x00\x00\x08\x00" + b"x" * 38, 46))
    # ARP variants: probe, announcement, reply, reverse, non-IP
    arp = lambda op, sha, spa, tha, tpa: struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + sha + spa + tha + tpa
    p.add(eth(arp(1, A_MAC, bytes(4), bytes(6), A4), 0x0806, dst=b"\xff" * 6))
    p.add(eth(arp(1, A_MAC, A4, bytes(6), A4), 0x0806, dst=b"\xff" * 6))
    p.add(eth(arp(1, A_MAC, A4, B_MAC, C4), 0x0806))
    p.add(eth(arp(3, A_MAC, bytes(4), A_MAC, bytes(4)), 0x8035, dst=b"\xff" * 6))
    p.add(eth(arp(4, B_MAC, C4, A_MAC, A4), 0x8035))
    p.add(eth(arp(8, A_MAC, A4, B_MAC, bytes(4)), 0x0806))
    p.add(eth(arp(1, A_MAC, A4, bytes(6), C4) + bytes(18), 0x0806, dst=b"\xff" * 6))
    p.add(eth(struct.pack("!HHBBH", 1, 0x86dd, 6, 16, 1) + A_MAC + A6 + bytes(6) + B6, 0x0806))
    p.close()


def icmp_file():
    p = Pcap("crafted_icmp.pcap")
    quoted = ip4(A4, B4, 17, udp(A4, B4, 3333, 4444, b"quoted data"))[:28]
    quoted_tcp = ip4(A4, B4, 6, tcp(A4, B4, 5555, 6666, 1, 0, 2))[:28]
    quoted_other = ip4(A4, B4, 132, b"\x12\x34\x56\x78" * 4)[:28]
    R = lambda t, c, rest, data=b"", **k: p.add(eth(ip4(C4, A4, 1, icmp(t, c, rest, data, **k)),
                                                   src=B_MAC, dst=A_MAC))
    for code in range(16):
        R(3, code, bytes(4), quoted)
    R(3, 3, bytes(4), quoted_tcp)
    R(3, 3, bytes(4), quoted_other)
    R(3, 4, struct.pack("!HH", 0, 0), quoted)
    R(3, 99, bytes(4), quoted)
    for code in range(5):
        R(5, code, D4, quoted)
    R(11, 0, bytes(4), quoted)
    R(11, 1, bytes(4), quoted)
    R(11, 7, bytes(4), quoted)
    R(12, 0, bytes([20, 0, 0, 0]), quoted)
    R(12, 1, bytes(4), quoted)
    R(4, 0, bytes(4), quoted)
    R(8, 0, struct.pack("!HH", 1, 2), b"", bad_sum=True)
    R(13, 0, struct.pack("!HH", 3, 4), struct.pack("!III", 1000, 0, 0))
    R(14, 0, struct.pack("!HH", 3, 4), struct.pack("!III", 45296789, 45296790, 0x80000001))
    R(15, 0, struct.pack("!HH", 5, 6))
    R(16, 0, struct.pack("!HH", 5, 6))
    R(17, 0, struct.pack("!HH", 7, 8), bytes(4))
    R(18, 0, struct.pack("!HH", 7, 8), bytes([255, 255, 255, 0]))
    R(9, 0, struct.pack("!BBH", 2, 2, 1800), C4 + struct.pack("!I", 0) + D4 + struct.pack("!I", 5))
    R(9, 0, struct.pack("!BBH", 1, 2, 30), C4 + struct.pack("!I", 7))
    R(9, 0, struct.pack("!BBH", 1, 2, 7300), C4 + struct.pack("!I", 7))
    R(10, 0, bytes(4))
    R(42, 0, bytes(4))
    R(200, 3, bytes(4))
    p.close()


def icmp6_file():
    p = Pcap("crafted_icmp6.pcap")

    def R(src, dst, t, c, rest, data=b"", hlim=255, hbh=False):
        body = icmp6(src, dst, t, c, rest, data)
        if hbh:
            p.add(eth(ip6(src, dst, 0, bytes([58, 0, 5, 2, 0, 0, 1, 0]) + body, hlim=1), 0x86dd,
                      src=B_MAC, dst=bytes.fromhex("333300000001")))
        else:
            p.add(eth(ip6(src, dst, 58, body, hlim=hlim), 0x86dd, src=B_MAC, dst=A_MAC))

    q = ip6(A6, B6, 17, udp(A6, B6, 3333, 4444, b"quoted", v6=True))
    qt = ip6(A6, B6, 6, tcp(A6, B6, 5555, 6666, 1, 0, 2, v6=True))
    qx = ip6(A6, B6, 60, bytes([17, 0, 1, 4, 0, 0, 0, 0]) + udp(A6, B6, 3333, 4444, b"q", v6=True))
    qo = ip6(A6, B6, 132, b"\x12\x34\x56\x78" * 4)
    for code in (0, 1, 2, 3, 4, 5, 6):
        R(R6, A6, 1, code, bytes(4), q)
    R(R6, A6, 1, 4, bytes(4), qt)
    R(R6, A6, 1, 4, bytes(4), qx)
    R(R6, A6, 1, 4, bytes(4), qo)
    R(R6, A6, 3, 1, bytes(4), q)
    R(R6, A6, 3, 5, bytes(4), q)
    for code in (0, 1, 2, 3):
        R(R6, A6, 4, code, struct.pack("!I", 40), q)
    sll = bytes([1, 1]) + B_MAC
    R(LL_R, ALLN, 134, 0, struct.pack("!BBHII", 64, 0xc8, 1800, 30000, 1000),
      sll + bytes([5, 1, 0, 0]) + struct.pack("!I", 1400) +
      bytes([3, 4, 64, 0xc0]) + struct.pack("!III", 86400, 14400, 0) + B6[:8] + bytes(8) +
      bytes([25, 3, 0, 0]) + struct.pack("!I", 600) + R6 +
      bytes([7, 1, 0, 0]) + struct.pack("!I", 5000) +
      bytes([99, 1, 1, 2, 3, 4, 5, 6]))
    R(LL_R, ALLN, 134, 0, struct.pack("!BBHII", 0, 0x18, 0, 0, 0),
      bytes([3, 4, 48, 0x00]) + struct.pack("!III", 0xffffffff, 0xffffffff, 0) + B6)
    R(LL_A, bytes.fromhex("ff020000000000000000000000000002"), 133, 0, bytes(4))
    R(LL_R, LL_A, 135, 0, bytes(4), LL_A + sll)
    R(LL_A, LL_R, 136, 0, struct.pack("!I", 0x60000000), LL_A + bytes([2, 1]) + A_MAC)
    R(LL_A, LL_R, 136, 0, struct.pack("!I", 0), LL_A)
    R(LL_R, LL_A, 137, 0, bytes(4), R6 + B6 + sll)
    R(LL_R, MLDR, 130, 0, struct.pack("!HH", 1000, 0), bytes(16), hlim=1, hbh=True)
    R(LL_R, MLDR, 130, 0, struct.pack("!HH", 1000, 0), bytes(16) + bytes([0x02, 125, 0, 0]),
      hlim=1, hbh=True)
    R(LL_R, MLDR, 130, 0, struct.pack("!HH", 0x8123, 0),
      bytes.fromhex("ff050000000000000000000000000002") + bytes([0x0a, 0x90, 0, 2]) + A6 + B6,
      hlim=1, hbh=True)
    grp = bytes.fromhex("ff020000000000000000000000010003")
    R(LL_A, grp, 131, 0, struct.pack("!HH", 0, 0), grp, hlim=1, hbh=True)
    R(LL_A, grp, 132, 0, struct.pack("!HH", 0, 0), grp, hlim=1, hbh=True)
    R(LL_A, MLDR, 143, 0, struct.pack("!HH", 0, 2),
      bytes([1, 0, 0, 1]) + grp + A6 + bytes([6, 0, 0, 0]) + grp, hlim=1, hbh=True)
    R(R6, A6, 250, 0, bytes(4))
    p.close()


def ip6_file():
    p = Pcap("crafted_ip6.pcap")
    U = lambda: udp(A6, B6, 7777, 8888, b"ext", v6=True)
    E = lambda nh, payload, **k: p.add(eth(ip6(A6, B6, nh, payload, **k), 0x86dd))
    E(43, bytes([17, 4, 0, 1, 0, 0, 0, 0]) + R6 + B6 + U())                 # type 0, 2 addrs
    E(43, bytes([17, 2, 2, 1, 0, 0, 0, 0]) + R6 + U())                      # type 2
    E(43, bytes([17, 4, 4, 1, 1, 0, 0x12, 0x34]) + R6 + B6 + U())           # SRH
    E(43, bytes([17, 0, 9, 0, 0, 0, 0, 0]) + U())                           # unknown type
    E(60, bytes([17, 1, 0x3e, 4, 1, 2, 3, 4, 0, 1, 0, 0, 0, 0, 0, 0]) + U())  # dstopt unknown+pad1
    E(0, bytes([60, 0, 1, 4, 0, 0, 0, 0]) + bytes([44, 0, 1, 4, 0, 0, 0, 0]) +
      bytes([17, 0, 0, 1, 0xca, 0xfe, 0xba, 0xbe]) + U())                   # hbh, dst, frag
    E(44, bytes([6, 0, 0, 0x19, 0, 0, 0, 9]) + b"tail of a tcp segment")    # middle fragment
    E(17, U(), flow=0x12345, tc=0xb8)
    E(17, U(), tc=0x01)
    E(6, tcp(A6, B6, 1, 2, 5, 0, 2, v6=True), hlim=255)
    E(0, bytes([6, 0, 5, 2, 0, 0, 1, 0]) + tcp(A6, B6, 1, 2, 5, 0, 2, v6=True))
    E(51, bytes([17, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]) + U())               # AH: decoded
    E(17, U(), plen=100)                                                     # truncated
    p.close()


def wellknown_file():
    p = Pcap("wellknown.pcap")
    dns = bytes.fromhex("123401000001000000000000076578616d706c6503636f6d0000010001")
    e4(p, 17, udp(A4, B4, 5353, 53, dns))
    e4(p, 17, udp(A4, B4, 53, 33000, dns))
    e4(p, 17, udp(A4, B4, 123, 123, bytes([0x23]) + bytes(47)))
    e4(p, 17, udp(A4, B4, 68, 67, bytes([1, 1, 6, 0]) + bytes(236) + bytes([99, 130, 83, 99, 255])))
    e4(p, 17, udp(A4, B4, 5353, 5353, dns))
    e4(p, 17, udp(A4, B4, 40000, 514, b"<13>hello"))
    e4(p, 17, udp(A4, B4, 40000, 161, b"\x30\x00"))
    p.add(eth(ip6(A6, B6, 17, udp(A6, B6, 546, 547, bytes([1, 0, 0, 1]), v6=True)), 0x86dd))
    e4(p, 6, tcp(A4, B4, 40000, 80, 1, 1, 0x18, data=b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
    e4(p, 6, tcp(A4, B4, 40000, 53, 1, 1, 0x18, data=b"\x00\x1d" + dns))
    e4(p, 2, bytes([0x22, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0]) + bytes([239, 1, 2, 3]))  # IGMPv3
    e4(p, 47, b"\x00\x00\x08\x00")                                         # GRE
    e4(p, 50, b"\x00\x00\x00\x01\x00\x00\x00\x01")                         # ESP
    e4(p, 17, udp(A4, B4, 40000, 9999, b"plain, for contrast"))
    p.close()


def igmp_file():
    p = Pcap("crafted_igmp.pcap")
    G = bytes([239, 1, 2, 3])

    def ig(body):
        return body[:2] + struct.pack("!H", csum(body)) + body[4:]
    e4(p, 2, ig(bytes([0x11, 100, 0, 0]) + bytes(4)), ttl=1)                    # v2 general query
    e4(p, 2, ig(bytes([0x11, 50, 0, 0]) + G), ttl=1)                            # v2 group query
    e4(p, 2, ig(bytes([0x11, 0, 0, 0]) + bytes(4)), ttl=1)                      # v1 query
    e4(p, 2, ig(bytes([0x11, 100, 0, 0]) + G + bytes([2, 125, 0, 1]) + A4), ttl=1)  # v3 query
    e4(p, 2, ig(bytes([0x11, 0x8f, 0, 0]) + bytes(4) + bytes([2, 125, 0, 0])), ttl=1)
    e4(p, 2, ig(bytes([0x11, 30, 0, 0]) + bytes(4) + bytes([2, 125, 0, 0])), ttl=1)
    e4(p, 2, ig(bytes([0x12, 0, 0, 0]) + G), ttl=1)
    e4(p, 2, ig(bytes([0x16, 0, 0, 0]) + G), ttl=1)
    e4(p, 2, ig(bytes([0x17, 0, 0, 0]) + G), ttl=1)
    e4(p, 2, ig(bytes([0x22, 0, 0, 0, 0, 0, 0, 2]) + bytes([4, 0, 0, 0]) + G +
                bytes([1, 0, 0, 1]) + G + A4), ttl=1)
    e4(p, 2, ig(bytes([0x99, 0, 0, 0]) + G), ttl=1)
    e4(p, 2, bytes([0x16, 0, 0, 0]) + G, ttl=1)                                 # bad checksum
    p.close()


def bcm_li_file():
    # Broadcom LI shim on UDP source port 49152: every value of the shim's first byte (direction,
    # packet type, subtype bits), the subtype's other bits, payloads shorter than the shim, and
    # one datagram to port 49152 (tcpdump decodes the source port only)
    p = Pcap("crafted_bcm_li.pcap")
    for b in range(256):
        e4(p, 17, udp(A4, B4, 49152, 40000, bytes([b, 0x12, 0x34, 0x56]) + b"payload!"))
    for b1 in (0x00, 0x40, 0x80, 0xc0, 0xff):
        e4(p, 17, udp(A4, B4, 49152, 40000, bytes([0x4b, b1, 0xff, 0xff])))
    for n in range(4):
        e4(p, 17, udp(A4, B4, 49152, 40000, b"\x40\x00\x00\x01"[:n]))
    e4(p, 17, udp(A4, B4, 40000, 49152, b"\x40\x00\x00\x01abcd"))
    p.close()


def raw_file():
    p = Pcap("raw_ip.pcap", linktype=101)
    p.add(ip4(A4, B4, 1, icmp(8, 0, struct.pack("!HH", 9, 1), b"raw")))
    p.add(ip6(A6, B6, 17, udp(A6, B6, 1, 2, b"raw6", v6=True)))
    p.add(ip4(A4, B4, 6, tcp(A4, B4, 1, 2, 3, 4, 0x12)))
    p.close()
    p = Pcap("null_loop.pcap", linktype=0)
    p.add(struct.pack("<I", 2) + ip4(A4, B4, 1, icmp(8, 0, struct.pack("!HH", 9, 2), b"null")))
    p.add(struct.pack("<I", 30) + ip6(A6, B6, 17, udp(A6, B6, 1, 2, b"null6", v6=True)))
    p.close()


def parity_file():
    """tcpdump 4.99.3 text parity cases: reset reasons, ND options, odd lengths and versions."""
    p = Pcap("crafted_parity.pcap")
    e4(p, 240, b"abcd")                                    # protocol number with no name
    for data in (b"reset reason text", bytes(range(0x20, 0x7f)), b"a" * 30, b"b" * 31,
                 b"\x7f\x80\xff\x0a\x00z"):
        e4(p, 6, tcp(A4, B4, 1000, 80, 1, 0, 0x04, data=data))
    e4(p, 6, tcp(A4, B4, 1000, 22, 1, 2, 0x14, data=b"\x01\x02no"))
    p.add(eth(ip4(A4, B4, 6, tcp(A4, B4, 1000, 80, 1, 0, 0x04, data=b"c" * 40)))[:64], wire=94)
    ra = struct.pack("!BBHII", 64, 0, 1800, 0, 0)
    opts = bytes([31, 5, 0, 0, 0, 0, 0, 60]) + b"\x07example\x03com\x00\x03lab\x07example\x03net\x00"
    opts += b"\0\0" + bytes([24, 2, 48, 0x08, 0, 0, 0, 60]) + bytes.fromhex("20010db800010000")
    opts += bytes([24, 3, 64, 0x18, 0, 0, 1, 0]) + bytes.fromhex("20010db8000200000000000000000000")
    opts += bytes([24, 1, 0, 0x00, 0xff, 0xff, 0xff, 0xff]) + bytes([14, 1, 1, 2, 3, 4, 5, 6])
    p.add(eth(ip6(LL_R, ALLN, 58, icmp6(LL_R, ALLN, 134, 0, ra, opts), hlim=255), 0x86dd))
    p.add(eth(ip6(A6, B6, 58, b"", plen=0), 0x86dd))
    p.add(eth(ip6(A6, B6, 58, icmp6(A6, B6, 128, 0, struct.pack("!HH", 1, 1)), plen=0), 0x86dd))
    p.close()
    p = Pcap("crafted_parity_raw.pcap", linktype=101)
    p.add(b"\x35" + bytes(30))                            # IP version 3
    p.add(ip4(A4, B4, 240, b"abcd"))
    p.close()
    p = Pcap("crafted_parity_sll.pcap", linktype=113)
    for pkttype, halen in ((0, 0), (4, 10), (4, 6)):       # no address, longer than the field
        p.add(struct.pack("!HHH8sH", pkttype, 1, halen, bytes(range(1, 9)), 0x0800) +
              ip4(A4, B4, 17, udp(A4, B4, 1, 2, b"x")))
    p.close()


def parity_mptcp_file():
    """MPTCP options (RFC 8684 §3) as tcpdump 4.99.3 prints them: every subtype and form, and
    the lengths and flags it rejects with [bad opt]."""
    p = Pcap("crafted_parity_mptcp.pcap")
    t = lambda flags, o: e4(p, 6, tcp(A4, B4, 40000, 80, 1, 2, flags, opts=o))
    S, SA, A = 0x02, 0x12, 0x10
    k1, k2 = bytes.fromhex("0102030405060708"), bytes.fromhex("1112131415161718")
    port = b"\x1f\x90"
    for flags, o in (
            (S, bytes([30, 4, 0x00, 0x81])), (S, bytes([30, 4, 0x01, 0x81])),      # capable
            (S, bytes([30, 12, 0x00, 0x81]) + k1), (S, bytes([30, 12, 0x01, 0x01]) + k1),
            (A, bytes([30, 20, 0x01, 0x81]) + k1 + k2),
            (A, bytes([30, 22, 0x01, 0x81]) + k1 + k2 + b"\x00\x10"),
            (A, bytes([30, 12, 0x01, 0x81]) + k1), (S, bytes([30, 12, 0x05, 0x81]) + k1),
            (S, bytes([30, 12, 0x11, 0x01, 0, 0, 0, 1, 0, 0, 0, 2])),              # join
            (S, bytes([30, 12, 0x10, 0x02, 0, 0, 0, 1, 0, 0, 0, 2])),
            (SA, bytes([30, 16, 0x11, 0x02]) + k1 + bytes([0, 0, 0, 9])),
            (A, bytes([30, 24, 0x10, 0x00]) + bytes(range(20))),
            (A, bytes([30, 12, 0x10, 0x02, 0, 0, 0, 1, 0, 0, 0, 2])),
            (A, bytes([30, 8, 0x20, 0x01, 0, 0, 0, 5])),                           # dss
            (A, bytes([30, 12, 0x20, 0x03]) + k1),
            (A, bytes([30, 20, 0x20, 0x05, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0, 7, 0, 100, 0, 0])),
            (A, bytes([30, 16, 0x20, 0x04, 0, 0, 0, 6, 0, 0, 0, 7, 0, 100, 0xab, 0xcd])),
            (A, bytes([30, 28, 0x20, 0x1f]) + k1 + k2 + bytes([0, 0, 0, 7, 0, 100, 0xab, 0xcd])),
            (A, bytes([30, 4, 0x20, 0x10])), (A, bytes([30, 4, 0x20, 0x00])),
            (A, bytes([30, 6, 0x20, 0x01, 0, 0])), (S, bytes([30, 8, 0x20, 0x01, 0, 0, 0, 5])),
            (A, bytes([30, 10, 0x20, 0x01, 0, 0, 0, 5, 0, 0])),
            (A, bytes([30, 14, 0x20, 0x04, 0, 0, 0, 6, 0, 0, 0, 7, 0, 100])),
            (A, bytes([30, 8, 0x34, 3]) + A4), (A, bytes([30, 10, 0x34, 3]) + A4 + port),  # add-addr
            (A, bytes([30, 16, 0x30, 3]) + A4 + k1), (A, bytes([30, 18, 0x30, 3]) + A4 + port + k1),
            (A, bytes([30, 20, 0x36, 4]) + A6), (A, bytes([30, 22, 0x36, 4]) + A6 + port),
            (A, bytes([30, 28, 0x30, 4]) + A6 + k1), (A, bytes([30, 30, 0x31, 4]) + A6 + port + k1),
            (A, bytes([30, 9, 0x30, 4]) + A4 + b"\x00"), (A, bytes([30, 8, 0x3f, 3]) + A4),
            (A, bytes([30, 4, 0x40, 3])), (A, bytes([30, 6, 0x40, 3, 4, 5])),           # rem-addr
            (A, bytes([30, 3, 0x40])),
            (A, bytes([30, 3, 0x51])), (A, bytes([30, 4, 0x50, 7])),                    # prio
            (A, bytes([30, 5, 0x50, 7, 0])),
            (A, bytes([30, 12, 0x60, 0]) + k1), (A, bytes([30, 8, 0x60, 0, 1, 2, 3, 4])),  # fail
            (A, bytes([30, 12, 0x70, 0]) + k2), (A, bytes([30, 11, 0x70, 0]) + k2[:7]),   # fast-close
            (A, bytes([30, 4, 0x80, 0x0f])), (A, bytes([30, 4, 0x90, 0x00])),           # tcprst, unknown
            (A, bytes([30, 4, 0xf0, 0x00])), (A, bytes([30, 2])), (A, bytes([30, 3, 0x20])),
            (A, bytes([1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 30, 8, 0x20, 0x01, 0, 0, 0, 5]))):
        t(flags, o)
    p.add(eth(ip6(A6, B6, 6, tcp(A6, B6, 40000, 80, 1, 2, A, v6=True,
                                   opts=bytes([30, 20, 0x20, 0x05]) + bytes(range(16)))), 0x86dd))
    # the option cut by the capture length
    p.add(eth(ip4(A4, B4, 6, tcp(A4, B4, 40000, 80, 1, 2, A,
                                   opts=bytes([30, 28, 0x20, 0x1f]) + k1 + k2 + bytes(8))))[:70],
          wire=94)
    p.close()


def parity_ether_file():
    """EtherType names tcpdump 4.99.3 prints without decoding the payload (and two it does not
    name), the pre-802.1ad QinQ tags 0x9100 and 0x9200, SNAP inside a VLAN tag, 802.3 length
    fields longer than the frame."""
    p = Pcap("crafted_parity_ether.pcap")
    pl = bytes(range(46))
    for t in (0x0600, 0x1000, 0x6001, 0x6002, 0x6004, 0x6007, 0x6558, 0x8038, 0x803c, 0x803e,
              0x805b, 0x805c, 0x893a, 0x22f0, 0x8906, 0x88b5):
        p.add(eth(pl, t))
    u = ip4(A4, B4, 17, udp(A4, B4, 1, 2, b"x"))
    snap = b"\xaa\xaa\x03\x00\x00\x00\x08\x00" + u
    p.add(eth(struct.pack("!HH", 5, 0x0800) + u, 0x9100))
    p.add(eth(struct.pack("!HH", 0x2006, 0x0800) + u, 0x9200))
    p.add(eth(struct.pack("!HH", 5, 0x9100) + struct.pack("!HH", 6, 0x0800) + u, 0x88a8))
    p.add(eth(struct.pack("!HH", 5, len(snap)) + snap, 0x8100))
    p.add(eth(struct.pack("!HH", 5, 1400) + snap, 0x8100))
    p.add(eth(snap, 1000))
    p.add(eth(snap + bytes(9), len(snap)))
    p.close()


def parity_ip6zero_file():
    """IPv6 payload length 0 (tcpdump 4.99.3): no jumbo option means the packet is its header
    alone (TCP, UDP, SCTP, other protocols), an extension header has no room, a hop-by-hop
    header without a jumbo option is invalid; a jumbo option gives the length. Also an SCTP
    packet shorter than its common header."""
    p = Pcap("crafted_parity_ip6zero.pcap")
    u = udp(A6, B6, 1000, 2000, b"hello", v6=True)
    Z = lambda nh, payload: p.add(eth(ip6(A6, B6, nh, payload, plen=0), 0x86dd))
    Z(6, tcp(A6, B6, 1000, 80, 1, 2, 0x18, data=b"hello", v6=True))
    Z(17, udp(A6, B6, 1000, 53, b"hello", v6=True))
    Z(17, u)
    Z(6, b"")
    Z(17, b"")
    Z(0, bytes([17, 0, 1, 4, 0, 0, 0, 0]) + u)
    Z(0, bytes([6, 0, 1, 4, 0, 0, 0, 0]) + tcp(A6, B6, 1000, 80, 1, 2, 0x18, data=b"hi", v6=True))
    Z(44, bytes([17, 0, 0, 1, 0, 0, 0, 9]) + u)
    Z(132, b"abcdefgh")
    Z(0, bytes([17, 0, 0xc2, 4, 0, 1, 0, 0]) + u)
    Z(60, bytes([17, 0, 1, 4, 0, 0, 0, 0]) + u)
    Z(43, bytes([17, 2, 2, 1, 0, 0, 0, 0]) + R6 + u)
    Z(99, b"abcd")
    Z(59, b"abcd")
    e4(p, 132, b"abcdefgh")
    p.close()


def parity_dns_file():
    """DNS as tcpdump 4.99.3 prints it: at -v answers with their owner names and SOA fields;
    CD and AD flags; record types it names without their data."""
    p = Pcap("crafted_parity_dns.pcap")

    def name(n):
        return b"".join(bytes([len(x)]) + x.encode() for x in n.split(".") if x) + b"\0"

    def rr(owner, t, data, cls=1):
        return owner + struct.pack("!HHIH", t, cls, 300, len(data)) + data
    q = name("www.example.com") + struct.pack("!HH", 1, 1)
    ptr = b"\xc0\x0c"                                         # the question's name
    soa = name("ns1.example.com") + name("hostmaster.example.com") + struct.pack("!5I", 2026120701,
                                                                                  7200, 900, 1209600, 300)
    msgs = [
        struct.pack("!6H", 0x1234, 0x0100, 1, 0, 0, 0) + q,
        struct.pack("!6H", 0x1234, 0x8180, 1, 4, 0, 0) + q + rr(ptr, 5, name("web.example.net")) +
        rr(name("web.example.net"), 1, bytes([192, 0, 2, 80])) +
        rr(name("web.example.net"), 28, B6) + rr(ptr, 15, b"\x00\x0a" + name("mx.example.com")),
        struct.pack("!6H", 0x4321, 0x8583, 1, 0, 1, 0) + q + rr(name("example.com"), 6, soa),
        struct.pack("!6H", 0x4322, 0x8580, 1, 2, 0, 0) + q + rr(ptr, 2, name("ns1.example.com")) +
        rr(ptr, 12, name("host.example.org")),
        struct.pack("!6H", 0x4323, 0x8180, 1, 1, 0, 0) + q + rr(ptr, 6, soa),
    ]
    # query flags RD, CD, AD (not shown), response AD; answers shown by type name only
    msgs += [struct.pack("!6H", 7, fl, 1, 0, 0, 0) + q for fl in (0x0110, 0x0120, 0x0010)]
    msgs += [struct.pack("!6H", 9, fl, 1, 1, 0, 0) + q + rr(ptr, 1, bytes([1, 2, 3, 4]))
             for fl in (0x81a0, 0x8190, 0x83a0)]
    msgs += [struct.pack("!6H", 8, 0x8180, 1, 1, 0, 0) + q + rr(ptr, t, b"abcdefgh")
             for t in (46, 43, 47, 48, 13, 99)]
    for m in msgs:
        e4(p, 17, udp(A4, B4, 40000, 53, m) if not m[2] & 0x80 else udp(B4, A4, 53, 40000, m))
    p.add(eth(ip6(A6, B6, 17, udp(A6, B6, 53, 40001, msgs[1], v6=True)), 0x86dd))
    p.close()


def parity_arp_ipopt_file():
    """ARP protocol types named from tcpdump's EtherType table (0x1000 read as IPv4 too), route
    options with a bad length (the last address read on past the option, as tcpdump does)."""
    p = Pcap("crafted_parity_arp_ipopt.pcap")
    for pt in (0x9200, 0x8100, 0x0806, 0x0200, 0x00fe, 0x0500, 0x0707, 0x8870, 0x1000, 0x1234):
        p.add(eth(struct.pack("!HHBBH", 1, pt, 6, 4, 1) + A_MAC + A4 + bytes(6) + B4, 0x0806))
    u = udp(A4, B4, 1111, 2222, b"abc")
    for o in (bytes([7, 12, 4]) + A4 + B4 + b"\0", bytes([7, 3, 4, 0]), bytes([7, 2, 0, 0]),
              bytes([131, 10, 4]) + A4 + bytes(5), bytes([137, 8, 8]) + A4 + b"\0"):
        e4(p, 17, u, opts=o)
    p.close()


def parity_llc_file():
    """IEEE 802.2 LLC after an 802.3 length (Ethernet, VLAN, SLL 802.2) as tcpdump 4.99.3
    prints it: SAP names, U/S/I control formats, poll/final, C/R and group bits, SNAP with a
    control other than UI or an unknown EtherType, IP over SAP 6."""
    pl = bytes(range(40))
    u = ip4(A4, B4, 17, udp(A4, B4, 1, 2, b"x"))
    hdrs = [bytes([0x12, 0x34, c]) for c in (0x03, 0x13, 0x0f, 0x43, 0x63, 0x6f, 0x87, 0xaf, 0xe3,
                                             0x07, 0x8b)]
    hdrs += [bytes([0x12, 0x35, 0x03]), bytes([0x13, 0x34, 0x03]), bytes([0x12, 0x12, 0x03]),
             bytes([0x00, 0x12, 0x03]), bytes([0x12, 0x00, 0x03]), bytes([0xf0, 0xf0, 0x03]),
             bytes([0x04, 0x04, 0x06, 0x07]), bytes([0x04, 0x05, 0x06, 0x07]),
             bytes([0xf0, 0xf0, 0x02, 0x00]), bytes([0x42, 0x42, 0xaf])]
    hdrs += [bytes([0x12, 0x34, c, b2]) for c in (0x01, 0x05, 0x09, 0x0d) for b2 in (0x00, 0x0f)]
    hdrs += [bytes([0xaa, 0xaa, 0x01, 0x02]), b"\xaa\xaa\x03\x00\x00\x00\x99\x99",
             b"\x06\x06\x03" + u, bytes([0x02, 0x0e, 0x03]), bytes([0x4e, 0x7e, 0x03]),
             bytes([0x8e, 0x8e, 0x03])]
    p = Pcap("crafted_parity_llc.pcap")
    for h in hdrs:
        p.add(eth(h + pl, len(h) + 40))
    p.add(eth(struct.pack("!HH", 5, 43) + bytes([0x12, 0x34, 0x03]) + pl, 0x8100))
    p.add(eth(struct.pack("!HH", 5, 44) + bytes([0x12, 0x34, 0x01, 0x02]) + pl, 0x8100))
    p.add(eth(bytes([0x12, 0x34, 0x03]) + pl, 1000))
    p.close()
    p = Pcap("crafted_parity_sll_llc.pcap", linktype=113)
    for h in hdrs:
        p.add(struct.pack("!HHH8sH", 0, 1, 6, A_MAC + b"\0\0", 4) + h + pl)
    p.close()


def parity_icmp6_info_file():
    """ICMPv6 node information (RFC 4620), RPL (RFC 6550) and router renumbering (RFC 2894)
    bodies as tcpdump 4.99.3 prints them."""
    p = Pcap("crafted_parity_icmp6_info.pcap")

    def R(t, c, rest, data=b"", cut=None):
        f = eth(ip6(A6, B6, 58, icmp6(A6, B6, t, c, rest, data)), 0x86dd)
        p.add(f[:cut] if cut else f, wire=len(f) if cut else None)
    nonce = bytes(range(8))
    name = b"\x03www\x07example\x03com\x00"
    ttl = struct.pack("!I", 300)
    R(139, 0, b"")                                                   # who-are-you
    R(139, 0, struct.pack("!HH", 3, 0), nonce + A6)
    R(139, 0, struct.pack("!HH", 3, 0x3e), nonce + A6)
    R(139, 1, struct.pack("!HH", 2, 0), nonce + name)
    R(139, 1, struct.pack("!HH", 2, 0), nonce + b"\x0bwww.example")  # 03 draft, counted string
    R(139, 2, struct.pack("!HH", 4, 0), nonce + B4)
    R(139, 2, struct.pack("!HH", 3, 0), nonce + B4 + b"xx")          # invalid subject len
    R(139, 7, struct.pack("!HH", 2, 0), nonce + A6)                  # unknown subject
    R(139, 0, struct.pack("!HH", 1, 1), nonce)                       # supported qtypes [C]
    R(139, 0, struct.pack("!HH", 0, 0), nonce + b"xxxx")             # noop, invalid len
    R(139, 0, struct.pack("!HH", 2, 0), nonce)                       # 03 draft
    R(140, 0, struct.pack("!HH", 2, 1), nonce + ttl + name)
    R(140, 0, struct.pack("!HH", 3, 0x2f), nonce + ttl + A6 + ttl + B6)
    R(140, 1, struct.pack("!HH", 2, 0), nonce + b"xx")
    R(140, 2, struct.pack("!HH", 2, 0), nonce)
    R(140, 9, struct.pack("!HH", 2, 0), nonce)
    R(140, 0, struct.pack("!HH", 0, 0), nonce)
    R(140, 0, struct.pack("!HH", 1, 0), nonce)
    R(140, 0, struct.pack("!HH", 9, 0), nonce)
    R(140, 0, struct.pack("!HH", 2, 0), nonce + ttl + name, cut=80)  # reply cut short
    R(155, 0, bytes(4))                                              # DIS
    R(155, 1, bytes([1, 0, 0x10, 0x00]), bytes([0x88 | 3, 7, 0, 0]) + A6 +
      bytes([0, 2, 4, 2, 0xaa, 0xbb]))                               # DIO: options
    R(155, 1, bytes([1, 0, 0x10, 0x00]), bytes(8))                   # DIO too short
    R(155, 2, bytes([5, 0xc0, 0, 9]), A6 + bytes([5, 2, 0, 0]))      # DAO K, D
    R(155, 2, bytes([5, 0x00, 0, 9]), bytes(20))                     # DAO elided
    R(155, 3, bytes([5, 0x80, 9, 1]), A6)                            # DAO-ACK D
    R(155, 3, bytes([5, 0x00, 9, 2]), b"")
    R(155, 0x81, bytes(4))                                           # secured
    R(155, 9, bytes(4))
    match = bytes([1, 11, 2, 48, 32, 64, 0, 0]) + B6
    use = bytes([64, 48, 0xc0, 0x40]) + struct.pack("!II", 0xffffffff, 3600) + \
        bytes([0xc0, 0, 0, 0]) + R6
    R(138, 0, struct.pack("!I", 7), bytes([1, 0xf8]) + struct.pack("!HI", 500, 0) + match + use +
      use)
    R(138, 0, struct.pack("!I", 8), bytes([0, 0]) + struct.pack("!HI", 0, 5) + match[:1] +
      bytes([4]) + match[2:])                                        # bad match length
    R(138, 1, struct.pack("!I", 9), bytes(8))
    R(138, 255, struct.pack("!I", 10), bytes(8))
    R(138, 4, struct.pack("!I", 11), bytes(8))
    R(138, 0, struct.pack("!I", 12), bytes(8))                       # no match part
    p.close()


def parity_short_file():
    """Frames cut inside a header and messages shorter than their fields, where tcpdump 4.99.3
    marks [|proto] and decides what -x still dumps: Ethernet and VLAN headers, an 802.3 length
    below an LLC header, ICMPv6 of one byte (its checksum read with -v), a node information
    reply without its name."""
    p = Pcap("crafted_parity_short.pcap")
    f = eth(ip4(A4, B4, 17, udp(A4, B4, 1, 2, b"x")))
    p.add(f[:6], wire=len(f))
    p.add(eth(b"\x00\x05", 0x8100), wire=60)
    p.add(eth(b"\x00\x05\x08", 0x8100), wire=60)
    p.add(eth(b"\x12\x34\x03" + bytes(40), 2))
    p.add(eth(b"\x12", 1))
    p.add(eth(ip6(A6, B6, 58, b"\x8b"), 0x86dd))
    p.add(eth(ip6(A6, B6, 58, b"\x8a\x00"), 0x86dd))
    p.add(eth(ip6(A6, B6, 58, icmp6(A6, B6, 140, 0, struct.pack("!HH", 2, 0), bytes(8)) +
                  b"\x00\x00\x00\x05"), 0x86dd))
    p.close()


def parity_dhcp6_file():
    """DHCPv6 message types without -v as tcpdump 4.99.3 prints them (and messages shorter
    than the 4-byte header), on either port and over IPv4."""
    p = Pcap("crafted_parity_dhcp6.pcap")
    for t in range(0, 20):
        p.add(eth(ip6(A6, B6, 17, udp(A6, B6, 546, 547, bytes([t, 0, 0, 1]) + bytes(8), v6=True)),
                  0x86dd))
    for sport, dport, data in ((546, 547, b""), (546, 547, b"\x01"), (547, 546, b"\x07\x00\x00"),
                               (547, 4000, b"\x07\x00\x00\x01")):
        p.add(eth(ip6(A6, B6, 17, udp(A6, B6, sport, dport, data, v6=True)), 0x86dd))
    e4(p, 17, udp(A4, B4, 546, 547, b"\x07\x00\x00\x01"))
    p.close()


def parity_badusec_file():
    """Records whose microseconds field is 1,000,000 or more (libpcap passes them on; tcpdump
    prints the field as it stands in dates, and the sum in deltas), between valid ones."""
    p = Pcap("crafted_parity_badusec.pcap")
    frame = eth(ip4(A4, B4, 17, udp(A4, B4, 1234, 5678, b"usec")))
    for sec, usec in ((T0, 1500000), (T0 + 1, 999999), (T0 + 2, 2000000), (T0 + 5, 0)):
        p.f.write(struct.pack("<IIII", sec, usec, len(frame), len(frame)) + frame)
    p.close()


def parity_aarp_loopback_file():
    """AppleTalk ARP and the Ethernet configuration testing protocol ("Loopback") as tcpdump
    4.99.3 prints them, valid and not."""
    p = Pcap("crafted_parity_aarp_loopback.pcap")
    le = lambda v: struct.pack("<H", v)
    for body in (le(0) + le(1) + le(7) + bytes(40), le(0) + le(2) + A_MAC + le(1) + le(9) + bytes(30),
                 le(8) + le(2) + A_MAC + le(1) + le(9) + bytes(30), le(0) + le(5) + bytes(40),
                 le(3) + le(1) + le(1) + bytes(40), le(256) + bytes(44), le(0) + le(1) + b"x",
                 bytes(range(46))):
        p.add(eth(body, 0x9000))
    aarp = lambda op, ht=1, pt=0x809b: (struct.pack("!HHBBH", ht, pt, 6, 4, op) + A_MAC +
                                        bytes([0, 0, 5, 7]) + bytes(6) + bytes([0, 1, 2, 9]))
    for body in (aarp(1), aarp(2), aarp(3), aarp(4), aarp(1, ht=6), aarp(1, pt=0x0800),
                 aarp(1)[:20], bytes(range(46))):
        p.add(eth(body, 0x80f3))
    p.close()


for fn in (igmp_file, tcp_file, ip_file, icmp_file, icmp6_file, ip6_file, wellknown_file, raw_file,
           bcm_li_file, parity_file, parity_mptcp_file, parity_ether_file,
           parity_ip6zero_file, parity_dns_file, parity_arp_ipopt_file,
           parity_llc_file, parity_icmp6_info_file, parity_short_file,
           parity_dhcp6_file, parity_aarp_loopback_file, parity_badusec_file):
    fn()
