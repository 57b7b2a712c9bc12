"""Static traffic assignment algorithms compared on one network and demand:
the relative gap reached, the wall time to reach a target gap, and the whole
gap-versus-time curve (Boyce, Ralevic-Dekic & Bar-Gera 2004 compare
algorithms this way)."""
from __future__ import annotations

import math
from typing import Optional

import numpy as np

from .core import Fitted, FitValue, Measure, Model

MEASURES = {
    "seconds_to_target": Measure("seconds_to_target", FitValue("params", "seconds_to_target"), False, fitted=True),
    "gap": Measure("gap", FitValue("params", "gap"), False, fitted=True),
    "seconds": Measure("seconds", FitValue("params", "seconds"), False, fitted=True),
    "iterations": Measure("iterations", FitValue("params", "iterations"), False, fitted=True),
}


class AssignmentData:
    """A directed graph with link costs and a demand (see :func:`urbplex.routing.assign`);
    ``target`` is the relative gap whose wall time ranks the methods, ``gap`` where
    each run stops (default: the target) and ``assign_options`` go to every run."""

    def __init__(self, graph, demand, *, target: float = 1e-4, gap: Optional[float] = None, **assign_options):
        if not (0 < target < 1):
            raise ValueError(f"argument 'target': expected a relative gap in (0, 1), got {target!r}")
        self.graph, self.demand, self.target = graph, demand, float(target)
        self.gap = float(gap) if gap is not None else self.target
        self.options = assign_options
        self.observed = None

    def default_measures(self):
        """The measures :func:`run` uses when none are given."""
        return [MEASURES["seconds_to_target"], MEASURES["gap"], MEASURES["iterations"]]

    def split(self, fold, folds, seed):
        """Not defined: an assignment is run on the whole network."""
        raise ValueError("assignment algorithms are compared on one network, without folds")


class AssignmentModel(Model):
    """One assignment method ('msa', 'fw', 'cfw', 'bfw', 'algorithm_b'); its fit
    keeps the convergence curve (``extra['curve']``: iteration, seconds, gap)."""

    def __init__(self, method: str, *, max_iterations: int = 1000, name: Optional[str] = None):
        self.method, self.max_iterations = method, int(max_iterations)
        self.name = name or method

    def fit(self, data: AssignmentData, train=None, seed: int = 0) -> Fitted:
        """Run the assignment to ``data.gap``; the time at which the gap first reached the target."""
        from ..routing import assign

        res = assign(data.graph, data.demand, method=self.method, gap=data.gap,
                     max_iterations=self.max_iterations, **data.options)
        curve = res.convergence()
        hit = curve[curve["gap"] <= data.target]
        params = {"gap": float(curve["gap"].iloc[-1]), "seconds": float(curve["seconds"].iloc[-1]),
                  "iterations": int(curve["iteration"].iloc[-1]),
                  "seconds_to_target": float(hit["seconds"].iloc[0]) if len(hit) else math.inf}
        return Fitted(model=self.name, params=params, stderr={k: math.nan for k in params}, k=0,
                      n=int(np.asarray(res.data["flow"]).size) if "flow" in res.data else 0,
                      extra={"curve": curve, "result": res})
