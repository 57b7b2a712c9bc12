"""Modularity communities as a multiscale hierarchy: Louvain (Blondel et al.,
J. Stat. Mech. 2008) with a parallel local-moving phase and the Leiden
refinement (Traag, Waltman & van Eck, Sci. Rep. 9, 5233, 2019)."""
from __future__ import annotations

from typing import Optional

import numpy as np

from .. import _core
from .._graph_arg import graph_of
from .._progress import progress_callback
from .._validate import check_float, check_int, seed_value
from ..hierarchy import Hierarchy
from ..result import RunResult, register_result
from ..provenance import records_lineage


@register_result
class CommunityResult(RunResult):
    """Community membership of every node at each aggregation level
    (``membership`` has shape (levels, n)), with the modularity (the CPM
    quality H for ``quality='cpm'``) and the number of communities whose
    members are not connected inside them, per level."""

    model = "communities"

    @property
    def final(self) -> np.ndarray:
        """The community of every vertex at the last (coarsest) level."""
        return self.data["membership"][-1]

    def to_frame(self):
        """One row per ``level``: ``communities`` (their number), ``modularity`` and ``disconnected`` (communities that are not connected)."""
        import pandas as pd

        return pd.DataFrame({"level": np.arange(self.data["modularity"].size), "communities": self.data["count"],
                             "modularity": self.data["modularity"], "disconnected": self.data["disconnected"]})

    def hierarchy(self, graph, *, level: Optional[int] = None) -> Hierarchy:
        """A Hierarchy of ``graph`` with one level per nested aggregation level
        (Leiden levels that do not nest in the previous one are skipped)."""
        g = graph_of(graph, level)
        h = Hierarchy(g)
        prev = np.arange(g.n)
        for k, member in enumerate(self.data["membership"]):
            # member must be constant on each node of the current top level (the groups of `prev`)
            first = np.full(prev.max() + 1, -1, dtype=np.int64)
            first[prev] = member
            if not np.array_equal(first[prev], member):
                continue
            h.add_level(first[: prev.max() + 1].astype(np.int64), method=self.parameters["method"],
                        scale=self.parameters["resolution"])
            prev = member
        return h


@records_lineage
def communities(graph, *, method: str = "leiden", resolution: float = 1.0, theta: float = 0.01,
                weight: Optional[str] = None, seed: int = 0, max_levels: int = 32, level: Optional[int] = None,
                iterations: Optional[int] = None, quality: str = "modularity",
                initial_membership=None, progress: bool = False) -> CommunityResult:
    """Modularity communities, level by level (Louvain, or Leiden with ``method='leiden'``).

    ``resolution`` is gamma of Q = sum_c [e_c / 2m - gamma (K_c / 2m)^2];
    ``weight`` an edge attribute. ``quality='cpm'`` optimises the constant
    Potts model H = sum_c [e_c - gamma N_c (N_c - 1) / 2] instead (Traag, Van
    Dooren & Nesterov, PRE 84, 016114, 2011: no resolution limit; gamma is a
    density, communities have internal density > gamma), and the result's
    ``modularity`` then holds H. ``initial_membership`` (one label per node,
    any hashable values) starts the first run from that partition, as
    leidenalg's argument of that name. ``iterations`` runs the whole algorithm
    again from the previous run's partition (Traag, Waltman & van Eck 2019):
    2 by default for Leiden (as leidenalg and igraph), -1 until a run raises
    modularity by less than 1e-6 (leidenalg's ``n_iterations=-1``), 1 for
    Louvain; the levels returned are those of the last improving run.
    Deterministic for a seed, whatever the thread count.
    ``.hierarchy(graph)`` turns the levels into a Hierarchy.
    """
    g = graph_of(graph, level)
    if method not in ("leiden", "louvain"):
        raise ValueError(f"argument 'method': must be 'leiden' or 'louvain', got {method!r}")
    resolution = check_float("resolution", resolution, minimum=0.0, strict_min=True)
    theta = check_float("theta", theta, minimum=0.0, strict_min=True)
    max_levels = check_int("max_levels", max_levels, minimum=1, maximum=1000)
    if iterations is None:
        iterations = 2 if method == "leiden" else 1
    iterations = check_int("iterations", iterations, minimum=-1, maximum=1000)
    if iterations == 0:
        raise ValueError("argument 'iterations': must be -1 (until no improvement) or >= 1, got 0")
    if g.directed:
        raise ValueError("argument 'graph': community detection needs an undirected graph")
    if quality not in ("modularity", "cpm"):
        raise ValueError(f"argument 'quality': must be 'modularity' or 'cpm', got {quality!r}")
    start = np.zeros(0, dtype=np.uint32)
    if initial_membership is not None:
        start = np.asarray(initial_membership)
        if start.shape != (g.n,):
            raise ValueError(f"argument 'initial_membership': expected {g.n} labels (one per node), "
                             f"got shape {start.shape}")
        start = np.unique(start, return_inverse=True)[1].astype(np.uint32).ravel()
    w = np.zeros(0) if weight is None else g.numeric_edge(weight)
    with progress_callback(progress, method) as cb:
        levels, q, disconnected = _core.louvain(g._g, np.ascontiguousarray(w, dtype=np.float64), resolution, method == "leiden",
                                  theta, seed_value(seed), max_levels, cb, 0 if iterations == -1 else iterations,
                                  quality == "cpm", start)
    membership = np.stack(levels) if levels else np.zeros((0, g.n), dtype=np.uint32)
    data = {"membership": membership, "modularity": np.asarray(q, dtype=np.float64),
            "count": np.array([int(m.max()) + 1 for m in membership], dtype=np.int64),
            "disconnected": np.asarray(disconnected, dtype=np.int64)}
    return CommunityResult(data, model=f"communities.{method}", parameters=dict(method=method, resolution=resolution,
                                                                                 theta=theta, weight=weight,
                                                                                 iterations=iterations,
                                                                                 quality=quality),
                           seed=seed)


@records_lineage
def modularity(graph, labels, *, resolution: float = 1.0, weight: Optional[str] = None,
               level: Optional[int] = None) -> float:
    """Newman-Girvan modularity of a partition (one non-negative integer label per node)."""
    g = graph_of(graph, level)
    resolution = check_float("resolution", resolution, minimum=0.0)
    lab = np.asarray(labels)
    if lab.shape != (g.n,) or lab.dtype.kind not in "iu" or (lab.size and lab.min() < 0):
        raise ValueError(f"argument 'labels': expected {g.n} non-negative integer labels")
    if lab.size and int(lab.max()) >= 2**32 - 1:
        raise ValueError(f"argument 'labels': label {int(lab.max())} does not fit the 32-bit labels of the core "
                         "(relabel with np.unique(labels, return_inverse=True)[1])")
    w = np.zeros(0) if weight is None else g.numeric_edge(weight)
    return float(_core.modularity(g._g, np.ascontiguousarray(w, dtype=np.float64),
                                  np.ascontiguousarray(lab, dtype=np.uint32), float(resolution)))
