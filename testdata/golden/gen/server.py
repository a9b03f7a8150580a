#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Test-traffic servers for testdata/golden (run by gen.sh inside namespace pb): UDP echo on
9999, TCP echo on 7000 and a TCP Fast Open echo on 7002, v4 and v6. Exits after LIFETIME s."""
import socket, sys, threading, time

LIFETIME = float(sys.argv[1]) if len(sys.argv) > 1 else 30


def udp_echo(fam, addr):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((addr, 9999))
    while True:
        d, peer = s.recvfrom(65535)
        s.sendto(d, peer)


def tcp_echo(fam, addr, port, fastopen=False):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if fastopen:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_FASTOPEN, 16)
    s.bind((addr, port))
    s.listen(8)
    while True:
        c, _ = s.accept()
        c.settimeout(2)
        try:
            while True:
                d = c.recv(65535)
                if not d:
                    break
                c.sendall(d)
        except OSError:
            pass
        c.close()


for fam, addr in ((socket.AF_INET, "192.0.2.2"), (socket.AF_INET6, "2001:db8:2::2")):
    threading.Thread(target=udp_echo, args=(fam, addr), daemon=True).start()
    threading.Thread(target=tcp_echo, args=(fam, addr, 7000), daemon=True).start()
threading.Thread(target=tcp_echo, args=(socket.AF_INET, "192.0.2.2", 7002, True),
                 daemon=True).start()
time.sleep(LIFETIME)
