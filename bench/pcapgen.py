#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Synthesise the benchmark's input pcaps (bench/run.sh keeps them under build/bench/).

  pcapgen.py mixed N OUT          N packets of interleaved TCP and UDP conversations, IPv4 and
                                  IPv6 (64 sessions open at once; tcpdump keeps per-conversation
                                  state for relative sequence numbers, so interleaving matters)
  pcapgen.py tls SEED N OUT       N TLS connections (SYN, SYN-ACK, ACK, ClientHello, ACK), each a
                                  real ClientHello taken from the capture SEED (curl, openssl
                                  s_client) with its own ports, addresses and SNI
  pcapgen.py flows SEED N OUT     N distinct flows, one packet each: the FIRST segment of a
                                  ClientHello cut in two, so a TCP reassembler must keep state for
                                  every flow (memory bound of the flow table)

Standard library only. Classic pcap, Ethernet, microsecond timestamps. Addresses: 198.51.100.0/24,
192.0.2.0/24 and 2001:db8::/32 (documentation ranges), so the files are safe to share.
"""
import random
import struct
import sys

MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")
T0 = 1700000000


class PcapWriter:
    def __init__(self, path):
        self.f = open(path, "wb", buffering=1 << 20)
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        self.usec = 0

    def write(self, frame, step_usec=10):
        self.usec += step_usec
        sec, usec = divmod(self.usec, 1000000)
        self.f.write(struct.pack("<IIII", T0 + sec, usec, len(frame), len(frame)))
        self.f.write(frame)

    def close(self):
        self.f.close()


def ip_csum(hdr):
    s = sum(struct.unpack("!%dH" % (len(hdr) // 2), hdr))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ipv4(src, dst, proto, payload, ident):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident & 0xFFFF, 0x4000, 64,
                      proto, 0, src, dst)
    hdr = hdr[:10] + struct.pack("!H", ip_csum(hdr)) + hdr[12:]
    return MAC_A + MAC_B + b"\x08\x00" + hdr + payload


def ipv6(src, dst, proto, payload):
    hdr = struct.pack("!IHBB16s16s", 0x60000000, len(payload), proto, 64, src, dst)
    return MAC_A + MAC_B + b"\x86\xdd" + hdr + payload


def tcp(sport, dport, seq, ack, flags, payload=b"", opts=b""):
    off = (20 + len(opts)) // 4
    # Checksums of TCP/UDP are left zero: tcpdump -n does not verify them without -v.
    return struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, off << 4,
                       flags, 64240, 0, 0) + opts + payload


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
SYN_OPTS = bytes.fromhex("020405b4") + b"\x04\x02" + bytes.fromhex("080a0001e24000000000") + \
    b"\x01" + bytes.fromhex("030307")
TS_OPTS = b"\x01\x01" + bytes.fromhex("080a0001e2400001e240")


def addr_pair(rng, v6):
    """Client and server: 198.51.100.x -> 192.0.2.y, or 2001:db8:51::x -> 2001:db8:51::2."""
    if v6:
        prefix = bytes.fromhex("20010db8005100000000000000000000")
        return prefix[:14] + struct.pack("!H", rng.randrange(3, 65535)), prefix[:15] + b"\x02"
    return bytes([198, 51, 100, rng.randrange(1, 127)]), bytes([192, 0, 2, rng.randrange(1, 254)])


def tcp_session(rng, ident):
    """Yields the frames of one TCP conversation: handshake, data both ways, FIN exchange."""
    v6 = rng.random() < 0.2
    c, s = addr_pair(rng, v6)
    cp, sp = rng.randrange(32768, 60999), rng.choice((443, 22, 5201, 8443))
    cseq, sseq = rng.getrandbits(32), rng.getrandbits(32)

    def pkt(src, dst, a, b, seq, ack, fl, pl=b"", opts=TS_OPTS):
        seg = tcp(a, b, seq, ack, fl, pl, opts)
        return ipv6(src, dst, 6, seg) if v6 else ipv4(src, dst, 6, seg, next(ident))

    yield pkt(c, s, cp, sp, cseq, 0, SYN, opts=SYN_OPTS)
    yield pkt(s, c, sp, cp, sseq, cseq + 1, SYN | ACK, opts=SYN_OPTS)
    cseq += 1
    sseq += 1
    yield pkt(c, s, cp, sp, cseq, sseq, ACK)
    for _ in range(rng.randrange(1, 8)):
        n = rng.randrange(20, 400)
        yield pkt(c, s, cp, sp, cseq, sseq, PSH | ACK, bytes(n))
        cseq += n
        for _ in range(rng.randrange(1, 4)):
            m = rng.choice((1448, 1448, rng.randrange(1, 1448)))
            yield pkt(s, c, sp, cp, sseq, cseq, PSH | ACK if m < 1448 else ACK, bytes(m))
            sseq += m
        yield pkt(c, s, cp, sp, cseq, sseq, ACK)
    yield pkt(c, s, cp, sp, cseq, sseq, FIN | ACK)
    yield pkt(s, c, sp, cp, sseq, cseq + 1, FIN | ACK)
    yield pkt(c, s, cp, sp, cseq + 1, sseq + 1, ACK)


def udp_session(rng, ident):
    """Yields a burst of datagrams both ways between two high ports (no tcpdump printer)."""
    v6 = rng.random() < 0.2
    c, s = addr_pair(rng, v6)
    cp, sp = rng.randrange(32768, 60999), rng.choice((5001, 9000, 40000))
    for _ in range(rng.randrange(2, 30)):
        fwd = rng.random() < 0.6
        pl = bytes(rng.choice((64, 200, 1200, rng.randrange(1, 1400))))
        src, dst, a, b = (c, s, cp, sp) if fwd else (s, c, sp, cp)
        d = udp(a, b, pl)
        yield ipv6(src, dst, 17, d) if v6 else ipv4(src, dst, 17, d, next(ident))


def mixed(n, out):
    rng = random.Random(1)
    ident = iter(range(1 << 62))
    w = PcapWriter(out)
    active = []
    written = 0
    while written < n:
        while len(active) < 64:
            gen = tcp_session if rng.random() < 0.6 else udp_session
            active.append(gen(rng, ident))
        i = rng.randrange(len(active))
        frame = next(active[i], None)
        if frame is None:
            active[i] = active[-1]
            active.pop()
            continue
        w.write(frame)
        written += 1
    w.close()


def read_pcap(path):
    """Yields (linktype, frame) of a classic pcap file (what tcpdump -w writes)."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    linktype = struct.unpack(end + "I", data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        yield linktype, data[off + 16:off + 16 + incl]
        off += 16 + incl


def client_hellos(seed):
    """The TLS records holding a whole ClientHello in the seed capture (Ethernet, IPv4, TCP)."""
    found = []
    for linktype, fr in read_pcap(seed):
        if linktype != 1 or len(fr) < 54 or fr[12:14] != b"\x08\x00" or fr[23] != 6:
            continue
        ihl = (fr[14] & 15) * 4
        tcp_off = 14 + ihl
        doff = (fr[tcp_off + 12] >> 4) * 4
        pl = fr[tcp_off + doff:14 + struct.unpack("!H", fr[16:18])[0]]
        if len(pl) > 9 and pl[0] == 0x16 and pl[5] == 1:
            rec_len = struct.unpack("!H", pl[3:5])[0]
            if len(pl) >= 5 + rec_len and pl[:5 + rec_len] not in found:
                found.append(pl[:5 + rec_len])
    if not found:
        sys.exit("pcapgen: no whole TLS ClientHello in " + seed)
    return found


def with_sni(rec, name):
    """Rebuilds a ClientHello record with server_name = name (RFC 6066 §3), fixing every length."""
    body = rec[9:]
    pos = 2 + 32
    pos += 1 + body[pos]
    pos += 2 + struct.unpack("!H", body[pos:pos + 2])[0]
    pos += 1 + body[pos]
    exts, out = body[pos + 2:], b""
    while len(exts) >= 4:
        typ, ln = struct.unpack("!HH", exts[:4])
        data = exts[4:4 + ln]
        if typ == 0:
            n = name.encode()
            lst = b"\x00" + struct.pack("!H", len(n)) + n
            data = struct.pack("!H", len(lst)) + lst
        out += struct.pack("!HH", typ, len(data)) + data
        exts = exts[4 + ln:]
    hs_body = body[:pos] + struct.pack("!H", len(out)) + out
    hs = b"\x01" + struct.pack("!I", len(hs_body))[1:] + hs_body
    return rec[:3] + struct.pack("!H", len(hs)) + hs


def flow_addrs(i):
    """Distinct (client, server, client port) for flow i: 64000 ports per client address."""
    c = bytes([198, 51, 100, 1 + (i // 64000) % 250])
    s = bytes([192, 0, 2, 1 + (i // (64000 * 250)) % 250])
    return c, s, 1024 + i % 64000


def tls(seed, n, out):
    hellos = client_hellos(seed)
    w = PcapWriter(out)
    ident = 0
    for i in range(n):
        c, s, cp = flow_addrs(i)
        ch = with_sni(hellos[i % len(hellos)], "host%d.bench.example" % i)
        cseq, sseq = 1000 + i, 5000 + i
        for src, dst, a, b, seq, ack, fl, pl, opts in (
                (c, s, cp, 443, cseq, 0, SYN, b"", SYN_OPTS),
                (s, c, 443, cp, sseq, cseq + 1, SYN | ACK, b"", SYN_OPTS),
                (c, s, cp, 443, cseq + 1, sseq + 1, ACK, b"", TS_OPTS),
                (c, s, cp, 443, cseq + 1, sseq + 1, PSH | ACK, ch, TS_OPTS),
                (s, c, 443, cp, sseq + 1, cseq + 1 + len(ch), ACK, b"", TS_OPTS)):
            ident += 1
            w.write(ipv4(src, dst, 6, tcp(a, b, seq, ack, fl, pl, opts), ident))
    w.close()


def flows(seed, n, out):
    hello = client_hellos(seed)[0]
    cut = min(100, len(hello) - 1)
    w = PcapWriter(out)
    for i in range(n):
        c, s, cp = flow_addrs(i)
        seg = tcp(cp, 443, 1000 + i, 5000 + i, PSH | ACK, hello[:cut], TS_OPTS)
        w.write(ipv4(c, s, 6, seg, i), step_usec=1)
    w.close()


def main(argv):
    if len(argv) == 4 and argv[1] == "mixed":
        mixed(int(argv[2]), argv[3])
    elif len(argv) == 5 and argv[1] in ("tls", "flows"):
        (tls if argv[1] == "tls" else flows)(argv[2], int(argv[3]), argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
