"""Modularity communities: urbplex (Louvain / Leiden, parallel local moving)
vs NetworKit PLM (Staudt & Meyerhenke 2016, pip networkit) and igraph's
multilevel and Leiden, on the same graphs in the same run. Reports medians
and the modularity each reaches.

Run: .venv/bin/python benchmarks/python/bench_communities.py [--n 1000000]
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _timing import median_time, report  # noqa: E402

import urbplex as ux  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    graphs = {f"RGG n={args.n:.0e} <k>=8": ux.generators.random_geometric(args.n, mean_degree=8, seed=1),
              f"BA n={args.n // 10:.0e} m=4": ux.generators.barabasi_albert(args.n // 10, 4, seed=1)}
    rows, quality = [], []
    for name, g in graphs.items():
        res = {}
        for method in ("louvain", "leiden"):
            t = median_time(lambda: res.__setitem__(method, ux.multiscale.communities(g, method=method, seed=1)),
                            args.repeat)
            rows.append((f"{name}", f"urbplex-{method[:3]}", t))
            quality.append((name, f"urbplex {method}", res[method].data["modularity"][-1]))
        try:
            import networkit as nk

            nk.setNumberOfThreads(os.cpu_count())
            ng = nk.graph.Graph(g.n)
            for s, t_ in zip(g.edge_sources.tolist(), g.edge_targets.tolist()):
                ng.addEdge(s, t_)
            box = {}

            def plm():
                box["p"] = nk.community.detectCommunities(ng, algo=nk.community.PLM(ng, refine=False), inspect=False)

            rows.append((name, "networkit", median_time(plm, args.repeat)))
            quality.append((name, "networkit PLM", nk.community.Modularity().getQuality(box["p"], ng)))
        except ImportError:
            print("networkit not installed")
        ig_graph = g.to_igraph()
        box = {}
        rows.append((name, "igraph", median_time(lambda: box.__setitem__("m", ig_graph.community_multilevel()),
                                                 args.repeat)))
        quality.append((name, "igraph multilevel", box["m"].modularity))
        rows.append((name, "igraph-lei", median_time(
            lambda: box.__setitem__("l", ig_graph.community_leiden(objective_function="modularity", n_iterations=2)),
            args.repeat)))
        quality.append((name, "igraph leiden (2 it.)", ig_graph.modularity(box["l"].membership)))
    report("Communities (ratio = peer / urbplex-lou)", [(t, lib, s) for t, lib, s in rows], ours="urbplex-lou")
    print("\nmodularity reached")
    for name, lib, q in quality:
        print(f"  {name:24s} {lib:24s} Q = {q:.4f}")


if __name__ == "__main__":
    main()
