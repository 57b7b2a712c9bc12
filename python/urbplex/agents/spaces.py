"""Spaces agents live in, and the neighbour queries rules make there.

Every space hands rules the same arrays (``space`` in a rule):

``indptr, indices``
    neighbours as CSR: the neighbours of cell ``c`` (of agent ``i`` in
    :class:`Continuous`) are ``indices[indptr[c]:indptr[c + 1]]``.
``occupant``
    for spaces of capacity 1: the agent on each cell, -1 when empty.
``empty, empty_pos, n_empty``
    the empty cells (``empty[:n_empty[0]]``) and where each cell sits in that
    list (-1 when occupied), so that a uniformly random empty cell is O(1).
``members_ptr, members``
    for spaces without a capacity: the agents on each cell as CSR, built at
    the start of every stage from the position column.
``layers``
    per-cell arrays the model keeps (``space.layers.<name>``; Mesa's
    property layers, NetLogo's patch variables): added with
    :meth:`Grid.add_layer` and friends, written by rules. A layer mirroring
    an agent attribute per cell (the kind of the household on it, say) makes
    neighbour scans read one small array in cell order instead of jumping
    between agents: 3-5x faster on large grids.

and numba-compiled helpers (:func:`neighbours`, :func:`move`,
:func:`move_to_random_empty`, :func:`agents_at`) that rules call.
"""
from __future__ import annotations

from collections import namedtuple
from typing import Optional, Union

import numpy as np

from ._jit import njit
from .random import integers

SpaceArrays = namedtuple("SpaceArrays", "indptr indices occupant empty empty_pos n_empty members_ptr members layers")

_NONE = np.zeros(0, dtype=np.int64)
_LAYER_TYPES: dict = {}


def _layers(layers: dict):
    names = tuple(layers)
    t = _LAYER_TYPES.get(names)
    if t is None:
        t = _LAYER_TYPES[names] = namedtuple("Layers", names)
    return t(*layers.values())


class _CellSpace:
    """Cells with a neighbour CSR; agents hold their cell in ``position``."""

    position = "cell"

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, capacity: Optional[int]):
        self.indptr = np.ascontiguousarray(indptr, dtype=np.int64)
        self.n_cells = self.indptr.size - 1
        # int32 neighbour lists halve the memory of large grids (8 per cell)
        self.indices = np.ascontiguousarray(indices, dtype=np.int32 if self.n_cells < 2**31 else np.int64)
        if capacity not in (None, 1):
            raise ValueError(f"capacity must be 1 (one agent per cell) or None (any number), got {capacity!r}")
        self.capacity = capacity
        self._occupant = _NONE
        self._empty = _NONE
        self._empty_pos = _NONE
        self._n_empty = np.zeros(1, dtype=np.int64)
        self._members_ptr = np.zeros(self.n_cells + 1, dtype=np.int64)
        self._members = _NONE
        self._seen = (-1, -1)
        self.layers: dict[str, np.ndarray] = {}

    def add_layer(self, name: str, dtype="float", fill=0) -> np.ndarray:
        """A per-cell array named ``name`` (rules see it as
        ``space.layers.<name>``); returns it, filled with ``fill``."""
        if not str(name).isidentifier() or name.startswith("_"):
            raise ValueError(f"layer name {name!r} must be a Python identifier not starting with '_'")
        dt = np.dtype({"float": np.float64, "int": np.int64, "bool": np.bool_}.get(dtype, dtype))
        if dt.kind not in "fiub":
            raise TypeError(f"layer {name!r} must be numeric or bool, got {dt}")
        arr = self.layers[name] = np.full(self.n_cells, fill, dtype=dt)
        return arr

    def neighbours_of(self, cell: int) -> np.ndarray:
        """Neighbouring cells of ``cell``."""
        if not 0 <= cell < self.n_cells:
            raise ValueError(f"no cell {cell} (cells run 0..{self.n_cells - 1})")
        return self.indices[self.indptr[cell]:self.indptr[cell + 1]]

    def place(self, agents, ids, cells) -> None:
        """Put agents ``ids`` on ``cells`` (writes their position column; a
        cell of a capacity-1 space takes one agent)."""
        if self.position not in agents or agents.dtypes[self.position].kind not in "iu":
            raise ValueError(f"agents in a {type(self).__name__} need an integer column {self.position!r} "
                             "holding their cell")
        ids = np.asarray(ids, dtype=np.int64)
        cells = np.asarray(cells, dtype=np.int64)
        if ids.shape != cells.shape:
            raise ValueError(f"{ids.size} agents but {cells.size} cells")
        bad = cells[(cells < 0) | (cells >= self.n_cells)]
        if bad.size:
            raise ValueError(f"no cell {int(bad[0])} (cells run 0..{self.n_cells - 1})")
        column = agents[self.position]
        before = column[ids].copy()
        column[ids] = cells
        if self.capacity == 1:
            try:
                self._reindex(agents)
            except ValueError:
                column[ids] = before  # a refused placement changes nothing
                raise
            self._seen = (agents.size, agents.n_alive)

    def _reindex(self, agents) -> None:
        alive = agents.alive
        cells = agents[self.position][alive]
        who = np.flatnonzero(alive)
        occ = np.full(self.n_cells, -1, dtype=np.int64)
        if cells.size:
            if cells.min() < 0 or cells.max() >= self.n_cells:
                i = who[(cells < 0) | (cells >= self.n_cells)][0]
                raise ValueError(f"agent {i} is on cell {agents[self.position][i]}, "
                                 f"outside 0..{self.n_cells - 1}")
            counts = np.bincount(cells, minlength=self.n_cells)
            if counts.max() > 1:
                c = int(np.argmax(counts > 1))
                raise ValueError(f"cell {c} holds {counts[c]} agents (ids {who[cells == c].tolist()[:5]}) "
                                 "in a space of capacity 1")
            occ[cells] = who
        self._occupant = occ
        empty = np.flatnonzero(occ < 0).astype(np.int64)
        pos = np.full(self.n_cells, -1, dtype=np.int64)
        pos[empty] = np.arange(empty.size)
        self._empty, self._empty_pos = empty, pos
        self._n_empty = np.array([empty.size], dtype=np.int64)

    def prepare(self, agents) -> None:
        """Refresh what the rules see from the agents' positions (called by the
        model before each stage): the occupancy when agents were added or
        removed since the last stage, the members of every cell."""
        if self.capacity == 1:
            key = (agents.size, agents.n_alive)
            if self._occupant.size != self.n_cells or key != self._seen:
                self._reindex(agents)
                self._seen = key
            return
        alive = agents.alive
        cells = agents[self.position][: agents.size]
        who = np.flatnonzero(alive)
        c = cells[who]
        if c.size and (c.min() < 0 or c.max() >= self.n_cells):
            i = who[(c < 0) | (c >= self.n_cells)][0]
            raise ValueError(f"agent {i} is on cell {cells[i]}, outside 0..{self.n_cells - 1}")
        order = np.argsort(c, kind="stable")
        self._members = who[order]
        self._members_ptr = np.zeros(self.n_cells + 1, dtype=np.int64)
        np.cumsum(np.bincount(c, minlength=self.n_cells), out=self._members_ptr[1:])

    def agents_in_order(self) -> Optional[np.ndarray]:
        """Ids of the agents (alive at the last ``prepare``) in the order of
        their cells."""
        if self.capacity == 1:  # the occupancy is rebuilt when agents die, so all these are alive
            occ = self._occupant
            return occ[occ >= 0]
        return self._members

    def arrays(self) -> SpaceArrays:
        """What rules receive as ``space``."""
        return SpaceArrays(self.indptr, self.indices, self._occupant, self._empty, self._empty_pos,
                           self._n_empty, self._members_ptr, self._members, _layers(self.layers))

    @property
    def occupant(self) -> np.ndarray:
        """Agent on each cell (-1: empty), for spaces of capacity 1."""
        return self._occupant

    def n_empty(self) -> int:
        """Empty cells now (capacity-1 spaces)."""
        return int(self._n_empty[0])

    def __getstate__(self):
        return self.__dict__

    def __setstate__(self, state):
        self.__dict__.update(state)


class Grid(_CellSpace):
    """A grid of ``width × height`` cells; cell ``c`` is at column
    ``c % width``, row ``c // width``.

    Parameters
    ----------
    kind : {'square', 'hex'}
        Square cells, or pointy-top hexagons in odd-r offset layout (odd rows
        shifted half a cell right).
    neighbourhood : {'moore', 'von_neumann'}
        Square grids: the 8 cells around (Moore) or the 4 sharing a side (von
        Neumann), within ``radius`` steps (Chebyshev or Manhattan). Hexagonal
        grids have 6 neighbours (the argument is ignored, radius must be 1).
    torus : bool
        Wrap around the edges; otherwise cells on the border have fewer
        neighbours (as in Mesa's ``OrthogonalMooreGrid``, whose default this is).
    capacity : 1 or None
        One agent per cell (default), or any number.
    """

    def __init__(self, width: int, height: int, *, kind: str = "square", neighbourhood: str = "moore",
                 torus: bool = False, radius: int = 1, capacity: Optional[int] = 1):
        width, height, radius = int(width), int(height), int(radius)
        if width < 1 or height < 1:
            raise ValueError(f"width and height must be >= 1, got {width} x {height}")
        if radius < 1:
            raise ValueError(f"radius must be >= 1, got {radius}")
        if kind not in ("square", "hex"):
            raise ValueError(f"kind must be 'square' or 'hex', got {kind!r}")
        if neighbourhood not in ("moore", "von_neumann"):
            raise ValueError(f"neighbourhood must be 'moore' or 'von_neumann', got {neighbourhood!r}")
        if torus and (width < 2 * radius + 1 or height < 2 * radius + 1):
            raise ValueError(f"a torus needs width and height >= {2 * radius + 1} (radius {radius}), "
                             f"got {width} x {height}")
        if kind == "hex" and radius != 1:
            raise ValueError("hexagonal grids support radius 1 only")
        if kind == "hex" and torus and height % 2:
            raise ValueError(f"a hexagonal torus needs an even height (rows alternate), got {height}")
        self.width, self.height, self.kind, self.neighbourhood, self.torus, self.radius = (
            width, height, kind, neighbourhood, bool(torus), radius)
        indptr, indices = _grid_csr(width, height, kind, neighbourhood, bool(torus), radius)
        super().__init__(indptr, indices, capacity)

    def xy(self, cells) -> tuple[np.ndarray, np.ndarray]:
        """(column, row) of cells."""
        cells = np.asarray(cells)
        return cells % self.width, cells // self.width

    def cell(self, x, y) -> np.ndarray:
        """Cell id of (column, row)."""
        return np.asarray(y) * self.width + np.asarray(x)

    def __repr__(self) -> str:
        return (f"Grid({self.width}, {self.height}, kind={self.kind!r}, neighbourhood={self.neighbourhood!r}, "
                f"torus={self.torus}, capacity={self.capacity})")


def _offsets(kind: str, neighbourhood: str, radius: int, odd_row: bool) -> list[tuple[int, int]]:
    if kind == "hex":
        if odd_row:
            return [(1, 0), (-1, 0), (0, -1), (1, -1), (0, 1), (1, 1)]
        return [(1, 0), (-1, 0), (-1, -1), (0, -1), (-1, 1), (0, 1)]
    out = []
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            if (dx, dy) == (0, 0):
                continue
            if neighbourhood == "von_neumann" and abs(dx) + abs(dy) > radius:
                continue
            out.append((dx, dy))
    return out


def _grid_csr(width, height, kind, neighbourhood, torus, radius):
    n = width * height
    it = np.int32 if n < 2**31 else np.int64
    x = np.arange(n, dtype=it) % width
    y = np.arange(n, dtype=it) // width
    parities = (False, True) if kind == "hex" else (False,)
    k = len(_offsets(kind, neighbourhood, radius, False))
    table = np.full((n, k), -1, dtype=it)
    for odd in parities:
        rows = (y % 2 == 1) if odd else ((y % 2 == 0) if kind == "hex" else slice(None))
        xs, ys = x[rows], y[rows]
        for j, (dx, dy) in enumerate(_offsets(kind, neighbourhood, radius, odd)):
            nx, ny = xs + dx, ys + dy
            if torus:
                table[rows, j] = (ny % height) * width + nx % width
            else:
                ok = (nx >= 0) & (nx < width) & (ny >= 0) & (ny < height)
                table[rows, j] = np.where(ok, ny * width + nx, -1)
    valid = table >= 0
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(valid.sum(axis=1), out=indptr[1:])
    return indptr, table[valid]


class Network(_CellSpace):
    """The nodes of a graph (or of one level of a Hierarchy) as cells, their
    neighbours along edges (out-edges for a directed graph).

    Parameters
    ----------
    graph : urbplex.Graph or urbplex.Hierarchy
    level : int, optional
        The Hierarchy level to use (required for a Hierarchy).
    capacity : 1 or None
        One agent per node, or any number (default).
    """

    def __init__(self, graph, *, level: Optional[int] = None, capacity: Optional[int] = None):
        from ..graph import Graph
        from ..hierarchy import Hierarchy

        if isinstance(graph, Hierarchy):
            if level is None:
                raise TypeError("a Hierarchy space needs level=")
            graph = graph.level(int(level))
        elif level is not None:
            raise TypeError("level= applies to a Hierarchy, not a Graph")
        if not isinstance(graph, Graph):
            raise TypeError(f"Network needs an urbplex Graph or Hierarchy, got {type(graph).__name__}")
        self.graph = graph
        super().__init__(np.asarray(graph.offsets), np.asarray(graph.targets), capacity)

    def __repr__(self) -> str:
        return f"Network(n_cells={self.n_cells}, capacity={self.capacity})"


class Places(_CellSpace):
    """Points (locations, stops, zones) as cells, neighbours by a distance:
    every place within ``radius`` of it, or its ``k`` nearest.

    Parameters
    ----------
    coords : array (n, d)
        Coordinates; with ``metric='haversine'``, (lon, lat) in degrees and
        ``radius`` in km.
    metric : str or callable
        'euclidean' (k-d tree), 'haversine' (great circle on a sphere of
        6 371 km, k-d tree on 3-D unit vectors), any metric name
        :func:`scipy.spatial.distance.cdist` knows, or a callable ``f(u, v)``
        (both compared all-pairs: for a few thousand places).
    radius, k : float, int
        One of the two.
    capacity : 1 or None
    """

    def __init__(self, coords, *, metric="euclidean", radius: Optional[float] = None,
                 k: Optional[int] = None, capacity: Optional[int] = None):
        from scipy.spatial import cKDTree
        from scipy.spatial.distance import cdist

        pts = np.asarray(coords, dtype=np.float64)
        if pts.ndim != 2 or pts.shape[0] < 1:
            raise ValueError(f"coords must be an (n, d) array, got shape {pts.shape}")
        bad = np.flatnonzero(~np.isfinite(pts).all(axis=1))
        if bad.size:
            raise ValueError(f"place {int(bad[0])} has a non-finite coordinate {pts[bad[0]].tolist()}")
        if (radius is None) == (k is None):
            raise TypeError("give exactly one of radius= and k=")
        n = pts.shape[0]
        if metric == "haversine":
            lon, lat = np.radians(pts[:, 0]), np.radians(pts[:, 1])
            pts = np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
            if radius is not None:  # the chord of an arc of radius km
                radius = 2.0 * np.sin(min(float(radius) / 6371.0, np.pi) / 2.0)
            metric = "euclidean"
        if metric == "euclidean":
            tree = cKDTree(pts)
            if radius is not None:
                pairs = tree.query_pairs(float(radius), output_type="ndarray")
                src = np.concatenate([pairs[:, 0], pairs[:, 1]])
                dst = np.concatenate([pairs[:, 1], pairs[:, 0]])
            else:
                kk = min(int(k) + 1, n)
                _, nn = tree.query(pts, k=kk)
                nn = np.asarray(nn).reshape(n, kk)
                src = np.repeat(np.arange(n), kk)
                dst = nn.ravel()
                keep = src != dst
                src, dst = src[keep], dst[keep]
                # a point with duplicates may not list itself first: keep k per row
                src, dst = _first_k(src, dst, int(k))
        else:
            d = cdist(pts, pts, metric=metric)
            np.fill_diagonal(d, np.inf)
            if radius is not None:
                src, dst = np.nonzero(d <= float(radius))
            else:
                nn = np.argsort(d, axis=1, kind="stable")[:, : min(int(k), n - 1)]
                src = np.repeat(np.arange(n), nn.shape[1])
                dst = nn.ravel()
        order = np.lexsort((dst, src))
        src, dst = src[order], dst[order]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
        self.coords = np.asarray(coords, dtype=np.float64)
        super().__init__(indptr, dst, capacity)

    def __repr__(self) -> str:
        return f"Places(n_cells={self.n_cells}, capacity={self.capacity})"


def _first_k(src, dst, k):
    keep = np.ones(src.size, bool)
    start = np.r_[0, np.flatnonzero(np.diff(src)) + 1]
    rank = np.arange(src.size) - np.repeat(start, np.diff(np.r_[start, src.size]))
    keep &= rank < k
    return src[keep], dst[keep]


class Continuous:
    """A continuous ``width × height`` rectangle (optionally a torus);
    agents hold their place in float columns ``x`` and ``y``. Before every
    stage, the neighbours of each agent within ``radius`` are found with a
    k-d tree (scipy's cKDTree; periodic box on a torus) and handed to rules
    as CSR over agent ids (``indptr``/``indices``), sorted by id."""

    position = ("x", "y")

    def __init__(self, width: float, height: float, *, radius: float, torus: bool = False):
        if not (width > 0 and height > 0):
            raise ValueError(f"width and height must be > 0, got {width} x {height}")
        if not radius > 0:
            raise ValueError(f"radius must be > 0, got {radius}")
        self.width, self.height, self.radius, self.torus = float(width), float(height), float(radius), bool(torus)
        self.capacity = None
        self.indptr = np.zeros(1, dtype=np.int64)
        self.indices = _NONE

    def prepare(self, agents) -> None:
        from scipy.spatial import cKDTree

        for c in ("x", "y"):
            if c not in agents:
                raise ValueError(f"agents in a Continuous space need a float column {c!r}")
        n = agents.size
        who = agents.ids
        pts = np.column_stack([agents["x"][who], agents["y"][who]])
        if not np.isfinite(pts).all():
            i = who[~np.isfinite(pts).all(axis=1)][0]
            raise ValueError(f"agent {i} has a non-finite position ({agents['x'][i]}, {agents['y'][i]})")
        if self.torus:
            pts = np.mod(pts, [self.width, self.height])
            tree = cKDTree(pts, boxsize=[self.width, self.height])
        else:
            out = (pts[:, 0] < 0) | (pts[:, 0] > self.width) | (pts[:, 1] < 0) | (pts[:, 1] > self.height)
            if out.any():
                i = who[out][0]
                raise ValueError(f"agent {i} at ({agents['x'][i]}, {agents['y'][i]}) is outside the "
                                 f"{self.width} x {self.height} space")
            tree = cKDTree(pts)
        pairs = tree.query_pairs(self.radius, output_type="ndarray")
        src = who[np.concatenate([pairs[:, 0], pairs[:, 1]])]
        dst = who[np.concatenate([pairs[:, 1], pairs[:, 0]])]
        order = np.lexsort((dst, src))
        self.indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=self.indptr[1:])
        self.indices = dst[order].astype(np.int64)

    def agents_in_order(self) -> Optional[np.ndarray]:
        return None

    def arrays(self) -> SpaceArrays:
        return SpaceArrays(self.indptr, self.indices, _NONE, _NONE, _NONE, np.zeros(1, dtype=np.int64),
                           np.zeros(1, dtype=np.int64), _NONE, _layers({}))

    def __repr__(self) -> str:
        return f"Continuous({self.width}, {self.height}, radius={self.radius}, torus={self.torus})"


# -- helpers rules call ------------------------------------------------------
@njit
def neighbours(space, c):
    """Neighbouring cells of cell ``c`` (neighbouring agents of agent ``c`` in
    a Continuous space)."""
    return space.indices[space.indptr[c]:space.indptr[c + 1]]


@njit
def agents_at(space, c):
    """Ids of the agents on cell ``c`` at the start of the stage (spaces
    without a capacity)."""
    return space.members[space.members_ptr[c]:space.members_ptr[c + 1]]


@njit
def move(space, position, i, c):
    """Move agent ``i`` to the empty cell ``c`` of a capacity-1 space
    (``position`` is the agents' cell column). Returns False, moving
    nothing, when ``c`` is occupied."""
    if space.occupant[c] >= 0:
        return False
    old = position[i]
    j = space.empty_pos[c]
    space.empty[j] = old
    space.empty_pos[old] = j
    space.empty_pos[c] = -1
    space.occupant[old] = -1
    space.occupant[c] = i
    position[i] = c
    return True


@njit
def move_to_random_empty(space, position, i, rng, k):
    """Move agent ``i`` to a uniformly random empty cell (draw ``k`` of its
    stream); returns the cell, or -1 when no cell is empty."""
    n = space.n_empty[0]
    if n == 0:
        return -1
    c = space.empty[integers(rng, i, k, n)]
    move(space, position, i, c)
    return c


def space_for(space: Union[_CellSpace, Continuous, None]):
    """The space a Model runs on, checked: a Grid, Network, Places, Continuous or None."""
    if space is None or isinstance(space, (_CellSpace, Continuous)):
        return space
    raise TypeError(f"space must be a Grid, Network, Places or Continuous, got {type(space).__name__}")
