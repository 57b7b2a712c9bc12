"""Cross-scale analysis: one model on every level of a Hierarchy, one tidy table."""
from __future__ import annotations

import numpy as np

from ..hierarchy import Hierarchy

MODELS = ("bond", "site", "radiation", "gravity", "stats")


def across_levels(hierarchy: Hierarchy, model: str, **kwargs):
    """Run ``model`` on each level and return one row per level.

    'bond' / 'site': Newman-Ziff percolation (kwargs to urbplex.percolation);
    columns p_peak (where S2 peaks, a finite-size p_c estimate) and the
    largest-cluster fraction at p = 0.5. 'radiation' / 'gravity': flow models
    on the level's nodes (kwargs to urbplex.mobility); total flow and
    flow-weighted mean distance. 'stats': :func:`basic_stats`.
    """
    import pandas as pd

    from .. import mobility, percolation
    from .stats import basic_stats

    if not isinstance(hierarchy, Hierarchy):
        raise TypeError("argument 'hierarchy': expected urbplex.Hierarchy")
    if model not in MODELS:
        raise ValueError(f"argument 'model': must be one of {MODELS}, got {model!r}")
    rows = []
    for k in range(hierarchy.num_levels):
        g = hierarchy.level(k)
        row = {"level": k, "nodes": g.n, "edges": g.m}
        if model in ("bond", "site"):
            res = getattr(percolation, model)(hierarchy, level=k, **kwargs)
            t = res.to_frame()
            row.update(p_peak=res.peak_second(), largest_at_half=float(t.loc[(t["p"] - 0.5).abs().idxmin(), "largest"]))
        elif model in ("radiation", "gravity"):
            locs = mobility.locations_of(hierarchy, level=k)
            flows = getattr(mobility, model)(locs, **kwargs).matrix
            flows = flows if isinstance(flows, np.ndarray) else flows.toarray()
            d = locs.distance_matrix()
            row.update(total_flow=float(flows.sum()), mean_distance=float((flows * d).sum() / flows.sum()))
        else:
            row.update(basic_stats(g))
        rows.append(row)
    return pd.DataFrame(rows).set_index("level")
