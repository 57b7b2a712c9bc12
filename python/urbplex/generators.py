"""Graph generators: lattices, random graphs and spatial graphs. All seeded and deterministic."""
from __future__ import annotations

from typing import Optional

import numpy as np

from . import _core
from ._progress import progress_callback
from ._validate import UINT32_MAX, check_float, check_int, seed_value
from .graph import Graph


def square_lattice(width: int, height: Optional[int] = None, *, periodic: bool = False) -> Graph:
    """``width x height`` square lattice; vertex ``y*width + x`` at (x, y); edge length 1.

    ``periodic=True`` makes a torus (width, height >= 3).
    """
    width = check_int("width", width, minimum=1)
    height = width if height is None else check_int("height", height, minimum=1)
    return Graph(_core.square_lattice(width, height, bool(periodic)))


def triangular_lattice(width: int, height: Optional[int] = None, *, periodic: bool = False) -> Graph:
    """Triangular lattice (coordination 6) of ``width x height`` sites, unit edge length."""
    width = check_int("width", width, minimum=1)
    height = width if height is None else check_int("height", height, minimum=1)
    return Graph(_core.triangular_lattice(width, height, bool(periodic)))


def honeycomb_lattice(width: int, height: Optional[int] = None, *, periodic: bool = False) -> Graph:
    """Honeycomb lattice (coordination 3) in its brick-wall form: ``width x
    height`` sites on a square grid, vertex ``y*width + x``, every horizontal
    bond and the vertical bonds with x + y even. Topologically the honeycomb
    (bond p_c = 1 - 2 sin(pi/18), site p_c = 0.697043), and its grid indexing
    lets wrapping be tracked with ``lattice=(width, height)``. Coordinates are
    the honeycomb's own (unit bonds). ``periodic=True`` needs even width and height.
    """
    width = check_int("width", width, minimum=2)
    height = width if height is None else check_int("height", height, minimum=2)
    if periodic and (width % 2 or height % 2 or width < 4 or height < 4):
        raise ValueError(f"argument 'width'/'height': a periodic honeycomb needs even sizes >= 4, got {width} x {height}")
    x, y = np.meshgrid(np.arange(width), np.arange(height))
    x, y = x.ravel(), y.ravel()
    v = y * width + x
    right = (x + 1 < width) | periodic
    up = ((x + y) % 2 == 0) & ((y + 1 < height) | periodic)
    src = np.concatenate([v[right], v[up]])
    dst = np.concatenate([(y * width + (x + 1) % width)[right], (((y + 1) % height) * width + x)[up]])
    # Real-space honeycomb: columns sqrt(3)/2 apart, sites shifted by 1/2 up or down.
    hx = x * np.sqrt(3) / 2
    hy = y * 1.5 + np.where((x + y) % 2 == 0, 0.0, 0.5)
    return Graph.from_arrays(src, dst, n=width * height, node_attrs={"x": hx, "y": hy},
                             edge_attrs={"length": np.ones(src.size)})


def kagome_lattice(width: int, height: Optional[int] = None, *, periodic: bool = False) -> Graph:
    """Kagome lattice (coordination 4) of ``width x height`` unit cells (3 sites each).

    Built as the triangular lattice on a 2*width x 2*height grid without the
    sites where both grid coordinates are odd (a quarter of them). Node
    attributes: ``x``, ``y`` (real positions, unit bonds) and the integer grid
    coordinates ``lattice_x``, ``lattice_y``, with which percolation tracks
    wrapping when given ``lattice=(2*width, 2*height)`` on a periodic lattice.
    Thresholds: site 1 - 2 sin(pi/18) = 0.652704 (Sykes & Essam 1964), bond
    0.5244053 (Ziff & Suding 1997).
    """
    width = check_int("width", width, minimum=1)
    height = width if height is None else check_int("height", height, minimum=1)
    if periodic and min(width, height) < 2:
        raise ValueError("argument 'periodic': a periodic kagome lattice needs at least 2 x 2 cells")
    W, H = 2 * width, 2 * height
    gx, gy = (a.ravel() for a in np.meshgrid(np.arange(W), np.arange(H)))
    keep = ~((gx % 2 == 1) & (gy % 2 == 1))
    index = np.full(W * H, -1, dtype=np.int64)
    index[(gy * W + gx)[keep]] = np.arange(int(keep.sum()))
    kx, ky = gx[keep], gy[keep]
    srcs, dsts = [], []
    for sx, sy in ((1, 0), (0, 1), (1, 1)):  # the triangular lattice's three bond directions
        nx, ny = kx + sx, ky + sy
        inside = (nx < W) & (ny < H)
        ok = inside | periodic
        nx, ny = nx % W, ny % H
        target = index[ny * W + nx]
        ok &= target >= 0
        srcs.append(index[ky * W + kx][ok])
        dsts.append(target[ok])
    src, dst = np.concatenate(srcs), np.concatenate(dsts)
    # Real space: the triangular lattice with unit bonds, sheared so that (1, 1) is a bond.
    return Graph.from_arrays(src, dst, n=int(keep.sum()),
                             node_attrs={"x": kx - 0.5 * ky, "y": ky * np.sqrt(3) / 2,
                                         "lattice_x": kx.astype(np.int64), "lattice_y": ky.astype(np.int64)},
                             edge_attrs={"length": np.ones(src.size)})


def cubic_lattice(width: int, height: Optional[int] = None, depth: Optional[int] = None, *,
                  periodic: bool = False) -> Graph:
    """Simple cubic lattice (coordination 6): vertex ``(z*height + y)*width + x`` at
    (x, y, z) (node attributes x, y, z), unit bonds; ``periodic=True`` wraps all
    three directions (sizes >= 3). Thresholds: site 0.3116077, bond 0.2488126."""
    width = check_int("width", width, minimum=1)
    height = width if height is None else check_int("height", height, minimum=1)
    depth = width if depth is None else check_int("depth", depth, minimum=1)
    if periodic and min(width, height, depth) < 3:
        raise ValueError("argument 'periodic': a periodic cubic lattice needs every size >= 3")
    n = width * height * depth
    if n > UINT32_MAX - 1:
        raise ValueError(f"argument 'width': {width} x {height} x {depth} sites exceed the 2^32 vertex ids")
    z, y, x = (a.ravel() for a in np.meshgrid(np.arange(depth), np.arange(height), np.arange(width), indexing="ij"))
    v = (z * height + y) * width + x
    srcs, dsts = [], []
    for step, size, coord in ((1, width, x), (width, height, y), (width * height, depth, z)):
        keep = (coord + 1 < size) | (periodic & (size >= 3))
        nxt = v + step - np.where(coord + 1 == size, step * size, 0)
        srcs.append(v[keep])
        dsts.append(nxt[keep])
    src, dst = np.concatenate(srcs), np.concatenate(dsts)
    return Graph.from_arrays(src, dst, n=n, node_attrs={"x": x.astype(float), "y": y.astype(float),
                                                          "z": z.astype(float)},
                             edge_attrs={"length": np.ones(src.size)})


def _depleted_cubic(period: int, sites: np.ndarray, offsets, periodic: bool, spacing: float,
                    bonds_from: Optional[int] = None) -> Graph:
    """A lattice whose sites are points of a period^3 integer grid (``sites``,
    rows (x, y, z)) with bonds along ``offsets`` (one of each +-pair, from the
    first ``bonds_from`` sites only when given: one sublattice): node
    attributes x, y, z (real positions, ``spacing`` per grid step) and
    lattice_x, lattice_y, lattice_z (the grid coordinates, for wrapping with
    ``lattice=(period, period, period)``)."""
    n = sites.shape[0]
    if n > UINT32_MAX - 1:
        raise ValueError(f"argument 'L': {n} sites exceed the 2^32 vertex ids")
    index = np.full(period ** 3, -1, dtype=np.int64)
    key = lambda c: (c[:, 2] * period + c[:, 1]) * period + c[:, 0]  # noqa: E731
    index[key(sites)] = np.arange(n)
    srcs, dsts = [], []
    emitters = sites if bonds_from is None else sites[:bonds_from]
    for off in offsets:
        nb = emitters + np.asarray(off)
        inside = np.all((nb >= 0) & (nb < period), axis=1)
        ok = np.ones(emitters.shape[0], dtype=bool) if periodic else inside
        target = index[key(nb % period)]
        ok &= target >= 0
        srcs.append(np.flatnonzero(ok))
        dsts.append(target[ok])
    src, dst = np.concatenate(srcs), np.concatenate(dsts)
    pos = sites.astype(np.float64) * spacing
    attrs = {"x": pos[:, 0], "y": pos[:, 1], "z": pos[:, 2]}
    attrs.update({f"lattice_{a}": sites[:, i].astype(np.int64) for i, a in enumerate("xyz")})
    return Graph.from_arrays(src, dst, n=n, node_attrs=attrs, edge_attrs={"length": np.ones(src.size)})


def _cells(name: str, L: int, periodic: bool, minimum: int = 2) -> int:
    L = check_int(name, L, minimum=1)
    if periodic and L < minimum:
        raise ValueError(f"argument '{name}': a periodic lattice needs L >= {minimum} cells, got {L}")
    return L


def _grid_points(period: int) -> np.ndarray:
    z, y, x = np.meshgrid(np.arange(period), np.arange(period), np.arange(period), indexing="ij")
    return np.stack([x.ravel(), y.ravel(), z.ravel()], axis=1)


def bcc_lattice(L: int, *, periodic: bool = True) -> Graph:
    """Body-centred cubic lattice of L x L x L cubic cells (2 sites each, 8
    neighbours, unit bonds). Sites sit on a 2L-periodic integer grid (all
    coordinates even, or all odd): percolate with ``lattice=(2*L, 2*L, 2*L)``
    to track wrapping. Thresholds: site 0.2459615, bond 0.1802875 (C. D.
    Lorenz & R. M. Ziff, J. Phys. A 31, 8147, 1998)."""
    L = _cells("L", L, periodic)
    g = _grid_points(2 * L)
    sites = g[(g[:, 0] % 2 == g[:, 1] % 2) & (g[:, 1] % 2 == g[:, 2] % 2)]
    offsets = [(1, 1, 1), (1, 1, -1), (1, -1, 1), (1, -1, -1)]
    return _depleted_cubic(2 * L, sites, offsets, periodic, 1 / np.sqrt(3))


def fcc_lattice(L: int, *, periodic: bool = True) -> Graph:
    """Face-centred cubic lattice of L x L x L cubic cells (4 sites each, 12
    neighbours, unit bonds). Sites are the points of a 2L-periodic integer grid
    with an even coordinate sum: percolate with ``lattice=(2*L, 2*L, 2*L)``.
    Thresholds: site 0.1992365, bond 0.1201635 (Lorenz & Ziff 1998)."""
    L = _cells("L", L, periodic)
    g = _grid_points(2 * L)
    sites = g[g.sum(axis=1) % 2 == 0]
    offsets = [(1, 1, 0), (1, -1, 0), (1, 0, 1), (1, 0, -1), (0, 1, 1), (0, 1, -1)]
    return _depleted_cubic(2 * L, sites, offsets, periodic, 1 / np.sqrt(2))


def diamond_lattice(L: int, *, periodic: bool = True) -> Graph:
    """Diamond lattice of L x L x L cubic cells (8 sites each, 4 neighbours, unit
    bonds): two interpenetrating FCC lattices shifted by a quarter of the cell
    diagonal. Sites sit on a 4L-periodic integer grid: percolate with
    ``lattice=(4*L, 4*L, 4*L)``. Thresholds: site 0.4301 and bond 0.3893
    (J. W. Essam in Phase Transitions and Critical Phenomena 2, 1972;
    van der Marck, PRE 55, 1514, 1997: site 0.4301(4), bond 0.3893(2))."""
    L = _cells("L", L, periodic)
    g = _grid_points(4 * L)
    even = np.all(g % 2 == 0, axis=1) & (g.sum(axis=1) % 4 == 0)
    a = g[even]
    sites = np.concatenate([a, a + 1])  # the second FCC sublattice, shifted by (1, 1, 1)
    # each A site bonds to its four B neighbours
    offsets = [(1, 1, 1), (1, -1, -1), (-1, 1, -1), (-1, -1, 1)]
    return _depleted_cubic(4 * L, sites, offsets, periodic, 1 / np.sqrt(3), bonds_from=a.shape[0])


def hypercubic_lattice(L: int, d: int, *, periodic: bool = True) -> Graph:
    """Hypercubic lattice of L^d sites in d dimensions (2d neighbours, unit
    bonds): vertex sum_i x_i L^i. ``periodic=True`` wraps every direction (L >=
    3). Thresholds in 4-D: site 0.196890, bond 0.160130 (P. Grassberger, PRE
    67, 036101, 2003; M. J. Kotwica, P. Gronek & P. Malarz, IJMPC 30, 1950055, 2019).
    d = 2 and 3 give the square and simple cubic lattices."""
    L = check_int("L", L, minimum=1)
    d = check_int("d", d, minimum=1)
    if periodic and L < 3:
        raise ValueError(f"argument 'L': a periodic hypercubic lattice needs L >= 3, got {L}")
    n = L ** d
    if n > UINT32_MAX - 1:
        raise ValueError(f"arguments 'L', 'd': {L}^{d} sites exceed the 2^32 vertex ids")
    v = np.arange(n, dtype=np.int64)
    srcs, dsts = [], []
    for i in range(d):
        stride = L ** i
        coord = (v // stride) % L
        keep = (coord + 1 < L) | periodic
        nxt = v + stride - np.where(coord + 1 == L, stride * L, 0)
        srcs.append(v[keep])
        dsts.append(nxt[keep])
    src, dst = np.concatenate(srcs), np.concatenate(dsts)
    return Graph.from_arrays(src, dst, n=n, edge_attrs={"length": np.ones(src.size)})


def erdos_renyi(n: int, *, p: Optional[float] = None, mean_degree: Optional[float] = None,
                m: Optional[int] = None, seed: int = 0, progress: bool = False) -> Graph:
    """Erdős–Rényi random graph.

    Give exactly one of ``p`` (G(n, p), Gilbert 1959), ``mean_degree`` (G(n, p)
    with p = c/(n-1)) or ``m`` (G(n, m), Erdős & Rényi 1959). G(n, p) runs in
    O(n + m) with geometric skips (Batagelj & Brandes, PRE 71, 036113, 2005),
    in parallel, with a random stream per vertex: the same seed gives the same
    graph whatever the thread count.
    """
    n = check_int("n", n, minimum=0, maximum=UINT32_MAX - 1)
    seed = seed_value(seed)
    given = [x is not None for x in (p, mean_degree, m)]
    if sum(given) != 1:
        raise ValueError("give exactly one of 'p', 'mean_degree' or 'm'")
    if m is not None:
        m = check_int("m", m, minimum=0, maximum=n * (n - 1) // 2)
        return Graph(_core.erdos_renyi_gnm(n, m, seed))
    if mean_degree is not None:
        c = check_float("mean_degree", mean_degree, minimum=0.0, maximum=max(n - 1, 0))
        p = c / (n - 1) if n > 1 else 0.0
    p = check_float("p", p, minimum=0.0, maximum=1.0)
    with progress_callback(progress, "G(n,p)") as cb:
        return Graph(_core.erdos_renyi_gnp(n, p, seed, cb))


def configuration_model(degrees, *, seed: int = 0, simple: bool = False) -> Graph:
    """Configuration model: a uniform random matching of stubs (Molloy & Reed 1995).

    ``degrees`` must sum to an even number. The multigraph (default) keeps
    self-loops and parallel edges, as the generating-function theory of
    Newman, Strogatz & Watts (2001) assumes; ``simple=True`` erases them.
    """
    deg = np.asarray(degrees)
    if deg.ndim != 1:
        raise ValueError(f"argument 'degrees': expected a 1-D array, got shape {deg.shape}")
    if deg.size and deg.dtype.kind not in "iu":
        raise TypeError(f"argument 'degrees': expected integers, got dtype {deg.dtype}")
    if deg.size and deg.min() < 0:
        raise ValueError("argument 'degrees': degrees must be >= 0")
    if deg.size and deg.max() > UINT32_MAX:
        raise ValueError("argument 'degrees': degree too large")
    return Graph(_core.configuration_model(np.ascontiguousarray(deg, dtype=np.uint32), seed_value(seed),
                                           bool(simple)))


def barabasi_albert(n: int, m: int, *, seed: int = 0) -> Graph:
    """Barabási–Albert preferential attachment (Science 286, 509, 1999): each new vertex brings m edges."""
    n = check_int("n", n, minimum=2, maximum=UINT32_MAX - 1)
    m = check_int("m", m, minimum=1, maximum=n - 1)
    return Graph(_core.barabasi_albert(n, m, seed_value(seed)))


def random_geometric(n: int, *, radius: Optional[float] = None, mean_degree: Optional[float] = None,
                     side: float = 1.0, seed: int = 0, progress: bool = False) -> Graph:
    """Random geometric graph (Gilbert 1961; Penrose 2003) in the square [0, side)^2.

    Points closer than ``radius`` are joined; alternatively ``mean_degree``
    sets radius = side * sqrt(c / (pi n)) (ignoring edge effects). O(n + m)
    through a grid of cells. Node attributes x, y; edge attribute length.
    """
    n = check_int("n", n, minimum=0, maximum=UINT32_MAX - 1)
    side = check_float("side", side, minimum=0.0, strict_min=True)
    if (radius is None) == (mean_degree is None):
        raise ValueError("give exactly one of 'radius' or 'mean_degree'")
    if mean_degree is not None:
        c = check_float("mean_degree", mean_degree, minimum=0.0, strict_min=True)
        radius = side * float(np.sqrt(c / (np.pi * max(n, 1))))
    radius = check_float("radius", radius, minimum=0.0, strict_min=True)
    with progress_callback(progress, "random geometric graph") as cb:
        return Graph(_core.random_geometric(n, radius, seed_value(seed), side, cb))
