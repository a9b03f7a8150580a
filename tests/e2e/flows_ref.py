# SPDX-License-Identifier: BSD-3-Clause
# Compares procap --flows --json records with tshark's view of the same capture file (for
# tests/e2e/test_flows.sh): `tshark -q -z conv,tcp|udp` gives each conversation's frames per
# direction (and bytes when small enough to be printed exactly); `tshark -T fields` gives the
# exact bytes and the first and last frame time of each tcp.stream / udp.stream. Every
# conversation must be one procap flow with equal packets and bytes each way and a duration
# within 1 us, and its retransmissions equal tshark's tcp.analysis.retransmission frames.
# Prints PASS/FAIL lines prefixed with each LABEL.
#   python3 flows_ref.py CAPTURE LABEL PROCAP_JSON [LABEL PROCAP_JSON ...]
import collections, json, subprocess, sys

cap = sys.argv[1]


def tshark(*args):
    return subprocess.run(["tshark", "-r", cap, *args], capture_output=True, text=True,
                          check=True).stdout


def endpoint(s):
    host, port = s.rsplit(":", 1)
    return (host.strip("[]"), int(port))


conv = {}  # (proto, endpoints) -> {endpoint_a: (frames a->b, bytes or None), ...}
proto = None
for line in tshark("-q", "-z", "conv,tcp", "-z", "conv,udp").splitlines():
    f = line.split()
    if line.startswith(("TCP Conv", "UDP Conv")):
        proto = line[:3].lower()
    if len(f) < 11 or f[1] != "<->":
        continue
    a, b = endpoint(f[0]), endpoint(f[2])
    # "<-" frames bytes unit | "->" frames bytes unit | total ...
    back = (int(f[3]), int(f[4]) if f[5] == "bytes" else None)
    fwd = (int(f[6]), int(f[7]) if f[8] == "bytes" else None)
    conv[(proto, frozenset((a, b)))] = {a: fwd, b: back}

exact = collections.defaultdict(lambda: {"bytes": collections.Counter(), "t": [], "retx": 0})
out = tshark("-Y", "tcp or udp", "-T", "fields", "-E", "separator=|", "-e", "ip.src", "-e",
             "ipv6.src", "-e", "tcp.srcport", "-e", "udp.srcport", "-e", "ip.dst", "-e",
             "ipv6.dst", "-e", "tcp.dstport", "-e", "udp.dstport", "-e", "frame.len", "-e",
             "frame.time_epoch", "-e", "tcp.analysis.retransmission")
for line in out.splitlines():
    s4, s6, tsp, usp, d4, d6, tdp, udp_dp, ln, t, retx = line.split("|")
    proto, sp, dp = ("tcp", tsp, tdp) if tsp else ("udp", usp, udp_dp)
    if "," in sp + s4 + s6 or not sp:  # ICMP errors and tunnels: two headers each
        continue
    src, dst = (s4 or s6, int(sp)), (d4 or d6, int(dp))
    e = exact[(proto, frozenset((src, dst)))]
    e["bytes"][src] += int(ln)
    e["t"].append(t)
    e["retx"] += bool(retx)

def compare(label, flows_json):
    flows = {}
    for line in open(flows_json):
        o = json.loads(line, parse_float=str)  # exact decimal times
        if o.get("type") != "flow" or o["proto"] not in ("tcp", "udp"):
            continue
        key = (o["proto"], frozenset(((o["src"], o["sport"]), (o["dst"], o["dport"]))))
        if key in flows:
            print(f"FAIL {label}: two flows for {sorted(key[1])}")
        flows[key] = o


    def ns(t):  # "1700000000.123456789" -> integer ns, no float rounding
        s, _, frac = t.partition(".")
        return int(s) * 10**9 + int((frac + "000000000")[:9])


    bad = retx_bad = 0
    for key, sides in sorted(conv.items(), key=lambda kv: str(kv[0])):
        o = flows.get(key)
        name = f"{key[0]} " + " <-> ".join(f"{h}:{p}" for h, p in sorted(key[1]))
        if not o:
            print(f"FAIL {label}: {name}: no flow record")
            bad += 1
            continue
        src, dst = (o["src"], o["sport"]), (o["dst"], o["dport"])
        ex = exact[key]
        want = (sides[src][0], ex["bytes"][src], sides[dst][0], ex["bytes"][dst])
        got = (o["src_packets"], o["src_bytes"], o["dst_packets"], o["dst_bytes"])
        for side in (src, dst):
            b = sides[side][1]
            if b is not None and b != ex["bytes"][side]:
                print(f"FAIL {label}: tshark conv and fields disagree on {name}")
        ts = sorted(ns(t) for t in ex["t"]) or [0]
        dur_ns = ts[-1] - ts[0]
        got_ns = ns(o["duration"])
        if got != want:
            print(f"FAIL {label}: {name}: packets/bytes each way {got}, tshark {want}")
            bad += 1
        elif abs(got_ns - dur_ns) > 1000:
            print(f"FAIL {label}: {name}: duration {got_ns} ns, tshark {dur_ns} ns")
            bad += 1
        if key[0] == "tcp" and o["retransmissions"] != ex["retx"]:
            print(f"FAIL {label}: {name}: {o['retransmissions']} retransmissions, tshark "
                  f"{ex['retx']} (tcp.analysis.retransmission)")
            retx_bad += 1
    extra = set(flows) - set(conv)
    if extra:
        print(f"FAIL {label}: flows tshark does not have: {[sorted(k[1]) for k in extra]}")
        bad += 1
    n_tcp = sum(1 for k in conv if k[0] == "tcp")
    n_udp = len(conv) - n_tcp
    if not bad:
        print(f"PASS {label}: {n_tcp} TCP and {n_udp} UDP conversations equal tshark's")
    if not retx_bad:
        print(f"PASS {label}: retransmissions per connection equal tshark's")


for i in range(2, len(sys.argv), 2):
    compare(sys.argv[i], sys.argv[i + 1])
