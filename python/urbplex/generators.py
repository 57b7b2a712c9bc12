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
