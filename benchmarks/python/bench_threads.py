"""Thread scaling on a quiet and on a busy machine.

Runs urbplex's side of the benchmark cases (the small calls users make all
the time and the large realistic ones) with 1 and with 2 OpenMP threads, first
on a quiet machine, then with one competing CPU-bound process (``--busy``
only, or both by default), and prints medians side by side with the ratio
2-thread / 1-thread. The acceptance of the parallel runtime: on a busy
machine that ratio is at most 1.1 for every case, and the small calls stay
within 1.5x of their quiet single-thread time.

Run: .venv/bin/python benchmarks/python/bench_threads.py [--mode quiet|busy|both] [--repeat 7] [--only NAME ...]
     .venv/bin/python benchmarks/python/bench_threads.py --first-calls 1 4 10   # fresh processes under load
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _timing import median_time  # noqa: E402

import urbplex as ux  # noqa: E402

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")


def _ny_counties():
    """Centroids (vertex mean of the outer ring), population and flows of the 62 NY counties."""
    import pandas as pd

    with open(os.path.join(DATA, "mobility", "ny_counties_2011", "NY_counties_2011.geojson")) as f:
        features = json.load(f)["features"]
    ids, x, y, pop = [], [], [], []
    for feat in features:
        geom = feat["geometry"]
        ring = geom["coordinates"][0] if geom["type"] == "Polygon" else max(
            (p[0] for p in geom["coordinates"]), key=len)
        ring = np.asarray(ring)
        ids.append(int(feat["properties"]["tile_id"]))
        x.append(ring[:, 0].mean())
        y.append(ring[:, 1].mean())
        pop.append(feat["properties"]["population"])
    index = {t: i for i, t in enumerate(ids)}
    flows = pd.read_csv(os.path.join(DATA, "mobility", "ny_counties_2011", "NY_commuting_flows_2011.csv"))
    obs = np.zeros((len(ids), len(ids)))
    for f_, o, d in flows[["flow", "origin", "destination"]].itertuples(index=False):
        obs[index[o], index[d]] += f_
    locs = ux.mobility.Locations(np.array(x), np.array(y), np.array(pop, float), metric="haversine")
    return locs, obs


def cases():
    """name -> (setup() -> callable, small?)"""
    out = {}

    def gravity_fit_62():
        locs, obs = _ny_counties()
        return lambda: ux.mobility.fit_gravity(locs, obs, constraint="origin")
    out["gravity fit, 62 NY counties"] = (gravity_fit_62, True)

    def csn_3000():
        data = ux.scaling.sample(2.5, 5, 3000, discrete=True, seed=1)
        return lambda: ux.scaling.power_law(data)
    out["CSN fit, 3000 integers"] = (csn_3000, True)

    def csn_words():
        data = np.loadtxt(os.path.join(DATA, "scaling", "csn2009", "words.txt"))
        return lambda: ux.scaling.power_law(data)
    out["CSN fit, Moby Dick words (18 855)"] = (csn_words, True)

    def sioux_falls():
        g, trips, meta, _ = ux.datasets.sioux_falls()
        return lambda: ux.routing.assign(g, trips, gap=1e-4, first_thru_node=meta["first_thru_node"])
    out["Sioux Falls assignment, gap 1e-4"] = (sioux_falls, True)

    def chicago():
        d = os.path.join(DATA, "tntp", "ChicagoSketch")
        g, meta = ux.routing.tntp.read_net(os.path.join(d, "ChicagoSketch_net.tntp"))
        trips = ux.routing.tntp.read_trips(os.path.join(d, "ChicagoSketch_trips.tntp"), nodes=g.n)
        return lambda: ux.routing.assign(g, trips, gap=1e-4, first_thru_node=meta["first_thru_node"])
    out["Chicago-Sketch assignment, gap 1e-4"] = (chicago, False)

    def site_lattice():
        g = ux.generators.square_lattice(512)
        return lambda: ux.percolation.site(g, realizations=16, seed=1)
    out["site percolation, 512^2, 16 runs"] = (site_lattice, False)

    def bond_er():
        g = ux.generators.erdos_renyi(200_000, mean_degree=4, seed=1)
        return lambda: ux.percolation.bond(g, realizations=8, seed=1)
    out["bond percolation, ER 2e5, 8 runs"] = (bond_er, False)

    def rgg():
        return lambda: ux.generators.random_geometric(200_000, mean_degree=6, seed=1)
    out["random geometric graph, 2e5 nodes"] = (rgg, False)

    def communities():
        g = ux.generators.random_geometric(100_000, mean_degree=6, seed=2)
        return lambda: ux.multiscale.communities(g, method="louvain", seed=1)
    out["Louvain, RGG 1e5"] = (communities, False)

    def betweenness():
        g = ux.generators.random_geometric(5000, mean_degree=6, seed=3)
        return lambda: g.betweenness()
    out["betweenness, RGG 5000"] = (betweenness, False)

    def traffic_grid():
        import pandas as pd

        from bench_traffic import grid
        links, demands, horizon, _ = grid()
        frame = pd.DataFrame(links, columns=["id", "from", "to", "length", "free_speed", "jam_density",
                                             "merge_priority"]).set_index("id")
        net = ux.traffic.network(frame)
        trips = pd.concat([ux.traffic.demand(o, d, t0, t1, f) for o, d, t0, t1, f in demands], ignore_index=True)
        return lambda: ux.traffic.simulate(net, trips, horizon=horizon, seed=1)
    out["dynamic traffic, 11x11 grid, 60 500 veh"] = (traffic_grid, False)

    def depr():
        rng = np.random.default_rng(1)
        locs = ux.mobility.Locations(rng.uniform(0, 20, 400), rng.uniform(0, 20, 400), rng.uniform(1, 100, 400))
        return lambda: ux.mobility.epr(locs, agents=5000, steps=500, seed=1)
    out["d-EPR, 400 places, 5000 x 500"] = (depr, False)

    def radiation():
        rng = np.random.default_rng(2)
        locs = ux.mobility.Locations(rng.uniform(0, 50, 1225), rng.uniform(0, 50, 1225), rng.uniform(1, 1e4, 1225))
        return lambda: ux.mobility.radiation(locs)
    out["radiation, 1225 places"] = (radiation, False)

    def gof():
        data = ux.scaling.sample(2.5, 1, 5000, seed=3)
        fit = ux.scaling.power_law(data)
        return lambda: fit.gof(replicates=50, seed=1) if hasattr(fit, "gof") else None
    out["CSN bootstrap p, n=5000, 50 reps"] = (gof, False)
    return out


def _set_threads(n: int) -> None:
    if hasattr(ux, "set_num_threads"):
        ux.set_num_threads(n)
    else:  # builds before the parallel runtime
        ux._core.set_num_threads(n)


def _busy_process() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def measure(selected, repeat: int, busy: bool) -> dict:
    rows = {}
    competitor = _busy_process() if busy else None
    try:
        time.sleep(0.2)
        for name, (setup, small) in selected.items():
            try:
                fn = setup()
            except AttributeError as exc:  # an older build (before/after runs) without this model
                print(f"  skipped {name}: {exc}", flush=True)
                continue
            samples = {1: [], 2: []}
            # A small call (ms) is timed as the median of a batch of 15 calls, so
            # that one scheduler hiccup does not decide a sample.
            reps, batch = (repeat * 3, 15) if small else (repeat, 1)
            for threads in (1, 2):
                _set_threads(threads)
                fn()  # warm-up (page faults, thread pool start)
            for _ in range(reps):  # interleaved, so that drift hits both alike
                for threads in (1, 2):
                    _set_threads(threads)
                    samples[threads].append(median_time(fn, batch))
            times = {t: statistics.median(v) for t, v in samples.items()}
            rows[name] = (times[1], times[2], small)
            print(f"  {'busy ' if busy else 'quiet'} {name:40s} 1t {times[1]:9.4f} s   2t {times[2]:9.4f} s   "
                  f"2t/1t {times[2] / times[1]:5.2f}", flush=True)
    finally:
        if competitor is not None:
            competitor.kill()
            competitor.wait()
    return rows


FIRST_CALLS = """
import sys, time, numpy as np
sys.path.insert(0, {here!r})
import bench_threads as b, urbplex as ux
locs, obs = b._ny_counties()
t = time.perf_counter()
for _ in range(15):
    ux.mobility.fit_gravity(locs, obs, constraint="doubly", deterrence="exponential")
print(time.perf_counter() - t)
"""


def first_calls(competitors: int, processes: int = 5) -> tuple:
    """The first 15 calls of the 62-county doubly constrained gravity fit in fresh
    processes (1 and 2 threads, alternated), under ``competitors`` CPU-bound
    processes: the median seconds for 1 and 2 threads."""
    spin = [_busy_process() for _ in range(competitors)]
    code = FIRST_CALLS.format(here=os.path.dirname(os.path.abspath(__file__)))
    times = {1: [], 2: []}
    try:
        time.sleep(0.5)
        for _ in range(processes):
            for threads in (1, 2):
                env = dict(os.environ, OMP_NUM_THREADS=str(threads))
                out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                                     check=True)
                times[threads].append(float(out.stdout.split()[-1]))
    finally:
        for p in spin:
            p.kill()
            p.wait()
    return statistics.median(times[1]), statistics.median(times[2])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", choices=["quiet", "busy", "both"], default="both")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--only", nargs="*", help="substrings of case names to run")
    ap.add_argument("--json", help="write the medians to this file")
    ap.add_argument("--first-calls", type=int, nargs="*", metavar="COMPETITORS",
                    help="only the first-calls check, under these numbers of competing processes (e.g. 1 4 10)")
    args = ap.parse_args()
    if args.first_calls is not None:
        print("first 15 calls of the 62-county gravity fit in a fresh process (median of 5 processes)")
        for c in args.first_calls or [1, 4, 10]:
            one, two = first_calls(c)
            print(f"  {c:2d} competitors: 1 thread {one * 1e3:7.1f} ms, 2 threads {two * 1e3:7.1f} ms, "
                  f"2t/1t {two / one:5.2f}", flush=True)
        return
    all_cases = cases()
    selected = {k: v for k, v in all_cases.items() if not args.only or any(s in k for s in args.only)}
    result = {}
    if args.mode in ("quiet", "both"):
        result["quiet"] = measure(selected, args.repeat, busy=False)
    if args.mode in ("busy", "both"):
        result["busy"] = measure(selected, args.repeat, busy=True)
    print(f"\n{'case':40s} {'quiet 1t':>9s} {'quiet 2t':>9s} {'busy 1t':>9s} {'busy 2t':>9s} {'busy 2t/1t':>10s} "
          f"{'busy 2t/quiet 1t':>16s}")
    for name in selected:
        if not any(name in r for r in result.values()):
            continue
        q = result.get("quiet", {}).get(name, (np.nan, np.nan, False))
        b = result.get("busy", {}).get(name, (np.nan, np.nan, False))
        print(f"{name:40s} {q[0]:9.4f} {q[1]:9.4f} {b[0]:9.4f} {b[1]:9.4f} {b[1] / b[0]:10.2f} {b[1] / q[0]:16.2f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({m: {k: v[:2] for k, v in r.items()} for m, r in result.items()}, f, indent=1)


if __name__ == "__main__":
    main()
