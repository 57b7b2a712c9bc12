"""Trip distribution: urbplex vs pytdlm (TDLM's Python port, Lenormand, Bassolas & Ramasco 2016).

Side by side, same inputs, same run:
1. parity: expected matrices of every law x model on Kansas under pytdlm's
   convention (convention="pytdlm"), largest relative difference per cell;
2. replicates: mean of every measure over R draws of every law x model, ours
   against pytdlm's (both measured by urbplex's gof), in standard errors;
3. speed: the 8 laws x 4 models x 11 values x 3 replicates grid on Kansas
   (simulation + measures), pytdlm at its best `processes` of 1 and 2;
4. speed: a synthetic 3 000-zone system, NGravExp + DCM (11 values x 3
   replicates) and Schneider + DCM (10 replicates);
5. scale: 10 000 zones, Schneider + DCM + 10 replicates (urbplex only), peak memory;
6. Lenormand et al.'s verdict: under DCM, each law calibrated by CPC (expected
   matrix) on Kansas and on the New York counties.

pytdlm runs in its own venv (pip install pytdlm), driven through
_pytdlm_worker.py; its time is measured inside the worker.

Run: .venv/bin/python benchmarks/python/bench_tdlm.py [--pytdlm .venv-tdlm/bin/python] [--skip-large]
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
import pandas as pd

sys.path.insert(0, os.path.dirname(__file__))
import urbplex as ux  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "shared", "data", "mobility")
LAWS = ["GravExp", "NGravExp", "GravPow", "NGravPow", "Schneider", "Rad", "RadExt", "Rand"]
MODELS = ["UM", "PCM", "ACM", "DCM"]
# One value per law for the parity runs, near Kansas' best; 11 for the grid.
PARITY = {"GravExp": [0.075], "NGravExp": [0.075], "GravPow": [3.3], "NGravPow": [3.3], "Schneider": [2.5e-6],
          "Rad": [0.0], "RadExt": [1.3], "Rand": [0.0]}
GRID = {"GravExp": np.linspace(0.05, 0.1, 11), "NGravExp": np.linspace(0.05, 0.1, 11),
        "GravPow": np.linspace(2, 4, 11), "NGravPow": np.linspace(2, 4, 11),
        "Schneider": np.linspace(1e-6, 6e-6, 11), "Rad": [0.0], "RadExt": np.linspace(0.5, 1.5, 11), "Rand": [0.0]}
MEASURES = ["CPC", "NRMSE", "KL", "CPL", "CPC_d"]


def kansas():
    d = os.path.join(DATA, "kansas_2000")
    od = pd.read_csv(f"{d}/od.csv", index_col=0)
    dist = pd.read_csv(f"{d}/distance_km.csv", index_col=0)
    mass = pd.read_csv(f"{d}/mass.csv", index_col=0)
    return (od.to_numpy(float), dist.to_numpy(float), mass.population.to_numpy(float),
            mass.out_commuters.to_numpy(float), mass.in_commuters.to_numpy(float))


def new_york():
    import json as _json

    d = os.path.join(DATA, "ny_counties_2011")
    geo = _json.load(open(f"{d}/NY_counties_2011.geojson"))
    ids, pop, lon, lat = [], [], [], []
    for f in geo["features"]:
        ids.append(int(f["properties"]["tile_id"]))
        pop.append(float(f["properties"]["population"]))
        polygons = ([f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon"
                    else f["geometry"]["coordinates"])
        # area-weighted centroid of the outer rings (shoelace), in degrees
        a_sum = cx = cy = 0.0
        for poly in polygons:
            x, y = np.asarray(poly[0])[:, 0], np.asarray(poly[0])[:, 1]
            cross = x * np.roll(y, -1) - np.roll(x, -1) * y
            a = cross.sum() / 2
            a_sum += a
            cx += ((x + np.roll(x, -1)) * cross).sum() / 6
            cy += ((y + np.roll(y, -1)) * cross).sum() / 6
        lon.append(cx / a_sum)
        lat.append(cy / a_sum)
    flows = pd.read_csv(f"{d}/NY_commuting_flows_2011.csv")
    where = {z: k for k, z in enumerate(ids)}
    n = len(ids)
    od = np.zeros((n, n))
    for o, de, f in zip(flows.origin, flows.destination, flows.flow):
        if o != de and o in where and de in where:
            od[where[o], where[de]] += f
    locs = ux.mobility.Locations(np.array(lon), np.array(lat), np.array(pop), metric="haversine")
    return od, locs.distance_matrix(), np.array(pop), od.sum(axis=1), od.sum(axis=0)


def run_pytdlm(python, task, inputs, laws=LAWS, models=MODELS, params=PARITY, processes=1, replicates=1, seed=1):
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = os.path.join(tmp, "in.npz"), os.path.join(tmp, "out.npz")
        od, dist, m, oi, dj = inputs
        np.savez(inp, mi=m, mj=m, oi=oi, dj=dj, distance=dist, obs=od,
                 params=json.dumps({k: list(map(float, v)) for k, v in params.items()}),
                 laws=json.dumps(laws), models=json.dumps(models), processes=processes,
                 replicates=replicates, seed=seed)
        res = subprocess.run([python, os.path.join(HERE, "_pytdlm_worker.py"), inp, task, out],
                             capture_output=True, text=True)
        if res.returncode != 0:
            raise RuntimeError(res.stderr[-3000:])
        timing = json.loads(res.stdout.strip().splitlines()[-1])
        mats = dict(np.load(out)) if task != "grid" else {}
    return timing, mats


def ours(law, model, inputs, params, **kw):
    od, dist, m, oi, dj = inputs
    param = None if law in ("Rad", "Rand") else params
    return ux.mobility.trip_distribution(law=law, model=model, mass_origin=m, distance=dist, out_trips=oi,
                                         in_trips=dj, param=param, **kw)


def parity(python, inputs):
    print("== 1. Expected matrices, every law x model, pytdlm's convention (Kansas)")
    _, theirs = run_pytdlm(python, "expected", inputs)
    worst = 0.0
    rows = []
    for law in LAWS:
        for model in MODELS:
            a = ours(law, model, inputs, PARITY[law], average=True, convention="pytdlm").matrix()
            b = theirs[f"{law}/{model}/0"][0]
            rel = np.abs(a - b).max() / np.abs(b).max()
            worst = max(worst, rel)
            rows.append((law, model, rel))
    print(pd.DataFrame(rows, columns=["law", "model", "max |diff| / max"]).pivot(index="law", columns="model")
          .to_string(float_format=lambda v: f"{v:.1e}"))
    print(f"largest relative difference: {worst:.2e}")
    return worst


def replicates(python, inputs, reps):
    print(f"\n== 2. Replicate means of every measure, {reps} draws each (Kansas), in standard errors")
    od, dist = inputs[0], inputs[1]
    _, theirs = run_pytdlm(python, "replicates", inputs, replicates=reps, seed=3)
    worst, rows = 0.0, []
    for law in LAWS:
        for model in MODELS:
            r = ours(law, model, inputs, PARITY[law], replicates=reps, seed=3, convention="pytdlm")
            a = ux.mobility.gof(r, od, distance=dist)[MEASURES]
            b = ux.mobility.gof(theirs[f"{law}/{model}/0"].astype(float), od, distance=dist)[MEASURES]
            se = np.sqrt(a.var(ddof=1) / reps + b.var(ddof=1) / reps)
            z = ((a.mean() - b.mean()).abs() / se.where(se > 0, np.inf)).max()
            worst = max(worst, z)
            rows.append((law, model, z))
    print(pd.DataFrame(rows, columns=["law", "model", "max |z|"]).pivot(index="law", columns="model")
          .to_string(float_format=lambda v: f"{v:.2f}"))
    print(f"largest difference of means: {worst:.2f} standard errors (over {len(rows) * len(MEASURES)} means)")
    return worst


def grid_speed(python, inputs, label, laws=LAWS, models=MODELS, params=GRID, reps=3, repeat=3):
    """urbplex with its default (exact IPF and multinomial draws) and with pytdlm's
    convention (the same algorithm as pytdlm), against pytdlm at its best processes."""
    od, dist = inputs[0], inputs[1]

    def run_ours(convention):
        for law in laws:
            for model in models:
                r = ours(law, model, inputs, params[law], replicates=reps, seed=1, convention=convention)
                ux.mobility.gof(r, od, distance=dist)

    mine = {}
    for convention in ("exact", "pytdlm"):
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            run_ours(convention)
            times.append(time.perf_counter() - t)
        mine[convention] = float(np.median(times))
    best = None
    for processes in (1, 2):
        runs = []
        for _ in range(1 if repeat == 1 else 2):
            timing, _ = run_pytdlm(python, "grid", inputs, laws, models, params, processes, reps)
            runs.append(sum(timing.values()))  # the laws x models and, where needed, s_ij once
        t = float(np.median(runs))
        print(f"  pytdlm processes={processes}: {t:.2f} s")
        best = t if best is None else min(best, t)
    for convention, t in mine.items():
        print(f"{label}: urbplex ({convention}) {t:.3f} s, pytdlm {best:.2f} s ({best / t:.1f}x)")
    return mine, best


def synthetic(n, seed=0):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 300, (n, 2))  # km
    dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    pop = np.floor(rng.pareto(1.2, n) * 2000 + 500)
    oi = np.floor(0.2 * pop)
    dj = rng.permutation(oi)
    od = ux.mobility.trip_distribution(law="NGravExp", model="DCM", mass_origin=pop, distance=dist, out_trips=oi,
                                       in_trips=dj, param=0.05, seed=seed + 1).matrix().astype(float)
    return od, dist, pop, oi, dj


def verdict():
    print("\n== 6. Lenormand et al.'s verdict under DCM: best CPC per law (expected matrix, calibrated)")
    starts = {"GravExp": (0.005, 0.5), "NGravExp": (0.005, 0.5), "GravPow": (0.5, 8), "NGravPow": (0.5, 8),
              "Schneider": (1e-8, 1e-3), "RadExt": (0.05, 5)}
    table = {}
    for name, inputs in (("Kansas", kansas()), ("New York", new_york())):
        od, dist, m, oi, dj = inputs
        col = {}
        for law in LAWS:
            kw = dict(law=law, model="DCM", mass_origin=m, distance=dist, out_trips=oi, in_trips=dj)
            if law in starts:
                fit = ux.mobility.calibrate(measure="CPC", bounds=starts[law], obs=od, **kw)
                col[law] = (fit["value"], fit["param"])
            else:
                r = ux.mobility.trip_distribution(average=True, **kw)
                col[law] = (float(ux.mobility.gof(r, od).CPC.iloc[0]), np.nan)
        table[name] = col
    frame = pd.DataFrame({(k, c): {law: v[i] for law, v in col.items()} for k, col in table.items()
                          for i, c in enumerate(("CPC", "param"))})
    print(frame.to_string(float_format=lambda v: f"{v:.4g}"))
    for name in table:
        grav = min(table[name][law][0] for law in ("NGravExp", "NGravPow"))
        io = max(table[name][law][0] for law in ("Schneider", "Rad", "RadExt"))
        print(f"{name}: normalised gravity worst {grav:.4f} vs intervening opportunities best {io:.4f}: "
              f"{'gravity wins' if grav > io else 'NOT as published'}")
    return frame


def scale(n=10_000, reps=10):
    print(f"\n== 5. {n} zones ({n * n:.0e} pairs), Schneider + DCM + {reps} replicates (urbplex)")
    inputs = synthetic(n, seed=4)
    od, dist, m, oi, dj = inputs
    del od
    t = time.perf_counter()
    r = ux.mobility.trip_distribution(law="Schneider", model="DCM", mass_origin=m, distance=dist, out_trips=oi,
                                      in_trips=dj, param=2e-6, replicates=reps, seed=1)
    took = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"{took:.1f} s, peak RSS {rss:.2f} GiB (distances {dist.nbytes / 2**30:.2f} GiB, "
          f"draws {r.data['trips'].nbytes / 2**30:.2f} GiB at 4 bytes per pair and replicate)")
    return took


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pytdlm", default=os.path.join(HERE, "..", "..", ".venv-tdlm", "bin", "python"))
    ap.add_argument("--replicates", type=int, default=30)
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--only", default="123456")
    args = ap.parse_args()
    print(f"urbplex {ux.__version__}, {ux.get_num_threads()} threads")
    k = kansas()
    if "1" in args.only:
        parity(args.pytdlm, k)
    if "2" in args.only:
        replicates(args.pytdlm, k, args.replicates)
    if "3" in args.only:
        print("\n== 3. Grid: 8 laws x 4 models x 11 values x 3 replicates, simulation + measures (Kansas)")
        grid_speed(args.pytdlm, k, "Kansas grid")
    if "4" in args.only and not args.skip_large:
        print("\n== 4. Synthetic 3 000 zones")
        s = synthetic(3000)
        a = grid_speed(args.pytdlm, s, "NGravExp + DCM, 11 values x 3 replicates", ["NGravExp"], ["DCM"],
                       {"NGravExp": np.linspace(0.01, 0.1, 11)}, 3, repeat=1)
        b = grid_speed(args.pytdlm, s, "Schneider + DCM, 10 replicates", ["Schneider"], ["DCM"],
                       {"Schneider": [2e-6]}, 10, repeat=1)
        for c in ("exact", "pytdlm"):
            both = a[0][c] + b[0][c]
            print(f"both, urbplex ({c}): {both:.2f} s, pytdlm {a[1] + b[1]:.1f} s ({(a[1] + b[1]) / both:.1f}x)")
    if "5" in args.only and not args.skip_large:
        scale()
    if "6" in args.only:
        verdict()


if __name__ == "__main__":
    main()
