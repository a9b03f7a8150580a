#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Writes the crafted pcap/pcapng files of testdata/io/ and, for each, NAME.expect: one line per
# packet "if_id linktype ts_ns caplen wirelen dir packet_id dropcount comment_hex data_hex"
# ('-' = absent), stated here from the formats' specifications (draft-ietf-opsawg-pcap,
# draft-ietf-opsawg-pcapng), independently of procap's C reader.
#   python3 testdata/io/gen.py testdata/io
import gzip, os, shutil, struct, sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))


def frame(n, size=60):
    """An Ethernet/IPv4/UDP frame 192.0.2.1:1000+n -> 198.51.100.2:9 (discard), padded to size."""
    payload = bytes([n & 0xff]) * max(0, size - 42)
    udp = struct.pack('>HHHH', 1000 + n, 9, 8 + len(payload), 0) + payload
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), n, 0, 64, 17, 0,
                     bytes([192, 0, 2, 1]), bytes([198, 51, 100, 2]))
    s = sum(struct.unpack('>10H', ip))
    s = (s & 0xffff) + (s >> 16)
    s = (s & 0xffff) + (s >> 16)
    ip = ip[:10] + struct.pack('>H', ~s & 0xffff) + ip[12:]
    return b'\x02\x00\x00\x00\x00\x02' + b'\x02\x00\x00\x00\x00\x01' + b'\x08\x00' + ip + udp


def raw_ip(n):
    return frame(n)[14:]


class Expect:
    def __init__(self):
        self.lines = []

    def add(self, if_id, lt, ts_ns, data, wirelen, dir='-', pid='-', drops='-', comment=None):
        ch = comment.encode().hex() if comment else '-'
        self.lines.append(f'{if_id} {lt} {ts_ns} {len(data)} {wirelen} {dir} {pid} {drops} {ch} {data.hex()}')

    def write(self, name):
        with open(os.path.join(OUT, name + '.expect'), 'w') as f:
            f.write(''.join(l + '\n' for l in self.lines))


# ---- pcap ----
def pcap(name, bo, magic, nsec, kuz=False, linktype=1):
    e = Expect()
    out = struct.pack(bo + 'IHHiIII', magic, 2, 4, 0, 0, 262144, linktype)
    base = 1700000000
    for i in range(3):
        d = frame(i, 60 + i * 10)
        frac = 123456789 + i if nsec else 123456 + i
        ts = (base + i) * 10**9 + (frac if nsec else frac * 1000)
        out += struct.pack(bo + 'IIII', base + i, frac, len(d), len(d) + (4 if i == 2 else 0))
        direction = '-'
        if kuz:
            pkt_type = 4 if i == 1 else 0  # PACKET_OUTGOING : PACKET_HOST
            out += struct.pack(bo + 'IHBB', 2, 0x0800, pkt_type, 0)
            direction = 'out' if i == 1 else 'in'
        out += d
        e.add(0, linktype, ts, d, len(d) + (4 if i == 2 else 0), direction)
    open(os.path.join(OUT, name), 'wb').write(out)
    e.write(name)
    return out


# ---- pcapng ----
def opt(bo, code, val):
    pad = (4 - len(val) % 4) % 4
    return struct.pack(bo + 'HH', code, len(val)) + val + b'\0' * pad


def opts(bo, items):
    if not items:
        return b''
    return b''.join(opt(bo, c, v) for c, v in items) + struct.pack(bo + 'HH', 0, 0)


def block(bo, btype, body):
    n = 12 + len(body)
    return struct.pack(bo + 'II', btype, n) + body + struct.pack(bo + 'I', n)


def shb(bo, items=()):
    return block(bo, 0x0A0D0D0A, struct.pack(bo + 'IHHq', 0x1A2B3C4D, 1, 0, -1) + opts(bo, list(items)))


def idb(bo, lt, snap, items=()):
    return block(bo, 1, struct.pack(bo + 'HHI', lt, 0, snap) + opts(bo, list(items)))


def pad4(d):
    return d + b'\0' * ((4 - len(d) % 4) % 4)


def epb(bo, if_id, ts_units, d, wirelen, items=()):
    body = struct.pack(bo + 'IIIII', if_id, ts_units >> 32, ts_units & 0xffffffff, len(d), wirelen)
    return block(bo, 6, body + pad4(d) + opts(bo, list(items)))


def opb(bo, if_id, drops, ts_units, d, wirelen, items=()):
    body = struct.pack(bo + 'HHIIII', if_id, drops, ts_units >> 32, ts_units & 0xffffffff, len(d), wirelen)
    return block(bo, 2, body + pad4(d) + opts(bo, list(items)))


def spb(bo, d, wirelen):
    return block(bo, 3, struct.pack(bo + 'I', wirelen) + pad4(d))


def u32(bo, v):
    return struct.pack(bo + 'I', v)


def u64(bo, v):
    return struct.pack(bo + 'Q', v)


def ng_multi():
    """Two sections (little then big endian), three IDBs with different link types,
    resolutions and offsets, EPB options, an SPB, an OPB, and blocks a reader must skip."""
    e = Expect()
    L, B = '<', '>'
    out = shb(L, [(4, b'gen.py')])
    out += idb(L, 1, 262144, [(2, b'eth0')])                                  # if 0: usec
    out += idb(L, 101, 65535, [(2, b'tun0'), (9, b'\x03'), (14, u64(L, 1000))])  # if 1: ms + 1000 s
    out += block(L, 0x0BAD, b'unknown block body..')                         # skipped
    out += block(L, 4, struct.pack(L + 'HH', 1, 8) + bytes([192, 0, 2, 1]) + b'a.b\0' + b'\0' * 4)  # NRB
    d = frame(1)
    ts = 1700000001234567
    out += epb(L, 0, ts, d, len(d), [(1, b'hello comment'), (2, u32(L, 1)), (5, u64(L, 77)), (4, u64(L, 3))])
    e.add(0, 1, ts * 1000, d, len(d), 'in', 77, 3, 'hello comment')
    d = raw_ip(2)
    ms = 1700000002345
    out += epb(L, 1, ms, d, len(d) + 100, [(2, u32(L, 2))])
    e.add(1, 101, (ms + 1000 * 1000) * 10**6, d, len(d) + 100, 'out')
    d = frame(3, 80)
    out += spb(L, d, len(d))
    e.add(0, 1, 0, d, len(d))
    out += block(L, 5, struct.pack(L + 'III', 0, 0, 0))                      # ISB: skipped
    out += shb(B)
    out += idb(B, 1, 262144, [(2, b'eth9'), (9, b'\x8a')])                   # if 2: 2^-10 s
    d = frame(4)
    units = 1700000003 * 1024 + 512                                          # .5 s
    out += epb(B, 0, units, d, len(d), [(1, 'PID: 42\nCmd: curl\nSource: cookie'.encode()), (2, u32(B, 2))])
    e.add(2, 1, 1700000003 * 10**9 + 500000000, d, len(d), 'out', '-', '-', 'PID: 42\nCmd: curl\nSource: cookie')
    d = frame(5)
    out += opb(B, 0, 7, 1700000004 * 1024, d, len(d), [(2, u32(B, 1))])
    e.add(2, 1, 1700000004 * 10**9, d, len(d), 'in', '-', 7)
    open(os.path.join(OUT, 'ng_multi.pcapng'), 'wb').write(out)
    e.write('ng_multi.pcapng')


def ng_sections(name, orders):
    """Ethernet only, two sections, nanosecond IDBs. libpcap 1.10 reads it when both sections
    have the same byte order (it misreads a later SHB of the other order); tshark reads both."""
    e = Expect()
    out = b''
    for s, bo in enumerate(orders):
        out += shb(bo)
        out += idb(bo, 1, 262144, [(9, b'\x09')])
        for i in range(2):
            d = frame(10 + s * 2 + i, 64 + i)
            ts = 1700000100 * 10**9 + s * 10**9 + i * 1001
            out += epb(bo, 0, ts, d, len(d))
            e.add(s, 1, ts, d, len(d))
    open(os.path.join(OUT, name), 'wb').write(out)
    e.write(name)
    return out


pcap('pcap_le_usec.pcap', '<', 0xa1b2c3d4, False)
pcap('pcap_be_usec.pcap', '>', 0xa1b2c3d4, False)
pcap('pcap_le_nsec.pcap', '<', 0xa1b23c4d, True)
be_nsec = pcap('pcap_be_nsec.pcap', '>', 0xa1b23c4d, True)
pcap('pcap_kuznetzov.pcap', '<', 0xa1b2cd34, False, kuz=True)
ng_multi()
sections = ng_sections('ng_sections.pcapng', '<>')
ng_sections('ng_sections_le.pcapng', '<<')
# gzip, named without .gz: the reader must recognise it by its magic
with open(os.path.join(OUT, 'gz_sections.pcapng'), 'wb') as f:
    f.write(gzip.compress(sections, mtime=0))
shutil.copy(os.path.join(OUT, 'ng_sections.pcapng.expect'), os.path.join(OUT, 'gz_sections.pcapng.expect'))
