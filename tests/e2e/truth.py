#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Attribution truth harness (tests/e2e/test_attrib_truth.sh).

Traffic roles write the PID and TID of the thread that sends into every payload they send
("TRUTH pid=P tid=T ."), so a packet says by itself which process sent it. `check` reads a procap
pcapng (pcapng blocks per draft-ietf-opsawg-pcapng: SHB, IDB, EPB with opt_comment 1) and
compares each packet's owner (the comment's PID/TID lines) and peer (PeerPID) with the truth:

- a packet with a marker was sent by that thread; a packet without one (SYN, ACK, FIN, an
  echo reply the kernel sends) belongs to the flow direction's sender when that direction
  carried markers of one process, else to the receiver (the reverse direction's process);
- kernel-originated packets (ARP, ND/RS/MLD, IGMP, ICMP errors, resets of closed ports) have
  no owner at all.

Per scenario (a set of ports, or the kernel class) it prints precision (named packets named
right), recall (attributable packets named) and the same for the peer, as PASS/FAIL lines."""
import os
import re
import socket
import struct
import sys
import threading
import time

MARK = re.compile(rb"TRUTH pid=(\d+) tid=(\d+) \.")


def marker():
    return b"TRUTH pid=%d tid=%d ." % (os.getpid(), threading.get_native_id())


def msg(i):
    return marker() + b" msg %d " % i + b"x" * 40


# ---------------------------------------------------------------- traffic roles

def serve_conn(c, reply):
    c.settimeout(60)
    while True:
        d = c.recv(4096)
        if not d:
            break
        if reply:
            c.sendall(msg(0))
    c.close()


def tcp_server(addr, port, fork=0, v6=False, count=0):
    """Answers every message with its own marker; fork: N prefork workers accept."""
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(64)
    ready()
    kids = []
    for _ in range(fork):
        pid = os.fork()
        if pid == 0:
            while True:
                c, _ = s.accept()
                serve_conn(c, True)
        kids.append(pid)
    if fork:
        time.sleep(3600)
    n = 0
    while not count or n < count:
        c, _ = s.accept()
        threading.Thread(target=serve_conn, args=(c, True), daemon=True).start()
        n += 1
    time.sleep(3600)


def tcp_client(host, port, n=3, v6=False, linger=True, wait_file=None):
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect((host, port))
    if wait_file:  # a connection older than procap: exchange only once it runs
        ready()
        while not os.path.exists(wait_file):
            time.sleep(0.05)
    for i in range(n):
        s.sendall(msg(i))
        s.recv(4096)
    if linger:
        s.close()
    else:
        os._exit(0)  # exit without close: the kernel closes it after the process is gone


def udp_server(addr, port, v6=False):
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    ready()
    while True:
        d, a = s.recvfrom(4096)
        s.sendto(msg(0), a)


def udp_client(host, port, n=3, v6=False, threads=1, connect=False):
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    if connect:
        s.connect((host, port))
    lock = threading.Lock()

    def run():
        for i in range(n):
            with lock:  # threads take turns on the one socket
                if connect:
                    s.send(msg(i))
                else:
                    s.sendto(msg(i), (host, port))
                s.recvfrom(4096)

    ts = [threading.Thread(target=run) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def scm_client(host, port, n=3):
    """The socket is made by this process and passed over SCM_RIGHTS to a child that only then
    exists as its user; the maker never sends on it."""
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    pid = os.fork()
    if pid == 0:
        a.close()
        _, fds, _, _ = socket.recv_fds(b, 16, 1)
        s = socket.socket(fileno=fds[0])
        s.settimeout(5)
        for i in range(n):
            s.sendto(msg(i), (host, port))
            s.recvfrom(4096)
        os._exit(0)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    socket.send_fds(a, [b"x"], [s.fileno()])
    s.close()
    os.waitpid(pid, 0)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    x = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    x = (x >> 16) + (x & 0xFFFF)
    return ~(x + (x >> 16)) & 0xFFFF


def ping(host, n=3, raw=False, ident=0x4243):
    """ICMP echo from a ping socket (the kernel picks the identifier) or a raw socket."""
    kind = socket.SOCK_RAW if raw else socket.SOCK_DGRAM
    s = socket.socket(socket.AF_INET, kind, socket.IPPROTO_ICMP)
    s.settimeout(5)
    for seq in range(1, n + 1):
        h = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + msg(seq)
        h = h[:2] + struct.pack("!H", csum(h)) + h[4:]
        s.sendto(h, (host, 0))
        while True:
            d = s.recv(4096)
            off = 20 if raw else 0
            if d[off] == 0:
                break


def udp_once(host, port, v6=False):
    """One datagram and exit (ND/ARP on the way, the owner gone afterwards)."""
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(msg(0), (host, port))


def tcp_closed(host, port, v6=False):
    """A connect() to a port nobody listens on: the far kernel answers with a reset."""
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(3)
    try:
        s.connect((host, port))
    except OSError:
        pass


def mcast_join(group, ifaddr):
    """IGMP membership report, sent by the kernel during setsockopt()."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                 socket.inet_aton(group) + socket.inet_aton(ifaddr))
    time.sleep(0.3)


def ready():
    f = os.environ.get("TRUTH_READY")
    if f:
        with open(f, "w") as out:
            out.write("%d\n" % os.getpid())


# ---------------------------------------------------------------- pcapng reading

def read_pcapng(path):
    """Yields (linktype, data, comment) per EPB."""
    with open(path, "rb") as f:
        buf = f.read()
    off, end, links = 0, "<", []
    while off + 12 <= len(buf):
        btype = struct.unpack_from(end + "I", buf, off)[0]
        if btype == 0x0A0D0D0A:
            end = "<" if buf[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            links = []
        blen = struct.unpack_from(end + "I", buf, off + 4)[0]
        if blen < 12 or off + blen > len(buf):
            break
        body = buf[off + 8:off + blen - 4]
        if btype == 1:
            links.append(struct.unpack_from(end + "H", body, 0)[0])
        elif btype == 6:
            ifid, _, _, caplen, _ = struct.unpack_from(end + "IIIII", body, 0)
            data = body[20:20 + caplen]
            o = 20 + ((caplen + 3) & ~3)
            comment = ""
            while o + 4 <= len(body):
                code, ln = struct.unpack_from(end + "HH", body, o)
                if code == 0:
                    break
                if code == 1 and not comment:
                    comment = body[o + 4:o + 4 + ln].decode("utf-8", "replace")
                o += 4 + ((ln + 3) & ~3)
            yield links[ifid] if ifid < len(links) else 1, data, comment
        off += blen


def comment_fields(c):
    d = {}
    for line in c.split("\n"):
        k, _, v = line.partition(": ")
        d[k] = v
    return d


# ---------------------------------------------------------------- packet decoding

class Pkt:
    def __init__(self, data, comment):
        f = comment_fields(comment)
        self.pid = int(f["PID"]) if "PID" in f else None
        self.tid = int(f["TID"]) if "TID" in f else None
        self.peer = int(f["PeerPID"]) if "PeerPID" in f else None
        self.kind = None   # "flow", or a kernel class
        self.key = None    # (proto, src, sport, dst, dport) of a flow
        self.mark = None
        self.parse(data)

    def parse(self, d):
        et = struct.unpack("!H", d[12:14])[0] if len(d) >= 14 else 0
        d = d[14:]
        if et == 0x0806:
            self.kind = "arp"
            return
        if et == 0x0800 and len(d) >= 20:
            ihl = (d[0] & 15) * 4
            proto, src, dst = d[9], d[12:16], d[16:20]
            l4 = d[ihl:]
        elif et == 0x86DD and len(d) >= 40:
            proto, src, dst = d[6], d[8:24], d[24:40]
            l4 = d[40:]
            if proto == 0:  # hop-by-hop options (MLD reports carry router alert)
                proto, l4 = l4[0], l4[(l4[1] + 1) * 8:]
        else:
            return
        m = MARK.search(l4)
        self.mark = (int(m.group(1)), int(m.group(2))) if m else None
        if proto in (6, 17) and len(l4) >= 8:
            sp, dp = struct.unpack("!HH", l4[:4])
            if proto == 6 and (l4[13] & 0x04) and not self.mark and self.closed(sp, dp):
                self.kind = "rst"
                return
            self.kind, self.key = "flow", (proto, src, sp, dst, dp)
        elif proto in (1, 58) and len(l4) >= 8:
            t = l4[0]
            if (proto == 1 and t in (0, 8)) or (proto == 58 and t in (128, 129)):
                ident = struct.unpack("!H", l4[4:6])[0]
                self.kind, self.key = "flow", (proto, src, ident, dst, ident)
            elif proto == 1 or t < 128:
                self.kind = "icmp-error"
            elif 130 <= t <= 143:
                self.kind = "nd-mld"
        elif proto == 2:
            self.kind = "igmp"

    closed_ports = set()

    def closed(self, sp, dp):
        return sp in Pkt.closed_ports or dp in Pkt.closed_ports

    def port_in(self, ports):
        return self.key and (self.key[2] in ports or self.key[4] in ports)


def rev(k):
    return (k[0], k[3], k[4], k[1], k[2])


def pct(a, b):
    return 100.0 if b == 0 else 100.0 * a / b


def check(path, specs, min_recall, tid_strict, holders, truth_from, peer_all):
    """specs: NAME=PORTS (comma separated, or 'icmp' for echo flows, 'all') or NAME=kernel.
    tid_strict: scenarios whose senders the capture sees send (its own namespace), where the
    TID must be the sending thread's too. holders: port -> PID of a process that holds a
    listening socket its workers share (prefork): what the kernel sends for a connection
    before the worker that accepts it sends anything (the SYN-ACK) may name it, and so may
    the peer of what reaches the connection before that. truth_from: a capture of both
    directions to read the markers from (for -Q in / -Q out files). peer_all: scenarios whose
    every packet with a local receiver must name it as the peer."""
    pkts = [Pkt(d, c) for lt, d, c in read_pcapng(path) if lt == 1]
    senders = {}  # flow direction -> set of pids seen in its markers
    ref = pkts if not truth_from else [Pkt(d, c) for lt, d, c in read_pcapng(truth_from)
                                        if lt == 1]
    for p in ref:
        if p.kind == "flow" and p.mark:
            senders.setdefault(p.key, set()).add(p.mark[0])

    def truth(p):
        s = senders.get(p.key)
        if s and len(s) == 1:
            return next(iter(s))
        if not s:
            r = senders.get(rev(p.key))
            if r and len(r) == 1:
                return next(iter(r))  # nothing sent this way carried a marker: the receiver's
        return None

    ok = True
    for spec in specs:
        name, _, sel = spec.partition("=")
        if sel == "kernel":
            kp = [p for p in pkts if p.kind not in (None, "flow")]
            named = [p for p in kp if p.pid is not None]
            classes = sorted({p.kind for p in kp})
            line = "kernel packets %d (%s), named %d" % (len(kp), " ".join(classes), len(named))
            print("# %-14s %s" % (name, line))
            if not kp:
                print("FAIL truth_%s: no kernel-originated packet captured" % name)
                ok = False
            elif named:
                print("FAIL truth_%s: %s, e.g. %s named PID %d" % (name, line, named[0].kind,
                                                                 named[0].pid))
                ok = False
            else:
                print("PASS truth_%s: %s" % (name, line))
            continue
        if sel == "all":
            sel_pkts = [p for p in pkts if p.kind == "flow"]
        elif sel == "icmp":
            sel_pkts = [p for p in pkts if p.kind == "flow" and p.key[0] in (1, 58)]
        else:
            ports = {int(x) for x in sel.split(",")}
            sel_pkts = [p for p in pkts if p.kind == "flow" and p.port_in(ports)]
        attributable = named = right = tid_n = tid_right = 0
        peer_want = peer_named = peer_right = 0
        wrong = []
        for p in sel_pkts:
            t = truth(p)
            if t is not None:
                attributable += 1
            held = (holders.get(p.key[2]), holders.get(p.key[4]))
            if p.pid is not None:
                named += 1
                if p.pid == t or (not p.mark and p.pid in held):
                    right += 1
                else:
                    wrong.append(p)
                if p.mark and p.mark[0] == t:
                    tid_n += 1
                    tid_right += p.tid == p.mark[1]
            # the peer: the other end's process when both ends are local and the owner sent it
            s, r = senders.get(p.key), senders.get(rev(p.key))
            if p.pid is not None and (p.pid == t or p.pid in held) and s and r and len(r) == 1:
                peer_want += 1
                if p.peer is not None:
                    peer_named += 1
                    peer_right += p.peer == next(iter(r)) or p.peer in held
            elif p.peer is not None:
                peer_named += 1
        prec, rec = pct(right, named), pct(right, attributable)
        line = ("%d packets, %d attributable: precision %.1f%% (%d/%d) recall %.1f%% (%d/%d) "
                "tid %d/%d peer %d/%d named, %d right" %
                (len(sel_pkts), attributable, prec, right, named, rec, right, attributable,
                 tid_right, tid_n, peer_named, peer_want, peer_right))
        print("# %-14s %s" % (name, line))
        bad = []
        if not attributable:
            bad.append("no attributable packet")
        if right != named:
            w = wrong[0]
            bad.append("wrong owner: PID %s for truth %s on %s" % (w.pid, truth(w), w.key[2:5:2]))
        if rec < min_recall:
            bad.append("recall below %.1f%%" % min_recall)
        if tid_right != tid_n and name in tid_strict:
            bad.append("wrong TID")
        if peer_right != peer_named:
            bad.append("wrong or unwanted peer")
        if name in peer_all and (not peer_want or peer_named < peer_want):
            bad.append("peer missing")
        if bad:
            print("FAIL truth_%s: %s (%s)" % (name, "; ".join(bad), line))
            ok = False
        else:
            print("PASS truth_%s: %s" % (name, line))
    return ok


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "check":
        path, rest = args[0], args[1:]
        min_recall = 99.5
        specs, tid_strict, holders, truth_from, peer_all = [], set(), {}, None, set()
        for a in rest:
            if a.startswith("--tid="):
                tid_strict = set(a[6:].split(","))
            elif a.startswith("--holder="):
                port, _, pid = a[9:].partition(":")
                holders[int(port)] = int(pid)
            elif a.startswith("--peer-all="):
                peer_all = set(a[11:].split(","))
            elif a.startswith("--truth-from="):
                truth_from = a[13:]
            elif a.startswith("--closed="):
                Pkt.closed_ports = {int(x) for x in a[9:].split(",")}
            elif a.startswith("--min-recall="):
                min_recall = float(a[13:])
            else:
                specs.append(a)
        sys.exit(0 if check(path, specs, min_recall, tid_strict, holders, truth_from, peer_all)
                 else 1)
    roles = {
        "tcp-server": lambda a: tcp_server(a[0], int(a[1]), fork=int(a[2]) if len(a) > 2 else 0,
                                           v6=":" in a[0]),
        "tcp-client": lambda a: tcp_client(a[0], int(a[1]), v6=":" in a[0]),
        "tcp-client-exit": lambda a: tcp_client(a[0], int(a[1]), v6=":" in a[0], linger=False),
        "tcp-client-old": lambda a: tcp_client(a[0], int(a[1]), v6=":" in a[0], wait_file=a[2]),
        "udp-server": lambda a: udp_server(a[0], int(a[1]), v6=":" in a[0]),
        "udp-client": lambda a: udp_client(a[0], int(a[1]), v6=":" in a[0]),
        "udp-client-connected": lambda a: udp_client(a[0], int(a[1]), v6=":" in a[0],
                                                     connect=True),
        "udp-threads": lambda a: udp_client(a[0], int(a[1]), threads=2),
        "scm-client": lambda a: scm_client(a[0], int(a[1])),
        "ping": lambda a: ping(a[0]),
        "raw-ping": lambda a: ping(a[0], raw=True),
        "udp-once": lambda a: udp_once(a[0], int(a[1]), v6=":" in a[0]),
        "tcp-closed": lambda a: tcp_closed(a[0], int(a[1]), v6=":" in a[0]),
        "mcast-join": lambda a: mcast_join(a[0], a[1]),
    }
    roles[cmd](args)


if __name__ == "__main__":
    main()
