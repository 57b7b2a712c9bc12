"""Per-level street-network statistics, comparable to OSMnx's basic_stats
(Boeing, "OSMnx", Comput. Environ. Urban Syst. 65, 2017).

- meshedness alpha = (m - n + c) / (2n - 5): the fraction of the faces a
  planar graph could have (Buhl et al., Eur. Phys. J. B 49, 513, 2006);
- circuity: total edge length over total straight-line length of the edges
  (OSMnx's circuity_avg; Giacomin & Levinson 2015).
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from .._graph_arg import graph_of
from ..hierarchy import Hierarchy
from ..provenance import records_lineage


@records_lineage
def meshedness(graph, *, level: Optional[int] = None) -> float:
    """(m - n + c) / (2n - 5), self-loops and parallel edges excluded."""
    g = graph_of(graph, level)
    if g.n < 3:
        raise ValueError("meshedness needs at least 3 nodes")
    s, t = g.edge_sources, g.edge_targets
    keep = s != t
    pairs = np.unique(np.sort(np.stack([s[keep], t[keep]]), axis=0), axis=1)
    m = pairs.shape[1]
    return float((m - g.n + g.components().count) / (2 * g.n - 5))


@records_lineage
def basic_stats(graph, *, level: Optional[int] = None, length: str = "length") -> dict:
    """n, m, mean degree, total/mean edge length, intersections (degree >= 3),
    dead ends, self-loop share, circuity and meshedness."""
    g = graph_of(graph, level)
    deg = g.degree()
    s, t = g.edge_sources, g.edge_targets
    out = {"n": g.n, "m": g.m, "k_avg": float(2 * g.m / g.n) if g.n else 0.0,
           "intersection_count": int((deg >= 3).sum()), "dead_end_count": int((deg == 1).sum()),
           "self_loop_proportion": float(np.mean(s == t)) if g.m else 0.0,
           "meshedness": meshedness(g) if g.n >= 3 else float("nan")}
    names = g.edge_attr_names
    if length in names:
        lens = g.numeric_edge(length)
        out["edge_length_total"] = float(lens.sum())
        out["edge_length_avg"] = float(lens.mean()) if g.m else 0.0
        if "x" in g.node_attr_names and "y" in g.node_attr_names:
            x, y = g.numeric_node("x"), g.numeric_node("y")
            straight = np.hypot(x[s] - x[t], y[s] - y[t]).sum()
            out["circuity_avg"] = float(lens.sum() / straight) if straight > 0 else float("nan")
    return out


def level_stats(hierarchy: Hierarchy, *, length: str = "length"):
    """:func:`basic_stats` of every level, one row per level."""
    import pandas as pd

    if not isinstance(hierarchy, Hierarchy):
        raise TypeError("argument 'hierarchy': expected urbplex.Hierarchy")
    rows = [dict(level=k, **basic_stats(hierarchy.level(k), length=length)) for k in range(hierarchy.num_levels)]
    return pd.DataFrame(rows).set_index("level")
