"""One Newman–Ziff sweep: urbplex vs graph-tool on the same graph and order, same run.

Inputs: an Erdős–Rényi graph with 10^6 vertices and ~5*10^6 edges, and a
1000x1000 square lattice. graph-tool (Debian's python3-graph-tool) runs in a
/usr/bin/python3 subprocess on the same edge list and order (.npy files);
construction is not timed on either side. graph-tool's vertex_percolation /
edge_percolation return S1, or S2 with second=True, per call; urbplex's sweep
returns S1, S2, the number of clusters and the finite-cluster moments at
once. graph-tool's second=True is quadratic in n (measured: 0.026 s at 10^4,
0.22 s at 3*10^4, 2.4 s at 10^5 vertices), so the S2 comparison runs at
10^5 vertices unless --second-at-full-size is given (minutes per call).
Single-threaded (a sweep is serial); then realizations on 1 vs 2 threads.
igraph has no percolation sweep, so it is not in this table.

Run: .venv/bin/python benchmarks/python/bench_percolation.py [--second-at-full-size]
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _timing import median_time, report  # noqa: E402

os.environ.setdefault("OMP_NUM_THREADS", "1")
import urbplex as ux  # noqa: E402
from urbplex import _core  # noqa: E402

GT_SCRIPT = r"""
import json, sys, time, statistics
import numpy as np
import graph_tool.all as gt
d = sys.argv[1]
edges = np.load(d + "/edges.npy"); n = int(open(d + "/n").read())
g = gt.Graph(directed=False); g.add_vertex(n); g.add_edge_list(edges)
vorder = np.load(d + "/vorder.npy"); eorder_pairs = edges[np.load(d + "/eorder.npy")]
out = {}
calls = [("site S1", lambda: gt.vertex_percolation(g, vorder)), ("bond S1", lambda: gt.edge_percolation(g, eorder_pairs))]
if sys.argv[3] == "1":
    calls += [("site S2", lambda: gt.vertex_percolation(g, vorder, second=True)),
              ("bond S2", lambda: gt.edge_percolation(g, eorder_pairs, second=True))]
for name, fn in calls:
    ts = []
    for _ in range(int(sys.argv[2]) if "S1" in name else 1):
        t = time.perf_counter(); r = fn(); ts.append(time.perf_counter() - t)
    out[name] = statistics.median(ts)
    out[name + " last"] = int(np.asarray(r[0])[-1])
print(json.dumps(out))
"""


def graph_tool_times(g: ux.Graph, vorder, eorder, repeat: int, second: bool) -> dict:
    with tempfile.TemporaryDirectory() as d:
        np.save(f"{d}/edges.npy", np.column_stack([g.edge_sources, g.edge_targets]).astype(np.int64))
        np.save(f"{d}/vorder.npy", vorder.astype(np.int64))
        np.save(f"{d}/eorder.npy", eorder.astype(np.int64))
        open(f"{d}/n", "w").write(str(g.n))
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env["OMP_NUM_THREADS"] = "1"
        res = subprocess.run(["/usr/bin/python3", "-c", GT_SCRIPT, d, str(repeat), "1" if second else "0"],
                             capture_output=True, text=True,
                             env=env, timeout=3600)
        if res.returncode != 0:
            raise RuntimeError(res.stderr)
        return json.loads(res.stdout)


def bench(label: str, g: ux.Graph, repeat: int, second: bool) -> list:
    rng = np.random.default_rng(1)
    vorder = rng.permutation(g.n).astype(np.uint32)
    eorder = rng.permutation(g.m).astype(np.uint32)
    rows = []
    ours_site = median_time(lambda: _core.percolation_order(g._g, "site", vorder, 0, 0), repeat)
    ours_bond = median_time(lambda: _core.percolation_order(g._g, "bond", eorder, 0, 0), repeat)
    s = _core.percolation_order(g._g, "site", vorder, 0, 0)
    b = _core.percolation_order(g._g, "bond", eorder, 0, 0)
    gt = graph_tool_times(g, vorder, eorder, repeat, second)
    assert gt["site S1 last"] == s["largest"][-1] and gt["bond S1 last"] == b["largest"][-1], "results differ"
    for kind, ours in (("site", ours_site), ("bond", ours_bond)):
        rows.append((f"{label} {kind}: S1", "urbplex", ours))
        rows.append((f"{label} {kind}: S1", "graph-tool", gt[f"{kind} S1"]))
        if second:
            rows.append((f"{label} {kind}: S1+S2", "urbplex", ours))
            rows.append((f"{label} {kind}: S1+S2", "graph-tool", gt[f"{kind} S1"] + gt[f"{kind} S2"]))
    full = median_time(lambda: ux.percolation.sweep(g, vorder, kind="site"), repeat)
    print(f"{label}: full Python API site sweep (validation + canonical table) {full:.3f} s")
    return rows


def scaling(g: ux.Graph) -> None:
    code = ("import time, urbplex as ux; g = ux.io.load_graph({p!r}, 'g'); t = time.perf_counter(); "
            "ux.percolation.bond(g, realizations=8, seed=1); print(time.perf_counter() - t)")
    with tempfile.TemporaryDirectory() as d:
        path = f"{d}/g.h5"
        g.save(path, "g")
        times = {}
        for threads in ("1", "2"):
            env = dict(os.environ, OMP_NUM_THREADS=threads)
            out = subprocess.run([sys.executable, "-c", code.format(p=path)], capture_output=True, text=True, env=env)
            times[threads] = float(out.stdout.strip())
    print(f"8 bond realizations: 1 thread {times['1']:.2f} s, 2 threads {times['2']:.2f} s, "
          f"speed-up {times['1'] / times['2']:.2f}x")


def main() -> None:
    repeat = int(os.environ.get("REPEAT", "5"))
    full_second = "--second-at-full-size" in sys.argv
    er = ux.generators.erdos_renyi(1_000_000, mean_degree=10.0, seed=1)
    lat = ux.generators.square_lattice(1000)
    small = ux.generators.erdos_renyi(100_000, mean_degree=10.0, seed=1)
    print(f"ER: n={er.n}, m={er.m}; lattice: n={lat.n}, m={lat.m}; small ER: n={small.n}, m={small.m}")
    rows = (bench("ER 1e6", er, repeat, full_second) + bench("lattice 1000^2", lat, repeat, full_second)
            + bench("ER 1e5", small, repeat, True))
    report("One sweep, single-threaded (median seconds; ratio > 1: urbplex faster). urbplex's sweep always "
           "yields S1, S2, cluster count and finite-cluster moments together", rows)
    scaling(er)


if __name__ == "__main__":
    main()
