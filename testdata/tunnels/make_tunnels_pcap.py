#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""make_tunnels_pcap.py OUT.pcap: crafted overlay tunnels carrying hellos (this kernel has
vxlan devices only, so Geneve, GTP-U, GRE/ERSPAN and MPLS frames are built here with Debian's
python3-scapy 2.5). Run with /usr/bin/python3 from the repository root. Every TLS hello has its
own SNI (<frame purpose>.tunnel.example) and TCP ports; the QUIC Initial is RFC 9001 A.2's and the
DTLS hello is frame 1 of testdata/dtls/openssl.pcap. Outer addresses 192.0.2.0/24, 2001:db8::/32.
 1  VXLAN vni 42 / Ethernet / IPv4 / TCP 443 / TLS ClientHello
 2  VXLAN vni 43 / Ethernet / 802.1Q 10 / IPv6 / UDP 443 / QUIC Initial
 3  Geneve vni 7, two options (class 0x0102 type 0x80, class 0xffff type 0x01), Ethernet
    payload / IPv4 / TCP / TLS
 4  Geneve vni 8, protocol 0x0800 (IPv4 directly), critical flag / UDP 4433 / DTLS ClientHello
 5  GTP-U G-PDU teid 0x1234 / IPv4 / TCP / TLS
 6  GTP-U G-PDU teid 0xabcdef01 with sequence number and a PDU session container extension
    header / IPv6 / TCP / TLS
 7  GTP-U echo request (no T-PDU)
 8  GRE with sequence number, ERSPAN type II session 100 vlan 5 / Ethernet / IPv4 / TCP / TLS
 9  GRE, ERSPAN type III session 200 with the platform subheader / Ethernet / IPv4 / TCP / TLS
10  GRE 0x88be without sequence number (ERSPAN type I) / Ethernet / IPv4 / TCP / TLS
11  GRE 0x6558 / Ethernet / 802.1ad 100 / 802.1Q 200 / IPv4 / TCP / TLS
12  GRE 0x8847 / MPLS labels 16, 17 / IPv4 / TCP / TLS
13  Ethernet / 802.1ad / 802.1Q / MPLS 100 / IPv6 / TCP / TLS (the outer link itself stacked)
14  IPv4 / GRE / IPv4 / UDP / VXLAN vni 99 / Ethernet / IPv4 / TCP / TLS (nested)
15  VXLAN vni 44 over IPv6 / Ethernet / IPv4 / TCP / TLS
Frames for the text printers (tcpdump's lines, golden rows), no hello:
16  MPLS label 0 (IPv4 explicit NULL) / IPv4 / UDP
17  MPLS labels 1 (router alert), 5, 2 (IPv6 explicit NULL) / IPv6 / UDP
18  MPLS label 16 / a payload that is not IP
19  Geneve version 1
20  Geneve whose options run past the datagram
21  VXLAN with flags 0 (no I bit), from source port 4789
22  Geneve OAM, VMware option class with 8 bytes of data, critical type, IPv6 payload
23  Geneve with an unknown protocol type 0x1234"""
import struct, sys
from scapy.all import Ether, IP, IPv6, TCP, UDP, GRE, Dot1Q, Dot1AD, Raw, wrpcap
from scapy.layers.vxlan import VXLAN
from scapy.contrib.geneve import GENEVE, GeneveOptions
from scapy.contrib.gtp import GTP_U_Header, GTPEchoRequest, GTPPDUSessionContainer
from scapy.contrib.mpls import MPLS
from scapy.contrib.erspan import ERSPAN_II, ERSPAN_III, ERSPAN_PlatformSpecific

def ext(t, body): return struct.pack('>HH', t, len(body)) + body
def u16list(vals): return struct.pack('>H', 2 * len(vals)) + b''.join(struct.pack('>H', v) for v in vals)

def tls_hello(name):
    n = name.encode(); s = struct.pack('>BH', 0, len(n)) + n
    alpn = b'\x02h2\x08http/1.1'
    exts = [ext(0, struct.pack('>H', len(s)) + s), ext(10, u16list([0x001d, 0x0017])),
            ext(13, u16list([0x0403, 0x0804, 0x0401])), ext(16, struct.pack('>H', len(alpn)) + alpn),
            ext(43, b'\x04\x03\x04\x03\x03'), ext(51, struct.pack('>HHH', 36, 0x001d, 32) + bytes(32))]
    e = b''.join(exts)
    body = b'\x03\x03' + bytes(range(32)) + b'\x00' + u16list([0x1301, 0x1302, 0xc02b, 0xc02f]) + b'\x01\x00'
    body += struct.pack('>H', len(e)) + e
    hs = b'\x01' + len(body).to_bytes(3, 'big') + body
    return b'\x16\x03\x01' + struct.pack('>H', len(hs)) + hs

def frames_of(p):
    d = open(p, 'rb').read(); off = 24
    while off + 16 <= len(d):
        cl = struct.unpack('<IIII', d[off:off + 16])[2]
        yield d[off + 16:off + 16 + cl]; off += 16 + cl

port = [40000]
def hello_tcp(name, v6=False):
    port[0] += 1
    ip = IPv6(src='2001:db8:a::1', dst='2001:db8:a::2') if v6 else IP(src='198.51.100.1', dst='198.51.100.2')
    return ip / TCP(sport=port[0], dport=443, flags='PA', seq=1000, ack=1) / Raw(tls_hello(name + '.tunnel.example'))

E = lambda **k: Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02', **k)
EI = lambda: Ether(src='02:00:00:00:01:01', dst='02:00:00:00:01:02')
O4 = lambda: IP(src='192.0.2.1', dst='192.0.2.2')
quic = bytes.fromhex(''.join(open('testdata/quic/rfc9001_a2_client_initial.hex').read().split()))
dtls = next(frames_of('testdata/dtls/openssl.pcap'))[14 + 20 + 8:]

pkts = [
    E() / O4() / UDP(sport=50001, dport=4789) / VXLAN(vni=42, flags=0x08) / EI() / hello_tcp('vxlan'),
    E() / O4() / UDP(sport=50002, dport=4789) / VXLAN(vni=43, flags=0x08) / EI() / Dot1Q(vlan=10) /
        IPv6(src='2001:db8:a::1', dst='2001:db8:a::2') / UDP(sport=50443, dport=443) / Raw(quic),
    E() / O4() / UDP(sport=50003, dport=6081) / GENEVE(vni=7, proto=0x6558, options=[
        GeneveOptions(classid=0x0102, type=0x80, data=b'\x00\x00\x00\x01'),
        GeneveOptions(classid=0xffff, type=0x01, data=b'')]) / EI() / hello_tcp('geneve'),
    E() / O4() / UDP(sport=50004, dport=6081) / GENEVE(vni=8, proto=0x0800, critical=1) /
        IP(src='198.51.100.1', dst='198.51.100.2') / UDP(sport=44444, dport=4433) / Raw(dtls),
    E() / O4() / UDP(sport=2152, dport=2152) / GTP_U_Header(teid=0x1234, gtp_type=255) / hello_tcp('gtpu'),
    E() / O4() / UDP(sport=2152, dport=2152) / GTP_U_Header(teid=0xabcdef01, gtp_type=255, S=1, E=1, seq=7,
        next_ex=0x85) / GTPPDUSessionContainer(type=1, QFI=9) / hello_tcp('gtpu-ext', v6=True),
    E() / O4() / UDP(sport=2152, dport=2152) / GTP_U_Header(teid=0, gtp_type=1, S=1, seq=1) / GTPEchoRequest(),
    E() / O4() / GRE(proto=0x88be, seqnum_present=1, seqence_number=1) / ERSPAN_II(ver=1, session_id=100, vlan=5) /
        EI() / hello_tcp('erspan2'),
    E() / O4() / GRE(proto=0x22eb, seqnum_present=1, seqence_number=2) /
        ERSPAN_III(session_id=200, vlan=6, o=1) / ERSPAN_PlatformSpecific() / EI() / hello_tcp('erspan3'),
    E() / O4() / GRE(proto=0x88be) / EI() / hello_tcp('erspan1'),
    E() / O4() / GRE(proto=0x6558) / EI() / Dot1AD(vlan=100) / Dot1Q(vlan=200) / hello_tcp('teb-qinq'),
    E() / O4() / GRE(proto=0x8847) / MPLS(label=16, s=0) / MPLS(label=17, s=1) / hello_tcp('gre-mpls'),
    E(type=0x88a8) / Dot1AD(vlan=300, type=0x8100) / Dot1Q(vlan=400, type=0x8847) / MPLS(label=100, s=1) /
        hello_tcp('qinq-mpls', v6=True),
    E() / O4() / GRE(proto=0x0800) / IP(src='203.0.113.1', dst='203.0.113.2') / UDP(sport=50005, dport=4789) /
        VXLAN(vni=99, flags=0x08) / EI() / hello_tcp('nested'),
    E() / IPv6(src='2001:db8::1', dst='2001:db8::2') / UDP(sport=50006, dport=4789) / VXLAN(vni=44, flags=0x08) / EI() /
        hello_tcp('vxlan6'),
]
U = lambda: UDP(sport=1000, dport=2000) / Raw(b'x' * 8)
pkts += [
    E(type=0x8847) / MPLS(label=0, s=1, ttl=64) / IP(src='198.51.100.1', dst='198.51.100.2') / U(),
    E(type=0x8847) / MPLS(label=1, s=0, ttl=1) / MPLS(label=5, s=0, cos=3) / MPLS(label=2, s=1, ttl=9) /
        IPv6(src='2001:db8:a::1', dst='2001:db8:a::2') / U(),
    E(type=0x8847) / MPLS(label=16, s=1) / Raw(bytes(range(20))),
    E() / O4() / UDP(sport=50007, dport=6081) / Raw(b'\x40\x00\x65\x58\x00\x00\x01\x00' + bytes(14)),
    E() / O4() / UDP(sport=50008, dport=6081) / Raw(b'\x3f\x00\x65\x58\x00\x00\x02\x00' + bytes(16)),
    E() / O4() / UDP(sport=4789, dport=50009) / VXLAN(vni=7, flags=0) / EI() / IP(src='198.51.100.1', dst='198.51.100.2') / U(),
    E() / O4() / UDP(sport=50010, dport=6081) / GENEVE(vni=0x123456, proto=0x86dd, oam=1, options=[
        GeneveOptions(classid=0x0104, type=0x81, data=b'\xde\xad\xbe\xef\x01\x02\x03\x04')]) /
        IPv6(src='2001:db8:a::1', dst='2001:db8:a::2') / U(),
    E() / O4() / UDP(sport=50011, dport=6081) / GENEVE(vni=9, proto=0x1234) / Raw(bytes(12)),
]
for i, p in enumerate(pkts):
    p.time = 1700000100 + i
wrpcap(sys.argv[1], pkts)
