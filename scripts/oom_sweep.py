"""Out-of-memory sweep (issue 33 item 7): every kernel with an OpenMP region,
asked for 64 threads under a 4 GB address-space limit (``ulimit -v 4000000``)
on an input that needs more, must give MemoryError or a result, never an
abort (std::bad_alloc escaping a parallel region calls std::terminate: rc 134).

Run: .venv/bin/python scripts/oom_sweep.py [--only NAME ...]
Prints one line per call: name, outcome, return code, seconds.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time

LIMIT = 4_000_000 * 1024  # ulimit -v 4000000 (KiB)

PRELUDE = f"""
import resource, warnings
def limit(extra=None):
    # 4 GB, or (extra=bytes) what the process already maps plus extra: inputs
    # built first, so that the kernel's own buffers are what does not fit
    if extra is None:
        resource.setrlimit(resource.RLIMIT_AS, ({LIMIT}, {LIMIT}))
        return
    with open("/proc/self/status") as f:
        vm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize"))
    resource.setrlimit(resource.RLIMIT_AS, (vm + extra, vm + extra))
warnings.simplefilter("ignore")
import numpy as np, urbplex as ux
ux.set_num_threads(64)
def report(f):
    try:
        f()
        print("result")
    except MemoryError:
        print("MemoryError")
    except (ValueError, OSError) as e:
        print(type(e).__name__ + ": " + str(e)[:120])
"""

locs = "ux.mobility.Locations(*(np.random.default_rng(0).random((2, L)) * 100), np.ones(L))"
CALLS = {
    "betweenness": "g = ux.generators.random_geometric(20_000_000, mean_degree=3, seed=1); limit(800 << 20); report(lambda: g.betweenness())",
    "bond percolation": "report(lambda: ux.percolation.bond(ux.generators.square_lattice(9000), realizations=8))",
    "explosive": "report(lambda: ux.percolation.explosive(n=100_000_000, t_max=1.0, realizations=2))",
    "cluster sizes": "report(lambda: ux.percolation.cluster_sizes(ux.generators.square_lattice(6000), 0.59, realizations=4))",
    "k-core": "report(lambda: ux.percolation.k_core(ux.generators.erdos_renyi(20_000_000, mean_degree=4, seed=1), 3, realizations=4))",
    "interdependent": "a = ux.generators.erdos_renyi(10_000_000, mean_degree=4, seed=1); limit(300 << 20); report(lambda: ux.percolation.mutual_giant_component(a, a, realizations=4, thresholds=False))",
    "attack": "report(lambda: ux.percolation.attack(ux.generators.square_lattice(6000), 'random', realizations=4))",
    "erdos_renyi": "report(lambda: ux.generators.erdos_renyi(300_000, p=0.5))",
    "random_geometric": "report(lambda: ux.generators.random_geometric(300_000, radius=10))",
    "gravity": f"L = 40_000; report(lambda: ux.mobility.gravity({locs}))",
    "radiation": f"L = 40_000; report(lambda: ux.mobility.radiation({locs}))",
    "gravity sample_trips": f"L = 20_000; f = ux.mobility.gravity({locs}); report(lambda: f.sample_trips(np.full(L, 10**6)))",
    "epr": f"L = 20_000; report(lambda: ux.mobility.epr({locs}, agents=5_000_000, steps=200))",
    "trip distribution": "n = 14_000; x = np.random.default_rng(0).random(n) * 100; d = np.abs(x[:, None] - x[None]); m = np.full(n, 100.0); report(lambda: ux.mobility.trip_distribution(law='Schneider', model='DCM', mass_origin=m, distance=d, out_trips=m, in_trips=m, param=0.1, replicates=10))",
    "power law gof": "x = ux.scaling.sample(2.5, 1.0, 50_000_000, seed=1); report(lambda: ux.scaling.power_law(x).gof(64))",
    "leiden": "g = ux.generators.random_geometric(8_000_000, mean_degree=6, seed=1); report(lambda: ux.multiscale.communities(g))",
    "distance percolation": "g = ux.generators.square_lattice(6000); report(lambda: ux.percolation.distance(g.with_edge_attr('length', np.ones(g.m))))",
}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--timeout", type=float, default=240)
    args = ap.parse_args()
    aborted = 0
    for name, code in CALLS.items():
        if args.only and name not in args.only:
            continue
        t0 = time.perf_counter()
        if "limit(" not in code:
            code = "limit()\n" + code
        try:
            out = subprocess.run([sys.executable, "-c", PRELUDE + code], capture_output=True, text=True,
                                 timeout=args.timeout)
            rc, outcome = out.returncode, (out.stdout.strip().splitlines() or ["-"])[-1]
            if rc != 0:
                outcome = "ABORT " + (out.stderr.strip().splitlines() or ["-"])[-1][:140]
                aborted += 1
        except subprocess.TimeoutExpired:
            rc, outcome = "-", f"still running after {args.timeout:.0f} s"
        print(f"{name:22s} {outcome[:100]:100s} rc={rc} {time.perf_counter() - t0:6.1f} s", flush=True)
    return 1 if aborted else 0


if __name__ == "__main__":
    sys.exit(main())
