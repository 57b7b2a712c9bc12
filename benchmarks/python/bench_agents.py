"""Agent-based models written by the user (urbplex.agents) against Mesa 3.x.

Side by side, same run:
1. Schelling at 10^4 agents (112 x 112 grid, Mesa's example parameters:
   density 0.8, minority 0.5, homophily 0.4, Moore neighbourhood, open
   edges), 30 steps: Mesa's own example (its venv, _mesa_worker.py) against
   urbplex.agents.examples.schelling, with numba's bounds checks (the
   default) and without; wall time of construction + steps, medians.
2. Schelling at 10^7 agents x 100 steps (urbplex only, a fresh process per
   setting): wall time, peak RSS, bytes per agent.
3. The same rule (Schelling's judging of every agent, 10^6 agents) as a
   Python rule compiled by numba and as the C++ policy
   (include/urbplex/agents/schelling.hpp through agents::apply_parallel).
4. The same rule vectorised in numpy (whole-grid shifted arrays), the other
   way to write fast Python rules.
5. Threads: the Python rule's stage on 1 and 2 threads, on a quiet machine
   and beside one CPU-bound process.

Run: .venv/bin/python benchmarks/python/bench_agents.py [--mesa .venv-mesa/bin/python] [--skip-large]
(make the Mesa venv with: python3 -m venv .venv-mesa && .venv-mesa/bin/pip install mesa networkx;
Mesa's examples package imports networkx)
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import urbplex as ux  # noqa: E402
import urbplex.agents as ua  # noqa: E402
from _timing import median_time  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SCH = importlib.import_module("urbplex.agents.examples.schelling")


def mesa_vs_urbplex(mesa_python: str, side: int, steps: int, repeat: int) -> dict:
    out = subprocess.run([mesa_python, os.path.join(HERE, "_mesa_worker.py"), str(side), str(side), str(steps),
                          str(repeat)], check=True, capture_output=True, text=True)
    mesa = json.loads(out.stdout.strip().splitlines()[-1])
    t_mesa = float(np.median(mesa["times"]))
    row = {"agents": mesa["agents"], "mesa_version": mesa["mesa"], "mesa_s": t_mesa}
    for bc in (True, False):
        t = time.perf_counter()
        ua.examples.schelling(side, side, steps=1, seed=0, boundscheck=bc)
        compile_s = time.perf_counter() - t
        seeds = iter(range(1, 100))
        ours = median_time(lambda: ua.examples.schelling(side, side, steps=steps, seed=next(seeds),
                                                         boundscheck=bc), repeat=repeat)
        key = "checked" if bc else "unchecked"
        row[f"urbplex_{key}_s"] = ours
        row[f"ratio_{key}"] = t_mesa / ours
        row[f"compile_{key}_s"] = compile_s
    return row


LARGE = """
import resource, sys, time, json
import urbplex.agents as ua
side, steps, bc = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
ua.examples.schelling(30, 30, steps=1, seed=1, boundscheck=bc)   # compile outside the timing
t = time.perf_counter()
r = ua.examples.schelling(side, side, steps=steps, seed=1, boundscheck=bc)
el = time.perf_counter() - t
print(json.dumps({"agents": int(r.data["cell"].size), "seconds": el,
                  "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "happy_final": float(r.data["happy"][-1]), "segregation_final": float(r.data["segregation"][-1])}))
"""


def large(side: int, steps: int) -> dict:
    rows = {}
    for bc in (True, False):
        out = subprocess.run([sys.executable, "-c", LARGE, str(side), str(steps), "1" if bc else "0"],
                             check=True, capture_output=True, text=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        r["bytes_per_agent"] = r["peak_rss"] / r["agents"]
        rows["checked" if bc else "unchecked"] = r
    return rows


def _judge_setup(side: int):
    grid = ua.Grid(side, side)
    agents = ua.Agents({"cell": np.int32, "kind": ("category", ["majority", "minority"]), "happy": "bool",
                        "share": "float", "stale": "bool"})
    rs = np.random.default_rng(1)
    cells = np.flatnonzero(rs.random(grid.n_cells) < 0.8)
    kind = rs.random(cells.size) < 0.5
    ids = agents.add(cells.size, kind=kind.astype(np.int64))
    grid.place(agents, ids, cells)
    layer = grid.add_layer("kind", np.int8, -1)
    layer[cells] = kind
    return grid, agents, layer


def numpy_judge(kind_at: np.ndarray, width: int, height: int, cell: np.ndarray, homophily: float):
    """Schelling's judging vectorised over the whole grid: 8 shifted views."""
    grid = kind_at.reshape(height, width)
    pad = np.full((height + 2, width + 2), -1, dtype=np.int8)
    pad[1:-1, 1:-1] = grid
    total = np.zeros((height, width), dtype=np.int8)
    same = np.zeros((height, width), dtype=np.int8)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if dx == dy == 0:
                continue
            nb = pad[1 + dy:1 + dy + height, 1 + dx:1 + dx + width]
            occupied = nb >= 0
            total += occupied
            same += occupied & (nb == grid)
    t = total.ravel()[cell]
    s = same.ravel()[cell]
    share = np.where(t > 0, s / np.maximum(t, 1), 0.0)
    return ~(share < homophily), np.where(t > 0, share, -1.0)


def rule_vs_policy(side: int, repeat: int) -> dict:
    grid, agents, layer = _judge_setup(side)
    judge = ua.Stage(SCH.assign_state, order="parallel", writes=("happy", "share", "stale"))
    row = {"agents": agents.size}
    for bc in (True, False):
        m = ua.Model(agents, grid, [judge], params={"homophily": 0.4}, boundscheck=bc)
        m.apply(judge)
        row["python_checked_s" if bc else "python_unchecked_s"] = median_time(lambda: m.apply(judge), repeat)
    happy = np.zeros(agents.size, bool)
    share = np.zeros(agents.size)
    order = grid.occupant[grid.occupant >= 0]
    args = (order, agents["cell"], agents["kind"], layer, grid.indptr, grid.indices, 0.4, happy, share)
    row["cpp_s"] = median_time(lambda: ux._core.agents_schelling_judge(*args), repeat)
    assert np.array_equal(happy, agents["happy"]) and np.array_equal(share, agents["share"])
    h, s = numpy_judge(layer, side, side, agents["cell"], 0.4)
    assert np.array_equal(h, happy) and np.array_equal(s, share)
    row["numpy_s"] = median_time(lambda: numpy_judge(layer, side, side, agents["cell"], 0.4), repeat)
    for k in ("python_checked_s", "python_unchecked_s", "numpy_s"):
        row[k.replace("_s", "_over_cpp")] = row[k] / row["cpp_s"]
    # threads, quiet and beside one CPU-bound process
    m = ua.Model(agents, grid, [judge], params={"homophily": 0.4}, boundscheck=True)
    for label in ("quiet", "busy"):
        spin = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if label == "busy" else None
        try:
            t = {}
            for n in (1, 2):
                with ux.threads(n):
                    m.apply(judge)
                    t[n] = median_time(lambda: m.apply(judge), repeat)
            row[f"threads_{label}_1t_s"], row[f"threads_{label}_2t_s"] = t[1], t[2]
            row[f"threads_{label}_2t_over_1t"] = t[2] / t[1]
        finally:
            if spin is not None:
                spin.kill()
                spin.wait()
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mesa", default=os.path.join(HERE, "..", "..", ".venv-mesa", "bin", "python"))
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    result = {}
    print("== 1. Schelling, 10^4 agents, 30 steps: Mesa's example vs urbplex.agents")
    r = result["schelling_1e4"] = mesa_vs_urbplex(args.mesa, 112, 30, 3)
    print(f"  {r['agents']} agents; Mesa {r['mesa_version']} {r['mesa_s']:.3f} s; urbplex checked "
          f"{r['urbplex_checked_s'] * 1e3:.2f} ms ({r['ratio_checked']:.0f}x), unchecked "
          f"{r['urbplex_unchecked_s'] * 1e3:.2f} ms ({r['ratio_unchecked']:.0f}x); first compile "
          f"{r['compile_checked_s']:.1f} s / {r['compile_unchecked_s']:.1f} s")
    print("== 3-5. One rule, 10^6 agents: numba rule vs C++ policy vs numpy; threads")
    r = result["rule_1e6"] = rule_vs_policy(1118, args.repeat)
    print(f"  {r['agents']} agents: C++ {r['cpp_s'] * 1e3:.1f} ms; numba checked {r['python_checked_s'] * 1e3:.1f} ms "
          f"({r['python_checked_over_cpp']:.2f}x C++), unchecked {r['python_unchecked_s'] * 1e3:.1f} ms "
          f"({r['python_unchecked_over_cpp']:.2f}x); numpy {r['numpy_s'] * 1e3:.1f} ms ({r['numpy_over_cpp']:.2f}x)")
    for label in ("quiet", "busy"):
        print(f"  {label}: 1 thread {r[f'threads_{label}_1t_s'] * 1e3:.1f} ms, 2 threads "
              f"{r[f'threads_{label}_2t_s'] * 1e3:.1f} ms (2t/1t {r[f'threads_{label}_2t_over_1t']:.2f})")
    if not args.skip_large:
        print("== 2. Schelling, 10^7 agents x 100 steps")
        r = result["schelling_1e7"] = large(3536, 100)
        for k, v in r.items():
            print(f"  {k}: {v['agents']} agents, {v['seconds']:.1f} s, peak RSS {v['peak_rss'] / 2**30:.2f} GiB "
                  f"({v['bytes_per_agent']:.0f} B/agent), final happy {v['happy_final']:.4f}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
