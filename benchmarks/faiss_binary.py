#!/usr/bin/python3
"""Faiss 1.7.3 (Debian python3-faiss) on the codes ScaleBenchmark wrote: the reference of issue "Scale".

Usage: faiss_binary.py <dir with codes.u8 and queries.u8> <bits> <substrings m ...>

One thread, one query per call (as a search engine answers them). For each radius, IndexBinaryFlat's range search is
the exact reference; IndexBinaryMultiHash with m tables of floor(bits/m) bits and nflip = floor(r/m) (the least that makes it
exact by the pigeonhole argument) must return the same number of results. Top 10 from the flat index only
(MultiHash's k-NN search is not exact). Prints one JSON object a line.
"""
import json
import sys
import time

import faiss
import numpy as np


def per_query(fn, queries, repeat_for=2.0):
    """Average seconds per single-query call, cycling over the queries for about repeat_for seconds."""
    fn(queries[:1])  # warm up
    calls, start = 0, time.perf_counter()
    while True:
        fn(queries[calls % len(queries):calls % len(queries) + 1])
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed > repeat_for and calls >= len(queries):
            return elapsed / calls


def counts(index, queries, radius):
    # faiss's binary range search keeps distances strictly below its radius
    lims, _, _ = index.range_search(queries, radius + 1)
    return np.diff(lims)


def main():
    root, bits, ms = sys.argv[1], int(sys.argv[2]), [int(m) for m in sys.argv[3:]]
    faiss.omp_set_num_threads(1)
    nbytes = bits // 8
    codes = np.fromfile(f"{root}/codes.u8", dtype=np.uint8).reshape(-1, nbytes)
    queries = np.fromfile(f"{root}/queries.u8", dtype=np.uint8).reshape(-1, nbytes)
    flat = faiss.IndexBinaryFlat(bits)
    flat.add(codes)
    out = {"dir": root, "n": len(codes), "bits": bits}
    print(json.dumps({**out, "index": "flat", "query": "top-10",
                      "us": 1e6 * per_query(lambda q: flat.search(q, 10), queries)}), flush=True)
    for radius in (0, 1, 2, 3, 6):
        reference = counts(flat, queries, radius)
        us = 1e6 * per_query(lambda q: flat.range_search(q, radius + 1), queries)
        print(json.dumps({**out, "index": "flat", "query": f"radius {radius}", "us": us,
                          "results": int(reference.sum())}), flush=True)
        for m in ms:
            b = bits // m  # m tables of b bits; m * b may fall short of bits (3 x 21 of 64): still exact
            start = time.perf_counter()
            mih = faiss.IndexBinaryMultiHash(bits, m, b)
            mih.add(codes)
            built = time.perf_counter() - start
            mih.nflip = radius // m
            same = bool((counts(mih, queries, radius) == reference).all())
            us = 1e6 * per_query(lambda q: mih.range_search(q, radius + 1), queries)
            print(json.dumps({**out, "index": f"multihash {m}x{b} nflip {mih.nflip}", "query": f"radius {radius}",
                              "us": us, "identical": same, "build_s": built}), flush=True)
            del mih


if __name__ == "__main__":
    main()
