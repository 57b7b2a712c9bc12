"""Level builders returning a Hierarchy: intersection consolidation and
Laplacian renormalization (Kadanoff supernodes, Villegas et al. 2023).
Louvain/Leiden levels come from :func:`communities` (``.hierarchy()``), grid
pyramids from :meth:`urbplex.Hierarchy.from_grid`, user partitions from
:meth:`urbplex.Hierarchy.from_labels`. Each level records its method and
scale; ``hierarchy.report`` counts groups whose members are not connected."""
from __future__ import annotations

from typing import Optional

import numpy as np

from .._graph_arg import graph_of
from .._validate import check_float, check_int
from ..hierarchy import Hierarchy
from .renormalization import supernodes
from ..provenance import records_lineage


@records_lineage
def disconnected_groups(graph, labels) -> int:
    """Number of groups (labels) whose members are not connected by edges inside the group."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    g = graph_of(graph)
    labels = np.asarray(labels, dtype=np.int64)
    s, t = g.edge_sources, g.edge_targets
    keep = labels[s] == labels[t]
    ncomp, comp = connected_components(sp.coo_array((np.ones(keep.sum()), (s[keep], t[keep])), shape=(g.n, g.n)),
                                       directed=False)
    pieces = np.unique(labels * ncomp + comp) // ncomp
    return int((np.bincount(pieces) > 1).sum())


def _with_report(h: Hierarchy, rows) -> Hierarchy:
    import pandas as pd

    h.report = pd.DataFrame(rows).set_index("level")
    return h


@records_lineage
def consolidate(graph, tolerance: float, *, level: Optional[int] = None) -> Hierarchy:
    """Merge nodes closer than ``tolerance`` (single linkage on node x, y; e.g.
    the several nodes of one complex intersection). Level 1 has method
    'consolidation' and scale ``tolerance``; coordinates are averaged and
    extensive attributes summed by the Hierarchy rules."""
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    g = graph_of(graph, level)
    tolerance = check_float("tolerance", tolerance, minimum=0.0, strict_min=True)
    if "x" not in g.node_attr_names or "y" not in g.node_attr_names:
        raise ValueError("argument 'graph': consolidation needs node attributes 'x' and 'y'")
    pts = np.column_stack([g.numeric_node("x"), g.numeric_node("y")])
    pairs = cKDTree(pts).query_pairs(tolerance, output_type="ndarray")
    _, labels = connected_components(coo_array((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])),
                                               shape=(g.n, g.n)), directed=False)
    h = Hierarchy(g).add_level(labels.astype(np.int64), method="consolidation", scale=tolerance)
    return _with_report(h, [{"level": 1, "groups": int(labels.max()) + 1,
                             "disconnected": disconnected_groups(g, labels)}])


@records_lineage
def renormalize(graph, tau: float = 1.0, *, levels: int = 3, weight: Optional[str] = None,
                level: Optional[int] = None, max_nodes: int = 12_000) -> Hierarchy:
    """Laplacian RG levels: Kadanoff supernodes at ``tau`` on the top level,
    repeated ``levels`` times (stops early when nothing merges)."""
    g = graph_of(graph, level)
    tau = check_float("tau", tau, minimum=0.0, strict_min=True)
    levels = check_int("levels", levels, minimum=1, maximum=64)
    h = Hierarchy(g)
    rows = []
    for k in range(levels):
        top = h.level(h.num_levels - 1)
        labels = supernodes(top, tau, weight=weight, max_nodes=max_nodes)
        if labels.max() + 1 == top.n:
            break
        rows.append({"level": h.num_levels, "groups": int(labels.max()) + 1,
                     "disconnected": disconnected_groups(top, labels)})
        h.add_level(labels, method="lrg", scale=tau)
    return _with_report(h, rows)


def plot_hierarchy(h: Hierarchy, *, axes=None):
    """One panel per level: the level-0 nodes (x, y) coloured by their group at that level."""
    from urbplex._optional import require
    plt = require("matplotlib.pyplot")

    g0 = h.level(0)
    if "x" not in g0.node_attr_names or "y" not in g0.node_attr_names:
        raise ValueError("plot_hierarchy needs node attributes 'x' and 'y' on level 0")
    if axes is None:
        _, axes = plt.subplots(1, h.num_levels, figsize=(3.2 * h.num_levels, 3.2), squeeze=False)
        axes = axes[0]
    rng = np.random.default_rng(0)
    for k, ax in enumerate(axes[: h.num_levels]):
        member = h.membership(0, k)
        colours = rng.permutation(int(member.max()) + 1)[member]
        ax.scatter(g0.node("x"), g0.node("y"), c=colours, s=4, cmap="tab20")
        info = h.info(k)
        ax.set_title(f"level {k}: {h.level(k).n} nodes\n{info['method']} {info['scale']:g}", fontsize=9)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
    return axes
