"""Removal strategies compared on one network: random failure and targeted
attacks (Albert, Jeong & Barabasi 2000; Holme et al. 2002), measured by
Schneider et al.'s robustness R (PNAS 108:3838, 2011) and the removed
fraction f_c at which the largest component is gone."""
from __future__ import annotations

from typing import Optional

import numpy as np

from .core import Fitted, FitValue, Measure, Model

MEASURES = {
    # The most damaging strategy ranks first: lower R, lower f_c.
    "R": Measure("R", FitValue("params", "R"), False, fitted=True),
    "f_c": Measure("f_c", FitValue("params", "f_c"), False, fitted=True),
}


class NetworkData:
    """A graph (or a Hierarchy level) whose robustness the strategies compare.

    ``collapse``: the largest-component fraction at or below which the
    network counts as broken, for f_c (default 0.01).
    """

    def __init__(self, graph, *, level: Optional[int] = None, collapse: float = 0.01):
        from .._graph_arg import graph_of

        self.graph = graph_of(graph, level)
        if not 0 < collapse < 1:
            raise ValueError(f"argument 'collapse': expected a fraction in (0, 1), got {collapse!r}")
        self.collapse = float(collapse)
        self.observed = None

    def default_measures(self):
        """The measures :func:`run` uses when none are given."""
        return [MEASURES["R"], MEASURES["f_c"]]

    def split(self, fold, folds, seed):
        """Not defined: one network is one observation."""
        raise ValueError("a network is one observation: removal strategies are compared without folds")


class AttackModel(Model):
    """One removal strategy of :func:`urbplex.percolation.attack`; random
    failure is stochastic (one realization per replicate, seeds differ)."""

    def __init__(self, strategy: str, *, recompute_every: int = 1, name: Optional[str] = None):
        from ..percolation.attacks import STRATEGIES

        if strategy not in STRATEGIES:
            raise ValueError(f"argument 'strategy': must be one of {STRATEGIES}, got {strategy!r}")
        self.strategy, self.recompute_every = strategy, recompute_every
        self.stochastic = strategy == "random"
        self.name = name or strategy

    def fit(self, data: NetworkData, train=None, seed: int = 0) -> Fitted:
        """Remove vertices by the strategy; R and f_c of the largest-component curve."""
        from ..percolation import attack

        res = attack(data.graph, self.strategy, seed=seed, recompute_every=self.recompute_every)
        s, f = res.data["largest"], res.data["removed_fraction"]
        gone = np.flatnonzero(s <= data.collapse)
        f_c = float(f[gone[0]]) if gone.size else 1.0
        return Fitted(model=self.name, params={"R": res.robustness, "f_c": f_c},
                      stderr={"R": float("nan"), "f_c": float("nan")}, k=0, n=data.graph.n,
                      extra={"curve": res.to_frame()})
