"""The Vicsek model of self-propelled particles.

T. Vicsek, A. Czirók, E. Ben-Jacob, I. Cohen & O. Shochet, "Novel type of
phase transition in a system of self-driven particles", Phys. Rev. Lett. 75,
1226 (1995). Particles move at constant speed ``speed`` in a periodic
``length × length`` box; each step a particle takes the mean direction of
the particles within ``radius`` (itself included) plus a uniform noise in
[-noise/2, noise/2], then moves. The order parameter
``order = |sum of velocities| / (n speed)`` goes from ~1 (ordered, little
noise) to ~1/sqrt(n) (disordered); the transition is the paper's Fig. 2.
A :class:`~urbplex.agents.Continuous` space finds the neighbours.
"""
from __future__ import annotations

import numpy as np

from ..columns import Agents
from ..model import Model
from ..random import stream, uniform, uniform_array
from ..schedule import Stage
from ..spaces import Continuous


def align(i, a, out, space, rng, p):
    """Vicsek et al. (1995): particle i takes the mean heading of itself and its neighbours
    within the radius, plus uniform noise in [-noise/2, noise/2], and moves at constant speed
    on the torus."""
    x, y, theta = a.x, a.y, a.theta
    c = np.cos(theta[i])
    s = np.sin(theta[i])
    for k in range(space.indptr[i], space.indptr[i + 1]):
        j = space.indices[k]
        c += np.cos(theta[j])
        s += np.sin(theta[j])
    heading = np.arctan2(s, c) + p.noise * (uniform(rng, i, 0) - 0.5)
    out.theta[i] = heading
    out.x[i] = (x[i] + p.speed * np.cos(heading)) % p.length
    out.y[i] = (y[i] + p.speed * np.sin(heading)) % p.length


def _order(m: Model) -> float:
    th = m.agents["theta"][m.agents.alive]
    return float(np.hypot(np.cos(th).sum(), np.sin(th).sum()) / th.size)


def vicsek(n: int = 400, length: float = 10.0, *, radius: float = 1.0, speed: float = 0.03, noise: float = 0.5,
           steps: int = 500, seed: int = 0, jit: bool = True):
    """Vicsek's model with ``n`` particles (density n / length^2). Returns a
    RunResult whose ``data['order']`` is the order parameter per step (step 0:
    random headings) and ``x``, ``y``, ``theta`` the final state."""
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    if not (length > 0 and radius > 0 and speed >= 0 and noise >= 0):
        raise ValueError("length and radius must be > 0, speed and noise >= 0")
    if radius >= length / 2:
        raise ValueError(f"radius {radius} must be below half the box ({length / 2})")
    agents = Agents({"x": "float", "y": "float", "theta": "float"})
    init = stream(seed, 0, 0xFFFF)
    agents.add(n, x=uniform_array(init, n, 0) * length, y=uniform_array(init, n, 1) * length,
               theta=(uniform_array(init, n, 2) - 0.5) * 2 * np.pi)
    model = Model(agents, Continuous(length, length, radius=radius, torus=True),
                  [Stage(align, writes=("x", "y", "theta"))],
                  params={"noise": float(noise), "speed": float(speed), "length": float(length)}, seed=seed,
                  model_reporters={"order": _order}, jit=jit, name="vicsek")
    result = model.run(steps)
    result.parameters.update(n=int(n), radius=float(radius))
    for c in ("x", "y", "theta"):
        result.data[c] = agents[c].copy()
    return result
