"""Site and bond percolation by the Newman–Ziff algorithm.

M. E. J. Newman & R. M. Ziff, "Fast Monte Carlo algorithm for site or bond
percolation", Phys. Rev. E 64, 016706 (2001).
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
from numpy.typing import ArrayLike

from .. import _core
from .._graph_arg import graph_of
from .._progress import progress_callback
from .._validate import check_float, check_int, index_array, seed_value
from ..result import RunResult, register_result
from ..provenance import records_lineage

DEFAULT_P = np.linspace(0.0, 1.0, 201)
WRAP_KEYS = ("wrap_h", "wrap_v", "wrap_d", "wrap_either", "wrap_both")
PER_REALIZATION_BUDGET = 1 << 30  # bytes of per-realization canonical values a run may keep
SPAN_KEYS = tuple(k.replace("wrap_", "span_") for k in WRAP_KEYS)  # the same on an open lattice (spanning=True)


@register_result
class PercolationResult(RunResult):
    """Observables of a Newman–Ziff sweep, averaged over realizations, with
    each realization's canonical values on the run's grid (standard errors:
    :attr:`stderr`, :meth:`errors_frame`; :meth:`binder`).

    Microcanonical arrays (index k = number of occupied sites or bonds,
    ``k = 0..steps``): ``largest`` and ``second`` (mean size of the largest
    and second-largest cluster, as fractions of the n vertices),
    ``largest_sq`` (mean of the squared fraction), ``clusters`` (mean number
    of clusters), ``mean_finite_size`` (the mean size of the cluster of a
    random occupied vertex outside the largest one, sum s^2 / sum s over the
    ensemble) and ``susceptibility`` (chi = sum over all clusters of s^2 / n,
    the largest included) and, on a periodic lattice, ``wrap_h``,
    ``wrap_v``, ``wrap_either``, ``wrap_both`` (probability that a cluster
    wraps the torus horizontally, vertically, either way, both ways), and
    on a 3-D lattice ``wrap_d`` (along z), with ``either`` any axis and
    ``both`` all three.

    For exponents use ``susceptibility`` at p_c (``canonical([p_c])``): it
    grows as L^(gamma/nu) (43/24 in 2-D; L = 64...512 tori give 1.79-1.80),
    while the peak of ``mean_finite_size`` (the largest cluster left out) has
    strong finite-size corrections on a torus (a fit gives ~1.70). Above p_c
    ``susceptibility`` is dominated by the giant cluster (~ n P^2), so its
    maximum over p is not the critical one.

    :meth:`canonical` converts any of them to occupation probabilities p by
    the binomial convolution (Newman & Ziff 2001, Eq. 2); :meth:`to_frame`
    gives the canonical table on the grid ``p`` chosen at run time.
    """

    units = {"largest": "fraction of vertices", "second": "fraction of vertices", "largest_sq": "fraction squared",
             "clusters": "clusters", "susceptibility": "vertices", "mean_finite_size": "vertices"}

    model = "percolation"

    @property
    def kind(self) -> str:
        """``'site'`` or ``'bond'``."""
        return str(self.parameters.get("kind", "site"))

    @property
    def n(self) -> int:
        """Number of sites (vertices) of the graph."""
        return int(self.parameters["n"])

    @property
    def steps(self) -> int:
        """Number of occupation steps (sites or bonds) of one realization."""
        return int(self.data["k"].size - 1)

    def _micro(self, name: str) -> np.ndarray:
        if name not in self.data:
            raise ValueError(f"argument 'name': no observable {name!r} (have {sorted(self.data)})")
        return np.asarray(self.data[name], dtype=np.float64)

    def canonical(self, p: Optional[ArrayLike] = None):
        """Canonical-ensemble observables at occupation probabilities ``p`` (a DataFrame)."""
        import pandas as pd

        grid = np.asarray(self.data["p"] if p is None else p, dtype=np.float64)
        if grid.ndim != 1 or not np.all((grid >= 0) & (grid <= 1)):
            raise ValueError("argument 'p': expected a 1-D array of probabilities in [0, 1]")
        conv = lambda name: _core.canonical(self._micro(name), grid)  # noqa: E731
        out = {"p": grid}
        for name in ("largest", "largest_sq", "second", "clusters", "susceptibility"):
            if name in self.data:  # runs saved before susceptibility existed lack it
                out[name] = conv(name)
        # The susceptibility is a ratio: convolve numerator and denominator.
        num, den = conv("finite_sq_per_n"), conv("finite_sum_per_n")
        with np.errstate(divide="ignore", invalid="ignore"):
            out["mean_finite_size"] = np.where(den > 0, num / np.where(den > 0, den, 1), 0.0)
        for name in WRAP_KEYS + SPAN_KEYS:
            if name in self.data:
                out[name] = conv(name)
        return pd.DataFrame(out)

    def to_frame(self):
        """The canonical table (see :meth:`canonical`), one row per p: ``p``;
        ``largest`` and ``largest_sq``, the mean largest-cluster fraction and its
        mean square; ``second``, the mean second-largest fraction; ``clusters``,
        the mean number of clusters; ``susceptibility``, sum s^2 / n over all
        clusters; ``mean_finite_size``, the mean size of the cluster of a site
        outside the largest (see the class docstring)."""
        return self.canonical()

    def micro_frame(self):
        """The microcanonical observables, one row per number of occupied sites or bonds."""
        import pandas as pd

        keys = ["k", "largest", "largest_sq", "second", "clusters", "mean_finite_size", "susceptibility"]
        keys = [k for k in keys if k in self.data] + [k for k in WRAP_KEYS + SPAN_KEYS if k in self.data]
        return pd.DataFrame({k: self.data[k] for k in keys})

    @property
    def realizations(self) -> int:
        """Number of realizations (sweeps) averaged."""
        return int(self.parameters.get("realizations", 1))

    def per_realization(self, name: str) -> np.ndarray:
        """Each realization's canonical values of observable ``name`` on the run's
        grid ``p`` (realizations x grid): ``largest``, ``largest_sq``,
        ``largest_4``, ``second``, ``susceptibility`` and, with a lattice,
        the wrapping indicators (``wrap_either`` ...)."""
        key = f"r_{name}"
        if key not in self.data:
            have = sorted(k[2:] for k in self.data if k.startswith("r_"))
            raise ValueError(f"argument 'name': no per-realization values of {name!r} (have {have}; "
                             "sweeps in given orders and runs saved before 0.9 keep none)")
        return np.asarray(self.data[key], dtype=np.float64)

    @property
    def stderr(self) -> dict:
        """Standard errors of the canonical means on the run's grid ``p``, keyed like
        the means (``largest``, ``second``, ``susceptibility``, ``wrap_*``, and
        ``binder``): the spread of the realizations' own canonical values over
        sqrt(realizations); the Binder cumulant's by the jackknife."""
        R = self.realizations
        out = {}
        for key in self.data:
            if key.startswith("r_") and key[2:] != "largest_4":
                x = self.data[key]
                out[key[2:]] = np.std(x, axis=0, ddof=1) / np.sqrt(R) if R > 1 else np.full(x.shape[1], np.nan)
        if "r_largest_4" in self.data:
            out["binder"] = self._binder_jackknife()[1]
        return out

    def binder(self) -> np.ndarray:
        """Binder cumulant of the largest cluster on the run's grid ``p``:
        U = 1 - <S1^4> / (3 <S1^2>^2) with canonical moments (K. Binder, Z.
        Phys. B 43, 119, 1981). Curves for several sizes cross near p_c."""
        return self._binder_jackknife()[0]

    def _binder_jackknife(self):
        m2, m4 = self.per_realization("largest_sq"), self.per_realization("largest_4")
        R = m2.shape[0]
        s2, s4 = m2.sum(axis=0), m4.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            full = 1 - (s4 / R) / (3 * (s2 / R) ** 2)
            if R < 2:
                return full, np.full_like(full, np.nan)
            loo = 1 - ((s4 - m4) / (R - 1)) / (3 * ((s2 - m2) / (R - 1)) ** 2)
        err = np.sqrt((R - 1) / R * ((loo - loo.mean(axis=0)) ** 2).sum(axis=0))
        return full, err

    def errors_frame(self):
        """The canonical means on the run's grid with their standard errors: ``p``,
        then ``<name>`` and ``<name>_stderr`` for every observable of :attr:`stderr`."""
        import pandas as pd

        err = self.stderr
        out = {"p": self.data["p"]}
        for name in err:
            out[name] = self.binder() if name == "binder" else self.per_realization(name).mean(axis=0)
            out[f"{name}_stderr"] = err[name]
        return pd.DataFrame(out)

    def peak_second(self, *, lo: float = 0.0, hi: float = 1.0, points: int = 2001) -> float:
        """Occupation probability where the canonical second-largest cluster peaks."""
        grid = np.linspace(lo, hi, points)
        s2 = _core.canonical(self._micro("second"), grid)
        return float(grid[int(np.argmax(s2))])

    def wrapping_probability(self, p, criterion: str = "either") -> np.ndarray:
        """Canonical probability R(p) that a cluster wraps the torus ('h', 'v', 'either' or 'both')."""
        key = f"wrap_{criterion}"
        if key not in self.data:
            raise ValueError("argument 'criterion': no wrapping data (run with lattice=(width, height)) "
                             f"or unknown criterion {criterion!r}")
        return _core.canonical(self._micro(key), np.atleast_1d(np.asarray(p, dtype=np.float64)))

    def spanning_probability(self, p, criterion: str = "either") -> np.ndarray:
        """Canonical probability that a cluster spans the open lattice between opposite
        faces ('h', 'v', 'd', 'either' or 'both'); needs a run with ``spanning=True``."""
        key = f"span_{criterion}"
        if key not in self.data:
            raise ValueError("argument 'criterion': no spanning data (run with lattice=(width, height) and "
                             f"spanning=True) or unknown criterion {criterion!r}")
        return _core.canonical(self._micro(key), np.atleast_1d(np.asarray(p, dtype=np.float64)))

    def wrapping_threshold(self, target: float, criterion: str = "either", *, lo: float = 0.0,
                           hi: float = 1.0, tol: float = 1e-7) -> float:
        """The p where the canonical wrapping probability R(p) equals ``target`` (bisection; R rises with p)."""
        f = lambda x: float(self.wrapping_probability(x, criterion)[0]) - target  # noqa: E731
        if f(lo) > 0 or f(hi) < 0:
            raise ValueError(f"argument 'target': R(p) does not cross {target} in [{lo}, {hi}]")
        while hi - lo > tol:
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if f(mid) < 0 else (lo, mid)
        return 0.5 * (lo + hi)

    def plot(self, ax=None, *, observables: Sequence[str] = ("largest", "second")):
        """Canonical observables against p."""
        from urbplex._optional import require
        plt = require("matplotlib.pyplot")

        ax = ax or plt.gca()
        df = self.canonical()
        for name in observables:
            ax.plot(df["p"], df[name], label=name)
        ax.set_xlabel("occupation probability p")
        ax.set_ylabel("fraction of vertices")
        ax.set_title(f"{self.kind} percolation, {self.parameters.get('realizations', 1)} realizations")
        ax.legend()
        return ax


def _result(raw: dict, kind: str, params: dict, seed: int, p, with_table: bool = True) -> PercolationResult:
    # In place where the kernel's arrays allow: one sweep of a 10^6-edge graph
    # spent more time allocating these arrays than sweeping.
    R = max(int(raw["realizations"]), 1)
    n = int(raw["n"])
    steps = raw["largest"].size - 1
    k = np.arange(steps + 1, dtype=np.int64)
    raw_largest = np.asarray(raw["largest"], dtype=np.float64)
    if kind == "site":
        finite_sum = k.astype(np.float64)
        finite_sum -= raw_largest / R
    else:
        finite_sum = np.subtract(float(n), raw_largest / R)
    finite_sq = np.divide(raw["finite_sq"], R)
    mfs = np.zeros(steps + 1)
    np.divide(finite_sq, finite_sum, out=mfs, where=finite_sum > 0)
    susceptibility = np.divide(raw["largest_sq"], R)
    susceptibility += finite_sq
    susceptibility /= n
    data = {
        "k": k,
        "largest": np.multiply(raw_largest, 1.0 / (R * n)),
        "largest_sq": np.multiply(raw["largest_sq"], 1.0 / (R * float(n) * n)),
        "second": np.multiply(raw["second"], 1.0 / (R * n)),
        "clusters": np.multiply(raw["clusters"], 1.0 / R),
        "mean_finite_size": mfs,
        "finite_sq_per_n": np.multiply(finite_sq, 1.0 / n),
        "susceptibility": susceptibility,
        "finite_sum_per_n": np.multiply(finite_sum, 1.0 / n),
    }
    for key in WRAP_KEYS:
        if key in raw:
            data[key] = np.cumsum(raw[key]) / R  # P(first wrap at or before step k)
    data["p"] = np.asarray(DEFAULT_P if p is None else p, dtype=np.float64)
    if "largest_sums" in raw:  # each realization's mean largest fraction over the steps before the last
        data["realization_mean_largest"] = np.asarray(raw["largest_sums"], dtype=np.float64) / (max(steps, 1) * n)
    wraps = set(WRAP_KEYS) & set(raw)
    for name, values in raw.get("per_realization", {}).items():
        if not name.startswith("wrap_") or name in wraps:
            data[f"r_{name}"] = np.array(values)  # a copy: the view keeps all observables alive
    res = PercolationResult(data, model=f"percolation.{kind}", parameters={**params, "n": n}, seed=seed)
    if not with_table:
        return res
    # canonical columns saved with the run, so h5py users get them too
    table = res.canonical()
    for col in table.columns:
        if col != "p":
            res.data[f"p_{col}"] = table[col].to_numpy()
    return res


def _lattice(lattice, spanning: bool = False) -> tuple[int, int, int]:
    """(width, height, depth) of a periodic (or, spanning, open) lattice: depth 0 in 2-D, (0, 0, 0) for none."""
    if lattice is None:
        return 0, 0, 0
    try:
        sizes = tuple(lattice)
    except TypeError:
        raise TypeError("argument 'lattice': expected (width, height) or (width, height, depth)") from None
    if len(sizes) not in (2, 3):
        raise TypeError("argument 'lattice': expected (width, height) or (width, height, depth)")
    least = 1 if spanning else 3
    w = check_int("lattice width", sizes[0], minimum=least)
    h = check_int("lattice height", sizes[1], minimum=least)
    d = check_int("lattice depth", sizes[2], minimum=least) if len(sizes) == 3 else 0
    return w, h, d


def _coords(g, lattice) -> dict:
    """The integer lattice coordinates of the vertices (``lattice_x``/``lattice_y``
    and, in 3-D, ``lattice_z`` node attributes, e.g. of
    :func:`urbplex.generators.kagome_lattice` or ``bcc_lattice``), or none."""
    if lattice is None or not {"lattice_x", "lattice_y"} <= set(g.node_attr_names):
        return {}
    out = {a: np.ascontiguousarray(g.numeric_node(f"lattice_{a}"), dtype=np.int32) for a in ("x", "y")}
    if len(tuple(lattice)) == 3:
        if "lattice_z" not in g.node_attr_names:
            raise ValueError("argument 'lattice': a 3-D lattice with lattice_x/lattice_y coordinates needs lattice_z too")
        out["z"] = np.ascontiguousarray(g.numeric_node("lattice_z"), dtype=np.int32)
    return out


#: measured order of one Newman-Ziff sweep: seconds per node + edge (2 cores, union-find and
#: the binomial windows); only the order of magnitude matters for the warning
SWEEP_SECONDS_PER_ELEMENT = 3e-8


def _warn_if_long(realizations: int, g) -> None:
    """A warning with the expected duration when an ensemble would run for more than ten minutes."""
    from .._threads import get_num_threads

    seconds = realizations * (g.n + g.m) * SWEEP_SECONDS_PER_ELEMENT / max(1, get_num_threads())
    if seconds > 600:
        import warnings

        warnings.warn(f"{realizations} realizations of {g.n} nodes and {g.m} edges: roughly "
                      f"{seconds / 3600:.3g} hours (Ctrl-C stops it; progress=True shows how far it is); the "
                      f"threshold's error falls only as 1/sqrt(realizations)", UserWarning, stacklevel=4)


def _run(kind, graph, level, realizations, seed, p, lattice, progress, spanning=False):
    g = graph_of(graph, level)
    realizations = check_int("realizations", realizations, minimum=1)
    seed = seed_value(seed)
    if spanning and lattice is None:
        raise ValueError("argument 'spanning': give the open lattice's extents with lattice=(width, height[, depth])")
    w, h, d = _lattice(lattice, spanning)
    grid = np.ascontiguousarray(DEFAULT_P if p is None else p, dtype=np.float64)
    if grid.ndim != 1 or grid.size == 0 or not np.all((grid >= 0) & (grid <= 1)):
        raise ValueError("argument 'p': expected a non-empty 1-D array of probabilities in [0, 1]")
    if g.n == 0:
        raise ValueError("argument 'graph': the graph is empty")
    if kind == "bond" and g.m == 0:
        raise ValueError("argument 'graph': the graph has no edges to occupy")
    _warn_if_long(realizations, g)
    kept = grid
    if realizations * grid.size * 80 > PER_REALIZATION_BUDGET:
        import warnings

        warnings.warn(f"{realizations} realizations x {grid.size} grid points would keep "
                      f"{realizations * grid.size * 80 / 2**30:.1f} GiB of per-realization values: not kept "
                      "(no stderr or Binder cumulant; use a coarser grid p, or several runs)", stacklevel=3)
        kept = np.zeros(0)
    with progress_callback(progress, f"{kind} percolation") as cb:
        raw = _core.percolation_ensemble(g._g, kind, realizations, seed, w, h, cb, d, grid=kept,
                                         open=bool(spanning), **_coords(g, lattice))
    params = {"kind": kind, "realizations": realizations, "lattice": ([w, h, d] if d else [w, h]) if w else None,
              "level": level, "spanning": bool(spanning)}
    res = _result(raw, kind, params, seed, grid)
    if spanning:  # the kernel's wrap_* fields hold the spanning steps
        for key in list(res.data):
            if "wrap_" in key:
                res.data[key.replace("wrap_", "span_")] = res.data.pop(key)
    return res


@records_lineage
def site(graph, *, realizations: int = 100, seed: int = 0, p: Optional[ArrayLike] = None,
         lattice: Optional[tuple] = None, spanning: bool = False, level: Optional[int] = None,
         progress: bool = False) -> PercolationResult:
    """Site percolation: occupy vertices in random order (Newman & Ziff, PRE 64, 016706, 2001).

    ``realizations`` sweeps run in parallel (OpenMP) with Philox streams keyed
    by (seed, realization): the result does not depend on the thread count.
    ``p`` is the grid of the canonical table (default 201 points in [0, 1]);
    ``lattice=(width, height)`` (or ``(width, height, depth)`` for
    :func:`urbplex.generators.cubic_lattice`; vertices with ``lattice_x``/``lattice_y``
    attributes, as :func:`urbplex.generators.kagome_lattice` makes, are placed
    by them) records wrapping on a periodic lattice made by
    :func:`urbplex.generators.square_lattice` or ``triangular_lattice`` with
    ``periodic=True``. With ``spanning=True`` the lattice is open and
    ``lattice`` its extents: the run records instead when a cluster first
    joins opposite faces (coordinate 0 and width - 1 ...), as ``span_h``,
    ``span_v``, ``span_d``, ``span_either``, ``span_both``
    (:meth:`PercolationResult.spanning_probability`). ``graph`` may be a
    Hierarchy, with ``level``. Each realization's canonical values on ``p`` are kept too
    (:meth:`PercolationResult.per_realization`), for standard errors
    (:attr:`PercolationResult.stderr`) and the Binder cumulant, and each
    realization's mean largest fraction over its steps before the last
    (``realization_mean_largest``: a random attack's robustness R).
    Memory: 56 bytes per vertex per thread for the accumulators, and 80 bytes
    per realization per grid point.
    """
    return _run("site", graph, level, realizations, seed, p, lattice, progress, spanning)


@records_lineage
def bond(graph, *, realizations: int = 100, seed: int = 0, p: Optional[ArrayLike] = None,
         lattice: Optional[tuple] = None, spanning: bool = False, level: Optional[int] = None,
         progress: bool = False) -> PercolationResult:
    """Bond percolation: occupy edges in random order (Newman & Ziff, PRE 64, 016706, 2001).

    Same parameters as :func:`site`; steps count edges. Memory: 56 bytes per
    edge per thread for the accumulators, and 80 bytes per realization per
    grid point.
    """
    return _run("bond", graph, level, realizations, seed, p, lattice, progress, spanning)


@records_lineage
def sweep(graph, order, *, kind: str = "site", lattice: Optional[tuple] = None,
          level: Optional[int] = None, progress: bool = False) -> PercolationResult:
    """Sweeps in given orders of vertices (site) or edge ids (bond), e.g. attack orders reversed.

    ``order`` is one order, or a 2-D array of several of the same length (one
    per row), swept in parallel in C++ and averaged as realizations (results
    do not depend on the thread count). The result holds the microcanonical
    arrays by step; the canonical table over p (a binomial average, meaningful
    for random orders) is computed when asked (:meth:`PercolationResult.canonical`),
    not on every sweep.
    """
    if kind not in ("site", "bond"):
        raise ValueError(f"argument 'kind': must be 'site' or 'bond', got {kind!r}")
    g = graph_of(graph, level)
    limit = g.n if kind == "site" else g.m
    rows = np.asarray(order)
    if rows.ndim not in (1, 2):
        raise ValueError(f"argument 'order': expected one order or a 2-D array of orders, got shape {rows.shape}")
    count = 1 if rows.ndim == 1 else rows.shape[0]
    flat = index_array("order", rows.reshape(-1), n=limit) if rows.size else np.zeros(0, dtype=np.uint32)
    w, h, d = _lattice(lattice)
    with progress_callback(progress, f"{kind} sweeps") as cb:
        raw = _core.percolation_orders(g._g, kind, np.ascontiguousarray(flat, dtype=np.uint32), count, w, h, cb, d,
                                       **_coords(g, lattice))
    raw["n"] = g.n
    length = rows.shape[-1]
    return _result(raw, kind, {"kind": kind, "realizations": count, "order_length": int(length)}, 0, None,
                   with_table=False)


@records_lineage
def cluster_sizes(graph, p: float, *, kind: str = "site", realizations: int = 100, seed: int = 0,
                  level: Optional[int] = None, progress: bool = False):
    """Cluster-size distribution n_s at occupation probability ``p``: the mean
    number of clusters of s vertices per vertex of the graph (Stauffer &
    Aharony, Introduction to Percolation Theory, Ch. 2), over ``realizations``
    canonical realizations (each site or bond occupied independently), in C++
    and in parallel, identical for any thread count.

    Returns a DataFrame with columns s and n_s for the sizes that occur (its
    ``attrs`` hold realizations, n, p and kind; :func:`fit_cluster_sizes`
    fits tau with a correction to scaling). At
    p_c, n_s ~ s^-tau with tau = 187/91 in two dimensions; sum_s s n_s is the
    fraction of vertices in clusters (p for site percolation).
    """
    import pandas as pd

    if kind not in ("site", "bond"):
        raise ValueError(f"argument 'kind': must be 'site' or 'bond', got {kind!r}")
    p = check_float("p", p, minimum=0.0, maximum=1.0)
    realizations = check_int("realizations", realizations, minimum=1)
    g = graph_of(graph, level)
    with progress_callback(progress, f"{kind} cluster sizes") as cb:
        counts = _core.cluster_size_distribution(g._g, kind, p, realizations, seed_value(seed), cb)
    s = np.flatnonzero(counts)
    out = pd.DataFrame({"s": s, "n_s": counts[s] / (realizations * g.n)})
    # for Poisson errors (fit_cluster_sizes): counts = n_s * realizations * n
    out.attrs.update({"realizations": realizations, "n": g.n, "p": p, "kind": kind})
    return out
