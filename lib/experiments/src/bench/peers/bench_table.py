#!/usr/bin/env python3
"""Builds bench-results/bench.md from the RESULT lines of a bench run and prints one
`RATIO <set> <FastGN first-run time / best peer time>` line per set (standard library only).

Usage: bench_table.py RESULTS.tsv OUT.md SET [SET ...]
A run "hit" when its objective is at most f*(1 + PEERS_REL_TOL), f* from $PEERS_DATA/<set>_fstar.json.
Best peer = the smallest time among the peers (every peer but fastgn-*) that hit the target; when
none hit, the smallest peer time at its cap: the ratio is then an upper bound (a peer run to the
target takes longer), marked "at most" in the table and "upper-bound" after the RATIO line's number. FastGN's figure is
the median of its plain-array first runs with the vector kernels (each in a fresh JVM); the warm,
Tribuo and scalar figures get their own ratios in bench.md.
"""
import json
import os, re, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import fstar_path, header, load_fstar, REL_TOL


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


def median(values):
    v = sorted(values)
    return v[(len(v) - 1) // 2] if v else float("nan")


def kind(r):
    """The FastGN figure a row belongs to: first, warm, tribuo or scalar (None for a peer)."""
    if not r.get("peer", "").startswith("fastgn"):
        return None
    if r.get("peer") == "fastgn-tribuo":
        return "tribuo"
    if r.get("kernels") == "scalar":
        return "scalar"
    return r.get("mode", "warm")


def fstar_note(s):
    try:
        with open(fstar_path(s)) as f:
            meta = json.load(f)
    except (OSError, ValueError):
        return ""
    keep = [k for k in ("source", "evaluations", "gradient_norm", "relative_decrease_last_100_evaluations",
                        "seconds") if k in meta]
    return "; ".join("%s: %s" % (k, meta[k]) for k in keep)


def heap_lines(s, mine):
    """For a sparse (svmlight) set, the peak heap of FastGN's plain-array runs against the issue-13 budget:
    twice the CSR arrays (float values, as FastGN reads the file) plus O(K d) (in K (d + 1) double vectors)."""
    try:
        h = header(s)
    except (OSError, ValueError):
        return []
    if h.get("format") != "svmlight" or "nnz_train" not in h:
        return []
    mib = 1024.0 * 1024.0
    csr = (8.0 * h["nnz_train"] + 4.0 * (h["ntrain"] + 1)) / mib
    vec = 8.0 * h["K"] * (h["d"] + 1) / mib
    out = []
    for r in mine:
        if kind(r) not in ("first", "warm"):
            continue
        m = re.search(r"peak_heap_mb=([0-9.]+)", r.get("note", ""))
        if m:
            heap = float(m.group(1))
            out.append("Peak heap of FastGN (%s, pools' peak sum, garbage included): %.0f MB = 2 x CSR arrays (%.0f MB)"
                       " + %.1f parameter vectors of K(d+1) doubles (%.0f MB each)." % (
                           kind(r), heap, csr, (heap - 2 * csr) / vec, vec))
    return out


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    tsv, out, sets = sys.argv[1], sys.argv[2], sys.argv[3:]
    rows = parse(tsv)
    md = ["# FastGN bench", "",
          "Time to reach f <= f*(1 + %g) on the training objective mean CE + (1e-4/2)||W||_F^2 (bias unregularised, "
          "raw features); FastGN and its peers measured in the same run on this machine. FastGN runs at its default "
          "options (only l2, standardize=false, full batch and the stop at the target set). Modes: *first* = the "
          "first run in a fresh JVM (sklearn: one run per solver, each in its own process); *warm* = median of the "
          "timed runs after one warm-up in one JVM. Kernels: vector = `java --add-modules jdk.incubator.vector`, "
          "scalar = a plain `java`. Convert = building the entry point's data from the arrays, not in the time. "
          "Passes = reads of the whole feature matrix (products with X; a sample of m rows counts m/n). Peak MB = "
          "peak resident memory of the process (JVM: VmHWM; Python: ru_maxrss), data loading included. On the sparse text "
          "set both sides read the same svmlight files: FastGN's convert is data.Svmlight (plain arrays) or Tribuo's "
          "LibSVMDataSource (Tribuo trainers); tribuo-logistic is Tribuo's LogisticRegressionTrainer at its defaults "
          "(5 AdaGrad epochs, no l2), scored under this objective." % REL_TOL,
          ""]
    for s in sets:
        fstar = load_fstar(s)
        target = fstar * (1 + REL_TOL)
        mine = [r for r in rows if r.get("data") == s]
        for r in mine:
            r["hit"] = fnum(r.get("obj")) <= target
        md += ["## %s (f* = %.10f)" % (s, fstar), ""]
        note = fstar_note(s)
        if note:
            md += ["f*: " + note, ""]
        md += ["| peer | mode | kernels | time to target (s) | convert (s) | passes | s per pass | iterations "
               "| final rel. gap | test acc | peak MB |",
               "|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in mine:
            secs = fnum(r.get("seconds"))
            time_cell = "%.2f" % secs if r["hit"] else "not reached (%.2f s run)" % secs
            per_pass = secs / fnum(r.get("passes")) if fnum(r.get("passes")) > 0 else float("nan")
            md.append("| %s | %s | %s | %s | %s | %s | %.3f | %s | %s | %s | %s |" % (
                r.get("peer"), r.get("mode", "-"), r.get("kernels", "-"), time_cell, r.get("convert_s", "-"),
                r.get("passes", "-"), per_pass, r.get("iters", "-"), r.get("relgap", "-"), r.get("test_acc", "-"),
                r.get("peak_mb", "-")))
        md.append("")
        peers = [r for r in mine if kind(r) is None]
        figures = {}
        for k in ("first", "warm", "tribuo", "scalar"):
            runs = [r for r in mine if kind(r) == k]
            if runs:
                figures[k] = (median([fnum(r["seconds"]) for r in runs]), all(r["hit"] for r in runs), len(runs),
                              median([fnum(r["seconds"]) / fnum(r.get("passes")) for r in runs]))
        if "first" not in figures or not peers:
            md += ["Ratio: not available (%s missing in %s)." % ("FastGN's first run" if "first" not in figures
                                                                 else "peers", tsv), ""]
            print("RATIO %s nan" % s)
            continue
        hit = [r for r in peers if r["hit"]]
        best = min(hit or peers, key=lambda r: fnum(r["seconds"]))
        best_s = fnum(best["seconds"])
        if not hit:
            print("bench_table: %s: no peer reached the target: the ratios divide by the fastest peer's time at its "
                  "cap, upper bounds of the ratios to a peer run to the target" % s, file=sys.stderr)
            md += ["No peer reached the target: the ratios below divide by the fastest peer's time at its cap. A peer "
                   "run to the target takes longer still, so each ratio is an upper bound (FastGN takes at most that "
                   "share of any peer's time); `PEERS_CAP_FACTOR` sets how long the peers may run.", ""]
        labels = {"first": "first run (plain-array API, fresh JVM)", "warm": "warm (plain-array API)",
                  "tribuo": "Tribuo trainer, first run", "scalar": "scalar kernels (plain java), first run"}
        md += ["| FastGN figure | time (s) | / best peer (%s, %.2f s) |" % (best["peer"], best_s), "|---|---|---|"]
        for k, (t, ok, n, _) in figures.items():
            md.append("| %s%s | %s | %.3f%s |" % (labels[k], " (median of %d)" % n if n > 1 else "",
                                                   "%.2f" % t if ok else "not reached (%.2f)" % t, t / best_s,
                                                   "" if ok else " (target not reached)"))
        md.append("")
        first = figures["first"][0]
        for k, what, goal in (("tribuo", "Tribuo / plain-array first run", 1.2), ("scalar", "Scalar / vector first run",
                                                                                   2)):
            if k in figures:
                t, ok, _, per_pass = figures[k]
                md.append("%s: %.2f in time%s, %.2f per pass over the data (target: at most %g)." % (
                    what, t / first, "" if ok and figures["first"][1]
                    else " (a bound only: a run stopped at its cap)", per_pass / figures["first"][3], goal))
        md += heap_lines(s, mine)
        bound = not hit and figures["first"][1]
        md += ["", "**Ratio FastGN first run / best peer (%s): %s%.3f**%s" % (
            best["peer"], "at most " if bound else "", first / best_s,
            "" if figures["first"][1] else " (FastGN did not reach the target)"), ""]
        print("RATIO %s %.3f%s" % (s, first / best_s, " upper-bound" if bound else ""))
    with open(out, "w") as fo:
        fo.write("\n".join(md) + "\n")


if __name__ == "__main__":
    main()
