#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Seeds for fuzz_dtls in its input format, from testdata/dtls (run from the repository root):
tests/fuzz/seeds/fuzz_dtls/<capture> = every UDP datagram of the capture as a record
[direction][len16][bytes], direction 1 for datagrams from the server ports 443/4433/5684."""
import os
import struct


def frames(p):
    d = open(p, 'rb').read()
    off = 24
    while off + 16 <= len(d):
        cl = struct.unpack('<IIII', d[off:off + 16])[2]
        yield d[off + 16:off + 16 + cl]
        off += 16 + cl


D = 'tests/fuzz/seeds/fuzz_dtls/'
os.makedirs(D, exist_ok=True)
for name in ('openssl.pcap', 'crafted.pcap'):
    out = b''
    for f in frames('testdata/dtls/' + name):
        v6 = f[12:14] == b'\x86\xdd'
        udp = f[14 + (40 if v6 else 20):]
        sport = struct.unpack('!H', udp[:2])[0]
        payload = udp[8:]
        out += bytes([1 if sport in (443, 4433, 5684) else 0]) + struct.pack('!H', len(payload)) + payload
    open(D + name.split('.')[0], 'wb').write(out)
