"""Given-order sweeps vs the ensemble path, per sweep (issue 17).

Same graphs in the same run: bond percolation on an Erdős–Rényi graph
(n = 2*10^5, <k> = 5) and site percolation on a 512^2 torus. ``sweep`` with
one order per call, ``sweep`` with 20 orders in one call (swept in parallel in
C++), and ``bond``/``site`` with 20 realizations (orders drawn in C++), each
divided by 20. Medians of 5.
Run: .venv/bin/python benchmarks/python/bench_sweep.py
"""
from __future__ import annotations

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _timing import median_time  # noqa: E402

import urbplex as ux  # noqa: E402


def main() -> None:
    cases = [("ER 2e5 bond", ux.generators.erdos_renyi(200_000, p=5 / 200_000, seed=1), "bond"),
             ("torus 512^2 site", ux.generators.square_lattice(512, 512, periodic=True), "site")]
    print(f"OMP threads: {os.environ.get('OMP_NUM_THREADS', 'all')}")
    print(f"{'case':18s} {'one order/call':>15s} {'20 orders/call':>15s} {'ensemble':>10s} {'ensemble/20-orders':>19s}")
    for name, g, kind in cases:
        n = g.m if kind == "bond" else g.n
        orders = np.array([np.random.default_rng(s).permutation(n) for s in range(20)], dtype=np.uint32)
        one = median_time(lambda: ux.percolation.sweep(g, orders[0], kind=kind), 5)
        many = median_time(lambda: ux.percolation.sweep(g, orders, kind=kind), 5) / 20
        ens = median_time(lambda: getattr(ux.percolation, kind)(g, realizations=20, seed=1), 5) / 20
        print(f"{name:18s} {one * 1e3:13.1f}ms {many * 1e3:13.1f}ms {ens * 1e3:8.1f}ms {ens / many:19.2f}")


if __name__ == "__main__":
    main()
