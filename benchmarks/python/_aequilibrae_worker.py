"""Runs one static assignment in AequilibraE and prints its timing as JSON.
Executed with the interpreter of the separate AequilibraE venv
(see requirements-aequilibrae.txt); called by bench_assignment.py.

Input: an .npz with the link table (a_node, b_node 1-based, free_flow_time,
capacity, b, power), the zones x zones demand and the settings; the link
flows are written back to the output .npz. Only execute() is timed (graph
and matrix set-up excluded; its progress bars, on stderr, are part of its cost).
"""
import json
import sys
import time
import warnings

warnings.filterwarnings("ignore")


def main(inp, out):
    import numpy as np
    import pandas as pd
    from aequilibrae.matrix import AequilibraeMatrix
    from aequilibrae.paths import Graph, TrafficAssignment, TrafficClass

    z = np.load(inp)
    settings = json.loads(str(z["settings"]))
    m = z["a_node"].size
    net = pd.DataFrame({"link_id": np.arange(1, m + 1), "a_node": z["a_node"], "b_node": z["b_node"], "direction": 1,
                        "free_flow_time": z["free_flow_time"], "capacity": z["capacity"], "b": z["b"],
                        "power": z["power"]})
    zones = z["demand"].shape[0]
    ag = Graph()
    ag.network = net
    ag.prepare_graph(np.arange(1, zones + 1))
    ag.set_graph("free_flow_time")
    ag.set_skimming(["free_flow_time"])
    ag.set_blocked_centroid_flows(settings["blocked_centroids"])
    mat = AequilibraeMatrix()
    mat.create_empty(zones=zones, matrix_names=["matrix"], memory_only=True)
    mat.index[:] = np.arange(1, zones + 1)
    mat.matrix["matrix"][:, :] = z["demand"]
    mat.computational_view(["matrix"])
    ta = TrafficAssignment()
    ta.set_classes([TrafficClass("car", ag, mat)])
    ta.set_vdf("BPR")
    ta.set_vdf_parameters({"alpha": "b", "beta": "power"})
    ta.set_capacity_field("capacity")
    ta.set_time_field("free_flow_time")
    ta.set_algorithm(settings["algorithm"])
    ta.set_cores(settings["threads"])
    ta.max_iter = settings["max_iterations"]
    ta.rgap_target = settings["gap"]
    t0 = time.perf_counter()
    ta.execute()
    seconds = time.perf_counter() - t0
    res = ta.results()
    flows = res.loc[np.arange(1, m + 1), "matrix_ab"].to_numpy()
    np.savez(out, flow=flows)
    import resource

    print(json.dumps({"seconds": seconds, "iterations": int(ta.assignment.iter), "gap": float(ta.assignment.rgap),
                      "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
