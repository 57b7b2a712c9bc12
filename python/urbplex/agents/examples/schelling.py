"""Schelling's model of residential segregation.

T. C. Schelling, "Dynamic models of segregation", J. Math. Sociol. 1, 143
(1971). The update is that of Mesa 3.x's example (``mesa.examples.basic.
schelling``): every agent is judged happy when at least a share
``homophily`` of its occupied neighbouring cells hold its own kind (an agent
with no neighbours is unhappy when ``homophily > 0``); then, each step, the
unhappy agents move one after the other, in random order, to a uniformly
random empty cell, and everyone is judged again.

Judging again is incremental, with the same result: a household's verdict
depends on its neighbourhood only, so a move marks the households around
the cell left and the cell taken (``stale``) and only those are judged
(``Stage(..., where='stale')``). After the first steps few households
move, and a step costs what the moves cost, not the population.

``segregation`` is the mean share of like neighbours over the agents that
have any (Schelling's own measure); ``happy`` the share of happy agents.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from .._jit import njit
from ..columns import Agents
from ..model import Model
from ..random import stream, uniform_array
from ..schedule import Stage
from ..spaces import Grid, move_to_random_empty


def assign_state(i, a, out, space, rng, p):
    """Schelling's judgement (Schelling 1971): household i is happy when at least ``homophily``
    of its occupied neighbouring cells hold its kind."""
    # the `kind` layer holds the kind of the household on every cell (-1:
    # empty), so the scan reads one small array in cell order; arrays are
    # hoisted into locals, which keeps numba's bounds checks cheap
    indices, indptr, kind_at = space.indices, space.indptr, space.layers.kind
    c = a.cell[i]
    mine = a.kind[i]
    similar = 0
    total = 0
    for k in range(indptr[c], indptr[c + 1]):
        other = kind_at[indices[k]]
        if other >= 0:
            total += 1
            if other == mine:
                similar += 1
    share = similar / total if total > 0 else 0.0
    out.happy[i] = not (share < p.homophily)
    out.share[i] = share if total > 0 else -1.0
    out.stale[i] = False


@njit
def _touch(a, space, c):
    """Mark the households around cell ``c`` for re-judging."""
    indices, indptr, occupant = space.indices, space.indptr, space.occupant
    for k in range(indptr[c], indptr[c + 1]):
        j = occupant[indices[k]]
        if j >= 0:
            a.stale[j] = True


def relocate(i, a, out, space, rng, p):
    """An unhappy household moves to a random empty cell (its kind moves with it on the cell layer)."""
    old = a.cell[i]
    new = move_to_random_empty(space, a.cell, i, rng, 0)
    if new >= 0:
        space.layers.kind[new] = space.layers.kind[old]
        space.layers.kind[old] = -1
        a.stale[i] = True
        _touch(a, space, old)
        _touch(a, space, new)


def _segregation(m: Model) -> float:
    share = m.agents["share"][m.agents.alive]
    share = share[share >= 0]
    return float(share.mean()) if share.size else float("nan")


def _happy(m: Model) -> float:
    a = m.agents
    n = a.n_alive
    return float(np.count_nonzero(a["happy"][a.alive])) / n if n else float("nan")


def schelling_on(space, *, density: float = 0.8, minority: float = 0.5, homophily: float = 0.4,
                 steps: int = 100, seed: int = 0, jit: bool = True, progress: bool = False,
                 boundscheck: bool = True):
    """Schelling's model on any space of capacity 1 (a :class:`Grid`, or a
    :class:`Network` of a graph or Hierarchy level with ``capacity=1``).

    Each cell is occupied with probability ``density``, by a minority agent
    with probability ``minority``. Returns a RunResult whose ``data`` holds
    per-step ``segregation`` and ``happy`` (step 0 is the initial state),
    and ``cell``/``kind`` of the final state.
    """
    if getattr(space, "capacity", None) != 1:
        raise ValueError("Schelling's model needs a space of capacity 1 (one household per cell)")
    for name, v in (("density", density), ("minority", minority), ("homophily", homophily)):
        if not 0.0 <= float(v) <= 1.0:
            raise ValueError(f"{name} must lie in [0, 1], got {v}")
    n = space.n_cells
    occupied = uniform_array(stream(seed, 0, 0xFFFF), n, 0) < density
    cells = np.flatnonzero(occupied)
    kind = (uniform_array(stream(seed, 0, 0xFFFF), n, 1) < minority)[cells]
    agents = Agents({"cell": np.int32 if n < 2**31 else np.int64, "kind": ("category", ["majority", "minority"]),
                     "happy": "bool", "share": "float", "stale": "bool"})
    ids = agents.add(cells.size, kind=kind.astype(np.int64), stale=True)
    space.place(agents, ids, cells)
    layer = space.add_layer("kind", np.int8, -1)
    layer[cells] = kind
    judge = Stage(assign_state, order="parallel", writes=("happy", "share", "stale"), where="stale",
                  name="assign_state")
    move = Stage(relocate, order="random", where="~happy", name="relocate")
    model = Model(agents, space, [move, judge], params={"homophily": float(homophily)}, seed=seed,
                  model_reporters={"segregation": _segregation, "happy": _happy}, jit=jit,
                  boundscheck=boundscheck, name="schelling")
    model.apply(judge)
    result = model.run(steps, progress=progress)
    result.parameters.update(density=float(density), minority=float(minority), space=repr(space))
    result.data["cell"] = agents["cell"].copy()
    result.data["kind"] = agents["kind"].copy()
    return result


def schelling(width: int = 20, height: int = 20, density: float = 0.8, minority: float = 0.5,
              homophily: float = 0.4, steps: int = 100, seed: int = 0, *, torus: bool = False,
              radius: int = 1, kind: str = "square", jit: bool = True, progress: bool = False,
              boundscheck: bool = True):
    """Schelling's model on a ``width × height`` grid (Moore neighbourhood of
    ``radius``, open edges by default: Mesa 3.x's example, whose defaults
    these are). See :func:`schelling_on`; the result's ``data`` holds
    per-step ``segregation`` and ``happy``."""
    grid = Grid(width, height, kind=kind, neighbourhood="moore", torus=torus, radius=radius, capacity=1)
    result = schelling_on(grid, density=density, minority=minority, homophily=homophily, steps=steps,
                          seed=seed, jit=jit, progress=progress, boundscheck=boundscheck)
    result.parameters.update(width=int(width), height=int(height), torus=bool(torus), radius=int(radius))
    return result
