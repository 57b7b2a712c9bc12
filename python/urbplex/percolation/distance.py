"""Hierarchical percolation on distance thresholds (Arcaute et al., R. Soc. Open Sci. 3, 150691, 2016).

Clusters at distance d are the components of the edges no longer than d.
The largest cluster grows in jumps; the partitions at increasing thresholds
are nested and make a :class:`~urbplex.Hierarchy` (street network ->
settlements -> regions).
"""
from __future__ import annotations

from typing import Optional, Union

import numpy as np
from numpy.typing import ArrayLike

from .. import _core
from .._graph_arg import graph_of
from .._validate import check_int, float_array
from ..hierarchy import Hierarchy
from ..result import RunResult, register_result
from ..provenance import records_lineage


@register_result
class DistanceResult(RunResult):
    """Largest cluster (fraction of n) and number of clusters for every distinct distance threshold."""

    model = "distance_percolation"

    def jumps(self, top: int = 5):
        """The ``top`` largest jumps of the largest cluster: thresholds d and jump sizes (fractions of n)."""
        import pandas as pd

        top = check_int("top", top, minimum=1)
        s = self.data["largest"]
        jump = np.diff(s, prepend=s[0] if s.size else 0.0)
        idx = np.argsort(-jump, kind="stable")[:top]
        idx = idx[jump[idx] > 0]
        return pd.DataFrame({"d": self.data["d"][idx], "jump": jump[idx], "largest_after": s[idx]}).sort_values("d")

    def to_frame(self):
        """One row per distance threshold ``d``: ``largest`` (fraction of vertices in the largest cluster) and ``clusters`` (their number)."""
        import pandas as pd

        return pd.DataFrame({"d": self.data["d"], "largest": self.data["largest"], "clusters": self.data["clusters"]})


@records_lineage
def distance(graph, weight: Union[str, np.ndarray] = "length", *, level: Optional[int] = None) -> DistanceResult:
    """One sweep over the edges sorted by ``weight``: clusters for every distance threshold."""
    g = graph_of(graph, level)
    w = np.asarray(g.numeric_edge(weight)) if isinstance(weight, str) else float_array("weight", weight, size=g.m,
                                                                              non_negative=True)
    if g.n == 0:
        raise ValueError("argument 'graph': the graph is empty")
    d, largest, clusters = _core.distance_sweep(g._g, w)
    return DistanceResult({"d": d, "largest": largest / g.n, "clusters": clusters}, model="distance_percolation",
                          parameters={"weight": weight if isinstance(weight, str) else None, "level": level})


@records_lineage
def distance_hierarchy(graph, thresholds: Optional[ArrayLike] = None, *, weight: Union[str, np.ndarray] = "length",
                       levels: int = 3) -> Hierarchy:
    """A Hierarchy whose level k merges the clusters at the k-th distance threshold.

    ``thresholds`` (increasing) default to the thresholds of the ``levels``
    largest jumps of the largest cluster. Each level records method
    'distance_percolation' and its threshold as scale.
    """
    g = graph_of(graph)
    w = np.asarray(g.numeric_edge(weight)) if isinstance(weight, str) else float_array("weight", weight, size=g.m,
                                                                              non_negative=True)
    if thresholds is None:
        thresholds = np.sort(distance(g, w).jumps(levels)["d"].to_numpy())
    th = np.asarray(thresholds, dtype=np.float64)
    if th.ndim != 1 or th.size == 0 or np.any(np.diff(th) <= 0):
        raise ValueError("argument 'thresholds': expected a non-empty, strictly increasing sequence")
    parts = _core.distance_partitions(g._g, w, th)
    h = Hierarchy(g)
    fine = np.arange(g.n)  # level-0 vertex of each level-0 vertex
    for d, labels in zip(th, parts):
        top = h.membership(0)  # current top-level node of every level-0 vertex
        # nested partitions: every top-level node lies inside one cluster at d
        per_top = np.empty(h.level(h.num_levels - 1).n, dtype=np.int64)
        per_top[top] = labels[fine]
        h.add_level(per_top, method="distance_percolation", scale=float(d))
    return h
