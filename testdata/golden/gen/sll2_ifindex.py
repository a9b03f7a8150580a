#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Rewrites the interface index of every LINUX_SLL2 record in a pcap to 1 (always "lo").
tcpdump (and procap) print the name of the SLL2 ifindex as known on the READING host, so a
capture's own ifindex would make the expected output depend on the machine.
Usage: sll2_ifindex.py FILE (in place)."""
import struct, sys

path = sys.argv[1]
d = bytearray(open(path, "rb").read())
magic = struct.unpack("<I", d[:4])[0]
assert magic in (0xa1b2c3d4, 0xa1b23c4d), "little-endian pcap expected"
assert struct.unpack("<I", d[20:24])[0] == 276, "LINKTYPE_LINUX_SLL2 expected"
off = 24
while off + 16 <= len(d):
    caplen = struct.unpack("<I", d[off + 8:off + 12])[0]
    if caplen >= 8:
        d[off + 16 + 4:off + 16 + 8] = struct.pack(">I", 1)
    off += 16 + caplen
open(path, "wb").write(d)
