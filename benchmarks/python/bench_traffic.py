"""Dynamic traffic: urbplex vs UXsim on the same scenarios, same run.

Scenarios (identical networks, fundamental diagrams, demand, platoon size 5,
reaction time 1 s, DUO route updates every 600 s with weight 0.5):
  (a) bottleneck: two 1 km links in series, the second with half the jam
      density (capacity 0.667 against 0.8 veh/s), demand 0.75 veh/s for 20 min;
  (b) merge: two 1 km links with merge priorities 2:1 into one, 0.6 veh/s each;
  (c) grid: UXsim's large-scale example, an 11 x 11 node grid (10 x 10 blocks,
      1 km links both ways), 0.035 veh/s between every pair of opposite
      boundary nodes for 1 h (~61 000 vehicles), 2 h horizon.
Prints total travel time, mean delay (travel time minus the free-flow
shortest time) and completion per side, as means over seeds with standard
errors (the grid's dynamic user optimum is random: single runs differ by
+-5% on either side), the wall time, and the largest gap between the
cumulative exit curves of (a) and (b).

  (d) day-to-day equilibrium: two routes, 300 s with a 0.4 veh/s bottleneck
      and 420 s without, 0.8 veh/s for 1 h; urbplex's MSA route swapping
      (ux.traffic.day_to_day, 40 days) against UXsim's SolverDUE (route
      swapping with probability 0.05, 80 days): share of vehicles on route 2
      (0.483 at the dynamic user equilibrium) and the total travel time of the
      last quarter of the days.

Then the large cases (urbplex only): 10^6 vehicles over 24 h on a ~10^4-link
grid, and the demo's day: 50 000 EPR trips x 10 cars on the demo city's
300 000 directed street links.

Run: .venv/bin/python benchmarks/python/bench_traffic.py [--uxsim .venv-uxsim/bin/python] [--seeds 5] [--no-large]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import tempfile
import time

import numpy as np
import pandas as pd

import urbplex as ux

HERE = os.path.dirname(__file__)
PARAMS = {"platoon": 5, "reaction_time": 1.0, "route_interval": 600.0, "duo_weight": 0.5, "seed": 0}


def bottleneck():
    links = [("up", "A", "B", 1000.0, 20.0, 0.2, 1.0), ("down", "B", "C", 1000.0, 20.0, 0.1, 1.0)]
    return links, [("A", "C", 0.0, 1200.0, 0.75)], 3000.0, ["down"]


def merge():
    links = [("a", "A", "M", 1000.0, 20.0, 0.2, 2.0), ("b", "B", "M", 1000.0, 20.0, 0.2, 1.0),
             ("out", "M", "C", 1000.0, 20.0, 0.2, 1.0)]
    return links, [("A", "C", 0.0, 1800.0, 0.6), ("B", "C", 0.0, 1800.0, 0.6)], 3600.0, ["a", "b"]


def grid(size=11, flow=0.035, duration=3600.0, horizon=7200.0):
    name = lambda i, j: f"n{i}_{j}"  # noqa: E731
    links = []
    for i in range(size):
        for j in range(size):
            for di, dj in ((1, 0), (0, 1)):
                a, b = (i, j), (i + di, j + dj)
                if b[0] < size and b[1] < size:
                    links.append((f"{name(*a)}>{name(*b)}", name(*a), name(*b), 1000.0, 20.0, 0.2, 1.0))
                    links.append((f"{name(*b)}>{name(*a)}", name(*b), name(*a), 1000.0, 20.0, 0.2, 1.0))
    demands = []
    west, east = [(0, j) for j in range(size)], [(size - 1, j) for j in range(size)]
    south, north = [(i, 0) for i in range(size)], [(i, size - 1) for i in range(size)]
    for side1, side2 in ((west, east), (south, north)):
        for n1 in side1:
            for n2 in side2:
                demands.append((name(*n2), name(*n1), 0.0, duration, flow))
                demands.append((name(*n1), name(*n2), 0.0, duration, flow))
    return links, demands, horizon, []


def ours(links, demands, horizon):
    frame = pd.DataFrame(links, columns=["id", "from", "to", "length", "free_speed", "jam_density",
                                         "merge_priority"]).set_index("id")
    net = ux.traffic.network(frame)
    trips = pd.concat([ux.traffic.demand(o, d, t0, t1, f, platoon=PARAMS["platoon"]) for o, d, t0, t1, f in demands],
                      ignore_index=True)
    t = time.perf_counter()
    run = ux.traffic.simulate(net, trips, horizon=horizon, platoon=PARAMS["platoon"],
                              reaction_time=PARAMS["reaction_time"], route_interval=PARAMS["route_interval"],
                              duo_weight=PARAMS["duo_weight"], seed=PARAMS["seed"], record_cumulative=True)
    return run, time.perf_counter() - t


def uxsim_worker(python, links, demands, horizon, **extra):
    """Runs a scenario in UXsim's venv (_uxsim_worker.py); ``extra`` goes into its spec (track, due)."""
    nodes = sorted({l[1] for l in links} | {l[2] for l in links})
    spec = {"params": dict(PARAMS, horizon=horizon), "nodes": nodes, "links": links, "demands": demands, **extra}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(spec, f)
    try:
        out = subprocess.run([python, os.path.join(HERE, "_uxsim_worker.py"), f.name], capture_output=True,
                             text=True, check=True)
    finally:
        os.unlink(f.name)
    return json.loads(out.stdout.strip().splitlines()[-1])


def theirs(python, links, demands, horizon, track, cpp=False, **extra):
    """UXsim's Python engine, or its C++ engine (World(cpp=True), same package)."""
    return uxsim_worker(python, links, demands, horizon, track=track, cpp=cpp, **extra)


def large(links_side=50, vehicles=1_000_000, seed=1):
    """~10^4 links (a 50 x 50 grid, both directions: 9800 links), 10^6 vehicles over 24 h."""
    links, _, _, _ = grid(size=links_side)
    frame = pd.DataFrame(links, columns=["id", "from", "to", "length", "free_speed", "jam_density",
                                         "merge_priority"]).set_index("id")
    frame["length"] = 500.0
    net = ux.traffic.network(frame)
    rng = np.random.default_rng(seed)
    platoons = vehicles // PARAMS["platoon"]
    nodes = np.array(net.node_ids)
    o = rng.integers(0, nodes.size, platoons)
    d = (o + rng.integers(1, nodes.size, platoons)) % nodes.size
    # A day: departures from a morning and an evening peak plus a base load.
    dep = np.concatenate([rng.normal(8 * 3600, 3600, platoons // 3), rng.normal(17.5 * 3600, 3600, platoons // 3),
                          rng.uniform(0, 86400, platoons - 2 * (platoons // 3))])
    dep = np.clip(dep, 0, 86400 - 3600)
    trips = pd.DataFrame({"origin": nodes[o], "destination": nodes[d], "departure": dep})
    t = time.perf_counter()
    run = ux.traffic.simulate(net, trips, horizon=86400.0, platoon=PARAMS["platoon"], route_interval=600.0,
                              seed=seed)
    elapsed = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n24 h, {vehicles} vehicles ({platoons} platoons), {net.links} links, {ux.get_num_threads()} threads: "
          f"{elapsed:.1f} s; completed {100 * run.completed:.1f}%; peak RSS {rss:.0f} MiB")


def two_routes():
    links = [("r1a", "O", "M1", 3000.0, 20.0, 0.2, 1.0, 0.4), ("r1b", "M1", "D", 3000.0, 20.0, 0.2, 1.0, None),
             ("r2a", "O", "M2", 4200.0, 20.0, 0.2, 1.0, None), ("r2b", "M2", "D", 4200.0, 20.0, 0.2, 1.0, None)]
    return links, [("O", "D", 0.0, 3600.0, 0.8)], 7200.0


def day_to_day_vs_uxsim(python, days=40, uxsim_days=80):
    links, demands, horizon = two_routes()
    frame = pd.DataFrame(links, columns=["id", "from", "to", "length", "free_speed", "jam_density", "merge_priority",
                                         "capacity_out"]).set_index("id").fillna(np.inf)
    net = ux.traffic.network(frame)
    trips = ux.traffic.demand("O", "D", 0.0, 3600.0, 0.8, platoon=PARAMS["platoon"])
    t = time.perf_counter()
    run = ux.traffic.day_to_day(net, trips, horizon=horizon, days=days, platoon=PARAMS["platoon"], route_interval=60,
                                seed=1)
    secs = time.perf_counter() - t
    share = np.mean([r[0] == "r2a" for r in run.routes])
    ttt = run.days["total_travel_time"].to_numpy()[-days // 4:]
    sk = uxsim_worker(python, links, demands, horizon, due={"max_iter": uxsim_days})
    their_share = np.mean([name == "r2a" for name in sk["first_links"]])
    their_ttt = np.array(sk["ttts"][-uxsim_days // 4:])
    print(f"day-to-day urbplex ({days} days): route 2 share {share:.3f}, TTT (last {days // 4} days) "
          f"{ttt.mean() / 3600:.1f} +- {ttt.std() / 3600:.1f} veh-h, relative gap {run.days['relative_gap'].iloc[-1]:.3f}, "
          f"{secs:.3f} s")
    print(f"{'':10s} UXsim SolverDUE ({uxsim_days} days): route 2 share {their_share:.3f}, TTT (last "
          f"{uxsim_days // 4} days) {their_ttt.mean() / 3600:.1f} +- {their_ttt.std() / 3600:.1f} veh-h, "
          f"{sk['seconds']:.2f} s")
    print(f"{'':10s} equilibrium share 0.483; ratio of TTTs {ttt.mean() / their_ttt.mean():.4f}; speed per day "
          f"{sk['seconds'] / uxsim_days / (secs / days):.0f}x\n")


def demo_day():
    """The demo's day (python -m urbplex demo): EPR agents on the demo city, fixed routes."""
    from urbplex.demo import synthetic_city

    city = synthetic_city(50_000, seed=1)
    h = ux.Hierarchy.from_grid(city, cell=500.0, levels=4)
    agents = ux.mobility.epr(ux.mobility.locations_of(h, level=2), agents=3000, steps=60, seed=1, record=True)
    trips = ux.traffic.trips_from_agents(agents, start_hour=0, end_hour=24, hierarchy=h, level=2, door="centroid")
    net = ux.traffic.network_from_graph(city, default_speed=13.9)
    times = []
    for _ in range(3):
        t = time.perf_counter()
        run = ux.traffic.simulate(net, trips, horizon=26 * 3600, platoon=10, route_choice="fixed",
                                  record_interval=3600, seed=1)
        times.append(time.perf_counter() - t)
    print(f"demo day: {len(trips)} trips x 10 cars on {net.links} links ({trips['destination'].nunique()} "
          f"destinations), 26 h, fixed routes: median {np.median(times):.1f} s; mean delay {run.mean_delay:.0f} s")


def summary(ttt, delay, completed):
    """mean +- standard error over seeds."""
    se = lambda v: np.std(v, ddof=1) / np.sqrt(len(v)) if len(v) > 1 else 0.0  # noqa: E731
    return (f"TTT {np.mean(ttt) / 3600:10.1f} +- {se(ttt) / 3600:6.1f} veh-h, mean delay {np.mean(delay):7.1f} +- "
            f"{se(delay):5.1f} s, completed {100 * np.mean(completed):6.2f}%")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--uxsim", default=os.path.join(HERE, "..", "..", ".venv-uxsim", "bin", "python"))
    ap.add_argument("--seeds", type=int, default=5, help="UXsim seeds per scenario (urbplex runs 4x as many)")
    ap.add_argument("--no-large", action="store_true")
    args = ap.parse_args()
    for label, make in (("bottleneck", bottleneck), ("merge", merge), ("grid", grid)):
        links, demands, horizon, track = make()
        mine = {"ttt": [], "delay": [], "completed": [], "s": []}
        peer = {"ttt": [], "delay": [], "completed": [], "s": []}
        peer_cpp = {"ttt": [], "delay": [], "completed": [], "s": []}
        # A deterministic scenario needs one seed; the grid's DUO equilibrium is random: compare means.
        n_seeds = args.seeds if label == "grid" else 1
        for seed in range(4 * n_seeds):
            PARAMS["seed"] = seed
            run, secs = ours(links, demands, horizon)
            mine["ttt"].append(run.total_travel_time)
            mine["delay"].append(run.mean_delay)
            mine["completed"].append(run.completed)
            mine["s"].append(secs)
            if seed < n_seeds:
                sk = theirs(args.uxsim, links, demands, horizon, track)
                tt = np.array(sk["travel_times"])
                ok = tt >= 0
                free = run.trips["free_flow_time"].to_numpy()
                peer["ttt"].append(sk["total_travel_time"])
                peer["delay"].append(float(np.mean(tt[ok] - free[ok])))
                peer["completed"].append(sk["completed"])
                peer["s"].append(sk["seconds"])
                fast = theirs(args.uxsim, links, demands, horizon, [], cpp=True)
                tt = np.array(fast["travel_times"])
                ok = tt >= 0
                peer_cpp["ttt"].append(fast["total_travel_time"])
                peer_cpp["delay"].append(float(np.mean(tt[ok] - free[ok])))
                peer_cpp["completed"].append(fast["completed"])
                peer_cpp["s"].append(fast["seconds"])
                for name in track:
                    a = run.cumulative(name)[1].astype(float)
                    b = np.array(sk["departures"][name])
                    n = min(a.size, b.size)
                    print(f"{label}: link {name}: largest gap between the cumulative exit curves "
                          f"{np.max(np.abs(a[:n] - b[:n])):.0f} vehicles (a platoon is {PARAMS['platoon']})")
        PARAMS["seed"] = 0
        print(f"{label:10s} urbplex ({len(mine['ttt'])} seeds): {summary(mine['ttt'], mine['delay'], mine['completed'])}"
              f", {np.median(mine['s']):.3f} s")
        print(f"{'':10s} UXsim   ({len(peer['ttt'])} seeds): "
              f"{summary(peer['ttt'], peer['delay'], peer['completed'])}, {np.median(peer['s']):.3f} s")
        print(f"{'':10s} UXsim C++ ({len(peer_cpp['ttt'])} seeds): "
              f"{summary(peer_cpp['ttt'], peer_cpp['delay'], peer_cpp['completed'])}, {np.median(peer_cpp['s']):.3f} s")
        print(f"{'':10s} ratio of means: TTT {np.mean(mine['ttt']) / np.mean(peer['ttt']):.4f} (C++ "
              f"{np.mean(mine['ttt']) / np.mean(peer_cpp['ttt']):.4f}), mean delay "
              f"{np.mean(mine['delay']) / np.mean(peer['delay']):.4f} (C++ "
              f"{np.mean(mine['delay']) / np.mean(peer_cpp['delay']):.4f}); speed (medians) "
              f"{np.median(peer['s']) / np.median(mine['s']):.0f}x the Python engine, "
              f"{np.median(peer_cpp['s']) / np.median(mine['s']):.1f}x the C++ engine\n")
    day_to_day_vs_uxsim(args.uxsim)
    if not args.no_large:
        large()
        demo_day()


if __name__ == "__main__":
    main()
