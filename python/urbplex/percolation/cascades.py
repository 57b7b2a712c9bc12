"""Cascade-based attacks (Motter & Lai, PRE 66, 065102(R), 2002).

Loads are betweenness; capacities (1 + alpha) times the initial load. After
the initial failure, overloaded vertices fail in stages until none is; the
damage is G = N'/N, the largest component after over before.
"""
from __future__ import annotations

from typing import Optional, Sequence, Union

import numpy as np

from .. import _core
from .._graph_arg import graph_of
from .._progress import progress_callback
from .._validate import index_array, seed_value
from ..result import RunResult, register_result


@register_result
class CascadeResult(RunResult):
    """Damage G(alpha), failed vertices and cascade stages for each tolerance alpha."""

    model = "cascade"

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame({k: self.data[k] for k in ("alpha", "damage", "failed", "stages")})


def cascade(graph, alpha: Sequence[float] = (0.0, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0), *,
            initial: Union[str, Sequence[int]] = "max_load", seed: int = 0, level: Optional[int] = None,
            progress: bool = False) -> CascadeResult:
    """Motter–Lai cascades for each tolerance in ``alpha``.

    ``initial`` is 'max_load' (the vertex of highest load, as in Motter & Lai),
    'random' (one random vertex, by ``seed``), or a list of vertex ids. Each
    stage recomputes betweenness (O(N M)): meant for graphs of up to ~10^4 vertices.
    """
    g = graph_of(graph, level)
    if g.n == 0:
        raise ValueError("argument 'graph': the graph is empty")
    alphas = np.atleast_1d(np.asarray(alpha, dtype=np.float64))
    if alphas.ndim != 1 or not np.all(np.isfinite(alphas)) or np.any(alphas < 0):
        raise ValueError("argument 'alpha': expected finite tolerances >= 0")
    with progress_callback(progress, "loads") as cb:
        load = _core.betweenness(g._g, None, cb)
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
            damage, failed, stages, _ = _core.motter_lai(g._g, load, float(a), first, cb)
            rows.append((damage, failed, stages))
    damage, failed, stages = (np.asarray(c) for c in zip(*rows))
    data = {"alpha": alphas, "damage": damage.astype(np.float64), "failed": failed.astype(np.int64),
            "stages": stages.astype(np.int64), "initial": first.astype(np.int64), "load": load}
    return CascadeResult(data, model="cascade", parameters={"initial": initial if isinstance(initial, str) else "ids",
                                                            "level": level}, seed=seed)
