#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""mkseeds_tls.py: seeds for tests/fuzz/fuzz_tls.c (tests/fuzz/seeds/fuzz_tls/) from the captures
in testdata/tls (run from anywhere): for each pcap, the
packets of its first TCP flow direction that carries data, as [0x01][0x00 = Ethernet]
([2-byte length][frame])*, plus each ClientHello message alone as [0x00][message]."""
import os, struct, glob
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..')
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fuzz_tls')
os.makedirs(out, exist_ok=True)
for path in sorted(glob.glob(os.path.join(root, 'testdata', 'tls', '*.pcap'))):
    data = open(path, 'rb').read()
    off, frames = 24, []
    while off + 16 <= len(data):
        cl = struct.unpack('<I', data[off + 8:off + 12])[0]
        frames.append(data[off + 16:off + 16 + cl])
        off += 16 + cl
    name = os.path.basename(path)[:-5]
    seq = b'\x01\x00' + b''.join(struct.pack('!H', len(f)) + f for f in frames[:12])
    open(os.path.join(out, name + '.pkts'), 'wb').write(seq)
    for f in frames:
        if len(f) < 60 or f[12:14] != b'\x08\x00':
            continue
        t = 14 + (f[14] & 15) * 4
        p = f[t + (f[t + 12] >> 4) * 4:]
        if p[:1] == b'\x16' and len(p) > 9 and p[5] == 1:
            open(os.path.join(out, name + '.hello'), 'wb').write(b'\x00' + p[5:])
            break
