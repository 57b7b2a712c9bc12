"""User-equilibrium assignment on Sioux Falls: urbplex vs AequilibraE (pip
aequilibrae) on the same network and trips, same algorithm (bi-conjugate
Frank-Wolfe) and target relative gap, in the same run. AequilibraE's graph is
built from the same link table (no spatialite project); only its execute()
is timed (its progress bars, on stderr, are part of its cost). Also compares the flows of both with the best-known solution.

Run: .venv/bin/python benchmarks/python/bench_assignment.py [--gap 1e-4 1e-5]
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from _timing import median_time, report  # noqa: E402

import urbplex as ux  # noqa: E402


def aequilibrae_runner(g, demand, gap, algorithm="bfw"):
    from aequilibrae.matrix import AequilibraeMatrix
    from aequilibrae.paths import Graph, TrafficAssignment, TrafficClass

    net = pd.DataFrame({"link_id": np.arange(1, g.m + 1), "a_node": g.edge_sources + 1, "b_node": g.edge_targets + 1,
                        "direction": 1, "free_flow_time": g.edge("free_flow_time"), "capacity": g.edge("capacity"),
                        "b": g.edge("b"), "power": g.edge("power")})
    zones = demand.shape[0]

    def run():
        ag = Graph()
        ag.network = net
        ag.prepare_graph(np.arange(1, zones + 1))
        ag.set_graph("free_flow_time")
        ag.set_skimming(["free_flow_time"])
        ag.set_blocked_centroid_flows(False)
        mat = AequilibraeMatrix()
        mat.create_empty(zones=zones, matrix_names=["matrix"], memory_only=True)
        mat.index[:] = np.arange(1, zones + 1)
        mat.matrix["matrix"][:, :] = demand
        mat.computational_view(["matrix"])
        ta = TrafficAssignment()
        ta.set_classes([TrafficClass("car", ag, mat)])
        ta.set_vdf("BPR")
        ta.set_vdf_parameters({"alpha": "b", "beta": "power"})
        ta.set_capacity_field("capacity")
        ta.set_time_field("free_flow_time")
        ta.set_algorithm(algorithm)
        ta.max_iter = 10000
        ta.rgap_target = gap
        return ta

    return run


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gap", type=float, nargs="+", default=[1e-4, 1e-5])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    g, demand, meta, best = ux.datasets.sioux_falls()
    rows = []
    for gap in args.gap:
        box = {}
        rows.append((f"Sioux Falls BFW to gap {gap:g}", "urbplex",
                     median_time(lambda: box.__setitem__("r", ux.routing.assign(g, demand, method="bfw", gap=gap)),
                                 args.repeat)))
        ours = box["r"]
        f = ours.to_frame().merge(best, on=["source", "target"], suffixes=("", "_best"))
        msg = (f"gap {gap:g}: urbplex {ours.gaps.size} iterations, final gap {ours.gaps[-1]:.2e}, max flow error vs "
               f"best-known {np.max(np.abs(f.flow - f.flow_best) / f.flow_best):.2%}, TSTT {ours.tstt:.6g} "
               f"(best-known {(best.flow * best.cost).sum():.6g})")
        try:
            make = aequilibrae_runner(g, demand, gap)
            tas = []

            def run_aeq():
                ta = make()
                import time

                t0 = time.perf_counter()
                ta.execute()
                tas.append((time.perf_counter() - t0, ta))

            for _ in range(args.repeat):
                run_aeq()
            tas.sort(key=lambda x: x[0])
            t_med, ta = tas[len(tas) // 2]
            rows.append((f"Sioux Falls BFW to gap {gap:g}", "aequilibrae", t_med))
            flows = ta.results()["matrix_ab"].to_numpy()
            msg += (f"; AequilibraE {ta.assignment.iter} iterations, gap {ta.assignment.rgap:.2e}, max flow "
                    f"error {np.max(np.abs(flows - f.flow_best.to_numpy()) / f.flow_best.to_numpy()):.2%}")
        except ImportError:
            msg += "; aequilibrae not installed"
        print(msg)
    report("Traffic assignment (ratio = AequilibraE / urbplex; execute() only for AequilibraE)", rows)


if __name__ == "__main__":
    main()
