"""Cascade-based attacks (Motter & Lai, PRE 66, 065102(R), 2002).

Loads are betweenness; capacities (1 + alpha) times the initial load. After
the initial failure, overloaded vertices fail in stages until none is; the
damage is G = N'/N, the largest component after over before.
"""
from __future__ import annotations

import warnings
from typing import Optional, Sequence, Union

import numpy as np

from .. import _core
from .._graph_arg import graph_of
from .._progress import progress_callback
from .._validate import check_int, index_array, seed_value
from ..result import RunResult, register_result
from ..provenance import records_lineage


@register_result
class CascadeResult(RunResult):
    """Damage G(alpha), failed vertices and cascade stages for each tolerance alpha."""

    model = "cascade"

    def to_frame(self):
        """One row per tolerance ``alpha``: ``damage`` (G = N'/N, the largest component after the cascade over before), ``failed`` (vertices that failed) and ``stages`` (rounds of the cascade)."""
        import pandas as pd

        return pd.DataFrame({k: self.data[k] for k in ("alpha", "damage", "failed", "stages")})


EXACT_UP_TO = 20_000
"""Graphs up to this many vertices get exact loads by default; larger ones, pivot estimates."""
DEFAULT_PIVOTS = 128


@records_lineage
def cascade(graph, alpha: Sequence[float] = (0.0, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0), *,
            initial: Union[str, Sequence[int]] = "max_load", sources: Union[None, int, str] = None,
            seed: int = 0, level: Optional[int] = None, progress: bool = False) -> CascadeResult:
    """Motter–Lai cascades for each tolerance in ``alpha``.

    ``initial`` is 'max_load' (the vertex of highest load, as in Motter & Lai),
    'random' (one random vertex, by ``seed``), or a list of vertex ids.

    Cost: every stage recomputes the loads. Exact loads (``sources='all'``)
    cost O(N M) per stage: seconds at 10^4 vertices, hours at 10^5. By default
    graphs of more than ``EXACT_UP_TO`` = 20 000 vertices use the pivot
    estimate of betweenness from ``sources`` = 128 random vertices (Brandes &
    Pich 2007; the same pivots, drawn from ``seed``, for the initial load and
    every stage, so capacities and loads are measured alike), with a
    UserWarning: O(k M) per stage, about 8 s for three tolerances on the
    guide's 100 000-vertex graph. Give an int for more pivots (a closer
    estimate), or 'all'. After the first stage only the components that lost
    a vertex are recomputed (exactly: paths never leave a component).
    ``progress=True`` shows each stage.
    """
    g = graph_of(graph, level)
    if g.n == 0:
        raise ValueError("argument 'graph': the graph is empty")
    alphas = np.atleast_1d(np.asarray(alpha, dtype=np.float64))
    if alphas.ndim != 1 or not np.all(np.isfinite(alphas)) or np.any(alphas < 0):
        raise ValueError("argument 'alpha': expected finite tolerances >= 0")
    if sources is None:
        sources = "all" if g.n <= EXACT_UP_TO else DEFAULT_PIVOTS
        if sources != "all":
            warnings.warn(f"cascade: {g.n} vertices, so loads are pivot estimates from {sources} sources (exact "
                          "loads, sources='all', cost O(N M) per stage); pass sources= to choose", UserWarning,
                          stacklevel=2)
    if isinstance(sources, str):
        if sources != "all":
            raise ValueError(f"argument 'sources': must be 'all', None or a number of pivots, got {sources!r}")
        pivots = np.zeros(0, dtype=np.uint32)
    else:
        k = check_int("sources", sources, minimum=1, maximum=g.n)
        pivots = np.sort(np.random.default_rng(seed_value(seed)).choice(g.n, size=k, replace=False)).astype(np.uint32)
        if k == g.n:
            pivots = np.zeros(0, dtype=np.uint32)
    with progress_callback(progress, "loads") as cb:
        load = _core.betweenness(g._g, None, cb, pivots)
    if isinstance(initial, str):
        if initial == "max_load":
            first = np.array([int(np.argmax(load))], dtype=np.uint32)
        elif initial == "random":
            first = np.array([np.random.default_rng(seed_value(seed)).integers(g.n)], dtype=np.uint32)
        else:
            raise ValueError(f"argument 'initial': must be 'max_load', 'random' or vertex ids, got {initial!r}")
    else:
        first = index_array("initial", initial, n=g.n)
    rows = []
    with progress_callback(progress, "cascades") as cb:
        for a in alphas:
            damage, failed, stages, _ = _core.motter_lai(g._g, load, float(a), first, cb, pivots)
            rows.append((damage, failed, stages))
    damage, failed, stages = (np.asarray(c) for c in zip(*rows))
    data = {"alpha": alphas, "damage": damage.astype(np.float64), "failed": failed.astype(np.int64),
            "stages": stages.astype(np.int64), "initial": first.astype(np.int64), "load": load}
    return CascadeResult(data, model="cascade", parameters={"initial": initial if isinstance(initial, str) else "ids",
                                                            "level": level,
                                                            "sources": int(pivots.size) if pivots.size else "all"},
                         seed=seed)
