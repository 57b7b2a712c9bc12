"""Hierarchy: a multiscale graph (street level -> neighbourhood -> city -> region)."""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from . import _core
from ._validate import check_float, check_int, float_array
from .graph import Graph


class Hierarchy:
    """Levels of coarse-grained graphs linked by parent maps.

    Level 0 is the finest graph. Level k+1 merges the nodes of level k that
    share a label: extensive node attributes (population, area, jobs...) are
    summed, the others (x, y...) averaged with population as the weight when
    the graph has one; edges inside a supernode disappear and edges between
    two supernodes merge, summing capacities and flows and averaging lengths,
    times and speeds; ``members`` counts the finest nodes of a node and
    ``multiplicity`` the finest edges of an edge.

    Build with :meth:`from_labels`, :meth:`from_grid`, or ``Hierarchy(graph)``
    followed by :meth:`add_level`.
    """

    # report: per-level notes of a builder (e.g. disconnected groups); _base:
    # level 0's node labels and every level's CRS, from the input graph.
    # _origin: "file:/hierarchies/name" once loaded from or saved to a store (lineage)
    # _fingerprints: content hash per level, computed once (levels never change once added)
    __slots__ = ("_h", "report", "_base", "_origin", "_fingerprints")

    def __init__(self, graph: Graph, *, extensive: Optional[Sequence[str]] = None,
                 intensive_edges: Optional[Sequence[str]] = None, weight: Optional[str] = None, _native=None):
        self.report = None
        self._origin = None
        self._fingerprints: dict = {}
        self._base = (None, None) if graph is None else (graph._labels, graph.crs)
        if _native is not None:
            self._h = _native
            return
        if not isinstance(graph, Graph):
            raise TypeError(f"argument 'graph': expected urbplex.Graph, got {type(graph).__name__}")
        self._h = _core.Hierarchy(graph._g, None if extensive is None else list(extensive),
                                  None if intensive_edges is None else list(intensive_edges), weight)

    def __reduce__(self):
        # Level 0, the merge rules and each level's parent map, method and scale:
        # replaying add_level rebuilds every coarse level exactly.
        levels = [(np.array(self.parent(k)), *self._h.info(k + 1)) for k in range(self.num_levels - 1)]
        rules = (list(self._h.extensive_nodes), list(self._h.intensive_edges), self._h.weight)
        return (_hierarchy_from_state, (self.level(0), rules, levels, self.report))

    def __deepcopy__(self, memo) -> "Hierarchy":
        import pickle

        return pickle.loads(pickle.dumps(self))  # add_level mutates: a deep copy must not share the native object

    @classmethod
    def from_labels(cls, graph: Graph, labels, *, method: str = "labels", scale: float = 0.0,
                    **rules) -> "Hierarchy":
        """Two levels: ``graph`` and the graph of its nodes merged by ``labels`` (one per node)."""
        h = cls(graph, **rules)
        return h.add_level(labels, method=method, scale=scale)

    @classmethod
    def from_grid(cls, graph: Graph, *, cell: float, levels: int = 3, factor: int = 2,
                  extensive: Optional[Sequence[str]] = None, intensive_edges: Optional[Sequence[str]] = None,
                  weight: Optional[str] = None) -> "Hierarchy":
        """Spatial grid pyramid: level k >= 1 merges nodes in square cells of side ``cell * factor**(k-1)``.

        Needs node attributes ``x`` and ``y``; cells nest exactly across levels.
        """
        if not isinstance(graph, Graph):
            raise TypeError(f"argument 'graph': expected urbplex.Graph, got {type(graph).__name__}")
        from .crs import require_projected

        require_projected(graph, "Hierarchy.from_grid(cell=...)")
        cell = check_float("cell", cell, minimum=0.0, strict_min=True)
        levels = check_int("levels", levels, minimum=1, maximum=64)
        if graph.n and "x" in graph.node_attr_names and "y" in graph.node_attr_names:
            span = float(max(np.ptp(graph.node("x")), np.ptp(graph.node("y"))))
            if span > cell * 2**31:
                raise ValueError(f"argument 'cell': {cell!r} is too small for coordinates spanning {span:g} "
                                 "(more than 2^31 cells per axis)")
        factor = check_int("factor", factor, minimum=2, maximum=2**16)
        native = _core.Hierarchy.grid_pyramid(graph._g, cell, levels, factor,
                                              None if extensive is None else list(extensive),
                                              None if intensive_edges is None else list(intensive_edges), weight)
        h = cls(None, _native=native)
        h._base = (graph._labels, graph.crs)
        return h

    def add_level(self, labels, *, method: str = "labels", scale: float = 0.0) -> "Hierarchy":
        """Add a level above the top one, merging its nodes by ``labels`` (non-negative integers)."""
        top = self.level(self.num_levels - 1)
        arr = np.asarray(labels)
        if arr.ndim != 1 or arr.size != top.n:
            raise ValueError(f"argument 'labels': expected one label per node of the top level ({top.n}), "
                             f"got shape {arr.shape}")
        if arr.size and arr.dtype.kind not in "iu":
            raise TypeError(f"argument 'labels': expected integers, got dtype {arr.dtype}")
        if arr.size and arr.min() < 0:
            raise ValueError("argument 'labels': labels must be >= 0")
        self._h.add_level(np.ascontiguousarray(arr, dtype=np.uint64), str(method), float(scale))
        return self

    @property
    def num_levels(self) -> int:
        """Number of levels, the finest (0) included."""
        return self._h.num_levels

    def level(self, k: int) -> Graph:
        """The graph of level k (0 is the finest)."""
        k = check_int("k", k, minimum=0, maximum=self.num_levels - 1)
        labels, crs = self._base
        g = Graph(self._h.level(k), labels=labels if k == 0 else None, crs=crs)
        g._fingerprint = self._fingerprints.get(k)  # computed once per level (urbplex.provenance)
        return g

    @property
    def levels(self) -> list:
        """The graphs of all levels, finest first."""
        return [self.level(k) for k in range(self.num_levels)]

    def parent(self, k: int) -> np.ndarray:
        """For each node of level k, its node at level k+1."""
        return self._h.parent(check_int("k", k, minimum=0, maximum=self.num_levels - 2))

    def info(self, k: int) -> dict:
        """How level k was built: ``{'method': ..., 'scale': ...}``."""
        method, scale = self._h.info(check_int("k", k, minimum=0, maximum=self.num_levels - 1))
        return {"method": method, "scale": scale}

    def membership(self, from_level: int = 0, to_level: Optional[int] = None) -> np.ndarray:
        """For each node of ``from_level``, its ancestor at ``to_level`` (default: the top)."""
        to_level = self.num_levels - 1 if to_level is None else to_level
        return self._h.membership(from_level, to_level)

    def lift(self, values, *, from_level: int = 0, to_level: Optional[int] = None, how: str = "sum") -> np.ndarray:
        """Move a node quantity up: ``how='sum'`` for extensive, ``'mean'`` for intensive quantities."""
        if how not in ("sum", "mean"):
            raise ValueError(f"argument 'how': must be 'sum' or 'mean', got {how!r}")
        to_level = self.num_levels - 1 if to_level is None else to_level
        n = self.level(from_level).n
        return self._h.lift(float_array("values", values, size=n), from_level, to_level, how == "mean")

    def project(self, values, *, from_level: int, to_level: int = 0) -> np.ndarray:
        """Move a node quantity down: every node takes its ancestor's value."""
        n = self.level(from_level).n
        return self._h.project(float_array("values", values, size=n), from_level, to_level)

    def check(self) -> None:
        """Check the invariants: maps total and surjective, extensive attributes conserved."""
        self._h.check()

    def summary(self):
        """One row per level: method, scale, nodes, edges and the totals of extensive attributes."""
        import pandas as pd

        rows = []
        for k in range(self.num_levels):
            g = self.level(k)
            row = {"level": k, **self.info(k), "nodes": g.n, "edges": g.m,
                   "mean_degree": (2.0 if not g.directed else 1.0) * g.m / g.n if g.n else 0.0}
            for a in self._h.extensive_nodes:
                if a in g.node_attr_names and a != "members":
                    row[f"total_{a}"] = float(np.nansum(np.asarray(g.node(a), dtype=float)))
            rows.append(row)
        return pd.DataFrame(rows).set_index("level")

    def save(self, path, name: str, *, overwrite: bool = False, graph: Optional[str] = "auto") -> None:
        """Save to the HDF5 store at ``path`` under /hierarchies/<name> (atomic); level 0
        refers to an equal stored graph instead of a copy (see :func:`urbplex.io.save_hierarchy`)."""
        from .io import save_hierarchy

        save_hierarchy(path, self, name, overwrite=overwrite, graph=graph)

    @classmethod
    def load(cls, path, name: str, *, allow_links: bool = False) -> "Hierarchy":
        """Load /hierarchies/<name> from the HDF5 store at ``path`` (see :func:`urbplex.io.load_graph`)."""
        from .io import load_hierarchy

        return load_hierarchy(path, name, allow_links=allow_links)

    def __repr__(self) -> str:
        sizes = " -> ".join(str(self.level(k).n) for k in range(self.num_levels))
        return f"Hierarchy({self.num_levels} levels, nodes {sizes})"


def _hierarchy_from_state(level0, rules, levels, report) -> "Hierarchy":
    """Unpickle a Hierarchy (see Hierarchy.__reduce__)."""
    extensive, intensive, weight = rules
    h = Hierarchy(level0, extensive=extensive, intensive_edges=intensive, weight=weight)
    for parent, method, scale in levels:
        h.add_level(parent.astype(np.int64), method=method, scale=scale)
    h.report = report
    return h
