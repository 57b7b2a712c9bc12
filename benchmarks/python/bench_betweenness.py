"""Exact weighted betweenness, undirected and directed: urbplex vs igraph vs networkx.

Same input in the same run: a street-like random geometric graph (edge
weight: length), and its directed version with both arcs of every edge and
independently perturbed lengths (one-way costs differ). Values are checked
equal to networkx's on the 1 000-node graph, and to igraph's on the large one
up to near-ties: igraph compares path lengths with a tolerance, networkx and
urbplex exactly, so a few vertices in 10^4 may differ where two
paths' lengths agree to ~1e-15. networkx runs on a 1 000-node graph only (it
takes minutes on the large one); its ratio is reported at that size.
Run: .venv/bin/python benchmarks/python/bench_betweenness.py [--n N]
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _timing import median_time, report  # noqa: E402

import urbplex as ux  # noqa: E402


def inputs(n: int, seed: int = 1):
    g = ux.generators.random_geometric(n, mean_degree=6, seed=seed)
    rng = np.random.default_rng(seed)
    s, t = np.asarray(g.edge_sources), np.asarray(g.edge_targets)
    lengths = np.asarray(g.edge("length"))
    both = ux.Graph.from_arrays(np.r_[s, t], np.r_[t, s], n=g.n, directed=True,
                                edge_attrs={"length": np.r_[lengths, lengths] * rng.uniform(0.8, 1.25, 2 * s.size)})
    return {"undirected": g, "directed": both}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5_000)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    import igraph
    import networkx as nx

    print(f"input: random geometric graph, n={args.n}, mean degree 6, OMP threads="
          f"{os.environ.get('OMP_NUM_THREADS', 'all')}")
    rows = []
    for kind, g in inputs(args.n).items():
        w = np.asarray(g.edge("length"))
        ig = igraph.Graph(n=g.n, edges=np.column_stack([g.edge_sources, g.edge_targets]).tolist(), directed=g.directed)
        ours = g.betweenness(weight="length")
        theirs = np.asarray(ig.betweenness(weights=w.tolist(), directed=g.directed))
        differ = int((~np.isclose(ours, theirs, rtol=1e-9, atol=1e-6)).sum())
        assert differ <= g.n // 1000, f"{kind}: {differ} values differ from igraph"
        print(f"{kind}: {differ} of {g.n} vertices differ from igraph (near-ties)")
        task = f"betweenness {kind}, n={g.n}"
        rows.append((task, "urbplex", median_time(lambda: g.betweenness(weight="length"), args.repeat)))
        rows.append((task, "igraph", median_time(lambda: ig.betweenness(weights=w.tolist(), directed=g.directed),
                                                 args.repeat)))
    for kind, g in inputs(1_000).items():
        G = ux.interop.to_networkx(g)
        exact = nx.betweenness_centrality(G, weight="length", normalized=False)
        assert np.allclose(g.betweenness(weight="length"), [exact[k] for k in range(g.n)], rtol=1e-12, atol=1e-9)
        task = f"betweenness {kind}, n={g.n}"
        rows.append((task, "urbplex", median_time(lambda: g.betweenness(weight="length"), args.repeat)))
        rows.append((task, "networkx", median_time(
            lambda: nx.betweenness_centrality(G, weight="length", normalized=False), 1)))
    report("Exact weighted betweenness (median seconds; ratio > 1: urbplex faster)", rows)


if __name__ == "__main__":
    main()
