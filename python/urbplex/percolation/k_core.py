"""k-core percolation: the k-core of the vertices kept with probability p.

S. N. Dorogovtsev, A. V. Goltsev & J. F. F. Mendes, "k-core organization of
complex networks", Phys. Rev. Lett. 96, 040601 (2006); theory in
:func:`urbplex.percolation.theory.k_core`. For k >= 3 the core appears with a
jump (a hybrid transition): on random 4-regular graphs with k = 3 at p_c = 8/9,
holding 21/32 of all vertices.
"""
from __future__ import annotations

from typing import Optional

import numpy as np
from numpy.typing import ArrayLike

from .. import _core
from .._graph_arg import graph_of
from .._progress import progress_callback
from .._validate import check_int, seed_value
from ..provenance import records_lineage
from ..result import RunResult, register_result
from .newman_ziff import DEFAULT_P


def _grid(p) -> np.ndarray:
    grid = np.ascontiguousarray(DEFAULT_P if p is None else p, dtype=np.float64)
    if grid.ndim != 1 or grid.size == 0 or not np.all((grid >= 0) & (grid <= 1)):
        raise ValueError("argument 'p': expected a non-empty 1-D array of probabilities in [0, 1]")
    return grid


@register_result
class KCoreResult(RunResult):
    """The k-core under random site removal, from removal sweeps.

    Canonical (each vertex kept with probability p, on the grid ``p`` of the
    run): ``core`` is the mean k-core size as a fraction of all n vertices,
    with ``stderr['core']`` its standard error from the spread of the
    realizations' own canonical values (``realization_core``, realizations x
    grid). Microcanonical (index = number of kept vertices, 0..n):
    ``micro_core`` and ``micro_core_sq``, the mean fraction and mean squared
    fraction. Each realization's collapse: ``jump`` (the largest fraction of
    vertices the core lost in one removal) and ``jump_p`` (the fraction kept
    just before it): at a hybrid transition this is the jump at p_c.
    """

    model = "percolation.k_core"
    units = {"core": "fraction of vertices", "jump": "fraction of vertices", "jump_p": "fraction of vertices kept"}

    @property
    def k(self) -> int:
        """The core's minimum degree."""
        return int(self.parameters["k"])

    @property
    def stderr(self) -> dict:
        """Standard errors keyed like the means: ``core`` on the grid ``p``, ``jump`` and ``jump_p``."""
        R = self.data["realization_core"].shape[0]
        err = lambda x: np.std(x, axis=0, ddof=1) / np.sqrt(R) if R > 1 else np.full(np.shape(x)[1:], np.nan)  # noqa: E731
        return {"core": err(self.data["realization_core"]), "jump": float(err(self.data["jump"])),
                "jump_p": float(err(self.data["jump_p"]))}

    def canonical(self, p: Optional[ArrayLike] = None):
        """Mean core fraction at occupation probabilities ``p`` (default: the run's grid,
        with standard errors; other grids get the mean and the canonical fluctuation only)."""
        import pandas as pd

        if p is None:
            grid = self.data["p"]
            out = {"p": grid, "core": self.data["core"], "stderr": self.stderr["core"]}
        else:
            grid = _grid(p)
            out = {"p": grid, "core": _core.canonical(self.data["micro_core"], grid)}
        second = _core.canonical(self.data["micro_core_sq"], grid)
        out["fluctuation"] = np.sqrt(np.maximum(second - _core.canonical(self.data["micro_core"], grid) ** 2, 0.0))
        return pd.DataFrame(out)

    def to_frame(self):
        """One row per p of the run's grid: ``p``, ``core`` (mean fraction of all
        vertices in the k-core), ``stderr`` (its standard error) and
        ``fluctuation`` (the standard deviation of one sample's core at p)."""
        return self.canonical()

    def micro_frame(self):
        """One row per number of kept vertices: ``kept``, ``core``, ``core_sq``."""
        import pandas as pd

        return pd.DataFrame({"kept": np.arange(self.data["micro_core"].size), "core": self.data["micro_core"],
                             "core_sq": self.data["micro_core_sq"]})


@records_lineage
def k_core(graph, k: int, *, realizations: int = 20, seed: int = 0, p: Optional[ArrayLike] = None,
           level: Optional[int] = None, progress: bool = False) -> KCoreResult:
    """k-core percolation: the k-core of the vertices kept, for every number of kept vertices.

    Each realization removes the vertices in a random order and keeps the
    k-core (every vertex with at least ``k`` neighbours in it) up to date, in
    O(n + m); realizations run in parallel on Philox streams keyed by (seed,
    realization), identical for any thread count. Self-loops do not count
    towards a degree; parallel edges count each. Returns a :class:`KCoreResult`
    (means, standard errors, each realization's collapse). ``p`` is the grid
    of the canonical table (default 201 points in [0, 1]). Memory: 40 bytes
    per vertex per thread.

    Dorogovtsev, Goltsev & Mendes, PRL 96, 040601 (2006).

    Examples
    --------
    >>> import urbplex as ux
    >>> g = ux.generators.configuration_model([4] * 2000, seed=1)
    >>> r = ux.percolation.k_core(g, 3, realizations=4, seed=0, p=[0.8, 0.95])
    >>> bool(r.to_frame()["core"].iloc[0] < 0.05 < r.to_frame()["core"].iloc[1])
    True
    """
    g = graph_of(graph, level)
    k = check_int("k", k, minimum=0)
    realizations = check_int("realizations", realizations, minimum=1)
    seed = seed_value(seed)
    grid = _grid(p)
    if g.n == 0:
        raise ValueError("argument 'graph': the graph is empty")
    if g.directed:
        raise ValueError("argument 'graph': k-cores are computed on undirected graphs (see Graph.to_undirected)")
    with progress_callback(progress, f"{k}-core percolation") as cb:
        raw = _core.k_core_ensemble(g._g, k, realizations, seed, grid, cb)
    n = float(g.n)
    data = {
        "micro_core": raw["core"] / (realizations * n),
        "micro_core_sq": raw["core_sq"] / (realizations * n * n),
        "realization_core": raw["canonical_core"].reshape(realizations, grid.size) / n,
        "jump": raw["jump"] / n,
        "jump_p": raw["jump_at"] / n,
        "p": grid,
    }
    data["core"] = data["realization_core"].mean(axis=0)
    params = {"k": k, "realizations": realizations, "n": g.n, "level": level}
    return KCoreResult(data, model="percolation.k_core", parameters=params, seed=seed)


def k_core_members(graph, k: int, *, level: Optional[int] = None) -> np.ndarray:
    """Boolean mask of the vertices in the k-core of the whole graph (pruning, O(n + m))."""
    g = graph_of(graph, level)
    k = check_int("k", k, minimum=0)
    if g.directed:
        raise ValueError("argument 'graph': k-cores are computed on undirected graphs (see Graph.to_undirected)")
    return _core.k_core_members(g._g, k).astype(bool)
