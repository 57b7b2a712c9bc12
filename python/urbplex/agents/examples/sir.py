"""An SIR epidemic carried by EPR agents.

Mobility: the d-EPR model (Pappalardo et al., Nat. Commun. 6, 8166 (2015);
Song et al., Nat. Phys. 6, 818 (2010)), simulated by
:func:`urbplex.mobility.epr` over the locations of a city (a Hierarchy
level, a Graph with x, y and population, or Locations). Every hour each
agent is where its last jump took it.

Epidemic: a stochastic SIR in continuous contact within each location
(the metapopulation model of Colizza, Pastor-Satorras & Vespignani, Nat.
Phys. 3, 276 (2007), with frequency-dependent mixing): in an hour a
susceptible agent at a location with ``I`` infected among ``N`` present
is infected with probability ``1 - exp(-beta I / N)``; an infected agent
recovers with probability ``1 - exp(-gamma)``. In a single well-mixed
location the final size r solves r = 1 - exp(-R0 r), R0 = beta / gamma
(Kermack & McKendrick 1927), which the tests check.

The user-side of it is two rules of a few lines (``infect`` and a Python
stage that moves the agents), which is how models of one's own look.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from ..columns import Agents
from ..model import Model
from ..schedule import Stage
from ..spaces import Places

S, I, R = 0, 1, 2


def infect(i, a, out, space, rng, p):
    """SIR step of agent i (Kermack & McKendrick 1927): a susceptible in a place with I
    infected among N present is infected with probability 1 - exp(-beta I / N dt); an
    infected agent recovers with probability 1 - exp(-gamma dt)."""
    from_here = space.layers
    c = a.cell[i]
    if a.state[i] == 0:      # susceptible
        n = from_here.present[c]
        pressure = p.beta * from_here.infected[c] / n if n > 0 else 0.0
        if uniform(rng, i, 0) < 1.0 - np.exp(-pressure * p.dt):
            out.state[i] = 1
            out.infected_at[i] = p.now[0]
    elif a.state[i] == 1:    # infected
        if uniform(rng, i, 1) < 1.0 - np.exp(-p.gamma * p.dt):
            out.state[i] = 2


from ..random import uniform  # noqa: E402 - the rule reads it as a global


def _census(model: Model) -> None:
    """Who is where, and how many infected: the layers ``infect`` reads."""
    a = model.agents
    n = model.space.n_cells
    cell = a["cell"][a.alive]
    state = a["state"][a.alive]
    model.space.layers["present"][:] = np.bincount(cell, minlength=n)
    model.space.layers["infected"][:] = np.bincount(cell[state == I], minlength=n)


def hourly_locations(location: np.ndarray, time: np.ndarray, hours: int) -> np.ndarray:
    """(agents, hours) location of each agent at the start of every hour,
    from EPR's jump times (the place of the last jump at or before it)."""
    agents = location.shape[0]
    out = np.empty((agents, hours), dtype=np.int64)
    clock = np.arange(hours, dtype=np.float64)
    for a in range(agents):
        k = np.searchsorted(time[a], clock, side="right") - 1
        out[a] = location[a, np.maximum(k, 0)]
    return out


def sir_on(locations: np.ndarray, *, beta: float, gamma: float, initial: int = 10, dt: float = 1.0,
           seed: int = 0, space=None, jit: bool = True):
    """SIR over given hourly locations: ``locations`` is (agents, hours) of
    cell ids of ``space`` (a single place when omitted and locations are
    all 0). Returns a RunResult with S, I, R per hour (fractions), the
    infection hour of every agent (-1: never) and, per place, the hour of
    its first infection."""
    locations = np.asarray(locations)
    if locations.ndim != 2 or locations.shape[0] < 1 or locations.shape[1] < 1:
        raise ValueError(f"locations must be an (agents, hours) array, got shape {locations.shape}")
    for name, v in (("beta", beta), ("gamma", gamma), ("dt", dt)):
        if not (np.isfinite(v) and v >= 0):
            raise ValueError(f"{name} must be a finite number >= 0, got {v}")
    agents_n, hours = locations.shape
    if not 1 <= initial <= agents_n:
        raise ValueError(f"initial must lie in [1, {agents_n}], got {initial}")
    if space is None:
        space = Places(np.zeros((1, 2)), radius=1.0)
    if locations.min() < 0 or locations.max() >= space.n_cells:
        raise ValueError(f"locations must be cell ids of the space (0..{space.n_cells - 1})")
    space.add_layer("present", "int")
    space.add_layer("infected", "int")
    agents = Agents({"cell": "int", "state": ("category", ["S", "I", "R"]), "infected_at": "float"})
    agents.add(agents_n, cell=locations[:, 0], infected_at=-1.0)
    rng = np.random.default_rng(seed)
    seeds = rng.choice(agents_n, size=initial, replace=False)
    agents["state"][seeds] = I
    agents["infected_at"][seeds] = 0.0
    now = np.zeros(1)

    def move(model: Model) -> None:
        t = model.steps_done
        agents["cell"][:] = locations[:, min(t, hours - 1)]
        now[0] = t * dt
        _census(model)

    def share(state):
        return lambda m: float(np.count_nonzero(m.agents["state"] == state)) / agents_n

    model = Model(agents, space, [move, Stage(infect, order="parallel", writes=("state", "infected_at"))],
                  params={"beta": float(beta), "gamma": float(gamma), "dt": float(dt), "now": now}, seed=seed,
                  model_reporters={"S": share(S), "I": share(I), "R": share(R)}, jit=jit, name="sir")
    result = model.run(hours, stop=lambda m: not np.any(m.agents["state"] == I))
    first = np.full(space.n_cells, -1.0)
    # the place of each infection is where the agent was in that hour
    hit = agents["infected_at"] >= 0
    first_at = np.full(space.n_cells, np.inf)
    hour = np.minimum((agents["infected_at"][hit] / dt).astype(np.int64), hours - 1)
    np.minimum.at(first_at, locations[np.flatnonzero(hit), hour], agents["infected_at"][hit])
    first[np.isfinite(first_at)] = first_at[np.isfinite(first_at)]
    result.data["infected_at"] = agents["infected_at"].copy()
    result.data["first_infection"] = first
    result.parameters.update(beta=float(beta), gamma=float(gamma), initial=int(initial), dt=float(dt))
    return result


def sir_epr(city, *, level: Optional[int] = None, agents: int = 10_000, hours: int = 24 * 28,
            beta: float = 0.04, gamma: float = 1 / 72, initial: int = 10, seed: int = 0, jit: bool = True):
    """An SIR epidemic carried by ``agents`` d-EPR agents over the
    locations of ``city`` (Hierarchy level ``level``, Graph or Locations;
    population as mass) for ``hours`` hours. Defaults: beta = 0.04 per hour
    and an infectious period of 72 h on average (R0 = beta / (1 - exp(-gamma))
    ~ 2.9). Returns :func:`sir_on`'s RunResult."""
    from ...mobility import epr
    from ...mobility.locations import locations_of

    locs = locations_of(city, level=level)
    # ~ a jump every few hours: enough jumps to cover `hours`
    moves = epr(locs, agents=agents, steps=max(8, hours // 2), seed=seed)
    where = hourly_locations(moves.data["location"], moves.data["time"], hours)
    space = Places(np.column_stack([locs.x, locs.y]), k=1)
    result = sir_on(where, beta=beta, gamma=gamma, initial=initial, seed=seed, space=space, jit=jit)
    result.parameters.update(agents=int(agents), hours=int(hours), mobility="d-EPR")
    return result
