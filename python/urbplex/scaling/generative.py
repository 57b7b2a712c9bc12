"""Generative models of urban scaling.

:func:`tie_formation`: the agent-based density-driven tie-formation model of
Pan, Ghoshal, Krumme, Cebrian & Pentland (Nat. Commun. 4, 1961, 2013), run on
synthetic cities of many sizes in parallel. Analytic exponents of
Bettencourt (2013) are in :mod:`urbplex.scaling.theory`.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .. import _core
from .._progress import progress_callback
from .._validate import check_float, seed_value
from ..result import RunResult, register_result
from .fits import ScalingFit, fit


def expected_ties(N, c: float = 1.0) -> np.ndarray:
    """Exact E[ties] = N * sum_{r=1}^{N-1} min(1, c / r) of the rank-based model (distinct distances)."""
    out = []
    for n in np.atleast_1d(np.asarray(N, dtype=np.int64)):
        r = np.arange(1, n, dtype=np.float64)
        out.append(n * np.minimum(1.0, c / r).sum())
    return np.asarray(out)


@register_result
class TieFormationResult(RunResult):
    """Ties formed in synthetic cities of each size, and the exact expectation."""

    model = "tie_formation"

    def fit(self, **kwargs) -> ScalingFit:
        """Scaling law of ties against city size (Poisson model by default)."""
        kwargs.setdefault("model", "poisson")
        return fit(self.data["N"], self.data["ties"].astype(np.float64), **kwargs)

    def to_frame(self):
        """One row per city size ``N``: ``ties`` (simulated social ties) and ``expected`` (the model's mean-field expectation)."""
        import pandas as pd

        return pd.DataFrame({k: self.data[k] for k in ("N", "ties", "expected")})


def tie_formation(sizes: Sequence[int] = (250, 500, 1000, 2000, 4000, 8000), *, c: float = 1.0,
                  seed: int = 0, progress: bool = False) -> TieFormationResult:
    """Run Pan et al.'s rank-based tie formation on one synthetic city of each size.

    Agents are uniform in a disk at unit density; agent u ties to v with
    probability min(1, c / rank_u(v)). Ties per agent grow like c ln N, so
    the total is superlinear in N (beta ~ 1.1 for N in 10^2..10^4).
    O(N^2 log N) per city, parallel over agents.
    """
    arr = np.asarray(sizes)
    if arr.ndim != 1 or arr.size == 0 or arr.dtype.kind not in "iu" or arr.min() < 2 or arr.max() > 200_000:
        raise ValueError("argument 'sizes': expected integer city sizes in [2, 200000]")
    c = check_float("c", c, minimum=0.0, strict_min=True)
    with progress_callback(progress, "tie formation") as cb:
        ties = _core.rank_based_ties(np.ascontiguousarray(arr, dtype=np.uint32), c, seed_value(seed), cb)
    data = {"N": arr.astype(np.float64), "ties": ties.astype(np.int64), "expected": expected_ties(arr, c)}
    return TieFormationResult(data, model="tie_formation", parameters={"c": c}, seed=seed)
