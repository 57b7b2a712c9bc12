"""Doubly constrained flows: urbplex's Anderson-accelerated Furness vs AequilibraE's IPF kernel.

Same input for both, in the same run: the lon/lat tessellation of
bench_mobility.py, seed F_ij = exp(-d_ij / d0) (no self-flows), row totals
the tile relevance and column totals a seeded permutation of it. A small d0
makes F nearly block-diagonal, the case where plain proportional fitting
needs thousands of sweeps. AequilibraE (pip install aequilibrae) runs its
compiled ipf_core (the kernel behind aequilibrae.distribution.Ipf) on 2 threads
to its own tolerance (largest row/column factor - 1); urbplex runs
ux.mobility.furness to the same tolerance on the column margins (rows exact).
Both results' largest relative margin errors are printed, so the accuracy
reached is compared, not only the time. Also timed: the doubly constrained
gravity fit (Poisson ML for the exponential deterrence) on flows drawn from
the radiation model, which has no plain-Furness peer to compare against.

Run: .venv/bin/python benchmarks/python/bench_balancing.py [--sides 20 35 50] [--tol 1e-10]
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _timing import median_time, report  # noqa: E402
from bench_mobility import tessellation  # noqa: E402

import urbplex as ux  # noqa: E402
from urbplex import _core  # noqa: E402


def margin_error(m, rows, cols):
    return max(np.max(np.abs(m.sum(axis=1) - rows) / rows), np.max(np.abs(m.sum(axis=0) - cols) / cols))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sides", type=int, nargs="+", default=[20, 35, 50])
    ap.add_argument("--d0", type=float, nargs="+", default=[2.0, 5.0], help="deterrence length (km)")
    ap.add_argument("--tol", type=float, default=1e-10)
    args = ap.parse_args()
    try:
        from aequilibrae.distribution.cython.ipf_core import ipf_core
    except ImportError:
        ipf_core = None
        print("AequilibraE not installed: urbplex timings only")

    rows_out = []
    for side in args.sides:
        lon, lat, rel, _ = tessellation(side)
        locs = ux.mobility.Locations(lon, lat, rel, metric="haversine")
        L = side * side
        d = locs.distance_matrix()  # great-circle km, as the flow models use them
        cols = np.random.default_rng(1).permutation(rel).astype(float)
        rows = rel.astype(float)
        for d0 in args.d0:
            F = np.exp(-d / d0)
            np.fill_diagonal(F, 0.0)
            flat = np.ascontiguousarray(F.ravel())
            task = f"IPF L={L} d0={d0:g} km"
            ours = {}

            def run_ours():
                ours["m"], ours["sweeps"] = _core.furness(flat, L, rows, cols, args.tol, 1_000_000)

            rows_out.append((task, "urbplex", median_time(run_ours, repeat=5)))
            err = margin_error(ours["m"].reshape(L, L), rows, cols)
            line = f"{task}: urbplex {ours['sweeps']} sweeps, margin error {err:.1e}"
            if ipf_core is not None:
                theirs = {}

                def run_theirs():
                    m = F.copy()
                    theirs["it"], theirs["gap"] = ipf_core(m, rows, cols, max_iterations=1_000_000,
                                                           tolerance=args.tol, cores=2, warn=False)
                    theirs["m"] = m

                rows_out.append((task, "aequilibrae", median_time(run_theirs, repeat=3)))
                line += (f"; AequilibraE {theirs['it'] + 1} sweeps, margin error "
                         f"{margin_error(theirs['m'], rows, cols):.1e}")
            print(line, flush=True)

        observed = np.random.default_rng(2).poisson(ux.mobility.radiation(locs).matrix).astype(float)
        fit = {}
        t = median_time(lambda: fit.update(f=ux.mobility.fit_gravity(locs, observed, constraint="doubly",
                                                                      deterrence="exponential")), repeat=3)
        print(f"doubly constrained gravity fit, L={L}: {t:.3f} s, gamma = {fit['f'].params['gamma']:.5f} /km, "
              f"{int(fit['f'].data['iterations'][0])} balancings", flush=True)
    report("Matrix balancing to the same tolerance (ratio = AequilibraE / urbplex)", rows_out)


if __name__ == "__main__":
    main()
