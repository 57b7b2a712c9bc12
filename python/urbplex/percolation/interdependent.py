"""Interdependent networks (Buldyrev, Parshani, Paul, Stanley & Havlin, Nature 464, 1025, 2010).

Vertex i of network A depends on vertex ``dependency[i]`` of network B and
vice versa. A random fraction 1 - p of A fails; then, alternately, vertices
outside the giant component of their network fail together with their
partners, until the mutually connected giant component (MCGC) is stable.
For two Erdős–Rényi networks of mean degree k the MCGC collapses
discontinuously at p_c k = 2.4554.
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
from numpy.typing import ArrayLike

from .. import _core
from .._progress import progress_callback
from .._validate import check_float, check_int, seed_value
from ..graph import Graph
from ..result import RunResult, register_result
from ..provenance import records_lineage


@register_result
class MutualResult(RunResult):
    """MCGC fraction against p, and the collapse threshold p_c of each realization."""

    model = "interdependent"

    @property
    def threshold(self) -> float:
        """Mean collapse threshold p_c over realizations."""
        t = self.data["thresholds"]
        if t.size == 0:
            raise ValueError("no thresholds: run with thresholds=True")
        return float(t.mean())

    @property
    def stderr(self) -> dict:
        """Standard errors keyed like the means: ``mcgc`` at each p and ``threshold``,
        from the spread of the realizations (NaN for one)."""
        R = int(self.parameters["realizations"])
        err = lambda x: np.std(x, axis=0, ddof=1) / np.sqrt(R) if R > 1 else np.full(np.shape(x)[1:], np.nan)  # noqa: E731
        out = {"threshold": float(err(self.data["thresholds"])) if self.data["thresholds"].size else float("nan")}
        if "mcgc_each" in self.data:  # runs saved before 0.9 lack it
            out["mcgc"] = err(self.data["mcgc_each"])
        return out

    def to_frame(self):
        """One row per occupation probability ``p``: ``mcgc``, the fraction of vertices in the mutually connected giant component."""
        import pandas as pd

        return pd.DataFrame({"p": self.data["p"], "mcgc": self.data["mcgc"]})


@records_lineage
def mutual_giant_component(a: Graph, b: Graph, *, p: Optional[ArrayLike] = None,
                           dependency: Optional[Sequence[int]] = None, realizations: int = 10, seed: int = 0,
                           thresholds: bool = True, collapse: float = 0.01, tol: float = 1e-4,
                           progress: bool = False) -> MutualResult:
    """Mutually connected giant component of two interdependent graphs on the same n vertices.

    ``p`` is a grid of surviving fractions of A (default 51 points); with
    ``thresholds=True`` each realization also finds, by bisection to ``tol``,
    the smallest p at which the MCGC holds more than ``collapse`` of the
    vertices. ``dependency`` is a permutation (default: the identity).
    """
    for name, g in (("a", a), ("b", b)):
        if not isinstance(g, Graph):
            raise TypeError(f"argument '{name}': expected urbplex.Graph, got {type(g).__name__}")
    grid = np.linspace(0.0, 1.0, 51) if p is None else np.asarray(p, dtype=np.float64)
    if grid.ndim != 1 or not np.all((grid >= 0) & (grid <= 1)):
        raise ValueError("argument 'p': expected a 1-D array of fractions in [0, 1]")
    dep = np.zeros(0, dtype=np.uint32) if dependency is None else np.asarray(dependency)
    if dep.size and (dep.dtype.kind not in "iu" or dep.min() < 0 or dep.max() >= a.n):
        raise ValueError("argument 'dependency': expected a permutation of 0..n-1")
    realizations = check_int("realizations", realizations, minimum=1)
    collapse = check_float("collapse", collapse, minimum=0.0, maximum=1.0, strict_min=True)
    tol = check_float("tol", tol, minimum=0.0, strict_min=True)
    with progress_callback(progress, "interdependent cascades") as cb:
        mcgc, th, each = _core.mutual_sweep(a._g, b._g, np.ascontiguousarray(dep, dtype=np.uint32), grid,
                                            realizations, seed_value(seed), bool(thresholds), collapse, tol, cb)
    params = {"realizations": realizations, "collapse": collapse, "tol": tol, "n": a.n}
    return MutualResult({"p": grid, "mcgc": mcgc, "thresholds": th, "mcgc_each": each.reshape(realizations, grid.size)},
                        model="interdependent", parameters=params, seed=seed)


def theory_er(mean_degree: float, p) -> np.ndarray:
    """MCGC fraction of two ER networks with mean degree k: the largest root of mu = p (1 - exp(-k mu))^2."""
    k = check_float("mean_degree", mean_degree, minimum=0.0, strict_min=True)
    out = []
    for q in np.atleast_1d(np.asarray(p, dtype=np.float64)):
        mu = q
        for _ in range(100_000):  # from above: converges to the largest fixed point
            new = q * (1 - np.exp(-k * mu)) ** 2
            if abs(new - mu) < 1e-14:
                break
            mu = new
        out.append(mu if mu > 1e-9 else 0.0)
    return np.asarray(out)
