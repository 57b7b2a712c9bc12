"""Graph construction from numpy and connected components: urbplex vs igraph vs networkx.

Same input (10^6 nodes, 5*10^6 uniformly random edges, seed 1), same run,
medians of repeated runs (networkx once: it takes tens of seconds).
Run: .venv/bin/python benchmarks/python/bench_graph.py [--n N --m M]
"""
from __future__ import annotations

import argparse
import os
import resource
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _timing import median_time, report  # noqa: E402

import urbplex as ux  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--m", type=int, default=5_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--skip-networkx", action="store_true")
    args = ap.parse_args()
    rng = np.random.default_rng(1)
    src = rng.integers(0, args.n, args.m, dtype=np.int64)
    dst = rng.integers(0, args.n, args.m, dtype=np.int64)
    print(f"input: n={args.n}, m={args.m}, OMP threads={os.environ.get('OMP_NUM_THREADS', 'all')}")

    rows = []
    rows.append(("build from numpy", "urbplex",
                 median_time(lambda: ux.Graph.from_arrays(src, dst, n=args.n), args.repeat)))
    g = ux.Graph.from_arrays(src, dst, n=args.n)
    rows.append(("connected components", "urbplex", median_time(g.components, args.repeat)))
    print(f"urbplex topology: {g.memory_bytes() / 2**20:.1f} MiB = {g.memory_bytes() / (2 * g.m):.2f} bytes per arc")

    import igraph

    edges = np.column_stack([src, dst])
    rows.append(("build from numpy", "igraph",
                 median_time(lambda: igraph.Graph(n=args.n, edges=edges), args.repeat)))
    ig = igraph.Graph(n=args.n, edges=edges)
    rows.append(("connected components", "igraph", median_time(lambda: ig.connected_components(), args.repeat)))
    sizes_ig = sorted(ig.connected_components().sizes(), reverse=True)
    assert sizes_ig == sorted(g.components().sizes.tolist(), reverse=True), "component sizes differ"
    del ig

    if not args.skip_networkx:
        import networkx as nx

        def nx_build():
            G = nx.Graph()
            G.add_nodes_from(range(args.n))
            G.add_edges_from(zip(src.tolist(), dst.tolist()))
            return G

        rows.append(("build from numpy", "networkx", median_time(nx_build, 1)))
        G = nx_build()
        rows.append(("connected components", "networkx",
                     median_time(lambda: max(len(c) for c in nx.connected_components(G)), 1)))
        del G

    report("Graph construction and components (median seconds; ratio > 1: urbplex faster)", rows)
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB")


if __name__ == "__main__":
    main()
