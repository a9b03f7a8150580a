#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Wraps QUIC datagrams given as hex files (RFC test vectors) into a pcap: Ethernet/IPv4/UDP,
client 192.0.2.1:50000 <-> server 198.51.100.2:443; a file name with "server" in it is sent by
the server. Usage: hex2pcap.py OUT.pcap FILE.hex...   (no checksums: tshark/tcpdump ignore them)"""
import struct
import sys


def ipv4(src, dst, proto, payload):
    hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0,
                      bytes(src), bytes(dst))
    csum = sum(struct.unpack('!10H', hdr))
    csum = (csum & 0xffff) + (csum >> 16)
    csum = (csum & 0xffff) + (csum >> 16)
    return hdr[:10] + struct.pack('!H', ~csum & 0xffff) + hdr[12:] + payload


def main():
    client, server = [192, 0, 2, 1], [198, 51, 100, 2]
    out = open(sys.argv[1], 'wb')
    out.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, name in enumerate(sys.argv[2:]):
        data = bytes.fromhex(''.join(open(name).read().split()))
        src, dst, sp, dp = client, server, 50000, 443
        if 'server' in name or 'retry' in name:
            src, dst, sp, dp = server, client, 443, 50000
        udp = struct.pack('!HHHH', sp, dp, 8 + len(data), 0) + data
        frame = b'\x02\x00\x00\x00\x00\x02' + b'\x02\x00\x00\x00\x00\x01' + b'\x08\x00' + \
            ipv4(src, dst, 17, udp)
        out.write(struct.pack('<IIII', 1700000000 + i, 0, len(frame), len(frame)) + frame)


main()
