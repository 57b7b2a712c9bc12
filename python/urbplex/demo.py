"""The demo pipeline (the README's main job): a synthetic spatial city, its
multiscale hierarchy, saved to HDF5 with provenance, and a printed summary."""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from . import datasets, generators, mobility, multiscale, percolation, routing, traffic
from .hierarchy import Hierarchy
from .result import RunResult


def synthetic_city(n: int = 50_000, *, side: float = 20_000.0, mean_degree: float = 6.0, seed: int = 1):
    """Street-like random geometric graph with a monocentric population.

    Population per node follows Clark's (1951) exponential density law,
    P ~ exp(-r / r0) with r0 = side / 8 around the centre, times lognormal
    noise; coordinates are in metres.
    """
    g = generators.random_geometric(n, mean_degree=mean_degree, side=side, seed=seed)
    rng = np.random.default_rng(seed)
    r = np.hypot(g.node("x") - side / 2, g.node("y") - side / 2)
    pop = 400.0 * np.exp(-r / (side / 8)) * rng.lognormal(0.0, 0.5, size=g.n)
    return g.with_node_attr("population", np.round(pop)).with_units(x="m", y="m", length="m", population="people")


def run(out: str = "demo-output/demo.h5", *, n: int = 50_000, seed: int = 1, cell: float = 500.0,
        levels: int = 4) -> Path:
    """The demo pipeline's first part: a synthetic city of ``n`` street nodes and its
    ``levels``-level hierarchy of ``cell``-metre cells, then bond percolation per level,
    attacks, radiation flows, EPR agents, communities and the Sioux Falls assignment, each
    saved to the store ``out`` with its provenance. Returns the store's path."""
    t0 = time.perf_counter()
    city = synthetic_city(n, seed=seed)
    t_graph = time.perf_counter() - t0
    comps = city.components()
    hier = Hierarchy.from_grid(city, cell=cell, levels=levels)
    hier.check()
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    city.save(path, "city", overwrite=True)
    hier.save(path, "city-grid", overwrite=True)
    summary = hier.summary()
    RunResult({"level": summary.index.to_numpy(), "nodes": summary["nodes"].to_numpy(),
               "edges": summary["edges"].to_numpy(), "component_sizes": comps.sizes},
              model="demo.summary", parameters={"n": n, "cell": cell, "levels": levels}, seed=seed
              ).save(path, "summary", overwrite=True)
    print(f"synthetic city: {city.n} nodes, {city.m} edges, built in {t_graph:.2f} s; "
          f"{comps.count} components, giant = {comps.giant_fraction:.3f} of the nodes; "
          f"total population {city.node('population').sum():.0f}")
    print(f"grid hierarchy (cell {cell:g} m, factor 2):")
    print(summary.to_string())
    # Percolation on every level of the hierarchy, and the robustness of the streets.
    print("bond percolation on each level (Newman-Ziff, 50 realizations):")
    for k in range(hier.num_levels):
        res = percolation.bond(hier, level=k, realizations=50, seed=seed)
        res.save(path, f"bond-level-{k}", overwrite=True)
        table = res.to_frame()
        half = table.loc[(table["p"] - 0.5).abs().idxmin(), "largest"]
        print(f"  level {k}: {hier.level(k).n:6d} nodes, S2 peaks at p = {res.peak_second():.3f}, "
              f"largest cluster at p = 0.5: {half:.3f}")
    for strategy in ("random", "adaptive_degree"):
        att = percolation.attack(city, strategy, seed=seed)
        att.save(path, f"attack-{strategy}", overwrite=True)
        print(f"  {strategy:16s} attack: robustness R = {att.robustness:.3f}")
    # Mobility between the neighbourhoods of level 2: radiation flows and d-EPR agents.
    level = min(2, hier.num_levels - 1)
    hoods = mobility.locations_of(hier, level=level)
    flows = mobility.radiation(hoods)
    flows.save(path, f"radiation-level-{level}", overwrite=True)
    agents = mobility.epr(hoods, agents=5000, steps=500, seed=seed, record=False)
    agents.save(path, f"epr-level-{level}", overwrite=True)
    print(f"mobility on level {level} ({hoods.n} neighbourhoods): radiation moves {flows.matrix.sum():.0f} "
          f"commuters; 5000 d-EPR agents x 500 jumps visit {agents.distinct.mean():.1f} places on average, "
          f"r_g median {np.median(agents.radius) / 1000:.2f} km")
    _traffic_day(city, hier, level, path, seed, flows)
    # Communities of the streets, and user equilibrium on Sioux Falls against the best-known flows.
    comm = multiscale.communities(city, method="leiden", seed=seed)
    comm.save(path, "leiden-city", overwrite=True)
    print(f"Leiden communities of the streets: {int(comm.data['count'][-1])} at the top level, "
          f"modularity {comm.modularity[-1]:.4f}, {len(comm.modularity)} levels")
    sf, demand, _, best = datasets.sioux_falls()
    assignment = routing.assign(sf, demand, method="bfw", gap=1e-4)
    assignment.save(path, "assignment-sioux-falls", overwrite=True)
    best_tstt = float((best["flow"] * best["cost"]).sum())
    print(f"Sioux Falls user equilibrium: gap {assignment.gaps[-1]:.1e} after {assignment.gaps.size} iterations, "
          f"TSTT {assignment.tstt:.6g} (best known {best_tstt:.6g})")
    print(f"saved graph 'city', hierarchy 'city-grid' and runs to {path}")
    return path


def _traffic_day(city, hier, level: int, path: Path, seed: int, flows, *, vehicles: int = 10) -> None:
    """A commuting day on the streets: the radiation flows between the
    neighbourhoods of ``level`` (4 commuters per street node) go home -> work
    -> home between the neighbourhoods' centroid street nodes, leaving at the
    default profile's times (peaks 7-8 h and 16-17 h), in platoons of
    ``vehicles`` cars on every street (both directions, 50 km/h) with dynamic
    user-optimal routes; traffic percolation is read every 30 minutes (Li et
    al. 2015), then plotted to traffic-percolation.png next to the store when
    matplotlib is there: q_c(t) and the speed ratio fall at the rush hours."""
    t0 = time.perf_counter()
    doors = traffic.zone_nodes(hier, level)
    m = flows.matrix if isinstance(flows.matrix, np.ndarray) else flows.matrix.toarray()
    m = m * ((doors[:, None] >= 0) & (doors[None, :] >= 0))  # neighbourhoods off the drivable streets: no trips
    commuters = 4 * city.n
    trips = traffic.commuting_demand(m, zones=doors, scale=commuters / m.sum(), platoon=vehicles, seed=seed)
    net = traffic.network_from_graph(city, default_speed=13.9)
    run = traffic.simulate(net, trips, horizon=26 * 3600, platoon=vehicles, record_interval=1800, seed=seed)
    hourly = run.percolation()
    run.save(path, "traffic-day", overwrite=True)
    RunResult({k: hourly[k].to_numpy() for k in ("start", "q_c", "mean_r")}, model="traffic.percolation",
              parameters={"record_interval": 1800}, seed=seed).save(path, "traffic-percolation", overwrite=True)
    hour = (hourly["start"] + 900) / 3600
    peaks = {name: hourly[(hour >= a) & (hour < b)] for name, a, b in (("morning", 6, 10), ("evening", 15, 20))}
    print(f"a commuting day on the streets ({net.links} directed links, DUO): {commuters} commuters in "
          f"{len(trips)} platoon trips of {vehicles}, {run.completed:.3f} arrived, mean delay {run.mean_delay:.0f} s, "
          f"{time.perf_counter() - t0:.1f} s; " + "; ".join(
              f"{name} peak: q_c {p['q_c'].min():.2f}, speed ratio {p['mean_r'].min():.3f}" for name, p in peaks.items())
          + f"; night q_c {hourly['q_c'][hour < 4].min():.2f}")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("  (pip install 'urbplex[plot]' to plot q_c(t))")
        return
    fig, ax = plt.subplots(figsize=(7, 3.5))
    run.plot_percolation(hourly, ax=ax)
    ax.set_title("Traffic percolation through the day (demo city)")
    fig.tight_layout()
    fig.savefig(path.parent / "traffic-percolation.png", dpi=120)
    plt.close(fig)
    print(f"  q_c(t) plotted to {path.parent / 'traffic-percolation.png'}")
