"""Explosive percolation: the Achlioptas process with the product or sum rule.

D. Achlioptas, R. M. D'Souza & J. Spencer, "Explosive percolation in random
networks", Science 323, 1453 (2009). At each step two candidate edges are
drawn at random and the rule adds one: ``product`` the one whose endpoints'
clusters have the smaller product of sizes, ``sum`` the smaller sum,
``erdos_renyi`` always the first (plain random percolation, the control). On
n isolated vertices the product rule's largest cluster jumps near t = 0.888
edges per vertex (t_c = 0.888449, R. M. Ziff, PRE 82, 051105, 2010); in the
limit the transition is continuous (Riordan & Warnke, Science 333, 322, 2011)
with a tiny exponent, so at any size one simulates it looks discontinuous.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from .. import _core
from .._graph_arg import graph_of
from .._progress import progress_callback
from .._validate import check_float, check_int, seed_value
from ..provenance import records_lineage
from ..result import RunResult, register_result

RULES = ("product", "sum", "erdos_renyi")


@register_result
class ExplosiveResult(RunResult):
    """The Achlioptas process, one row per number of edges added.

    ``t`` (edges added per vertex), ``largest`` and ``second`` (mean fractions
    of the n vertices in the largest and second-largest cluster),
    ``largest_sq`` (mean squared fraction). ``stderr`` holds their standard
    errors keyed like the means (from the spread of the realizations).
    """

    model = "percolation.explosive"
    units = {"t": "edges per vertex", "largest": "fraction of vertices", "second": "fraction of vertices"}

    @property
    def stderr(self) -> dict:
        """Standard errors of ``largest`` (exact, from each step's mean square)."""
        R = int(self.parameters["realizations"])
        var = np.maximum(self.data["largest_sq"] - self.data["largest"] ** 2, 0.0) * (R / (R - 1) if R > 1 else np.nan)
        return {"largest": np.sqrt(var / R)}

    def transition(self, *, low: Optional[float] = None, high: float = 0.5) -> dict:
        """Where the mean largest cluster crosses ``low`` (default n^-1/2, Achlioptas
        et al.'s start) and ``high``, in edges per vertex, and the window between them."""
        n = int(self.parameters["n"])
        low = 1.0 / np.sqrt(n) if low is None else check_float("low", low, minimum=0.0, maximum=1.0)
        big = self.data["largest"]
        t = self.data["t"]

        def cross(level):
            above = np.flatnonzero(big >= level)
            if above.size == 0:
                raise ValueError(f"the largest cluster never reaches {level:g} of the vertices (add edges: t_max)")
            return float(t[above[0]])

        lo, hi = cross(low), cross(high)
        return {"t_low": lo, "t_high": hi, "window": hi - lo}

    def peak_second(self) -> float:
        """t where the mean second-largest cluster peaks (an estimate of t_c)."""
        return float(self.data["t"][int(np.argmax(self.data["second"]))])

    def to_frame(self):
        """One row per step: ``t``, ``largest``, ``stderr`` (of largest), ``second``."""
        import pandas as pd

        return pd.DataFrame({"t": self.data["t"], "largest": self.data["largest"], "stderr": self.stderr["largest"],
                             "second": self.data["second"]})


@records_lineage
def explosive(graph=None, *, n: Optional[int] = None, rule: str = "product", t_max: float = 1.5,
              realizations: int = 10, seed: int = 0, level: Optional[int] = None,
              progress: bool = False) -> ExplosiveResult:
    """The Achlioptas process (Achlioptas, D'Souza & Spencer, Science 323, 1453, 2009).

    Either on ``n`` isolated vertices, adding ``t_max * n`` edges whose
    candidates are random pairs of distinct vertices (the Erdős–Rényi
    process), or on ``graph``, adding all its edges, the candidates drawn from
    those not yet added (Ziff, PRL 103, 045701, 2009). ``rule``: 'product',
    'sum' or 'erdos_renyi'. Realizations run in parallel on Philox streams,
    identical for any thread count. Memory: 24 bytes per step per thread.

    Examples
    --------
    >>> import urbplex as ux
    >>> r = ux.percolation.explosive(n=20000, realizations=2, t_max=1.0)
    >>> 0.85 < r.transition()["t_high"] < 0.95
    True
    """
    if rule not in RULES:
        raise ValueError(f"argument 'rule': must be one of {RULES}, got {rule!r}")
    realizations = check_int("realizations", realizations, minimum=1)
    seed = seed_value(seed)
    if (graph is None) == (n is None):
        raise TypeError("explosive(): give either a graph or n (the number of isolated vertices), not both")
    with progress_callback(progress, f"Achlioptas process ({rule})") as cb:
        if graph is None:
            n = check_int("n", n, minimum=2)
            t_max = check_float("t_max", t_max, minimum=0.0)
            steps = int(round(t_max * n))
            raw = _core.explosive_complete(n, steps, rule, realizations, seed, cb)
        else:
            g = graph_of(graph, level)
            if g.m == 0:
                raise ValueError("argument 'graph': the graph has no edges to add")
            n = g.n
            raw = _core.explosive_graph(g._g, rule, realizations, seed, cb)
    steps = raw["largest"].size - 1
    R, nf = float(realizations), float(n)
    data = {
        "t": np.arange(steps + 1) / nf,
        "largest": raw["largest"] / (R * nf),
        "largest_sq": raw["largest_sq"] / (R * nf * nf),
        "second": raw["second"] / (R * nf),
    }
    params = {"rule": rule, "n": int(n), "realizations": realizations, "mode": "complete" if graph is None else "graph",
              "level": level}
    return ExplosiveResult(data, model="percolation.explosive", parameters=params, seed=seed)
