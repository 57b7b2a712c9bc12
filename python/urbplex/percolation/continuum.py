"""Continuum percolation of overlapping disks in a periodic square.

n disks of equal radius r with uniformly random centres in the unit torus
overlap when their centres are closer than 2r; the filling factor is
eta = n pi r^2. The disks percolate at eta_c = 1.12808737 (S. Mertens & C.
Moore, "Continuum percolation thresholds in two dimensions", PRE 86,
061109, 2012; E. T. Gawlinski & H. E. Stanley, J. Phys. A 14, L291, 1981).

Each realization adds the overlaps in order of increasing centre distance
(bond percolation in a given order, :func:`urbplex.percolation.sweep`) and
records the filling at which a cluster first wraps the torus; positions are
tracked as integer multiples of 2^-20 of the box, so wrapping uses the
lattice machinery exactly (neighbours are far closer than half the box).
The threshold is read where the fraction of realizations wrapped reaches its
universal critical value on a square torus (either direction: 0.6904737,
H. T. Pinson, J. Stat. Phys. 75, 1167, 1994), as Newman & Ziff do on lattices.
"""
from __future__ import annotations

from typing import NamedTuple, Optional

import numpy as np

from .._progress import progress_callback
from .._validate import check_float, check_int, seed_value
from ..graph import Graph
from ..provenance import records_lineage
from ..result import RunResult, register_result

R_CRITICAL = {"either": 0.6904737, "both": 0.3558011, "h": 0.5210583}  # Pinson 1994, square torus
_QUANTUM = 1 << 20


class Estimate(NamedTuple):
    """A threshold estimate ``value`` with its bootstrap standard error ``stderr``."""

    value: float
    stderr: float


@register_result
class ContinuumResult(RunResult):
    """Fillings eta = n pi r^2 at which a cluster of disks first wraps the
    torus, one per realization: ``eta_h``, ``eta_v`` (either axis),
    ``eta_either``, ``eta_both`` (NaN when it never wrapped below ``eta_max``)."""

    model = "percolation.continuum"
    units = {"eta_either": "filling factor n pi r^2", "eta_both": "filling factor n pi r^2"}

    def wrapping_probability(self, eta, criterion: str = "either") -> np.ndarray:
        """Fraction of realizations wrapped ('h', 'v', 'either' or 'both') at filling ``eta``."""
        first = self._first(criterion)
        eta = np.atleast_1d(np.asarray(eta, dtype=np.float64))
        return (first[None, :] <= eta[:, None]).mean(axis=1)

    def _first(self, criterion: str) -> np.ndarray:
        key = f"eta_{criterion}"
        if key not in self.data:
            raise ValueError(f"argument 'criterion': one of 'h', 'v', 'either', 'both', got {criterion!r}")
        return np.where(np.isnan(self.data[key]), np.inf, self.data[key])

    def threshold(self, criterion: str = "either", *, target: Optional[float] = None, bootstrap: int = 1000,
                  seed: int = 0) -> Estimate:
        """The filling at which the fraction wrapped reaches ``target`` (default: its
        universal critical value for ``criterion`` on a square torus, Pinson 1994),
        i.e. that quantile of the realizations' first-wrap fillings, with a
        bootstrap standard error over the realizations."""
        first = self._first(criterion)
        if target is None:
            if criterion not in R_CRITICAL:
                raise ValueError(f"argument 'target': no universal value for criterion {criterion!r}; give one")
            target = R_CRITICAL[criterion]
        target = check_float("target", target, minimum=0.0, maximum=1.0)
        short = f"too few of the realizations wrapped below eta_max to read the {target:.0%} quantile: raise eta_max"
        with np.errstate(invalid="ignore"):  # inf - inf where the quantile meets unwrapped runs
            value = float(np.quantile(first, target))
        if not np.isfinite(value):  # the quantile reaches realizations that never wrapped
            raise ValueError(short)
        rng = np.random.default_rng(seed)
        with np.errstate(invalid="ignore"):
            reps = np.array([np.quantile(first[rng.integers(0, first.size, first.size)], target)
                             for _ in range(check_int("bootstrap", bootstrap, minimum=2))])
        if not np.all(np.isfinite(reps)):
            raise ValueError(short + " (some bootstrap resamples reach them)")
        return Estimate(value, float(np.std(reps, ddof=1)))

    def to_frame(self):
        """One row per realization: the first-wrap fillings."""
        import pandas as pd

        return pd.DataFrame({k: v for k, v in self.data.items() if k.startswith("eta_")})


@records_lineage
def continuum(n: int, *, realizations: int = 100, seed: int = 0, eta_max: float = 1.6,
              progress: bool = False) -> ContinuumResult:
    """Continuum percolation of ``n`` equal disks in the unit torus (Mertens & Moore 2012).

    For each realization (a NumPy stream keyed by (seed, realization)),
    finds the filling eta = n pi r^2 at which a cluster of overlapping disks
    first wraps the torus, horizontally, vertically, either way and both
    ways, up to ``eta_max``. Returns a :class:`ContinuumResult`;
    ``result.threshold()`` estimates eta_c = 1.12808737. Pairs are found with
    a periodic k-d tree (scipy); memory about 100 bytes per disk.

    Examples
    --------
    >>> import urbplex as ux
    >>> r = ux.percolation.continuum(2000, realizations=50, seed=1)
    >>> 1.0 < r.threshold().value < 1.3
    True
    """
    from scipy.spatial import cKDTree

    from .newman_ziff import sweep

    n = check_int("n", n, minimum=16)
    realizations = check_int("realizations", realizations, minimum=1)
    eta_max = check_float("eta_max", eta_max, minimum=0.0)
    seed = seed_value(seed)
    reach = 2 * np.sqrt(eta_max / (np.pi * n))  # centre distance at eta_max
    if reach >= 0.25:  # overlaps longer than a quarter of the box are not lattice steps of the torus
        raise ValueError(f"argument 'n': {n} disks are too few for eta_max = {eta_max}: overlapping disks would be "
                         f"{reach:.2f} of the box apart (at most 1/4; need n > {int(np.ceil(64 * eta_max / np.pi))})")
    out = {f"eta_{c}": np.full(realizations, np.nan) for c in ("h", "v", "either", "both")}
    with progress_callback(progress, "continuum percolation") as cb:
        for r in range(realizations):
            rng = np.random.default_rng([seed, r])
            xy = rng.random((n, 2))
            pairs = cKDTree(xy, boxsize=1.0).query_pairs(reach, output_type="ndarray")
            if pairs.size == 0:
                continue
            d = xy[pairs[:, 0]] - xy[pairs[:, 1]]
            d -= np.round(d)  # minimal image
            dist = np.hypot(d[:, 0], d[:, 1])
            order = np.argsort(dist, kind="stable")
            cells = np.minimum((xy * _QUANTUM).astype(np.int64), _QUANTUM - 1)
            g = Graph.from_arrays(pairs[:, 0], pairs[:, 1], n=n,
                                  node_attrs={"lattice_x": cells[:, 0], "lattice_y": cells[:, 1]})
            res = sweep(g, order, kind="bond", lattice=(_QUANTUM, _QUANTUM))
            eta_of = n * np.pi * (dist[order] / 2) ** 2
            for c in ("h", "v", "either", "both"):
                hit = np.flatnonzero(res.data[f"wrap_{c}"] > 0)
                if hit.size:
                    out[f"eta_{c}"][r] = eta_of[hit[0] - 1]  # step k added the k-th overlap
            if cb is not None:
                cb(r + 1, realizations)
    params = {"n": n, "realizations": realizations, "eta_max": eta_max}
    return ContinuumResult(out, model="percolation.continuum", parameters=params, seed=seed)
