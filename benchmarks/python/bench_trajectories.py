"""Raw GPS to places: urbplex vs scikit-mobility 1.3.1 on the GeoLife sample, and 10^7 synthetic points.

GeoLife (../shared/data/mobility/geolife_sample, 217 653 points, 2 users):
speed filter (500 km/h), stay_locations (20 min, 0.2 km), compression
(0.2 km) and the measures on the stops, each side in its own venv, same run.
Prints how many stops match within 1 m and 1 s, the measures' relative
differences, and the timings. scikit-mobility measures great-circle km on a
sphere of 6371.0 km, urbplex on the IUGG mean radius 6371.0088 km: its
distances are rescaled by that ratio before comparing.

Then 10^7 seeded synthetic points (1000 users, random walks with stays):
filter + stops + compression time and peak memory.

Run: .venv/bin/python benchmarks/python/bench_trajectories.py [--skmob .venv-skmob/bin/python] [--no-large]
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

import urbplex as ux

HERE = os.path.dirname(__file__)
GEOLIFE = os.path.join(HERE, "..", "..", "..", "shared", "data", "mobility", "geolife_sample", "geolife_sample.txt.gz")
RADIUS_RATIO = 6371.0088 / 6371.0


def ours(minutes, radius_km):
    df = pd.read_csv(GEOLIFE)
    times = {}
    t = time.perf_counter()
    tr = ux.mobility.trajectories(df)
    times["read_s"] = time.perf_counter() - t
    t = time.perf_counter()
    f = tr.filter(500.0)
    times["filter_s"] = time.perf_counter() - t
    t = time.perf_counter()
    st = f.stops(minutes=minutes, radius_km=radius_km)
    times["stops_s"] = time.perf_counter() - t
    t = time.perf_counter()
    c = tr.compress(radius_km)
    times["compress_s"] = time.perf_counter() - t
    t = time.perf_counter()
    t = time.perf_counter()
    places = st.cluster(0.1)
    times["cluster_s"] = time.perf_counter() - t
    t = time.perf_counter()
    m = {"rg": st.radius_of_gyration(), "kr": st.k_radius_of_gyration(2), "ue": st.uncorrelated_entropy(),
         "nl": st.number_of_locations(), "md": st.max_distance_from_home(), "re": st.real_entropy()}
    times["measures_s"] = time.perf_counter() - t
    return f, st, c, m, places, times


def synthetic(n_points, users, seed=1):
    """Per user, alternating stays (100 fixes, ~50 min, 10 m GPS jitter) and trips
    (100 fixes of a random walk, ~100 m a step); fixes every ~30 s."""
    rng = np.random.default_rng(seed)
    per = n_points // users
    phase = (np.arange(per) // 100) % 2  # 0: stay, 1: trip
    step = rng.standard_normal((2, users, per)) * 1e-3 * phase
    jitter = rng.standard_normal((2, users, per)) * 1e-4
    lat = 39.9 + np.cumsum(step[0], axis=1) + jitter[0]
    lng = 116.4 + np.cumsum(step[1], axis=1) + jitter[1]
    t = np.cumsum(rng.exponential(30.0, (users, per)), axis=1)
    return pd.DataFrame({"uid": np.repeat(np.arange(users), per), "lat": lat.ravel(), "lng": lng.ravel(),
                         "datetime": pd.to_datetime(1.2e9 + t.ravel(), unit="s")})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--skmob", default=os.path.join(HERE, "..", "..", ".venv-skmob", "bin", "python"))
    ap.add_argument("--no-large", action="store_true")
    args = ap.parse_args()
    minutes, radius = 20.0, 0.2
    f, st, c, m, places, times = ours(minutes, radius)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "skmob.npz")
        run = subprocess.run([args.skmob, os.path.join(HERE, "_skmob_geolife_worker.py"), GEOLIFE, out, str(minutes),
                              str(radius)], capture_output=True, text=True, check=True)
        sk_times = json.loads(run.stdout.strip().splitlines()[-1])
        sk = dict(np.load(out, allow_pickle=True))
    print(f"GeoLife: {f.n} points after the filter (scikit-mobility {int(sk['filtered'])}), "
          f"{c.n} after compression ({int(sk['compressed'])})")
    fr = st.to_frame()
    same = len(fr) == sk["lat"].size
    if same:
        d_m = 1000 * RADIUS_RATIO * np.hypot((fr["lat"] - sk["lat"]) * 111.2,
                                              (fr["lng"] - sk["lng"]) * 111.2 * np.cos(np.radians(fr["lat"])))
        d_t = np.maximum(np.abs(fr["datetime"].astype("int64") / 1e9 - sk["start"]),
                         np.abs(fr["leaving_datetime"].astype("int64") / 1e9 - sk["leave"]))
        matched = int(np.sum((d_m <= 1.0) & (d_t <= 1.0)))
    else:
        matched = 0
    print(f"stops: urbplex {len(fr)}, scikit-mobility {sk['lat'].size}; matched within 1 m and 1 s: {matched} "
          f"({100 * matched / max(sk['lat'].size, 1):.2f}%)")
    uids = [int(u) for u in sk["m_uid"]]
    for key, scale in (("rg", RADIUS_RATIO), ("kr", RADIUS_RATIO), ("ue", 1.0), ("nl", 1.0), ("md", RADIUS_RATIO), ("re", 1.0)):
        a = m[key].loc[uids].to_numpy()
        b = sk[key] * scale
        print(f"  {key}: max relative difference {np.max(np.abs(a - b) / np.abs(b)):.2e}")
    # scikit-mobility's home is the top of a quicksort of night counts: among tied places its
    # choice is arbitrary. With a stable sort its rule is ours (ties: smallest lat, lng).
    a = m["md"].loc[uids].to_numpy()
    b = sk["md_stable"] * RADIUS_RATIO
    print(f"  md vs scikit-mobility's rule with a stable sort: max relative difference "
          f"{np.max(np.abs(a - b) / np.abs(b)):.2e} (users whose top night count is tied: "
          f"{int(sk['home_tied'].sum())} of {len(uids)})")
    if same:  # clusters of stops: the same partition (labels differ: ours by first visit, theirs by frequency)
        pairs = pd.DataFrame({"ours": places, "theirs": sk["cluster"], "uid": fr["uid"].astype(str).to_numpy()})
        agree = (pairs.groupby(["uid", "ours"])["theirs"].nunique().max() == 1
                 and pairs.groupby(["uid", "theirs"])["ours"].nunique().max() == 1
                 and np.array_equal(pairs["uid"], sk["cluster_uid"]))
        print(f"  places (stops clustered at 0.1 km): {pairs.groupby('uid')['ours'].nunique().sum()} clusters, "
              f"same partition as scikit-mobility: {agree}")
    ours_total = sum(times.values())
    sk_total = sum(sk_times.values())
    print(f"\n{'step':12s} {'urbplex s':>10s} {'skmob s':>10s} {'ratio':>8s}")
    for k in times:
        print(f"{k:12s} {times[k]:10.4f} {sk_times[k]:10.4f} {sk_times[k] / times[k]:8.1f}")
    print(f"{'pipeline':12s} {ours_total:10.4f} {sk_total:10.4f} {sk_total / ours_total:8.1f}")
    if not args.no_large:
        df = synthetic(10_000_000, 1000)
        t0 = time.perf_counter()
        tr = ux.mobility.trajectories(df)
        t1 = time.perf_counter()
        f = tr.filter(500.0)
        s = f.stops(minutes=20, radius_km=0.2)
        c = f.compress(0.2)
        t2 = time.perf_counter()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\n10^7 synthetic points, {ux.get_num_threads()} threads: read {t1 - t0:.2f} s; filter + stops + "
              f"compression {t2 - t1:.2f} s ({f.n} kept, {s.n} stops, {c.n} compressed); peak RSS {rss:.0f} MiB "
              f"(the DataFrame itself included)")


if __name__ == "__main__":
    main()
