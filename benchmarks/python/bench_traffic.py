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


def large(links_side=50, vehicles=1_000_000, seed=1, route_choice="duo"):
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
    times = []
    for _ in range(3):
        t = time.perf_counter()
        run = ux.traffic.simulate(net, trips, horizon=86400.0, platoon=PARAMS["platoon"], route_interval=600.0,
                                  seed=seed, route_choice=route_choice)
        times.append(time.perf_counter() - t)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"24 h, {vehicles} vehicles ({platoons} platoons, {trips['destination'].nunique()} destinations), "
          f"{net.links} links, {route_choice}, {ux.get_num_threads()} threads: median {np.median(times):.2f} s; "
          f"completed {100 * run.completed:.1f}%; route searches {run.route_searches[0]}; peak RSS {rss:.0f} MiB")


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


def demo_day(route_choice="fixed"):
    """The demo's day of EPR agents on the demo city (before the commuting day replaced it)."""
    from urbplex.demo import synthetic_city

    city = synthetic_city(50_000, seed=1)
    h = ux.Hierarchy.from_grid(city, cell=500.0, levels=4)
    agents = ux.mobility.epr(ux.mobility.locations_of(h, level=2), agents=3000, steps=60, seed=1, record=True)
    trips = ux.traffic.trips_from_agents(agents, start_hour=0, end_hour=24, hierarchy=h, level=2, door="centroid")
    net = ux.traffic.network_from_graph(city, default_speed=13.9)
    times = []
    for _ in range(3):
        t = time.perf_counter()
        run = ux.traffic.simulate(net, trips, horizon=26 * 3600, platoon=10, route_choice=route_choice,
                                  record_interval=3600, seed=1)
        times.append(time.perf_counter() - t)
    print(f"demo EPR day: {len(trips)} trips x 10 cars on {net.links} links ({trips['destination'].nunique()} "
          f"destinations), 26 h, {route_choice}: median {np.median(times):.1f} s; mean delay {run.mean_delay:.0f} s")


def metropolitan_day(commuters=1_000_000, platoon=5, seed=1):
    """10^6 commuters home -> work -> home on the demo city (300 438 links): radiation flows between its
    level-2 neighbourhoods, doors at their centroid street nodes, the default departure profile, DUO."""
    from urbplex.demo import synthetic_city

    city = synthetic_city(50_000, seed=seed)
    h = ux.Hierarchy.from_grid(city, cell=500.0, levels=4)
    flows = ux.mobility.radiation(ux.mobility.locations_of(h, level=2)).matrix
    flows = flows if isinstance(flows, np.ndarray) else flows.toarray()
    doors = ux.traffic.zone_nodes(h, 2)
    flows = flows * ((doors[:, None] >= 0) & (doors[None, :] >= 0))
    trips = ux.traffic.commuting_demand(flows, zones=doors, scale=commuters / flows.sum(), platoon=platoon, seed=seed)
    net = ux.traffic.network_from_graph(city, default_speed=13.9)
    t = time.perf_counter()
    run = ux.traffic.simulate(net, trips, horizon=26 * 3600, platoon=platoon, record_interval=1800, seed=seed)
    elapsed = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tab = run.percolation()
    hour = (tab["start"] + 900) / 3600
    am, pm = tab[(hour >= 6) & (hour < 10)], tab[(hour >= 15) & (hour < 20)]
    print(f"metropolitan day: {commuters} commuters ({len(trips)} platoon trips of {platoon}, "
          f"{trips['destination'].nunique()} destinations) on {net.links} links, DUO, {ux.get_num_threads()} "
          f"threads: {elapsed:.1f} s; completed {100 * run.completed:.2f}%; peak RSS {rss:.0f} MiB\n"
          f"  morning minimum q_c {am['q_c'].min():.3f} at {hour[am['q_c'].idxmin()]:.2f} h, mean r "
          f"{am['mean_r'].min():.3f}; evening q_c {pm['q_c'].min():.3f} at {hour[pm['q_c'].idxmin()]:.2f} h, mean r "
          f"{pm['mean_r'].min():.3f}; night q_c {tab['q_c'][hour < 4].min():.3f}")


def intersection_vs_uxsim(python, seeds=16, lanes=2, green=(30.0, 30.0), flow=0.6):
    """(e) A signalised four-approach intersection: 1 km approaches and exits of `lanes` lanes (jam density 0.2
    veh/m per lane), N-S green in phase 0 and E-W in phase 1, each approach sending `flow` veh/s for 1 h, 60%
    straight on and 20% to each side (merges at the exits). UXsim runs a phase of g s for floor(g / dt) + 1
    steps (its phase clock switches when the time in phase exceeds g), so it is given g - dt for our g."""
    arms, opposite = "NSEW", {"N": "S", "S": "N", "E": "W", "W": "E"}
    links = [(f"{a}in", f"{a}0", "I", 1000.0, 20.0, 0.2, 1.0) for a in arms]
    links += [(f"{a}out", "I", f"{a}1", 1000.0, 20.0, 0.2, 1.0) for a in arms]
    demands = [(f"{a}0", f"{b}1", 0.0, 3600.0, flow * (0.6 if b == opposite[a] else 0.2))
               for a in arms for b in arms if b != a]
    horizon = 6000.0
    frame = pd.DataFrame(links, columns=["id", "from", "to", "length", "free_speed", "jam_density",
                                         "merge_priority"]).set_index("id").assign(lanes=lanes)
    net = ux.traffic.network(frame, signals={"I": [(green[0], ["Nin", "Sin"]), (green[1], ["Ein", "Win"])]})
    trips = pd.concat([ux.traffic.demand(o, d, t0, t1, f) for o, d, t0, t1, f in demands], ignore_index=True)
    dt = PARAMS["reaction_time"] * PARAMS["platoon"]
    extra = {"link_extra": {l[0]: {"number_of_lanes": lanes, "jam_density_per_lane": 0.2,
                                   **({"signal_group": [0 if l[0][0] in "NS" else 1]} if l[0].endswith("in") else {})}
                            for l in links},
             "node_extra": {"I": {"signal": [g - dt for g in green]}}}
    mine, py, cpp = [], [], []
    for seed in range(seeds):
        PARAMS["seed"] = seed
        t = time.perf_counter()
        run = ux.traffic.simulate(net, trips, horizon=horizon, seed=seed)
        mine.append((run.total_travel_time, time.perf_counter() - t))
        for out, engine in ((py, False), (cpp, True)):
            sk = theirs(python, links, demands, horizon, [], cpp=engine, **extra)
            out.append((sk["total_travel_time"], sk["seconds"]))
    PARAMS["seed"] = 0
    m, p, c = (np.array(v) for v in (mine, py, cpp))
    print(f"intersection ({lanes} lanes, greens {green[0]:g}/{green[1]:g} s, {seeds} seeds): TTT urbplex "
          f"{m[:, 0].mean() / 3600:.1f}, UXsim {p[:, 0].mean() / 3600:.1f}, UXsim C++ {c[:, 0].mean() / 3600:.1f} "
          f"veh-h: ratios {m[:, 0].mean() / p[:, 0].mean():.4f} / {m[:, 0].mean() / c[:, 0].mean():.4f}; speed "
          f"{np.median(p[:, 1]) / np.median(m[:, 1]):.0f}x / {np.median(c[:, 1]) / np.median(m[:, 1]):.1f}x\n")


def sioux_falls_vs_uxsim(python, seeds=16, share=0.1, duration=3600.0, horizon=14400.0):
    """(f) Sioux Falls (TNTP, 24 nodes, 76 links) as a dynamic scenario on both engines: link length = free-flow
    time x 1 km/min at 20 m/s free speed (so the TNTP free-flow times are kept to within 17%), 2 lanes on
    the links of capacity >= 10 000 veh/h (1 otherwise), `share` of the daily OD trips in `duration` s, DUO."""
    g, od, _, _ = ux.datasets.sioux_falls()
    src, dst = np.asarray(g.edge_sources), np.asarray(g.edge_targets)
    fft = np.asarray(g.numeric_edge("free_flow_time"))
    cap = np.asarray(g.numeric_edge("capacity"))
    lanes = np.where(cap >= 10_000, 2, 1)
    links = [(f"l{e}", f"n{src[e]}", f"n{dst[e]}", float(fft[e] * 1000.0), 20.0, 0.2, 1.0) for e in range(src.size)]
    demands = [(f"n{i}", f"n{j}", 0.0, duration, float(od[i, j] * share / duration))
               for i in range(od.shape[0]) for j in range(od.shape[1]) if i != j and od[i, j] > 0]
    frame = pd.DataFrame(links, columns=["id", "from", "to", "length", "free_speed", "jam_density",
                                         "merge_priority"]).set_index("id").assign(lanes=lanes)
    net = ux.traffic.network(frame)
    trips = pd.concat([ux.traffic.demand(o, d, t0, t1, f) for o, d, t0, t1, f in demands], ignore_index=True)
    extra = {"link_extra": {l[0]: {"number_of_lanes": int(k), "jam_density_per_lane": 0.2}
                            for l, k in zip(links, lanes)}}
    mine, py, cpp = [], [], []
    for seed in range(seeds):
        PARAMS["seed"] = seed
        t = time.perf_counter()
        run = ux.traffic.simulate(net, trips, horizon=horizon, seed=seed, route_interval=PARAMS["route_interval"])
        mine.append((run.total_travel_time, time.perf_counter() - t, run.completed))
        for out, engine in ((py, False), (cpp, True)):
            sk = theirs(python, links, demands, horizon, [], cpp=engine, **extra)
            out.append((sk["total_travel_time"], sk["seconds"], sk["completed"]))
    PARAMS["seed"] = 0
    m, p, c = (np.array(v) for v in (mine, py, cpp))
    se = lambda v: v.std(ddof=1) / np.sqrt(v.size) / 3600  # noqa: E731
    print(f"Sioux Falls ({len(trips)} platoons of {PARAMS['platoon']}, {seeds} seeds): TTT urbplex "
          f"{m[:, 0].mean() / 3600:.1f} +- {se(m[:, 0]):.1f}, UXsim {p[:, 0].mean() / 3600:.1f} +- {se(p[:, 0]):.1f}, "
          f"UXsim C++ {c[:, 0].mean() / 3600:.1f} +- {se(c[:, 0]):.1f} veh-h (completed {m[:, 2].mean():.3f} / "
          f"{p[:, 2].mean():.3f} / {c[:, 2].mean():.3f}): ratios {m[:, 0].mean() / p[:, 0].mean():.4f} / "
          f"{m[:, 0].mean() / c[:, 0].mean():.4f}; speed {np.median(p[:, 1]) / np.median(m[:, 1]):.0f}x / "
          f"{np.median(c[:, 1]) / np.median(m[:, 1]):.1f}x ({np.median(m[:, 1]):.3f} s against "
          f"{np.median(c[:, 1]):.3f} s)\n")


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
    intersection_vs_uxsim(args.uxsim, seeds=4 * args.seeds)
    sioux_falls_vs_uxsim(args.uxsim, seeds=4 * args.seeds)
    if not args.no_large:
        print()
        large(vehicles=100_000, route_choice="duo")
        large(vehicles=100_000, route_choice="fixed")
        large()
        demo_day("fixed")
        demo_day("duo")
        metropolitan_day()


if __name__ == "__main__":
    main()
