"""Mobility: urbplex vs scikit-mobility (Pappalardo et al., J. Stat. Softw. 2022) on the same tessellation.

Square tiles around (10E, 45N), relevance from a Pareto law (seeded). Both
sides: singly constrained gravity with d^-2 deterrence and radiation (flows
to every destination), and d-EPR agents (exploration by gravity, preferential
return, Song et al. waiting times). scikit-mobility runs in its own venv
(it pins pandas/numpy/shapely 1.x; see requirements-skmob.txt), driven from
this script in the same run; its time includes only its generate() calls.
EPR is compared per agent-step; then 10^6 agents x 1000 steps are run with
summaries only, and the peak memory is reported.

Run: .venv/bin/python benchmarks/python/bench_mobility.py [--skmob .venv-skmob/bin/python] [--no-large]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _timing import median_time, report  # noqa: E402

import urbplex as ux  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def tessellation(side: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    h = 0.01  # half side in degrees (~1.6 km x 2.2 km tiles)
    g = np.arange(side) * 2 * h
    lon, lat = np.meshgrid(10 + g, 45 + g)
    rel = np.floor(rng.pareto(1.1, side * side) * 100 + 10)
    return lon.ravel(), lat.ravel(), rel, h


def run_skmob(python, lon, lat, rel, h, agents, days):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "tess.npz")
        np.savez(path, lon=lon, lat=lat, relevance=rel, half_side=h)
        out = subprocess.run([python, os.path.join(HERE, "_skmob_worker.py"), path, str(agents), str(days)],
                             capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--skmob", default=os.path.join(HERE, "..", "..", ".venv-skmob", "bin", "python"))
    ap.add_argument("--sides", type=int, nargs="+", default=[20, 35])
    ap.add_argument("--skmob-agents", type=int, default=20)
    ap.add_argument("--days", type=float, default=30)
    ap.add_argument("--no-large", action="store_true")
    args = ap.parse_args()
    have_skmob = os.path.exists(args.skmob)
    if not have_skmob:
        print(f"scikit-mobility interpreter not found at {args.skmob}: urbplex timings only")

    rows = []
    for side in args.sides:
        lon, lat, rel, h = tessellation(side)
        L = side * side
        locs = ux.mobility.Locations(lon, lat, rel, metric="haversine")
        rows.append((f"gravity singly L={L}", "urbplex",
                     median_time(lambda: ux.mobility.gravity(locs, constraint="origin", gamma=2.0, outflows=rel))))
        rows.append((f"radiation L={L}", "urbplex", median_time(lambda: ux.mobility.radiation(locs, outflows=rel))))
        sk = run_skmob(args.skmob, lon, lat, rel, h, args.skmob_agents, args.days) if have_skmob else None
        if sk:
            rows.append((f"gravity singly L={L}", "skmob", sk["gravity_s"]))
            rows.append((f"radiation L={L}", "skmob", sk["radiation_s"]))
            steps_per_agent = (sk["epr_records"] - sk["epr_agents"]) / sk["epr_agents"]
            skmob_per_step = sk["epr_s"] / (sk["epr_records"] - sk["epr_agents"])
        else:
            steps_per_agent, skmob_per_step = 170, float("nan")
        steps = max(1, int(round(steps_per_agent)))
        agents = 20_000
        t = median_time(lambda: ux.mobility.epr(locs, agents=agents, steps=steps, seed=1, record=True), repeat=3)
        ours_per_step = t / (agents * steps)
        rows.append((f"d-EPR per agent-step L={L}", "urbplex", ours_per_step))
        if sk:
            rows.append((f"d-EPR per agent-step L={L}", "skmob", skmob_per_step))
        print(f"L={L}: d-EPR {agents} agents x {steps} steps (skmob: {args.skmob_agents} agents, {args.days} days, "
              f"{steps_per_agent:.0f} steps each): urbplex {1 / ours_per_step:.3g} agent-steps/s "
              f"({1 / ours_per_step / os.cpu_count():.3g} per core), skmob {1 / skmob_per_step:.3g} agent-steps/s")
    report("Mobility: scikit-mobility vs urbplex (same tessellation, same run; ratio = skmob / urbplex)",
           rows)

    if not args.no_large:
        lon, lat, rel, h = tessellation(20)
        locs = ux.mobility.Locations(lon, lat, rel, metric="haversine")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        res = ux.mobility.epr(locs, agents=1_000_000, steps=1000, seed=3, record=False)
        el = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        per_agent = sum(res.data[k].nbytes for k in ("distinct", "radius", "radius_k", "entropy")) / 1e6
        print(f"\n10^6 agents x 1000 steps (d-EPR, L=400, summaries only): {el:.1f} s, "
              f"{1e9 / el:.3g} agent-steps/s ({1e9 / el / os.cpu_count():.3g} per core), "
              f"{per_agent:.0f} B of results per agent, peak RSS {peak / 1024:.0f} MiB (before: {before / 1024:.0f} MiB); "
              f"mean S = {res.distinct.mean():.1f}, mean r_g = {res.radius.mean():.2f} km")


if __name__ == "__main__":
    main()
