#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Test-traffic client for testdata/golden (run by gen.sh inside namespace pa).
Every step is bounded (timeouts, fixed counts); it only talks to the documentation addresses
of the lab namespaces. Usage: client.py STEP..."""
import socket, struct, sys, time

B4, B6 = "192.0.2.2", "2001:db8:2::2"
R4, R6 = "198.51.100.254", "2001:db8:51::fe"


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ping4(dst, size, count, ident=0x1234):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.settimeout(1)
    for seq in range(1, count + 1):
        payload = bytes(i & 0xff for i in range(size))
        hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
        c = csum(hdr + payload)
        s.sendto(struct.pack("!BBHHH", 8, 0, c, ident, seq) + payload, (dst, 0))
        try:
            s.recv(65535)
        except OSError:
            pass
        time.sleep(0.05)


def ping6(dst, size, count, ident=0x4321):
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.settimeout(1)
    for seq in range(1, count + 1):
        payload = bytes(i & 0xff for i in range(size))
        s.sendto(struct.pack("!BBHHH", 128, 0, 0, ident, seq) + payload, (dst, 0))
        try:
            s.recv(65535)
        except OSError:
            pass
        time.sleep(0.05)


def udp(fam, dst, port, data, ttl=None, df=False, opts=None, hopopts=None, dstopts=None):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.settimeout(0.5)
    if ttl is not None:
        if fam == socket.AF_INET:
            s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
        else:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, ttl)
    if df:  # IP_PMTUDISC_PROBE: set DF, ignore the cached path MTU
        if fam == socket.AF_INET:
            s.setsockopt(socket.IPPROTO_IP, 10, 3)
        else:
            s.setsockopt(socket.IPPROTO_IPV6, 23, 3)
    if opts is not None:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_OPTIONS, opts)
    if hopopts is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_HOPOPTS, hopopts)
    if dstopts is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_DSTOPTS, dstopts)
    try:
        s.sendto(data, (dst, port))
        s.recv(65535)
    except OSError:
        pass
    s.close()
    time.sleep(0.05)


def tcp_echo(fam, dst, port, chunks):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(2)
    s.connect((dst, port))
    for c in chunks:
        s.sendall(c)
        try:
            s.recv(65535)
        except OSError:
            pass
    s.close()
    time.sleep(0.2)


def tcp_refused(fam, dst, port):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(1)
    try:
        s.connect((dst, port))
    except OSError:
        pass
    s.close()


def tfo(dst, port):
    MSG_FASTOPEN = 0x20000000
    for _ in range(2):  # first: cookie request; second: data in the SYN with the cookie
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(2)
        try:
            s.sendto(b"fastopen hello\n", MSG_FASTOPEN, (dst, port))
            s.recv(100)
        except OSError:
            pass
        s.close()
        time.sleep(0.3)


def mcast_join():
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    grp = socket.inet_pton(socket.AF_INET6, "ff02::1:3")
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, grp + struct.pack("I", 0))
    time.sleep(0.5)
    s.close()
    time.sleep(0.3)


def rsol():
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, socket.if_nametoindex("pa0"))
    s.sendto(struct.pack("!BBHI", 133, 0, 0, 0), ("ff02::2", 0, 0, socket.if_nametoindex("pa0")))
    s.close()
    time.sleep(0.3)


def main():
    for step in sys.argv[1:]:
        if step == "icmp":
            ping4(B4, 56, 3)
            ping4(B4, 3000, 1, ident=0x1235)          # fragmented request and reply
            ping6(B6, 56, 3)
            ping6(B6, 3000, 1, ident=0x4322)          # IPv6 fragment header
            udp(socket.AF_INET, B4, 33434, b"x" * 20)  # port unreachable
            udp(socket.AF_INET6, B6, 33434, b"x" * 20)
            udp(socket.AF_INET, B4, 33435, b"t" * 12, ttl=1)   # time exceeded from pr
            udp(socket.AF_INET6, B6, 33435, b"t" * 12, ttl=1)
            udp(socket.AF_INET, B4, 33436, b"d" * 1400, df=True)  # needs frag from pr
            udp(socket.AF_INET6, B6, 33436, b"d" * 1400)         # packet too big from pr
            ping4(R4, 56, 1, ident=0x1236)
        elif step == "udp":
            for i in range(3):
                udp(socket.AF_INET, B4, 9999, b"hello udp %d\n" % i)
                udp(socket.AF_INET6, B6, 9999, b"hello udp6 %d\n" % i)
            udp(socket.AF_INET, B4, 9999, b"")
        elif step == "tcp":
            tcp_echo(socket.AF_INET, B4, 7000, [b"GET / HTTP/1.0\r\n\r\n", b"\x00\x01\x02binary\xff\n"])
            tcp_echo(socket.AF_INET6, B6, 7000, [b"hello over tcp6\n"])
            tcp_refused(socket.AF_INET, B4, 7001)
            tcp_refused(socket.AF_INET6, B6, 7001)
        elif step == "tfo":
            tfo(B4, 7002)
        elif step == "ipopts":
            rr = bytes([1, 7, 39, 4]) + bytes(36)           # NOP + record route, 9 slots
            udp(socket.AF_INET, B4, 9999, b"rr", opts=rr)
            ts = bytes([68, 12, 5, 0]) + bytes(8) + bytes([1, 1, 1, 0])  # timestamp only, 2 slots
            udp(socket.AF_INET, B4, 9999, b"ts", opts=ts)
            udp(socket.AF_INET, B4, 9999, b"eol", opts=bytes([1, 1, 1, 0]))
            ra = bytes([58, 0, 5, 2, 0, 0, 1, 0])       # next, len, router alert MLD, PadN
            udp(socket.AF_INET6, B6, 9999, b"hbh", hopopts=ra)
            do = bytes([58, 0, 1, 4, 0, 0, 0, 0])       # PadN only
            udp(socket.AF_INET6, B6, 9999, b"dst", dstopts=do)
        elif step == "nd":
            rsol()
            mcast_join()
        else:
            sys.exit("unknown step " + step)


if __name__ == "__main__":
    main()
