#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Seeds for fuzz_quic and fuzz_ipip in their input formats, from testdata/ (run from the
repository root): tests/fuzz/seeds/fuzz_quic/* = datagram records [direction][len16][bytes]
(RFC 9001 / RFC 9369 Appendix A exchanges, the chromium Initials); tests/fuzz/seeds/fuzz_ipip/*
= [protocol selector][outer IP packet] of every frame of testdata/ipip/ipip.pcap."""
import os
import struct


def hexf(p):
    return bytes.fromhex(''.join(open(p).read().split()))


def rec(d, b):
    return bytes([d]) + struct.pack('!H', len(b)) + b


def frames(p):
    d = open(p, 'rb').read()
    off = 24
    while off + 16 <= len(d):
        cl = struct.unpack('<IIII', d[off:off + 16])[2]
        yield d[off + 16:off + 16 + cl]
        off += 16 + cl


T = 'testdata/quic/'
Q = 'tests/fuzz/seeds/fuzz_quic/'
I = 'tests/fuzz/seeds/fuzz_ipip/'
os.makedirs(Q, exist_ok=True)
os.makedirs(I, exist_ok=True)
for rfc in ('rfc9001', 'rfc9369'):
    open(Q + rfc, 'wb').write(rec(0, hexf(T + rfc + '_a2_client_initial.hex')) +
                              rec(1, hexf(T + rfc + '_a3_server_initial.hex')) +
                              rec(1, hexf(T + rfc + '_a4_retry.hex')))
# Ethernet 14 + IPv4 20 + UDP 8 before each chromium datagram
open(Q + 'chromium', 'wb').write(b''.join(rec(0, f[42:]) for f in frames(T + 'chromium_quic.pcap')))
for i, f in enumerate(frames('testdata/ipip/ipip.pcap')):
    v6 = f[12:14] == b'\x86\xdd'
    proto = f[14 + 6] if v6 else f[14 + 9]
    sel = (0x80 if v6 else 0) | {4: 0, 41: 1, 47: 2}[proto]
    open(I + 'frame%02d' % (i + 1), 'wb').write(bytes([sel]) + f[14:])
