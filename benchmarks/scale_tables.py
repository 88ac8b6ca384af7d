#!/usr/bin/python3
"""Markdown tables for BENCHMARKS.md from one bin/bench-scale run: scale_tables.py <day> [benchmarks dir].

The HNSW stage (scale-hnsw-<day>.json, with its own scan) is left out; BENCHMARKS.md tables it separately.

Per code set (l bits x n, random | clustered) and query (top 10, radius r): the scan, multi-index hashing forced and
as the cost model chooses for each m (µs per query, JMH average), their ratios to the scan measured in the same run,
and Faiss's flat and multi-hash indexes on the same codes (from scale-faiss-<day>.jsonl) where present.
"""
import json
import sys
from collections import defaultdict
from pathlib import Path

day = sys.argv[1]
root = Path(sys.argv[2] if len(sys.argv) > 2 else Path(__file__).parent)
rows = defaultdict(dict)  # (size, codes, radius) -> {column: (score, error)}
ms = defaultdict(set)
for f in sorted(root.glob(f"scale-*-{day}.json")):
    if f.name.startswith("scale-hnsw-"):
        continue  # the HNSW stage's own scan of 1M codes: tabled beside HNSW, not here
    for r in json.loads(f.read_text() or "[]"):
        p = r["params"]
        method = r["benchmark"].rsplit(".", 1)[1]
        key = (p["size"], p["codes"], int(p["radius"]))
        column = method if method in ("scan", "hnsw") else f"{method} m={p['substrings']}"
        if method not in ("scan", "hnsw"):
            ms[p["size"]].add(int(p["substrings"]))
        rows[key][column] = (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"])
faiss = defaultdict(dict)
faiss_file = root / f"scale-faiss-{day}.jsonl"
if faiss_file.exists():
    for line in faiss_file.read_text().splitlines():
        r = json.loads(line)
        codes = "random" if "random" in r["dir"] else "clustered"
        size = f"{r['bits']}:{r['n']}"
        radius = -1 if r["query"] == "top-10" else int(r["query"].split()[1])
        label = "Faiss flat" if r["index"] == "flat" else "Faiss " + r["index"].replace("multihash ", "")
        if r.get("identical") is False:
            label += " (NOT identical)"
        faiss[(size, codes, radius)][label] = r["us"]


def fmt(v):
    return "–" if v is None else (f"{v:,.0f}" if v >= 100 else f"{v:.1f}")


for size in sorted({k[0] for k in rows}, key=lambda s: -int(s.split(":")[1])):
    bits, n = size.split(":")
    for codes in ("random", "clustered"):
        keys = sorted(k for k in rows if k[0] == size and k[1] == codes)
        if not keys:
            continue
        print(f"\n**{int(n):,} codes of {bits} bits, {codes}** (µs per query; ratio to the scan in brackets)\n")
        cols = [f"{meth} m={m}" for m in sorted(ms[size]) for meth in ("mih", "auto")]
        fcols = sorted({c for k in keys for c in faiss.get(k, {})})
        headers = ["query", "scan"] + [c.replace("mih", "MIH").replace("auto", "cost model") for c in cols] + fcols
        print("| " + " | ".join(headers) + " |")
        print("| --- |" + " ---: |" * (1 + len(cols) + len(fcols)))
        for k in keys:
            scan = rows[k].get("scan", (None, None))[0]
            cells = [fmt(scan)]
            for c in cols:
                v = rows[k].get(c, (None, None))[0]
                cells.append(fmt(v) + (f" ({v / scan:.2f})" if v is not None and scan else ""))
            for c in fcols:
                cells.append(fmt(faiss.get(k, {}).get(c)))
            q = "top 10" if k[2] < 0 else f"radius {k[2]}"
            print(f"| {q} | " + " | ".join(cells) + " |")
