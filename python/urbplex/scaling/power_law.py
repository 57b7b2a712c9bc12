"""Power-law fits (Clauset, Shalizi & Newman, "Power-law distributions in empirical data", SIAM Rev. 51, 661, 2009).

:func:`power_law` finds x_min by minimising the Kolmogorov–Smirnov distance
and alpha by maximum likelihood (closed form for continuous data, the
Hurwitz-zeta likelihood for discrete data), in parallel over x_min
candidates. :meth:`PowerLawResult.gof` is CSN's semi-parametric bootstrap
p-value, in parallel over replicates; :meth:`PowerLawResult.compare` the
Vuong likelihood-ratio test against lognormal, exponential, stretched
exponential (Weibull) and power law with exponential cutoff.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from .. import _core
from .._progress import progress_callback
from .._validate import as_numbers, check_float, check_int, seed_value
from ..result import RunResult, register_result


def _data(data) -> np.ndarray:
    arr = as_numbers("data", data).ravel()
    if arr.size < 2:
        raise ValueError("argument 'data': needs at least 2 values")
    bad = ~(np.isfinite(arr) & (arr >= 0))
    if bad.any():
        raise ValueError(f"argument 'data': value at index {int(np.argmax(bad))} must be finite and >= 0 "
                         f"(got {arr[int(np.argmax(bad))]})")
    zeros = int(np.count_nonzero(arr == 0))
    if zeros:
        # Counts often include zeros; a power law lives on x > 0, so they are
        # below any x_min: left out, as powerlaw leaves them out.
        import warnings

        warnings.warn(f"power_law: {zeros} zero values left out (below any x_min)", UserWarning, stacklevel=3)
        arr = arr[arr > 0]
        if arr.size < 2:
            raise ValueError("argument 'data': needs at least 2 values > 0")
    if arr.min() == arr.max():
        raise ValueError(f"argument 'data': all {arr.size} values equal {arr[0]:g}: no power law can be fitted")
    return np.ascontiguousarray(arr)


@register_result
class PowerLawResult(RunResult):
    """A fitted power law p(x) ~ x^-alpha for x >= xmin."""

    model = "power_law"

    @property
    def alpha(self) -> float:
        """The fitted exponent alpha of p(x) ~ x^-alpha for x >= x_min."""
        return float(self.data["alpha"][0])

    @property
    def xmin(self) -> float:
        """The lower bound x_min of the power-law tail."""
        return float(self.data["xmin"][0])

    @property
    def ks(self) -> float:
        """Kolmogorov-Smirnov distance between the tail and the fit."""
        return float(self.data["ks"][0])

    @property
    def n_tail(self) -> int:
        """Number of values >= x_min."""
        return int(self.data["n_tail"][0])

    @property
    def discrete(self) -> bool:
        """True if the data were fitted as integers (discrete power law)."""
        return bool(self.parameters["discrete"])

    @property
    def sigma(self) -> float:
        """Standard error of alpha, (alpha - 1) / sqrt(n_tail) (CSN Eq. 3.2)."""
        return (self.alpha - 1.0) / np.sqrt(self.n_tail)

    @property
    def tail(self) -> np.ndarray:
        """The values >= x_min."""
        x = self.data["x"]
        return x[x >= self.xmin]

    def gof(self, replicates: int = 1000, *, seed: int = 0, progress: bool = False) -> float:
        """CSN's bootstrap p-value (Sec. 4.1): small p (< 0.1) rules the power law out."""
        # the kernel counts replicates in 32 bits and keeps each one's KS distance
        replicates = check_int("replicates", replicates, minimum=1, maximum=2**32 - 1)
        p = self.parameters
        with progress_callback(progress, "power-law bootstrap") as cb:
            pval, ks = _core.power_law_gof(self.data["x"], self.alpha, self.xmin, self.ks, self.discrete,
                                           bool(p["fixed_xmin"]), int(p["max_candidates"]), int(p["min_tail"]),
                                           replicates, seed_value(seed), p.get("ks", "two-sided") == "plfit", cb)
        self.data["gof_ks"] = ks
        self.data["gof_p"] = np.array([pval])
        return float(pval)

    def cdf(self, x) -> np.ndarray:
        """Fitted P(X <= x) for x >= xmin."""
        x = np.asarray(x, dtype=np.float64)
        if self.discrete:
            lz = _core.log_hurwitz_zeta(self.alpha, self.xmin)
            return np.array([1 - np.exp(_core.log_hurwitz_zeta(self.alpha, float(v) + 1) - lz)
                             for v in np.ravel(x)]).reshape(x.shape)
        return 1 - (x / self.xmin) ** (1 - self.alpha)

    def loglik_points(self, x=None) -> np.ndarray:
        """Log-likelihood of each tail point (or of the points ``x`` >= xmin) under the fit."""
        x = self.tail if x is None else np.asarray(x, dtype=np.float64)
        if self.discrete:
            return -self.alpha * np.log(x) - _core.log_hurwitz_zeta(self.alpha, self.xmin)
        return np.log(self.alpha - 1) - np.log(self.xmin) - self.alpha * np.log(x / self.xmin)

    def compare(self, alternative: str = "lognormal", *, normalized: bool = False):
        """Vuong's likelihood-ratio test of the power law against ``alternative`` on the tail (CSN Sec. 5).

        Returns ``(R, p)``: R > 0 favours the power law, R < 0 the
        alternative; p is the significance of the sign of R. For the nested
        'truncated_power_law' p comes from the chi-squared LR test (1 dof).
        ``normalized=True`` returns R / (sqrt(n) sigma), as CSN's Table 6.2.
        Discrete fits are compared with discrete alternatives, normalised over
        the integers >= xmin (see :mod:`urbplex.scaling.alternatives`).

        The lognormal and the stretched exponential contain the power law as a
        limit (sigma -> inf, beta -> 0): when the data are a power law their
        maximum likelihood creeps towards it and R -> 0+, so a large positive R
        against them means the optimiser stopped early, not evidence.
        """
        from .alternatives import compare

        return compare(self, alternative, normalized)

    def fit_alternative(self, alternative: str = "lognormal"):
        """The alternative's maximum-likelihood fit on the same tail: ``(params, loglik)``
        (see :func:`urbplex.scaling.alternatives.fit_alternative` for the parameters)."""
        from .alternatives import fit_alternative

        return fit_alternative(self, alternative)

    def ccdf(self):
        """Empirical complementary CDF of the data: (x, P(X >= x))."""
        x = np.sort(self.data["x"])
        return x, 1.0 - np.arange(x.size) / x.size

    def plot(self, ax=None):
        """CCDF on log axes with the fitted tail."""
        from urbplex._optional import require
        plt = require("matplotlib.pyplot")

        ax = ax or plt.gca()
        x, c = self.ccdf()
        ax.loglog(x, c, ".", ms=2, label="data")
        t = np.logspace(np.log10(self.xmin), np.log10(x.max()), 100)
        frac = self.n_tail / x.size
        ax.loglog(t, frac * (t / self.xmin) ** (1 - self.alpha), "r-",
                  label=f"power law alpha={self.alpha:.3f}, xmin={self.xmin:g}")
        ax.set_xlabel("x")
        ax.set_ylabel("P(X >= x)")
        ax.legend()
        return ax

    def to_frame(self):
        """One row: ``alpha``, ``sigma`` (its standard error), ``xmin``, ``ks``, ``n_tail`` and ``n`` (all values)."""
        import pandas as pd

        return pd.DataFrame({"alpha": [self.alpha], "sigma": [self.sigma], "xmin": [self.xmin], "ks": [self.ks],
                             "n_tail": [self.n_tail], "n": [self.data["x"].size]})


# Floats hold every integer exactly only up to 2^53: larger "integers" (1e300)
# are measurements, not counts, and are fitted as continuous unless asked.
_MAX_AUTO_INTEGER = 2.0 ** 53

# CSN (Sec. 3.3 and 4.1): below about 50 points in the tail neither x_min nor
# the goodness of fit can be trusted.
SMALL_TAIL = 50


#: candidate x_min values above which a fit without a progress bar warns that it may take minutes
LARGE_SCAN = 200_000


def power_law(data, *, discrete: Optional[bool] = None, xmin: Optional[float] = None, max_candidates: int = 0,
              min_tail: int = 10, ks: str = "two-sided", progress: bool = False) -> PowerLawResult:
    """Fit a power law to ``data`` (CSN 2009).

    ``discrete`` defaults to True when every value is an integer no larger
    than 2^53 (beyond that floats are not counts). ``xmin`` fixes x_min;
    otherwise every distinct value leaving at least ``min_tail`` points in
    the tail is a candidate (at most ``max_candidates`` quantile-spaced ones
    if > 0).

    ``ks`` is the Kolmogorov-Smirnov convention used to choose x_min on
    continuous data: 'two-sided' (default) is the exact sup-distance of CSN
    Eq. 3.9; 'plfit' compares the model CDF with (k-1)/n at the sorted tail
    points only, as Clauset's plfit.m does, which is how some x_min of CSN
    Table 6.1 were found (US blackouts: x_min 230, alpha 2.27, 59 points).
    For discrete data both conventions are the same.

    A ``UserWarning`` says when the tail holds fewer than 50 points: CSN
    find x_min and the p-value unreliable there. Zeros (counts often have
    them) are left out with a warning; negative or non-finite values are an
    error.
    """
    x = _data(data)
    if ks not in ("two-sided", "plfit"):
        raise ValueError(f"argument 'ks': must be 'two-sided' or 'plfit', got {ks!r}")
    if discrete is None:
        discrete = bool(np.all(x == np.floor(x)) and x.max() <= _MAX_AUTO_INTEGER)
    elif discrete and x.max() > _MAX_AUTO_INTEGER:
        raise ValueError(f"argument 'data': discrete data must be integers up to 2^53, got {x.max():g} "
                         "(floats are not exact counts there); fit it as continuous")
    fixed = 0.0 if xmin is None else check_float("xmin", xmin, minimum=0.0, strict_min=True)
    max_candidates = check_int("max_candidates", max_candidates, minimum=0)
    min_tail = check_int("min_tail", min_tail, minimum=1)
    if xmin is None and not progress and (max_candidates == 0 or max_candidates > LARGE_SCAN):
        candidates = np.unique(x).size if max_candidates == 0 else max_candidates
        if candidates > LARGE_SCAN:
            import warnings

            warnings.warn(f"power_law: {candidates} candidate x_min values, each with a KS distance over its tail: "
                          f"this can take minutes (10^6 continuous values: over a minute); progress=True shows "
                          f"how far it is, max_candidates=1000 scans quantile-spaced candidates only",
                          UserWarning, stacklevel=2)
    with progress_callback(progress, "power-law fit") as cb:
        f = _core.fit_power_law(x, bool(discrete), fixed, max_candidates, min_tail, ks == "plfit", cb)
    if f["n_tail"] < SMALL_TAIL:
        import warnings

        warnings.warn(f"power_law: only {f['n_tail']} points in the tail (x >= {f['xmin']:g}); with fewer than "
                      f"{SMALL_TAIL} the fitted x_min, alpha and p-value are unreliable (CSN 2009, Sec. 3.3)",
                      UserWarning, stacklevel=2)
    data_ = {"x": x, "alpha": np.array([f["alpha"]]), "xmin": np.array([f["xmin"]]), "ks": np.array([f["ks"]]),
             "loglik": np.array([f["loglik"]]), "n_tail": np.array([f["n_tail"]], dtype=np.int64)}
    params = {"discrete": bool(discrete), "fixed_xmin": xmin is not None, "max_candidates": max_candidates,
              "min_tail": min_tail, "ks": ks}
    return PowerLawResult(data_, model="power_law", parameters=params)


def sample(alpha: float, xmin: float, n: int, *, discrete: bool = False, seed: int = 0) -> np.ndarray:
    """``n`` draws from a power law (exact inverse CDF; discrete via the Hurwitz zeta function)."""
    alpha = check_float("alpha", alpha, minimum=1.0, strict_min=True)
    xmin = check_float("xmin", xmin, minimum=0.0, strict_min=True)
    return _core.sample_power_law(alpha, xmin, bool(discrete), check_int("n", n, minimum=0), seed_value(seed))


def zipf(sizes, **kwargs):
    """Rank-size (Zipf) view of ``sizes``: (ranks, sorted sizes, zipf exponent 1/(alpha-1), the power-law fit)."""
    fit = power_law(sizes, **kwargs)
    s = np.sort(_data(sizes))[::-1]
    return np.arange(1, s.size + 1), s, 1.0 / (fit.alpha - 1.0), fit
