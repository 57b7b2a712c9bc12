"""Attacks on networks and the robustness index R.

Strategies: random failure; removal by initial degree or betweenness
(Albert, Jeong & Barabási, Nature 406, 378, 2000); by adaptive (recomputed)
degree or betweenness (Holme, Kim, Yoon & Han, PRE 65, 056109, 2002).
Robustness R = (1/N) sum_{Q=1}^{N} s(Q), s(Q) the largest-component fraction
after Q removals (Schneider et al., PNAS 108, 3838, 2011).
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from .. import _core
from .._graph_arg import graph_of
from .._progress import progress_callback
from .._validate import check_int, seed_value
from ..result import RunResult, register_result
from ..provenance import records_lineage

STRATEGIES = ("random", "degree", "adaptive_degree", "betweenness", "adaptive_betweenness")


@register_result
class AttackResult(RunResult):
    """Largest component after each removal.

    ``removed_fraction[Q] = Q/N``; ``largest[Q]`` is the largest-component
    fraction s(Q) (averaged over realizations); ``order`` the removal order
    of the first realization; :attr:`robustness` is Schneider et al.'s R;
    :attr:`stderr` their standard errors.
    """

    units = {"removed_fraction": "fraction of vertices", "largest": "fraction of vertices"}

    model = "attack"

    @property
    def robustness(self) -> float:
        """Schneider et al.'s R: the mean largest-component fraction over all removal steps."""
        s = self.data["largest"]
        return float(s[1:].sum() / (s.size - 1)) if s.size > 1 else 0.0

    @property
    def stderr(self) -> dict:
        """Standard errors keyed like the means: ``largest`` at each step and
        ``robustness``, from the spread of the realizations (NaN for one)."""
        R = int(self.parameters.get("realizations", 1))
        if R < 2 or "largest_sq" not in self.data:
            return {"largest": np.full(self.data["largest"].size, np.nan), "robustness": float("nan")}
        var = np.maximum(self.data["largest_sq"] - self.data["largest"] ** 2, 0.0) * R / (R - 1)
        return {"largest": np.sqrt(var / R),
                "robustness": float(np.std(self.data["robustness_each"], ddof=1) / np.sqrt(R))}

    def to_frame(self):
        """One row per removal step: ``removed_fraction`` of the vertices removed and ``largest``, the largest-component fraction left."""
        import pandas as pd

        return pd.DataFrame({"removed_fraction": self.data["removed_fraction"], "largest": self.data["largest"]})

    def plot(self, ax=None):
        """Plot the largest component against the removed fraction (matplotlib axes)."""
        from urbplex._optional import require
        plt = require("matplotlib.pyplot")

        ax = ax or plt.gca()
        ax.plot(self.data["removed_fraction"], self.data["largest"],
                label=f"{self.parameters['strategy']} (R = {self.robustness:.3f})")
        ax.set_xlabel("fraction removed")
        ax.set_ylabel("largest component fraction")
        ax.legend()
        return ax


@records_lineage
def removal_order(graph, strategy: str = "degree", *, seed: int = 0, recompute_every: int = 1,
                  level: Optional[int] = None, progress: bool = False) -> np.ndarray:
    """The order in which ``strategy`` removes the vertices (ties broken at random by ``seed``).

    ``adaptive_degree`` recomputes degrees after each removal in O(N + E);
    ``adaptive_betweenness`` recomputes betweenness after every
    ``recompute_every`` removals, at O(N M) each: meant for graphs of up to a
    few thousand vertices.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"argument 'strategy': must be one of {STRATEGIES}, got {strategy!r}")
    g = graph_of(graph, level)
    every = check_int("recompute_every", recompute_every, minimum=1)
    with progress_callback(progress, f"{strategy} attack") as cb:
        return _core.removal_order(g._g, strategy, seed_value(seed), every, cb)


@records_lineage
def attack(graph, strategy: str = "degree", *, realizations: int = 1, seed: int = 0, recompute_every: int = 1,
           level: Optional[int] = None, progress: bool = False) -> AttackResult:
    """Remove vertices by ``strategy`` and record the largest component after each removal.

    Random failures average ``realizations`` random orders (Newman–Ziff, in
    parallel); targeted strategies are deterministic up to tie-breaking, and
    with ``realizations > 1`` average that many tie-breakings (realization r
    breaks ties with seed + r). :attr:`AttackResult.stderr` shows the spread
    between realizations, or between equally valid attack orders.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"argument 'strategy': must be one of {STRATEGIES}, got {strategy!r}")
    g = graph_of(graph, level)
    if g.n == 0:
        raise ValueError("argument 'graph': the graph is empty")
    realizations = check_int("realizations", realizations, minimum=1)
    seed = seed_value(seed)
    order = removal_order(g, strategy, seed=seed, recompute_every=recompute_every, progress=progress)
    data = {"removed_fraction": np.arange(g.n + 1) / g.n, "order": order}
    if strategy == "random" and realizations > 1:
        # Newman-Ziff sweeps in parallel: S(Q) is the sweep's S at N - Q occupied
        # sites, and each realization's R its mean S over the steps before the last.
        from .newman_ziff import site

        res = site(g, realizations=realizations, seed=seed, p=[0.0, 1.0], progress=progress)
        data["largest"] = res["largest"][::-1].copy()
        data["largest_sq"] = res["largest_sq"][::-1].copy()
        data["robustness_each"] = np.asarray(res["realization_mean_largest"])
    else:
        # Each tie-breaking its own order (realization r breaks ties with seed + r):
        # running sums for the mean curve and its spread, and each realization's R.
        total = np.zeros(g.n + 1)
        squares = np.zeros(g.n + 1)
        robustness = np.zeros(realizations)
        for r in range(realizations):
            o = order if r == 0 else removal_order(g, strategy, seed=(seed + r) % 2**64,
                                                   recompute_every=recompute_every)
            curve = np.asarray(_core.largest_after_removal(g._g, o), dtype=np.float64) / g.n
            total += curve
            squares += curve * curve
            robustness[r] = curve[1:].sum() / (curve.size - 1) if curve.size > 1 else 0.0
        data["largest"] = total / realizations
        data["largest_sq"] = squares / realizations
        data["robustness_each"] = robustness
    params = {"strategy": strategy, "realizations": realizations, "recompute_every": recompute_every, "level": level}
    return AttackResult(data, model=f"attack.{strategy}", parameters=params, seed=seed)
