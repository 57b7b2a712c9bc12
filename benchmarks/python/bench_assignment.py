"""User-equilibrium assignment on Berlin-Center (TNTP: 12 981 nodes, 28 376
links, 865 zones): urbplex (Algorithm B and bi-conjugate Frank-Wolfe, 1 and
2 threads) against AequilibraE's bi-conjugate Frank-Wolfe, same network,
trips and target relative gap, in the same run. Each case runs in its own
process (peak memory = its max RSS); the median of --repeat runs is reported.

Both tools get the same link table. AequilibraE refuses links with zero
free-flow time (8 806 of Berlin-Center's, mostly connectors), so both get
max(free_flow_time, 1e-6 min). Centroids are not passed through in either
(AequilibraE: blocked centroid flows). Only AequilibraE's execute() is timed
(graph and matrix set-up excluded); urbplex's time is its assign() call.
AequilibraE runs in its own venv (requirements-aequilibrae.txt):

    python3 -m venv .venv-aeq && .venv-aeq/bin/pip install -r benchmarks/python/requirements-aequilibrae.txt
    .venv/bin/python benchmarks/python/bench_assignment.py [--gap 1e-5] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.environ.get("URBPLEX_SHARED_DATA", os.path.join(ROOT, "..", "shared", "data"))
AEQ_PYTHON = os.path.join(ROOT, ".venv-aeq", "bin", "python")
MIN_TIME = 1e-6  # free-flow time floor for both tools (AequilibraE refuses 0)


def network():
    import numpy as np
    from urbplex.routing import tntp

    folder = os.path.join(DATA, "tntp", "BerlinCenter")
    g, _ = tntp.read_net(os.path.join(folder, "berlin-center_net.tntp"))
    demand = tntp.read_trips(os.path.join(folder, "berlin-center_trips.tntp"))
    g = g.with_edge_attr("free_flow_time", np.maximum(g.edge("free_flow_time"), MIN_TIME))
    return g, demand


def ours(method: str, threads: int, gap: float) -> dict:
    """One urbplex run (in a worker process)."""
    import time

    import urbplex as ux

    g, demand = network()
    with ux.threads(threads):
        t0 = time.perf_counter()
        r = ux.routing.assign(g, demand, method=method, gap=gap, max_iterations=100000)
        seconds = time.perf_counter() - t0
    return {"seconds": seconds, "iterations": int(r.gaps.size), "gap": float(r.gaps[-1]), "tstt": r.tstt,
            "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_ours(method, threads, gap):
    out = subprocess.run([sys.executable, __file__, "--worker", method, str(threads), str(gap)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_aequilibrae(threads, gap, tmp):
    import numpy as np

    g, demand = network()
    inp, out = os.path.join(tmp, "aeq_in.npz"), os.path.join(tmp, "aeq_out.npz")
    np.savez(inp, a_node=g.edge_sources + 1, b_node=g.edge_targets + 1, free_flow_time=g.edge("free_flow_time"),
             capacity=g.edge("capacity"), b=g.edge("b"), power=g.edge("power"), demand=demand,
             settings=json.dumps(dict(gap=gap, threads=threads, algorithm="bfw", max_iterations=100000,
                                      blocked_centroids=True)))
    res = subprocess.run([AEQ_PYTHON, os.path.join(HERE, "_aequilibrae_worker.py"), inp, out], check=True,
                         capture_output=True, text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gap", type=float, default=1e-5)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--worker", nargs=3, metavar=("METHOD", "THREADS", "GAP"))
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(ours(args.worker[0], int(args.worker[1]), float(args.worker[2]))))
        return
    cases = [("urbplex", "algorithm_b", 1), ("urbplex", "algorithm_b", 2), ("urbplex", "bfw", 1),
             ("urbplex", "bfw", 2), ("aequilibrae", "bfw", 1)]
    if not os.path.exists(AEQ_PYTHON):
        print(f"AequilibraE venv missing ({AEQ_PYTHON}): see this file's docstring", file=sys.stderr)
        cases = cases[:-1]
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for rep in range(args.repeat):
            for lib, method, threads in cases:
                r = run_ours(method, threads, args.gap) if lib == "urbplex" else run_aequilibrae(threads, args.gap, tmp)
                rows.setdefault((lib, method, threads), []).append(r)
                print(f"  run {rep + 1}: {lib} {method} {threads} thread(s): {r['seconds']:.2f} s, "
                      f"{r['iterations']} iterations, gap {r['gap']:.2e}", file=sys.stderr, flush=True)
    aeq = statistics.median(r["seconds"] for r in rows.get(("aequilibrae", "bfw", 1), [{"seconds": float("nan")}]))
    print(f"\nBerlin-Center to relative gap {args.gap:g}, median of {args.repeat} (same run)")
    print(f"{'library':12s} {'method':12s} {'threads':>7s} {'median s':>9s} {'iterations':>10s} {'final gap':>10s} "
          f"{'peak MiB':>9s} {'AequilibraE 1t / this':>22s}")
    for (lib, method, threads), rs in rows.items():
        t = statistics.median(r["seconds"] for r in rs)
        print(f"{lib:12s} {method:12s} {threads:7d} {t:9.2f} {rs[0]['iterations']:10d} {rs[0]['gap']:10.2e} "
              f"{max(r['maxrss_mib'] for r in rs):9.0f} {aeq / t:22.2f}")
    for method in ("algorithm_b", "bfw"):
        one, two = rows.get(("urbplex", method, 1)), rows.get(("urbplex", method, 2))
        if one and two:
            print(f"urbplex {method}: 2 threads {statistics.median(r['seconds'] for r in one) / statistics.median(r['seconds'] for r in two):.2f}x faster than 1")


if __name__ == "__main__":
    main()
