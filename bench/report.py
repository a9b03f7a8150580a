#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Turns bench/run.sh's raw results (TSV: scenario case tool rep key value) into the tables of
medians and procap/reference ratios that bench/README.md quotes. Standard library only."""
import collections
import statistics
import sys

rows = collections.defaultdict(dict)  # (scen, case, tool, rep) -> {key: float}


def load(path):
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 6 or parts[5] == "":
                continue
            scen, case, tool, rep, key, val = parts
            try:
                rows[(scen, case, tool, rep)][key] = float(val)
            except ValueError:
                pass


def per_rep(scen, case, tool, fn):
    """fn(values of one repetition) for every repetition that has what fn needs."""
    out = []
    for (s, c, t, _), v in rows.items():
        if (s, c, t) == (scen, case, tool):
            try:
                out.append(fn(v))
            except (KeyError, ZeroDivisionError):
                pass
    return out


def med(scen, case, tool, fn):
    vals = per_rep(scen, case, tool, fn)
    return statistics.median(vals) if vals else None


def fmt(v, spec):
    return "-" if v is None else format(v, spec)


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def pct(r):
    return None if r is None else 100 * r


def flood_table(scen, case, base_case, ref, ours, title, offered_key="sent", extra=()):
    """ref, ours and the extra tools side by side; a ratio column per tool after ref: it / ref
    (and the last over ours when there are extra tools)."""
    base = med(scen, base_case, "none", lambda v: v["pps"])
    base_cpu = med(scen, base_case, "none", lambda v: v["gen_cpu_s"] * 1e6 / v["sent"])
    tools = [ref, ours] + list(extra)
    pairs = [(t, ref) for t in tools[1:]] + ([(tools[-1], ours)] if extra else [])
    w1, w2 = (16, 26) if extra else (14, 22)
    if base is None and all(med(scen, case, t, lambda v: v["pps"]) is None for t in tools):
        return
    print("\n" + title + "   (no capture: %s pps, %s us CPU per packet)" %
          (fmt(base, ".0f"), fmt(base_cpu, ".3f")))
    print("  %-34s" % "metric" + "".join("%*s" % (w1, t) for t in tools) +
          "".join("%*s" % (w2, a + "/" + b) for a, b in pairs))
    metrics = [
        ("sender rate kept (% of none)", ".1f",
         lambda t: pct(ratio(med(scen, case, t, lambda v: v["pps"]), base))),
        ("sender CPU us per packet", ".3f",
         lambda t: med(scen, case, t, lambda v: v["gen_cpu_s"] * 1e6 / v["sent"])),
        ("  rate kept if CPU-bound (%)", ".1f",
         lambda t: pct(ratio(base_cpu, med(scen, case, t,
                                           lambda v: v["gen_cpu_s"] * 1e6 / v["sent"])))),
        ("captured / %s (%%)" % ("matching sent" if offered_key == "matched" else "sent"), ".2f",
         lambda t: med(scen, case, t, lambda v: 100 * v["captured"] / v[offered_key])),
        ("kernel drops (packets)", ".0f", lambda t: med(scen, case, t, lambda v: v["drops"])),
        ("CPU s per M offered packets", ".3f",
         lambda t: med(scen, case, t, lambda v: v["cpu_s"] * 1e6 / v["sent"])),
        ("peak RSS VmHWM (MiB)", ".1f", lambda t: med(scen, case, t, lambda v: v["hwm_kb"] / 1024)),
        ("file bytes per captured packet", ".1f",
         lambda t: med(scen, case, t, lambda v: v["file_bytes"] / v["captured"])),
    ]
    for name, spec, fn in metrics:
        vals = {t: fn(t) for t in tools}
        print("  %-34s" % name + "".join("%*s" % (w1, fmt(vals[t], spec)) for t in tools) +
              "".join("%*s" % (w2, fmt(ratio(vals[a], vals[b]), ".2f")) for a, b in pairs))


def same_flood(scen, case):
    """tcpdump-same and procap-same captured one flood at once (run.sh together): the ratio of
    their CPU is taken within each repetition, where both met the same host speed."""
    reps = sorted({r for (s, c, t, r) in rows if (s, c, t) == (scen, case, "procap-same")})
    cpu = {}
    for r in reps:
        a = rows.get((scen, case, "tcpdump-same", r), {})
        b = rows.get((scen, case, "procap-same", r), {})
        if a.get("cpu_s") and b.get("cpu_s") and a.get("sent"):
            cpu[r] = (a["cpu_s"] * 1e9 / a["sent"], b["cpu_s"] * 1e9 / b["sent"],
                      a.get("drops", 0) + b.get("drops", 0))
    if not cpu:
        return
    ratios = [b / a for a, b, _ in cpu.values()]
    print("\nScenario 1: 64-byte frames, snaplen 128, tcpdump and procap capturing the same flood "
          "at once on one CPU")
    print("  %-34s%14s%14s%22s" % ("repetition", "tcpdump ns", "procap ns", "procap/tcpdump"))
    for r in sorted(cpu, key=int):
        a, b, d = cpu[r]
        print("  %-34s%14.0f%14.0f%22.2f%s" % (r, a, b, b / a, "  (drops %d)" % d if d else ""))
    print("  %-34s%50.2f" % ("median ratio", statistics.median(ratios)))
    print("  %-34s%50s" % ("range", "%.2f-%.2f" % (min(ratios), max(ratios))))


def main():
    load(sys.argv[1])
    for size in ("64", "1400"):
        for snap in ("128", "full"):
            flood_table("1", "%s-s%s" % (size, snap), size, "tcpdump", "procap",
                        "Scenario 1: -w file, %s-byte frames, snaplen %s" % (size, snap))
    same_flood("1", "64-s128")
    flood_table("2", "64-1pct", "64-1pct", "tcpdump", "procap",
                "Scenario 2: filter 'udp port 443' matching 1% of a 64-byte flood",
                offered_key="matched")
    flood_table("2", "64-nomatch", "64-nomatch", "tcpdump", "procap",
                "Scenario 2b: filter 'tcp port 443' on a 64-byte UDP flood (nothing matches)")
    for ref in ("tcpdump", "procap"):
        flood_table("6", "64-s128", "64-s128", ref, ref + "-U",
                    "Scenario 6: cost of -U (a write per packet), %s, 64-byte frames, snaplen 128"
                    % ref)
    idle = {t: rows.get(("2", "idle", t, "1")) for t in ("tcpdump", "procap")}
    if all(idle.values()):
        print("  idle (no packets): tcpdump %s ms CPU/s, procap %s ms CPU/s, while the machine"
              " created %s processes/s" % (fmt(idle["tcpdump"].get("cpu_ms_per_s"), ".2f"),
                                           fmt(idle["procap"].get("cpu_ms_per_s"), ".2f"),
                                           fmt(idle["procap"].get("forks_per_s"), ".0f")))
        print("  exec load (no packets): tcpdump %s us CPU, procap %s us CPU per process created"
              % (fmt(idle["tcpdump"].get("cpu_us_per_exec"), ".2f"),
                 fmt(idle["procap"].get("cpu_us_per_exec"), ".2f")))
    flood_table("3", "64-xdp", "64-xdp", "xdpdump", "procap-xdp",
                "Scenario 3: XDP ingress on the receiving veth, 64-byte flood")
    flood_table("7", "tcp-s128", "tcp-s128", "tcpdump", "procap",
                "Scenario 7: --tcpinfo, bulk TCP (iperf3, 1448-byte segments), -w file, snaplen 128",
                extra=("procap-tcpinfo",))

    wall = lambda v: v["wall_s"]
    if med("4", "text", "tcpdump", wall) is not None:
        print("\nScenario 4a: replay, text to /dev/null (-n -r big.pcap); speed = tcpdump / procap")
        print("  %-14s%12s%12s%14s%12s%12s" % ("tool", "wall s", "CPU s", "packets/s", "speed",
                                             "CPU speed"))
        tw = med("4", "text", "tcpdump", wall)
        tc = med("4", "text", "tcpdump", lambda v: v["cpu_s"])
        for t in ("tcpdump", "procap", "procap-flows"):
            w = med("4", "text", t, wall)
            c = med("4", "text", t, lambda v: v["cpu_s"])
            pk = med("4", "text", t, lambda v: v["packets"])
            print("  %-14s%12s%12s%14s%12s%12s" % (
                t, fmt(w, ".3f"), fmt(c, ".3f"), fmt(ratio(pk, w), ".0f"),
                fmt(ratio(tw, w), ".2f") + "x", fmt(ratio(tc, c), ".2f") + "x"))
        chk = rows.get(("4", "text", "check", "1"), {})
        if chk:
            print("  lines differing from tcpdump's: %d of %d" %
                  (chk.get("lines_differing", -1), chk.get("lines_tcpdump", -1)))
    if med("4", "sni", "tshark", wall) is not None:
        print("\nScenario 4b: SNI extraction from a TLS-heavy pcap; speed = tshark / tool")
        print("  %-16s%12s%12s%14s%10s%10s%12s" % ("tool", "wall s", "CPU s", "hellos/s", "SNIs",
                                                 "speed", "CPU speed"))
        tw = med("4", "sni", "tshark", wall)
        tc = med("4", "sni", "tshark", lambda v: v["cpu_s"])
        for t in ("tshark", "procap-summary", "procap-json"):
            w = med("4", "sni", t, wall)
            c = med("4", "sni", t, lambda v: v["cpu_s"])
            n = med("4", "sni", t, lambda v: v["hellos"])
            print("  %-16s%12s%12s%14s%10s%10s%12s" % (
                t, fmt(w, ".3f"), fmt(c, ".3f"), fmt(ratio(n, w), ".0f"),
                fmt(med("4", "sni", t, lambda v: v["sni_found"]), ".0f"),
                fmt(ratio(tw, w), ".1f") + "x", fmt(ratio(tc, c), ".1f") + "x"))

    cases = sorted({c for (s, c, _, _) in rows if s == "5" and c.startswith("flows-")},
                   key=lambda c: int(c.split("-")[1]))
    if cases:
        print("\nScenario 5a: peak RSS replaying N distinct half-ClientHello flows (MiB)")
        tools = ("procap-summary", "procap-json", "procap-flows", "tshark")
        print("  %-16s" % "flows" + "".join("%16s" % t for t in tools))
        for c in cases:
            print("  %-16s" % c.split("-")[1] + "".join(
                "%16s" % fmt(med("5", c, t, lambda v: v["maxrss_kb"] / 1024), ".1f")
                for t in tools))
    soak = {t: v for t in ("tcpdump", "procap") if (v := rows.get(("5", "soak", t, "1")))}
    if soak:
        print("\nScenario 5b: live text capture to /dev/null, 1M distinct flows: RSS (MiB)")
        times = sorted({int(k[4:-4]) for v in soak.values() for k in v
                        if k.startswith("rss_") and k[4:-4].isdigit()})
        if len(times) > 10:  # long soaks: ten evenly spaced samples
            times = [times[(len(times) - 1) * i // 9] for i in range(10)]
        keys = [("start", "rss_start_kb")] + [("%ds" % t, "rss_%ds_kb" % t) for t in times] + \
            [("end", "rss_end_kb"), ("peak (VmHWM)", "hwm_kb")]
        print("  %-14s" % "sample" + "".join("%12s" % t for t in soak))
        for label, k in keys:
            print("  %-14s" % label + "".join(
                "%12s" % fmt(v[k] / 1024 if k in v else None, ".1f") for v in soak.values()))
        for label, k, spec in (("packets sent", "sent", ".0f"), ("kernel drops", "drops", ".0f"),
                               ("CPU s", "cpu_s", ".2f")):
            print("  %-14s" % label + "".join("%12s" % fmt(v.get(k), spec) for v in soak.values()))

if __name__ == "__main__":
    main()
