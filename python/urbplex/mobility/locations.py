"""Locations of the mobility models: coordinates and a mass (population or relevance)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from .._graph_arg import graph_of
from .._validate import float_array
from ..graph import Graph
from ..hierarchy import Hierarchy
from ..provenance import lineage_of

METRICS = ("euclidean", "haversine")

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG), as in the C++ core (kEarthRadiusKm)


def great_circle_km(lat1, lng1, lat2, lng2) -> np.ndarray:
    """Haversine distance in km between points given in degrees (broadcasting)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(np.subtract(lng2, lng1)) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def _first_duplicate(ids: np.ndarray):
    """The first id that appears twice (a plain value), or None."""
    import pandas as pd

    dup = pd.Index(ids).duplicated()
    if not dup.any():
        return None
    v = ids[int(np.argmax(dup))]
    return v.item() if hasattr(v, "item") else v


@dataclass(frozen=True)
class Locations:
    """Points with a mass. ``metric='euclidean'`` takes planar x, y (any unit,
    km for the spatial EPR defaults); ``'haversine'`` takes x = longitude,
    y = latitude in degrees and measures great-circle km."""

    x: np.ndarray
    y: np.ndarray
    mass: np.ndarray
    metric: str = "euclidean"
    #: where the points came from (a Graph or Hierarchy level; see urbplex.provenance)
    lineage: Optional[dict] = field(default=None, compare=False, repr=False)
    #: the locations' own ids (zone or tile ids, unique; None: 0..n-1), kept by
    #: the flow models' results and their tables
    ids: Optional[np.ndarray] = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        x = float_array("x", self.x)
        if x.size == 0:
            raise ValueError("argument 'locations': the location set is empty")
        y = float_array("y", self.y, size=x.size)
        mass = np.ascontiguousarray(self.mass, dtype=np.float64)
        if mass.ndim != 1 or mass.size != x.size:
            raise ValueError(f"argument 'mass': has {mass.size} values, expected {x.size}")
        bad = ~np.isfinite(mass) | (mass < 0)
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(f"argument 'mass': location {i} has mass {mass[i]} (must be finite and >= 0)")
        if self.metric not in METRICS:
            raise ValueError(f"argument 'metric': must be one of {METRICS}, got {self.metric!r}")
        if self.metric == "haversine" and np.abs(y).max() > 90:
            raise ValueError("argument 'y': latitudes must be within [-90, 90] for the haversine metric")
        if x.size < 2:
            raise ValueError("argument 'locations': need at least 2 locations")
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "mass", mass)
        if self.ids is not None:
            ids = np.asarray(self.ids)
            if ids.ndim != 1 or ids.size != x.size:
                raise ValueError(f"argument 'ids': has {ids.size} values, expected one per location ({x.size})")
            if ids.dtype.kind not in "iuUO":
                raise TypeError(f"argument 'ids': must be integers or strings, got dtype {ids.dtype}")
            dup = _first_duplicate(ids)
            if dup is not None:
                raise ValueError(f"argument 'ids': id {dup!r} appears more than once")
            object.__setattr__(self, "ids", ids)

    @property
    def n(self) -> int:
        """Number of locations."""
        return int(self.x.size)

    def distances(self, i: int) -> np.ndarray:
        """Distances from location ``i`` to every location."""
        if self.metric == "euclidean":
            return np.hypot(self.x - self.x[i], self.y - self.y[i])
        return great_circle_km(self.y[i], self.x[i], self.y, self.x)

    def distance_matrix(self) -> np.ndarray:
        """All pairwise distances (n x n; for small location sets)."""
        return np.stack([self.distances(i) for i in range(self.n)])

    def _args(self):
        return self.x, self.y, self.mass, self.metric


def locations_of(where, *, mass: str = "population", level: Optional[int] = None,
                 metric: Optional[str] = None) -> Locations:
    """Locations from a :class:`Locations`, a Graph or Hierarchy level (node
    attributes x, y and ``mass``), a DataFrame (columns x, y, ``mass``) or an
    (x, y, mass) tuple."""
    if isinstance(where, Locations):
        return where if metric is None or metric == where.metric else Locations(
            where.x, where.y, where.mass, metric, lineage=where.lineage, ids=where.ids)
    metric = metric or "euclidean"
    if isinstance(where, (Graph, Hierarchy)):
        g = graph_of(where, level, "locations")
        names = g.node_attr_names
        for need in ("x", "y", mass):
            if need not in names:
                raise ValueError(f"argument 'locations': the graph has no node attribute {need!r} (has {names})")
        return Locations(g.numeric_node("x"), g.numeric_node("y"), g.numeric_node(mass), metric,
                         lineage=lineage_of(where, level))
    if hasattr(where, "columns"):
        for need in ("x", "y", mass):
            if need not in where.columns:
                raise ValueError(f"argument 'locations': the frame has no column {need!r}")
        return Locations(where["x"].to_numpy(), where["y"].to_numpy(), where[mass].to_numpy(), metric)
    if isinstance(where, tuple) and len(where) == 3:
        return Locations(*where, metric=metric)
    raise TypeError("argument 'locations': expected Locations, Graph, Hierarchy, DataFrame or (x, y, mass), "
                    f"got {type(where).__name__}")
