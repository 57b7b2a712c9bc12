"""Finite-size scaling: crossings of curves for two sizes with error bars,
the quality of a data collapse, and power-law fits with a correction to
scaling.

- :func:`crossing`: where the curves of two sizes cross (wrapping
  probabilities R_L, Binder cumulants ...), its standard error by the
  bootstrap over each run's realizations (B. Efron & R. Tibshirani, An
  Introduction to the Bootstrap, 1993).
- :func:`collapse_quality`, :func:`fit_collapse`: the quality S of a
  collapse y L^a against (p - p_c) L^(1/nu) (J. Houdayer & A. K. Hartmann,
  PRB 70, 014418, 2004: S ~ 1 when the curves agree within their errors).
- :func:`fit_cluster_sizes`: tau from n_s = A s^-tau (1 + B s^-Omega) over
  logarithmic bins (D. Stauffer & A. Aharony, Introduction to Percolation
  Theory, 1994, Ch. 2; Omega = 72/91 in 2-D, R. M. Ziff, PRE 83, 020107, 2011).
"""
from __future__ import annotations

from typing import NamedTuple, Optional, Sequence

import numpy as np

from .._validate import check_float, check_int


class Crossing(NamedTuple):
    """Where two curves cross: ``p``, its bootstrap standard error ``stderr``,
    and the curves' common ``value`` there."""

    p: float
    stderr: float
    value: float


def _curve(result, observable: str, rows=None) -> np.ndarray:
    """Mean canonical curve of ``observable`` over the realizations ``rows``."""
    if observable == "binder":
        m2, m4 = result.per_realization("largest_sq"), result.per_realization("largest_4")
        if rows is not None:
            m2, m4 = m2[rows], m4[rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            return 1 - m4.mean(axis=0) / (3 * m2.mean(axis=0) ** 2)
    x = result.per_realization(observable)
    return (x if rows is None else x[rows]).mean(axis=0)


def _first_crossing(p: np.ndarray, a: np.ndarray, b: np.ndarray, near: Optional[float] = None):
    """Linear interpolation of a sign change of a - b on the grid p: the first
    one, or the one nearest ``near``."""
    d = a - b
    ok = np.isfinite(d)
    idx = np.flatnonzero(ok[:-1] & ok[1:] & (np.sign(d[:-1]) * np.sign(d[1:]) < 0))
    hits = []
    for j in idx:
        t = d[j] / (d[j] - d[j + 1])
        hits.append((float(p[j] + t * (p[j + 1] - p[j])), float(a[j] + t * (a[j + 1] - a[j]))))
    hits += [(float(p[j]), float(a[j])) for j in np.flatnonzero(ok & (d == 0))]
    if not hits:
        return None
    if near is None:
        return min(hits)
    return min(hits, key=lambda h: abs(h[0] - near))


def crossing(small, large, observable: str = "wrap_either", *, near: Optional[float] = None, bootstrap: int = 400,
             seed: int = 0) -> Crossing:
    """Where the canonical curves of ``observable`` for two sizes cross.

    ``small`` and ``large`` are :class:`~urbplex.percolation.PercolationResult`
    of the same lattice at two sizes, run on the same grid ``p`` (fine around
    the crossing, e.g. 61 points over p_c +- 0.01). ``observable`` is one of
    their per-realization observables (``wrap_either``, ``wrap_both`` ... with
    ``lattice=``) or ``"binder"``. The crossing is the first sign change of
    the difference of the mean curves, linearly interpolated between grid
    points; its standard error is the spread over ``bootstrap`` resamplings
    of each run's realizations (independent runs: independent resamplings).
    Crossings of successive size pairs converge to p_c (for wrapping
    probabilities with corrections of order L^-(2 + 1/nu) on a 2-D torus:
    R. M. Ziff & M. E. J. Newman, PRE 66, 016129, 2002).

    Examples
    --------
    >>> import numpy as np, urbplex as ux
    >>> grid = np.linspace(0.55, 0.65, 41)
    >>> runs = [ux.percolation.site(ux.generators.square_lattice(L, periodic=True), realizations=200,
    ...                             lattice=(L, L), p=grid, seed=L) for L in (16, 32)]
    >>> c = ux.percolation.crossing(*runs, bootstrap=100)
    >>> abs(c.p - 0.5927) < 5 * c.stderr + 0.005
    True
    """
    p = np.asarray(small.data["p"], dtype=np.float64)
    if not np.array_equal(p, np.asarray(large.data["p"], dtype=np.float64)):
        raise ValueError("arguments 'small' and 'large': run both on the same grid p")
    bootstrap = check_int("bootstrap", bootstrap, minimum=0)
    near = None if near is None else check_float("near", near, minimum=0.0, maximum=1.0)
    found = _first_crossing(p, _curve(small, observable), _curve(large, observable), near)
    if found is None:
        raise ValueError(f"the {observable} curves do not cross on the grid p = [{p.min():g}, {p.max():g}]: "
                         "widen the grid around the threshold")
    rng = np.random.default_rng(seed)
    Ra, Rb = small.per_realization("largest").shape[0], large.per_realization("largest").shape[0]
    reps = []
    for _ in range(bootstrap):
        hit = _first_crossing(p, _curve(small, observable, rng.integers(0, Ra, Ra)),
                              _curve(large, observable, rng.integers(0, Rb, Rb)), found[0])
        if hit is not None:
            reps.append(hit[0])
    if bootstrap and len(reps) < 0.9 * bootstrap:
        raise ValueError(f"the {observable} curves cross on the grid in only {len(reps)} of {bootstrap} "
                         "bootstrap resamplings: more realizations or a wider grid")
    err = float(np.std(reps, ddof=1)) if len(reps) > 1 else float("nan")
    return Crossing(found[0], err, found[1])


def _scaled(results, sizes, p_c, nu, observable, exponent):
    curves = []
    for res, L in zip(results, sizes):
        p = np.asarray(res.data["p"], dtype=np.float64)
        if observable == "binder":
            y, dy = res.binder(), res.stderr["binder"]
        else:
            y, dy = _curve(res, observable), res.stderr[observable]
        scale = float(L) ** exponent
        curves.append(((p - p_c) * float(L) ** (1.0 / nu), y * scale, dy * scale))
    return curves


def collapse_quality(results: Sequence, sizes: Sequence[float], p_c: float, nu: float, *,
                     observable: str = "wrap_either", exponent: float = 0.0) -> float:
    """Quality S of the collapse of y L^exponent against (p - p_c) L^(1/nu).

    For every point of every curve, each other curve is interpolated
    linearly at the point's scaled abscissa (where it covers it); their
    error-weighted mean is the master curve there, and S is the mean of
    (y - Y)^2 / (dy^2 + dY^2) over the points (Houdayer & Hartmann, PRB 70,
    014418, 2004). S ~ 1 for a collapse within the errors; a wrong p_c or nu
    gives S >> 1.
    """
    if len(results) != len(sizes) or len(results) < 2:
        raise ValueError("arguments 'results' and 'sizes': need at least two runs, one size each")
    nu = check_float("nu", nu, minimum=1e-9)
    curves = _scaled(results, sizes, float(p_c), nu, observable, float(exponent))
    terms = []
    for i, (x, y, dy) in enumerate(curves):
        for j in range(x.size):
            vals, errs = [], []
            for k, (xo, yo, dyo) in enumerate(curves):
                if k == i or not (xo[0] <= x[j] <= xo[-1]):
                    continue
                vals.append(np.interp(x[j], xo, yo))
                errs.append(max(np.interp(x[j], xo, dyo), 1e-300))
            if not vals:
                continue
            w = 1.0 / np.square(errs)
            Y = float((w * np.asarray(vals)).sum() / w.sum())
            dY2 = float(1.0 / w.sum())
            if dy[j] ** 2 + dY2 > 0:
                terms.append((y[j] - Y) ** 2 / (dy[j] ** 2 + dY2))
    if not terms:
        raise ValueError("the scaled curves do not overlap: check p_c, nu and the grids")
    return float(np.mean(terms))


def fit_collapse(results: Sequence, sizes: Sequence[float], p_c: float, nu: float, *,
                 observable: str = "wrap_either", exponent: float = 0.0) -> dict:
    """p_c and nu (from the starting values given) minimizing :func:`collapse_quality`
    (Nelder–Mead); returns ``p_c``, ``nu`` and the quality ``S`` at the optimum."""
    from scipy.optimize import minimize

    def cost(v):
        try:
            return collapse_quality(results, sizes, v[0], abs(v[1]), observable=observable, exponent=exponent)
        except ValueError:
            return np.inf

    best = minimize(cost, [float(p_c), float(nu)], method="Nelder-Mead",
                    options={"xatol": 1e-7, "fatol": 1e-6, "maxiter": 2000})
    return {"p_c": float(best.x[0]), "nu": float(abs(best.x[1])), "S": float(best.fun)}


def fit_cluster_sizes(sizes, *, s_min: float = 10, s_max: Optional[float] = None,
                      correction: Optional[float] = 72 / 91, bins_per_decade: int = 8) -> dict:
    """tau from a cluster-size distribution at p_c, with a correction to scaling.

    ``sizes`` is the frame of :func:`~urbplex.percolation.cluster_sizes` (its
    ``attrs`` carry the realizations and vertices, for Poisson errors).
    Clusters of s_min <= s <= s_max are put in logarithmic bins
    (``bins_per_decade``), and n_s = A s^-tau (1 + B s^-correction) is fitted
    to the bins' mean n_s by weighted least squares (each bin's model is the
    mean of the formula over its integer sizes). ``correction=None`` fits a
    plain power law. Returns ``tau`` and its standard error ``tau_stderr``,
    ``A``, ``B``, ``chi2_dof`` and the ``bins`` used. On the square lattice
    at p_c, tau = 187/91 = 2.0549 and Omega = 72/91 (Ziff 2011); a plain fit
    over small s gives about 2.02.
    """
    from scipy.optimize import least_squares

    s = np.asarray(sizes["s"], dtype=np.float64)
    ns = np.asarray(sizes["n_s"], dtype=np.float64)
    per_count = sizes.attrs.get("realizations", 1) * sizes.attrs.get("n", 1)
    s_min = check_float("s_min", s_min, minimum=1.0)
    s_max = float(s.max()) if s_max is None else check_float("s_max", s_max, minimum=s_min)
    bins_per_decade = check_int("bins_per_decade", bins_per_decade, minimum=1)
    edges = np.unique(np.floor(np.logspace(np.log10(s_min), np.log10(s_max + 1),
                                           int(np.ceil(np.log10((s_max + 1) / s_min) * bins_per_decade)) + 1)))
    if edges.size < 4:
        raise ValueError("arguments 's_min'/'s_max': the range holds too few logarithmic bins")
    centres, means, errs, spans = [], [], [], []
    for lo, hi in zip(edges[:-1], edges[1:]):  # integer sizes lo <= s < hi
        inside = (s >= lo) & (s < hi)
        width = hi - lo
        total = ns[inside].sum()
        counts = total * per_count
        if counts <= 0:
            continue
        spans.append((lo, hi))
        means.append(total / width)
        errs.append(np.sqrt(counts) / per_count / width)
        centres.append(np.sqrt(lo * (hi - 1)) if hi - 1 > lo else lo)
    means, errs = np.asarray(means), np.asarray(errs)
    if means.size < (4 if correction is not None else 3):
        raise ValueError("too few non-empty bins to fit: widen [s_min, s_max] or add realizations")
    from scipy.special import zeta

    lo_s, hi_s = (np.array(v, dtype=np.float64) for v in zip(*spans))
    width = hi_s - lo_s
    omega = 0.0 if correction is None else check_float("correction", correction, minimum=0.0)

    def mean_power(x):  # mean of s^-x over the integers lo <= s < hi: Hurwitz zeta differences
        return (zeta(x, lo_s) - zeta(x, hi_s)) / width

    def model(theta):
        logA, tau = theta[0], theta[1]
        B = theta[2] if correction is not None else 0.0
        return np.exp(logA) * (mean_power(tau) + B * mean_power(tau + omega))

    start = [np.log(means[0] * centres[0] ** 2), 2.0] + ([0.0] if correction is not None else [])
    fit = least_squares(lambda th: (model(th) - means) / errs, start, method="lm")
    dof = max(means.size - len(start), 1)
    chi2 = float((fit.fun ** 2).sum() / dof)
    try:
        cov = np.linalg.inv(fit.jac.T @ fit.jac) * max(chi2, 1.0)
        tau_err = float(np.sqrt(cov[1, 1]))
    except np.linalg.LinAlgError:
        tau_err = float("nan")
    return {"tau": float(fit.x[1]), "tau_stderr": tau_err, "A": float(np.exp(fit.x[0])),
            "B": float(fit.x[2]) if correction is not None else 0.0, "chi2_dof": chi2, "bins": int(means.size)}
