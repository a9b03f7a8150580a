#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes testdata/ipip/ipip.pcap: one crafted Ethernet frame per tunnel case (this kernel has
no ipip device). Frame order (the unit test relies on it):
  1 4in4 UDP          2 6in4 UDP           3 4in6 UDP          4 6in6 UDP
  5 4in6in4 (nested)  6 GRE/IPv4 -> IPv4   7 GRE with checksum+key+sequence -> IPv6
  8 GRE -> Ethernet (0x6558, one VLAN tag) -> IPv4   9 GRE over IPv6 -> IPv4
 10 TLS ClientHello (SNI tunnel.example, made by Python's ssl module) in a 4in4 tunnel
 11 five levels of 4in4 (deeper than procap's limit of 4)
 12 the RFC 9001 Appendix A.2 QUIC Initial (SNI example.com) in a 6in4 tunnel
Usage: make_ipip_pcap.py OUT.pcap  (run from the repository root: reads testdata/quic/)"""
import socket
import ssl
import struct
import sys

A4 = lambda s: socket.inet_pton(socket.AF_INET, s)
A6 = lambda s: socket.inet_pton(socket.AF_INET6, s)


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip4(src, dst, proto, payload):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 0x1234, 0x4000, 64, proto, 0,
                    A4(src), A4(dst))
    return h[:10] + struct.pack('!H', csum(h)) + h[12:] + payload


def ip6(src, dst, nh, payload):
    return struct.pack('!IHBB16s16s', 0x60000000, len(payload), nh, 64, A6(src), A6(dst)) + payload


def udp(sp, dp, data):
    return struct.pack('!HHHH', sp, dp, 8 + len(data), 0) + data


def tcp(sp, dp, data):
    return struct.pack('!HHIIBBHHH', sp, dp, 1000, 2000, 5 << 4, 0x18, 65535, 0, 0) + data


def eth(payload, etype=0x0800):
    return b'\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01' + struct.pack('!H', etype) + payload


def gre(ptype, payload, checksum=False, key=None, seq=None):
    flags = (0x8000 if checksum else 0) | (0x2000 if key is not None else 0) | \
        (0x1000 if seq is not None else 0)
    opt = b''
    if checksum:
        opt += b'\0\0\0\0'
    if key is not None:
        opt += struct.pack('!I', key)
    if seq is not None:
        opt += struct.pack('!I', seq)
    h = struct.pack('!HH', flags, ptype) + opt
    if checksum:
        c = csum(h + payload)
        h = h[:4] + struct.pack('!H', c) + h[6:]
    return h + payload


def client_hello():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_alpn_protocols(['h2', 'http/1.1'])
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    s = ctx.wrap_bio(inc, out, server_hostname='tunnel.example')
    try:
        s.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return out.read()


def main():
    hello = b'hello'
    frames = [
        eth(ip4('192.0.2.1', '192.0.2.2', 4, ip4('198.51.100.1', '198.51.100.2', 17,
                                                 udp(5000, 6000, hello)))),
        eth(ip4('192.0.2.1', '192.0.2.2', 41, ip6('2001:db8:1::1', '2001:db8:2::2', 17,
                                                  udp(5001, 6001, hello)))),
        eth(ip6('2001:db8::1', '2001:db8::2', 4, ip4('198.51.100.3', '198.51.100.4', 17,
                                                     udp(5002, 6002, hello))), 0x86dd),
        eth(ip6('2001:db8::1', '2001:db8::2', 41, ip6('2001:db8:3::3', '2001:db8:4::4', 17,
                                                      udp(5003, 6003, hello))), 0x86dd),
        eth(ip4('192.0.2.1', '192.0.2.2', 41,
                ip6('2001:db8:5::5', '2001:db8:6::6', 4,
                    ip4('198.51.100.5', '198.51.100.6', 17, udp(5004, 6004, hello))))),
        eth(ip4('192.0.2.1', '192.0.2.2', 47, gre(0x0800, ip4('198.51.100.7', '198.51.100.8', 17,
                                                             udp(5005, 6005, hello))))),
        eth(ip4('192.0.2.1', '192.0.2.2', 47,
                gre(0x86dd, ip6('2001:db8:7::7', '2001:db8:8::8', 17, udp(5006, 6006, hello)),
                    checksum=True, key=0x01020304, seq=7))),
        eth(ip4('192.0.2.1', '192.0.2.2', 47,
                gre(0x6558, b'\x02\x00\x00\x00\x00\x04\x02\x00\x00\x00\x00\x03' +
                    struct.pack('!HHH', 0x8100, 10, 0x0800) +
                    ip4('198.51.100.9', '198.51.100.10', 17, udp(5007, 6007, hello))))),
        eth(ip6('2001:db8::1', '2001:db8::2', 47,
                gre(0x0800, ip4('198.51.100.11', '198.51.100.12', 17, udp(5008, 6008, hello)))),
            0x86dd),
        eth(ip4('192.0.2.1', '192.0.2.2', 4, ip4('198.51.100.13', '198.51.100.14', 6,
                                                 tcp(40000, 443, client_hello())))),
    ]
    deep = ip4('198.51.100.20', '198.51.100.21', 17, udp(5010, 6010, hello))
    for i in range(5):
        deep = ip4('192.0.2.%d' % (10 + i), '192.0.2.%d' % (20 + i), 4, deep)
    frames.append(eth(deep))
    a2 = bytes.fromhex(''.join(open('testdata/quic/rfc9001_a2_client_initial.hex').read().split()))
    frames.append(eth(ip4('192.0.2.1', '192.0.2.2', 41,
                          ip6('2001:db8:9::1', '2001:db8:9::2', 17, udp(50000, 443, a2)))))
    with open(sys.argv[1], 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack('<IIII', 1700000000 + i, 0, len(fr), len(fr)) + fr)


main()
