"""Home-work commuters whose trips load the streets.

Each agent lives in a zone drawn in proportion to population and works in
a zone drawn from the radiation model's flows out of its home (Simini,
González, Maritan & Barabási, Nature 484, 96 (2012)). Through the day (steps
of ``dt`` minutes) a rule sends it to work at its morning departure time and
home at its evening one, both drawn from normal distributions around the
rush hours; every move is a trip. ``street_trips`` turns them into the
street-level trips of :func:`urbplex.traffic.simulate`, which loads the two
rush hours on the network.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from ..columns import Agents
from ..model import Model
from ..random import stream, uniform_array
from ..schedule import Stage


def commute(i, a, out, space, rng, p):
    """Commuter i goes to its work zone at its morning departure and home at its evening one
    (``p.clock[0]`` is the hour of the day)."""
    now = p.clock[0]
    if not a.at_work[i] and a.leave_home[i] <= now < a.leave_work[i]:
        out.zone[i] = a.work[i]
        out.at_work[i] = True
    elif a.at_work[i] and now >= a.leave_work[i]:
        out.zone[i] = a.home[i]
        out.at_work[i] = False


def _draw(weights: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Index drawn in proportion to ``weights`` (1-D, positive total) for each uniform of ``u``."""
    cdf = np.cumsum(weights)
    return np.minimum(np.searchsorted(cdf, u * cdf[-1], side="right"), weights.size - 1)


def commuters(city, *, level: Optional[int] = None, agents: int = 5000, morning: float = 8.0,
              evening: float = 17.5, spread: float = 1.0, dt: float = 5.0, seed: int = 0, jit: bool = True):
    """A day of ``agents`` home-work commuters over the zones of ``city``
    (a Hierarchy level, a Graph with x, y and population, or Locations).

    Departure times are normal around ``morning`` and ``evening`` (hours,
    standard deviation ``spread``). Returns a RunResult: per step (``dt``
    minutes) the share ``at_work``; the trips as ``trip_agent``,
    ``trip_origin``, ``trip_destination`` (zones) and ``trip_departure``
    (hours); and each agent's ``home`` and ``work``."""
    from ...mobility import radiation
    from ...mobility.locations import locations_of

    if agents < 1:
        raise ValueError(f"agents must be >= 1, got {agents}")
    if not (0 <= morning < evening <= 24 and spread > 0 and dt > 0):
        raise ValueError("need 0 <= morning < evening <= 24 (hours), spread > 0 and dt > 0 (minutes)")
    locs = locations_of(city, level=level)
    flows = radiation(locs).matrix
    mass = np.asarray(locs.mass, dtype=float)
    s = stream(seed, 0, 0xFFFF)
    home = _draw(mass, uniform_array(s, agents, 0))
    # workplaces zone by zone (one cumulative row per home zone, never an agents x zones matrix)
    u_work = uniform_array(s, agents, 1)
    work = home.copy()  # a zone without outflows: its people work at home
    order = np.argsort(home, kind="stable")
    zones, starts = np.unique(home[order], return_index=True)
    for z, lo, hi in zip(zones, starts, np.r_[starts[1:], order.size]):
        row = flows[z]
        if row.sum() > 0:
            who = order[lo:hi]
            work[who] = _draw(row, u_work[who])
    z = np.random.default_rng(seed).standard_normal((2, agents))
    leave_home = np.clip(morning + spread * z[0], 0, 24)
    leave_work = np.clip(evening + spread * z[1], leave_home, 24)
    people = Agents({"home": "int", "work": "int", "zone": "int", "at_work": "bool", "leave_home": "float",
                     "leave_work": "float"})
    people.add(agents, home=home, work=work, zone=home, leave_home=leave_home, leave_work=leave_work)
    clock = np.zeros(1)
    trips: list = []
    before = people["zone"].copy()

    def tick(model: Model) -> None:
        clock[0] = model.steps_done * dt / 60.0

    def record(model: Model) -> None:
        nonlocal before
        now = people["zone"]
        moved = np.flatnonzero(now != before)
        if moved.size:
            trips.append((moved, before[moved], now[moved].copy(), np.full(moved.size, clock[0])))
        before = now.copy()

    steps = int(np.ceil(24 * 60 / dt))
    model = Model(people, None, [tick, Stage(commute, writes=("zone", "at_work")), record],
                  params={"clock": clock}, seed=seed, jit=jit, name="commuters",
                  model_reporters={"at_work": lambda m: float(m.agents["at_work"].mean())})
    result = model.run(steps)
    cols = [np.concatenate(c) if trips else np.zeros(0) for c in zip(*trips)] if trips else [np.zeros(0)] * 4
    result.data.update(trip_agent=cols[0].astype(np.int64), trip_origin=cols[1].astype(np.int64),
                       trip_destination=cols[2].astype(np.int64), trip_departure=cols[3].astype(float),
                       home=home.astype(np.int64), work=work.astype(np.int64))
    result.parameters.update(agents=int(agents), morning=float(morning), evening=float(evening),
                             spread=float(spread), dt=float(dt))
    return result


def street_trips(result, hierarchy, level: int, *, seed: int = 0):
    """The commuters' trips between zones of ``level`` as street-level trips
    for :func:`urbplex.traffic.simulate` (each zone's centroid street node;
    trips from or to zones off the street network are left out with a
    warning), departures in seconds after midnight."""
    from ...result import RunResult
    from ...traffic import trips_from_agents

    a = result.data["trip_agent"]
    # one row per trip, as two-point trajectories: (origin at t - eps, destination at t)
    t = result.data["trip_departure"]
    fake = RunResult({"location": np.column_stack([result.data["trip_origin"], result.data["trip_destination"]]),
                      "time": np.column_stack([np.maximum(t - 1e-9, 0), t])})
    trips = trips_from_agents(fake, start_hour=0.0, end_hour=24.0, hierarchy=hierarchy, level=level,
                              door="centroid", unreachable="drop", seed=seed)
    trips["agent"] = a[trips["agent"].to_numpy()]
    return trips
