#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""make_odd_hellos.py OUT.pcap: TLS ClientHellos that are legacy or malformed, one per TCP flow
(Ethernet/IPv4, 192.0.2.1 -> 192.0.2.2:443, client port 41000 + frame number), each in one
segment. Expected values: ja4_tshark.py (tshark 4.0); the rule procap follows for each
malformed case is in dissectors/tls_hello.c.
 1  TLS 1.0 hello without extensions (nothing after the compression methods), 11 suites
 2  SSL 3.0 hello without extensions, record version 3.0
 3  cipher-suites length odd (7): the last byte is half a suite
 4  extensions length 4 bytes short of the extensions that follow
 5  extensions length 6 bytes past the end of the hello
 6  an extension whose length runs past the extensions block
 7  session id length 33
 8  no compression method (count 0)
 9  server_name list length wrong (says 3 more than the entry)
10  extensions block followed by 5 stray bytes inside the handshake length
11  handshake length past the record (the record ends the segment and the hello)
12  an extensions block of length 0 (present, empty)
13  SSLv2-compatible ClientHello (RFC 5246 E.2) offering TLS 1.0
14  a good TLS 1.2 hello with SNI (reference for the others)
15  ALPN list length wrong (one more than the ids)
16  supported_versions with an odd length"""
import struct, sys

def ext(t, body): return struct.pack('>HH', t, len(body)) + body
def sni_ext(name, fix=0):
    n = name.encode(); e = struct.pack('>BH', 0, len(n)) + n
    return ext(0, struct.pack('>H', len(e) + fix) + e)
def u16list(vals): return struct.pack('>H', 2 * len(vals)) + b''.join(struct.pack('>H', v) for v in vals)
SUITES11 = [0x0039, 0x0038, 0x0035, 0x0016, 0x0013, 0x000a, 0x0033, 0x0032, 0x002f, 0x0005, 0x0004]

def hello(ver=0x0301, sid=b'', suites_raw=None, comp=b'\x01\x00', exts=None, ext_len_fix=0, tail=b'',
          hs_len_fix=0, rec_ver=0x0301):
    body = struct.pack('>H', ver) + bytes(range(32)) + struct.pack('B', len(sid)) + sid
    body += suites_raw if suites_raw is not None else u16list(SUITES11)
    body += comp
    if exts is not None:
        e = b''.join(exts)
        body += struct.pack('>H', len(e) + ext_len_fix) + e
    body += tail
    hs = b'\x01' + (len(body) + hs_len_fix).to_bytes(3, 'big') + body
    return struct.pack('>BHH', 22, rec_ver, len(hs)) + hs

def frame(i, payload):
    tcp = struct.pack('>HHIIBBHHH', 41000 + i, 443, 1000, 1, 0x50, 0x18, 8192, 0, 0) + payload
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), i, 0x4000, 64, 6, 0,
                     b'\xc0\x00\x02\x01', b'\xc0\x00\x02\x02')
    s = sum(struct.unpack('>10H', ip)); s = (s & 0xffff) + (s >> 16); s = (s & 0xffff) + (s >> 16)
    ip = ip[:10] + struct.pack('>H', ~s & 0xffff) + ip[12:]
    return b'\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00' + ip + tcp

good_exts = [sni_ext('good.example'), ext(10, u16list([0x001d, 0x0017])), ext(11, b'\x01\x00'),
             ext(13, u16list([0x0401, 0x0403]))]
sslv2_body = struct.pack('>BHHHH', 1, 0x0301, 3 * 3, 0, 16) + bytes.fromhex('000035' '00002f' '010080') + bytes(range(16))
hellos = [
    hello(),
    hello(ver=0x0300, rec_ver=0x0300),
    hello(suites_raw=struct.pack('>H', 7) + bytes.fromhex('c02bc02f009c00'), exts=good_exts),
    hello(exts=good_exts, ext_len_fix=-4),
    hello(exts=good_exts, ext_len_fix=6),
    hello(exts=good_exts[:3] + [struct.pack('>HH', 13, 40) + u16list([0x0401, 0x0403])]),
    hello(sid=bytes(33), exts=good_exts),
    hello(comp=b'\x00', exts=good_exts),
    hello(exts=[sni_ext('bad-list.example', 3)] + good_exts[1:]),
    hello(exts=good_exts, tail=b'\x00\x01\x02\x03\x04'),
    hello(exts=good_exts, hs_len_fix=20),
    hello(exts=[]),
    struct.pack('>H', 0x8000 | len(sslv2_body)) + sslv2_body,
    hello(ver=0x0303, exts=good_exts),
    hello(exts=good_exts + [ext(16, struct.pack('>H', 4) + b'\x02h2')]),
    hello(exts=good_exts + [ext(43, b'\x03\x03\x03\x03')]),
]
with open(sys.argv[1], 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, h in enumerate(hellos):
        fr = frame(i + 1, h)
        f.write(struct.pack('<IIII', 1700000200 + i, 0, len(fr), len(fr)) + fr)
