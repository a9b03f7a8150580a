#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""make_dtls_pcap.py OUT.pcap: crafted DTLS ClientHellos that openssl 3.0 does not send.
Frames (Ethernet/IPv4/UDP, 192.0.2.1 -> 192.0.2.2):
 1    DTLS 1.3 ClientHello (RFC 9147: legacy_version 0xfefd, supported_versions 0xfefc,0xfefd,
      GREASE), SNI dtls13.example, ALPN webrtc, port 443, one datagram
 2-4  DTLS 1.2 ClientHello in three fragments sent last, first, middle (port 5061), the middle
      datagram repeated as 5 (a duplicate adds nothing; the hello completes on frame 4)
 6    two records in one datagram: a ChangeCipherSpec-less handshake record holding a
      HelloRequest-type (0) message then the ClientHello (port 3478)
 7    DTLS 1.0 hello on record version 0x0100 (OpenSSL's pre-RFC DTLS1_BAD_VER), no extensions
 8    ServerHello (port 443 -> client), DTLS 1.2, cipher 0xc02b
 9-11 the hello of 2-4 again, fragments in order (port 50005): tshark 4.0 joins these (it does
      not join 2-4, whose first fragment comes last), so its JA4 is the expected value of 4
Run from the repository root; expected values: ja4_tshark.py OUT.pcap (tshark 4.0)."""
import struct, sys

def grease(): return 0x1a1a
def ext(t, body): return struct.pack('>HH', t, len(body)) + body
def sni(name):
    n = name.encode(); e = struct.pack('>BH', 0, len(n)) + n
    return ext(0, struct.pack('>H', len(e)) + e)
def alpn(*ps):
    l = b''.join(struct.pack('B', len(p)) + p.encode() for p in ps)
    return ext(16, struct.pack('>H', len(l)) + l)
def u16list(vals): return struct.pack('>H', 2 * len(vals)) + b''.join(struct.pack('>H', v) for v in vals)

def client_hello(legacy, ciphers, exts, cookie=b''):
    body = struct.pack('>H', legacy) + bytes(range(32)) + b'\x00' + struct.pack('B', len(cookie)) + cookie
    body += u16list(ciphers) + b'\x01\x00'
    if exts is not None:
        e = b''.join(exts); body += struct.pack('>H', len(e)) + e
    return body

def server_hello(cipher):
    e = ext(0xff01, b'\x00')
    return struct.pack('>H', 0xfefd) + bytes(32) + b'\x00' + struct.pack('>HB', cipher, 0) + struct.pack('>H', len(e)) + e

def hs(mtype, body, seq=0, off=0, flen=None):
    frag = body[off:off + flen] if flen is not None else body[off:]
    return struct.pack('>B', mtype) + len(body).to_bytes(3, 'big') + struct.pack('>H', seq) + off.to_bytes(3, 'big') + len(frag).to_bytes(3, 'big') + frag

def record(payload, ver=0xfefd, ctype=22, seq=0):
    return struct.pack('>BHH', ctype, ver, 0) + seq.to_bytes(6, 'big') + struct.pack('>H', len(payload)) + payload

def udp_frame(payload, sport, dport, src=b'\xc0\x00\x02\x01', dst=b'\xc0\x00\x02\x02'):
    udp = struct.pack('>HHHH', sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, src, dst)
    s = sum(struct.unpack('>10H', ip)); s = (s & 0xffff) + (s >> 16); s = (s & 0xffff) + (s >> 16)
    ip = ip[:10] + struct.pack('>H', ~s & 0xffff) + ip[12:]
    return b'\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00' + ip + udp

frames = []
sigs = ext(13, u16list([0x0403, 0x0804, 0x0401, 0x0503]))
groups = ext(10, u16list([grease(), 0x001d, 0x0017]))
# 1: DTLS 1.3
ch13 = client_hello(0xfefd, [grease(), 0x1301, 0x1302, 0x1303, 0xc02b],
                    [ext(grease(), b''), sni('dtls13.example'), groups, sigs, alpn('webrtc'),
                     ext(43, b'\x06' + struct.pack('>HHH', grease(), 0xfefc, 0xfefd)),
                     ext(51, struct.pack('>HHH', 2 + 4 + 32, 0x001d, 32) + bytes(32))])
frames.append(udp_frame(record(hs(1, ch13)), 50001, 443))
# 2-5: three fragments out of order, the middle one repeated
ch12 = client_hello(0xfefd, [0xc02b, 0xc02f, 0xcca9, 0xcca8, 0x009e, 0x00ff],
                    [sni('fragments.dtls.example'), groups, sigs, alpn('h2', 'http/1.1'), ext(23, b''), ext(0x16, b'')])
third = len(ch12) // 3
parts = [(0, third), (third, third), (2 * third, len(ch12) - 2 * third)]
for i, n in enumerate([2, 0, 1, 1]):
    off, flen = parts[n]
    frames.append(udp_frame(record(hs(1, ch12, 0, off, flen), seq=i), 50002, 5061))
# 6: two handshake messages in one record (a HelloRequest, type 0, then the hello)
ch_stun = client_hello(0xfefd, [0xc02b, 0xc02f], [sni('two.dtls.example'), sigs])
frames.append(udp_frame(record(hs(0, b'') + hs(1, ch_stun)), 50003, 3478))
# 7: DTLS1_BAD_VER record, hello 0x0100 without extensions
frames.append(udp_frame(record(hs(1, client_hello(0x0100, [0x0035, 0x002f, 0x000a], None)), ver=0x0100), 50004, 4433))
# 8: a ServerHello
frames.append(udp_frame(record(hs(2, server_hello(0xc02b))), 443, 50001, b'\xc0\x00\x02\x02', b'\xc0\x00\x02\x01'))
# 9-11: the same fragments in order
for i, (off, flen) in enumerate(parts):
    frames.append(udp_frame(record(hs(1, ch12, 0, off, flen), seq=i), 50005, 5061))

with open(sys.argv[1], 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, fr in enumerate(frames):
        f.write(struct.pack('<IIII', 1700000000 + i, 0, len(fr), len(fr)) + fr)
