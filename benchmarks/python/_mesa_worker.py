"""Runs Mesa's own Schelling example (mesa.examples.basic.schelling, Mesa 3.x)
in Mesa's venv for bench_agents.py.

Usage: python _mesa_worker.py WIDTH HEIGHT STEPS REPEAT
Prints one JSON line: the Mesa version, agents, and the wall time of each
repeat (model construction + STEPS steps; seeds 1..REPEAT).
"""
import json
import sys
import time

import mesa
from mesa.examples.basic.schelling.model import Schelling


def main():
    width, height, steps, repeat = (int(v) for v in sys.argv[1:5])
    times, agents, happy = [], 0, []
    for seed in range(1, repeat + 1):
        t = time.perf_counter()
        m = Schelling(width=width, height=height, seed=seed)  # density 0.8, minority 0.5, homophily 0.4
        for _ in range(steps):
            m.step()
        times.append(time.perf_counter() - t)
        agents = len(m.agents)
        happy.append(m.happy / len(m.agents))
    print(json.dumps({"mesa": mesa.__version__, "agents": agents, "times": times, "happy": happy}))


if __name__ == "__main__":
    main()
