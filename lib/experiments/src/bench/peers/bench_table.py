#!/usr/bin/env python3
"""Builds bench-results/bench.md from the RESULT lines of a bench run and prints one
`RATIO <set> <FastGN time / best peer time>` line per set (standard library only).

Usage: bench_table.py RESULTS.tsv OUT.md SET [SET ...]
A run "hit" when its objective is at most f*(1 + PEERS_REL_TOL), f* from $PEERS_DATA/<set>_fstar.json.
Best peer = the smallest time among the peers (every peer but fastgn-*) that hit the target; when
none hit, the smallest peer time, and the ratio is marked as such in the table.
"""
import re
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import load_fstar, REL_TOL


def parse(path):
    rows = []
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if parts[0] != "RESULT":
                continue
            rows.append(dict(p.split("=", 1) for p in parts[1:] if "=" in p))
    return rows


def fnum(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    tsv, out, sets = sys.argv[1], sys.argv[2], sys.argv[3:]
    rows = parse(tsv)
    md = ["# FastGN bench", "",
          "Time to reach f <= f*(1 + %g) on the training objective mean CE + (1e-4/2)||W||_F^2 (bias unregularised, "
          "raw features); FastGN and its peers measured in the same run on this machine. FastGN: median of the timed "
          "runs after one warm-up in the same JVM; sklearn: one run per solver, each in its own process. Peak MB is "
          "the process peak resident memory (data included)." % REL_TOL, ""]
    ratios = []
    for s in sets:
        fstar = load_fstar(s)
        target = fstar * (1 + REL_TOL)
        mine = [r for r in rows if r.get("data") == s]
        for r in mine:
            r["hit"] = fnum(r.get("obj")) <= target
        md += ["## %s (f* = %.10f)" % (s, fstar), "",
               "| peer | time to target (s) | iterations | final rel. gap | test acc | peak MB |",
               "|---|---|---|---|---|---|"]
        for r in mine:
            secs = fnum(r.get("seconds"))
            time_cell = "%.2f" % secs if r["hit"] else "not reached (%.2f s run)" % secs
            md.append("| %s | %s | %s | %s | %s | %s |" % (r.get("peer"), time_cell, r.get("iters", "-"),
                                                           r.get("relgap", "-"), r.get("test_acc", "-"),
                                                           r.get("peak_mb", "-")))
        fast = [r for r in mine if r.get("peer", "").startswith("fastgn")]
        peers = [r for r in mine if not r.get("peer", "").startswith("fastgn")]
        md.append("")
        for r in fast:
            m = re.search(r"after 1 warm-up \(([0-9.]+) s", r.get("note", ""))
            if m:
                md += ["FastGN's untimed first run in the same JVM (JIT compilation of the kernels included): "
                       "%s s." % m.group(1), ""]
        if not fast or not peers:
            md += ["Ratio: not available (%s missing in %s)." % ("FastGN" if not fast else "peers", tsv), ""]
            print("RATIO %s nan" % s)
            ratios.append(None)
            continue
        hit = [r for r in peers if r["hit"]]
        best = min(hit or peers, key=lambda r: fnum(r["seconds"]))
        f = fast[-1]
        ratio = fnum(f["seconds"]) / fnum(best["seconds"])
        notes = []
        if not hit:
            notes.append("no peer reached the target: the ratio is against the fastest peer's time anyway")
        if not f["hit"]:
            notes.append("FastGN did not reach the target")
        for note in notes:
            print("bench_table: %s: %s" % (s, note), file=sys.stderr)
        md += ["**Ratio FastGN / best peer (%s): %.3f**%s" % (best["peer"], ratio,
                                                            " (" + "; ".join(notes) + ")" if notes else ""), ""]
        print("RATIO %s %.3f" % (s, ratio))
    with open(out, "w") as fo:
        fo.write("\n".join(md) + "\n")


if __name__ == "__main__":
    main()
