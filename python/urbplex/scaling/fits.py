"""Urban scaling laws Y = Y0 N^beta with explicit fluctuation models.

- OLS on logarithms with bootstrap confidence intervals (Bettencourt, Lobo,
  Helbing, Kühnert & West, PNAS 104, 7301, 2007).
- Maximum likelihood with the fluctuation models of Leitão, Miotto, Gerlach
  & Altmann, "Is this scaling nonlinear?", R. Soc. Open Sci. 3, 150649 (2016):
  Gaussian with Var[y] = gamma E[y]^delta (delta fixed or fitted), lognormal
  with E[y] = Y0 N^beta, and Poisson (the large-city limit of their "person"
  model, for counts). Model choice by BIC; Wald or profile-likelihood CIs;
  likelihood-ratio test of beta = 1.
"""
from __future__ import annotations

from typing import Optional, Sequence

import warnings

import numpy as np
from .._lazy import lazy

from .._validate import as_numbers, check_float, check_int, seed_value
from ..result import RunResult, register_result

# imported on first use: scipy.stats alone costs ~0.3 s at start-up
optimize, special, stats = lazy("scipy.optimize"), lazy("scipy.special"), lazy("scipy.stats")

MODELS = ("ols", "gaussian", "lognormal", "poisson")


# How far from the estimate the profile-likelihood interval searches before it
# calls a side unbounded: scaling exponents are O(1), and a profile still
# within the critical level 20 away is flat, not informative.
PROFILE_REACH = 20.0
#: Below these degrees of freedom the robust interval rests on a few cities:
#: their leave-one-out refits replace the one-step jackknife (whose Newton
#: step from the full fit overshoots where one city carries the fit) and the
#: t quantile's degrees of freedom are floored at DF_FLOOR, the fewest with
#: which a t has a finite variance (an estimate of 1-2 is itself that noisy:
#: t = 12.7 at df = 1 gave beta +- 9 on the UK's 100 largest urban areas,
#: London holding 15% of the population).
SMALL_DF = 4.0
DF_FLOOR = 3.0


class UnidentifiableModel(ValueError):
    """The data cannot pin this model down: too few cities for its parameters,
    or a likelihood flat or unbounded in some parameter. :func:`compare`
    leaves such a model out; :func:`fit` raises it."""


def _paired(N, Y):
    """(N, Y, index): two pandas Series are paired by their index labels, as
    pandas pairs them (Y reordered to N's order); anything else by position.
    The index (None for arrays) names cities in errors and results."""
    def series(v):
        return hasattr(v, "index") and hasattr(v, "to_numpy") and getattr(v, "ndim", 0) == 1

    if series(N) and series(Y) and not N.index.equals(Y.index):
        if N.index.has_duplicates or Y.index.has_duplicates:
            raise ValueError("arguments 'N' and 'Y': Series with different indexes, and duplicate labels: they "
                             "cannot be paired by label; pass arrays to pair them by position")
        only_n, only_y = N.index.difference(Y.index), Y.index.difference(N.index)
        if len(only_n) or len(only_y):
            which, labels = ("N", only_n) if len(only_n) else ("Y", only_y)
            raise ValueError(f"arguments 'N' and 'Y': Series with different cities: {len(labels)} label(s) of "
                             f"'{which}' missing from the other (e.g. {labels[0]!r}); align them first (e.g. "
                             f"Y.reindex(N.index)) or pass arrays to pair them by position")
        Y = Y.reindex(N.index)
    index = N.index if series(N) else (Y.index if series(Y) else None)
    return as_numbers("N", N).ravel(), as_numbers("Y", Y).ravel(), index


def _where(index, i: int) -> str:
    return f"index {i}" if index is None else f"city {index[i]!r}"


def _inputs(N, Y, model: str):
    n_arr, y_arr, index = _paired(N, Y)
    if n_arr.size != y_arr.size:
        raise ValueError(f"argument 'Y': has {y_arr.size} values but 'N' has {n_arr.size}")
    if n_arr.size < 3:
        raise ValueError(f"argument 'N': a scaling fit needs at least 3 cities, got {n_arr.size}")
    for name, arr in (("N", n_arr), ("Y", y_arr)):
        bad = ~np.isfinite(arr)
        if bad.any():
            raise ValueError(f"argument '{name}': value at {_where(index, int(np.argmax(bad)))} is not finite")
    if np.any(n_arr <= 0):
        raise ValueError(f"argument 'N': populations must be > 0 ({_where(index, int(np.argmax(n_arr <= 0)))})")
    if np.any(y_arr < 0):
        raise ValueError(f"argument 'Y': values must be >= 0 ({_where(index, int(np.argmax(y_arr < 0)))})")
    if np.unique(n_arr).size < 2:
        raise ValueError("argument 'N': every city has the same population, so no scaling exponent can be fitted")
    if not np.any(y_arr > 0):
        raise ValueError("argument 'Y': is zero for every city, so no scaling exponent can be fitted")
    dropped = 0
    if model in ("ols", "lognormal"):
        keep = y_arr > 0
        dropped = int((~keep).sum())
        if dropped:
            import warnings

            warnings.warn(f"scaling.fit: {dropped} of {y_arr.size} cities have Y = 0 (e.g. "
                          f"{_where(index, int(np.argmin(keep)))}); the {model} model, on log Y, leaves them out. "
                          "The gaussian and poisson models keep them", UserWarning, stacklevel=3)
        n_arr, y_arr = n_arr[keep], y_arr[keep]
        if n_arr.size < 3:
            raise ValueError("argument 'Y': fewer than 3 cities with Y > 0 for a model on log(Y)")
    if (y_arr > 0).sum() < 2:  # the gaussian and poisson models keep zeros, but one city cannot set a slope
        raise ValueError(f"argument 'Y': only one city has Y > 0 ({_where(index, int(np.argmax(y_arr > 0)))}), so "
                         "no scaling exponent can be fitted")
    if model == "poisson" and not np.all(y_arr == np.floor(y_arr)):
        raise ValueError("argument 'Y': the Poisson model needs integer counts")
    return n_arr, y_arr, dropped


def _nll_terms(model: str, theta, lN, y, ly, delta_fixed):
    """Negative log-likelihood of each city (the sum is the model's -log L)."""
    a, beta = theta[0], theta[1]
    log_mu = a + beta * lN
    if model == "poisson":
        mu = np.exp(log_mu)
        return mu - y * log_mu + special.gammaln(y + 1)
    if model == "lognormal":
        if delta_fixed == 2.0:  # constant variance of log y (Leitao's fixed-delta lognormal)
            s2 = np.exp(2 * theta[2])
        else:  # Var[y] = gamma E[y]^delta, so Var[log y] = log(1 + gamma E[y]^(delta - 2))
            delta = delta_fixed if delta_fixed is not None else theta[3]
            s2 = np.log1p(np.exp(theta[2] + (delta - 2) * log_mu))
        return ly + 0.5 * np.log(2 * np.pi * s2) + (ly - log_mu + s2 / 2) ** 2 / (2 * s2)
    if model == "ols":  # lognormal with median Y0 N^beta: the likelihood of OLS on logs
        s2 = np.exp(2 * theta[2])
        return ly + 0.5 * np.log(2 * np.pi * s2) + (ly - log_mu) ** 2 / (2 * s2)
    # gaussian
    log_gamma = theta[2]
    delta = delta_fixed if delta_fixed is not None else theta[3]
    mu = np.exp(log_mu)
    log_var = log_gamma + delta * log_mu
    return 0.5 * (np.log(2 * np.pi) + log_var) + 0.5 * (y - mu) ** 2 * np.exp(-log_var)


def _nll(model: str, theta, lN, y, ly, delta_fixed):
    return float(np.sum(_nll_terms(model, theta, lN, y, ly, delta_fixed)))


def _scores(terms, x, eps=1e-5):
    """Per-city gradients of the negative log-likelihood terms (central differences), shape (n, k)."""
    h = eps * np.maximum(1.0, np.abs(x))
    cols = []
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h[i]
        cols.append((terms(x + e) - terms(x - e)) / (2 * h[i]))
    return np.column_stack(cols)


def _sandwich(H, S):
    """Huber-White covariance H^-1 (S'S) H^-1 with the HC1 factor n / (n - k)."""
    n, k = S.shape
    Hinv = np.linalg.inv(H)
    return Hinv @ (S.T @ S) @ Hinv * (n / max(n - k, 1))


def _term_hessians(terms, x, eps=1e-4):
    """Per-city Hessians of the negative log-likelihood terms (central differences), shape (n, k, k)."""
    k = x.size
    h = eps * np.maximum(1.0, np.abs(x))
    out = None
    for i in range(k):
        for j in range(i, k):
            e_i, e_j = np.zeros(k), np.zeros(k)
            e_i[i], e_j[j] = h[i], h[j]
            v = (terms(x + e_i + e_j) - terms(x + e_i - e_j) - terms(x - e_i + e_j) + terms(x - e_i - e_j)) / (
                4 * h[i] * h[j])
            if out is None:
                out = np.empty((v.size, k, k))
            out[:, i, j] = out[:, j, i] = v
    return out


def _jackknife(H, S, Hs, k: int = 1):
    """(covariance, degrees of freedom of parameter ``k``'s variance).

    Approximate jackknife covariance: city i's leave-one-out change of the
    parameters is one Newton step from the full fit, d_i = (H - H_i)^-1 s_i,
    and cov = (n - 1) / n * sum (d_i - mean d)(d_i - mean d)'. Unlike the
    plain sandwich it inflates the residuals of high-leverage cities: a
    Poisson or Gaussian fit weighs the largest cities most, and with
    Zipf-distributed sizes a few megacities carry it. For least squares
    (quadratic terms) the step is exact (Sherman-Morrison: d_i =
    (X'X)^-1 x_i e_i / (1 - h_ii)), so this is the exact jackknife, i.e.
    (n - 1) / n (HC3 - (sum d_i)(sum d_i)' / n) (MacKinnon & White, J.
    Econometrics 29, 305, 1985). One solve per city gives d_i and the row
    G_i of (H - H_i)^-1 that :func:`_satterthwaite_df` needs."""
    n, p = S.shape
    unit = np.broadcast_to(np.eye(p)[:, k], (n, p))
    X = np.linalg.solve(H[None, :, :] - Hs, np.stack([S, unit], axis=2))
    D = X[:, :, 0] - X[:, :, 0].mean(axis=0)
    return (n - 1) / n * (D.T @ D), _satterthwaite_df(X[:, :, 1], Hs)


def _exact_jackknife_var(N, Y, model: str, delta, fallback: float) -> float:
    """Jackknife variance of beta from the n leave-one-out refits (see SMALL_DF);
    ``fallback`` (the one-step variance) when a refit fails."""
    betas = []
    for i in range(N.size):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                betas.append(fit(np.delete(N, i), np.delete(Y, i), model=model,
                                 delta="fit" if delta is None else delta, ci="wald").beta)
        except (ValueError, np.linalg.LinAlgError):
            return fallback
    b = np.asarray(betas)
    return float((b.size - 1) / b.size * np.sum((b - b.mean()) ** 2))


def _satterthwaite_df(G, Hs) -> float:
    """Degrees of freedom of the jackknife variance of a parameter, for a
    t quantile in place of the normal one (Satterthwaite, Biometrics Bull. 2,
    110, 1946; design-based as Bell & McCaffrey, Surv. Methodol. 28, 169,
    2002, recommended by Imbens & Kolesar, REStat 98, 701, 2016).

    The variance is a sum of squared city influences a_i = G_i' s_i, with
    G_i (row i of ``G``) row k of (H - H_i)^-1. Under the working model E[s_i s_i'] = H_i
    (the information identity), so E[a_i^2] = v_i = G_i' H_i G_i, known
    without the noise of the residuals, and nu = (sum v)^2 / sum v^2: the
    number of cities that carry the fit. About n where they share it evenly
    (log-uniform sizes: ~100 of 200), ~7 for a Poisson fit on the 381 US
    metros (New York alone holds a tenth of the weight), ~2 on Zipf-sized
    samples of 100."""
    v = np.maximum(np.einsum("ij,ijk,ik->i", G, Hs, G), 0.0)  # observed H_i can be indefinite off the model
    top = float(np.max(v, initial=0.0))
    if not (np.isfinite(top) and top > 0):
        return float("inf")  # no usable shares: the normal quantile
    w = v / top  # scaled, so that v^2 neither underflows (Y ~ 1e250) nor overflows
    return float(w.sum() ** 2 / np.sum(w * w))


def _hessian(f, x, eps=1e-4):
    """Hessian of the scalar ``f`` (the same central differences, one term)."""
    return _term_hessians(lambda t: np.atleast_1d(f(t)), x, eps)[0]


def _ols(lN, ly):
    """Least squares on logs; sigma is the maximum-likelihood residual scale."""
    beta, a = np.polyfit(lN, ly, 1)
    r = ly - a - beta * lN
    return np.array([a, beta, 0.5 * np.log(max(np.mean(r ** 2), 1e-300))])


def _poisson_hessian(lN, theta):
    X = np.column_stack([np.ones_like(lN), lN])
    mu = np.exp(X @ theta)
    return X.T @ (mu[:, None] * X)


def _poisson_irls(lN, y, theta0):
    """Poisson regression with log link by Newton's method (the GLM's IRLS), with step halving."""
    X = np.column_stack([np.ones_like(lN), lN])
    theta = np.asarray(theta0[:2], dtype=np.float64)

    def nll(t):
        eta = X @ t
        return float(np.sum(np.exp(eta) - y * eta))

    current = nll(theta)
    for _ in range(100):
        mu = np.exp(X @ theta)
        step = np.linalg.solve(X.T @ (mu[:, None] * X), X.T @ (y - mu))
        t = 1.0
        while t > 1e-8:
            cand = theta + t * step
            value = nll(cand)
            if np.isfinite(value) and value <= current:
                break
            t /= 2
        theta, previous, current = cand, current, value
        if abs(previous - current) < 1e-12 * max(1.0, abs(current)) and np.max(np.abs(t * step)) < 1e-12:
            break
    return theta


@register_result
class ScalingFit(RunResult):
    """A fitted scaling law Y = Y0 N^beta under one fluctuation model."""

    model = "scaling"

    @property
    def beta(self) -> float:
        """The scaling exponent beta of Y = Y0 N^beta."""
        return float(self.data["beta"][0])

    @property
    def y0(self) -> float:
        """The prefactor Y0."""
        return float(self.data["y0"][0])

    @property
    def ci(self) -> tuple:
        """(low, high) confidence interval of beta (see :func:`fit`'s ``ci``; for 'robust' and 'wald',
        ``data['se']`` is beta's standard error and ``data['ci_df']`` the degrees of freedom of its
        t quantile, inf for the normal one)."""
        return float(self.data["ci"][0]), float(self.data["ci"][1])

    @property
    def loglik(self) -> float:
        """Maximum log-likelihood of the fitted model."""
        return float(self.data["loglik"][0])

    @property
    def loglik_beta_1(self) -> float:
        """The maximum log-likelihood with beta fixed at 1 (the null of p_beta_1);
        NaN for fits saved before it was recorded."""
        return float(self.data["loglik_beta_1"][0]) if "loglik_beta_1" in self.data else float("nan")

    @property
    def bic(self) -> float:
        """Bayesian information criterion, k ln n - 2 loglik."""
        return float(self.data["bic"][0])

    @property
    def delta(self) -> Optional[float]:
        """The fitted variance exponent delta of Var[Y] = gamma E[Y]^delta, or None when fixed by the model."""
        return float(self.data["delta"][0]) if "delta" in self.data else None

    def predict(self, N) -> np.ndarray:
        """E[Y] (or the median, for OLS) at populations N."""
        return self.y0 * np.asarray(N, dtype=np.float64) ** self.beta

    def to_frame(self):
        """One row: ``model``, ``beta``, ``ci_low``, ``ci_high``, ``y0``, ``loglik``, ``k`` (parameters), ``bic``, ``p_beta_1`` (likelihood-ratio p-value of beta = 1), ``loglik_beta_1``, ``n`` (cities), ``ci_method`` and, when fitted, ``delta``."""
        import pandas as pd

        row = {"model": self.parameters["fluctuation"], "beta": self.beta, "ci_low": self.ci[0], "ci_high": self.ci[1],
               "y0": self.y0, "loglik": self.loglik, "k": int(self.data["k"][0]), "bic": self.bic,
               "p_beta_1": float(self.data["p_beta_1"][0]), "loglik_beta_1": self.loglik_beta_1,
               "n": int(self.data["N"].size),
               "ci_method": self.parameters.get("ci", "wald")}
        if self.delta is not None:
            row["delta"] = self.delta
        return pd.DataFrame([row])

    def plot(self, ax=None):
        """Log-log scatter with the fitted law and the CI band of beta (pivoting at the mean log N)."""
        from urbplex._optional import require
        plt = require("matplotlib.pyplot")

        ax = ax or plt.gca()
        N, Y = self.data["N"], self.data["Y"]
        ax.loglog(N, Y, ".", alpha=0.6, label="cities")
        grid = np.logspace(np.log10(N.min()), np.log10(N.max()), 100)
        ax.loglog(grid, self.predict(grid), "r-", label=f"{self.parameters['fluctuation']}: beta={self.beta:.3f}")
        pivot = np.exp(np.mean(np.log(N)))
        lo, hi = (self.predict(pivot) * (grid / pivot) ** b for b in self.ci)
        ax.fill_between(grid, np.minimum(lo, hi), np.maximum(lo, hi), color="r", alpha=0.2)
        ax.set_xlabel("population N")
        ax.set_ylabel("Y")
        ax.legend()
        return ax


def fit(N, Y, *, model: str = "lognormal", delta=None, ci: str = "robust",
        level: float = 0.95, bootstrap: int = 1000, seed: int = 0) -> ScalingFit:
    """Fit Y = Y0 N^beta.

    ``model``: 'ols' (least squares on logs), 'gaussian' (Var[Y] = gamma
    E[Y]^delta), 'lognormal' (E[Y] = Y0 N^beta and Var[Y] = gamma E[Y]^delta)
    or 'poisson'. ``delta``: a number fixes the variance exponent, 'fit'
    fits it. The defaults are Leitao et al.'s: the Gaussian fits delta, the
    lognormal fixes delta = 2 (a constant variance of log Y); their best model
    for US road miles is ``model='lognormal', delta='fit'``. Log models leave
    out cities with Y = 0, with a ``UserWarning`` (counted in
    ``data['dropped_zeros']``). A model needs
    at least k + 2 cities for its k parameters (OLS: 3). ``N`` and ``Y`` are
    arrays paired by position, or pandas Series paired by their index as
    pandas would (different cities are an error, not a silent shift).

    ``ci``:

    - 'robust' (default): the approximate jackknife (each city's
      leave-one-out change by one Newton step; exact for least squares with
      the variance held fixed; on US GDP's OLS fit 1% from the exact one),
      which stays honest when the fluctuation model is wrong, e.g. a Poisson
      or Gaussian model on lognormal data, and, unlike the Huber-White
      sandwich, also when a few large cities carry the fit; with a t
      quantile whose degrees of freedom are the number of cities that carry
      the fit (Bell-McCaffrey's Satterthwaite approximation, ``data['ci_df']``:
      ~7 for a Poisson fit on the US metros, where the normal quantile
      covered 89-91%). Where fewer than 4 cities carry the fit (one city
      holds a large share of the weight), the jackknife refits the model
      without each city instead of taking one Newton step (which overshoots
      there), and the degrees of freedom are floored at 3 (an estimate of
      1-2 is noise, and t = 12.7 at df = 1 made intervals of beta +- 9).
      Simulated coverage of the 95% interval (lognormal data, 200
      replicates): the Gaussian model 95-98%; the Poisson model 93-96% on
      log-uniform sizes and on the 381 US metros' sizes, 96% on 100 urban
      areas of which the largest holds 15% of the population (London among
      the UK's largest), 92.5% on 100 Zipf-distributed sizes, where the fit
      rests on about two cities (the sandwich: 80-86% and 50-56%);
    - 'wald': the observed information, exact only when the model is right;
    - 'profile': the profile likelihood, ditto; a side it does not bound
      within beta +- 20 (too few cities, too much scatter) is -inf or inf,
      with a ``UserWarning``;
    - 'bootstrap': resampling cities (``bootstrap`` replicates, ``seed``).

    ``parameters['ci']`` says which one a result carries. Also reports the
    likelihood-ratio p-value of beta = 1 (``p_beta_1``), which, like 'wald',
    assumes the model.
    """
    if model not in MODELS:
        raise ValueError(f"argument 'model': must be one of {MODELS}, got {model!r}")
    if ci not in ("robust", "wald", "profile", "bootstrap"):
        raise ValueError(f"argument 'ci': must be 'robust', 'wald', 'profile' or 'bootstrap', got {ci!r}")
    level = check_float("level", level, minimum=0.0, maximum=1.0, strict_min=True)
    if isinstance(delta, str):
        if delta != "fit":
            raise ValueError(f"argument 'delta': must be a number or 'fit', got {delta!r}")
        delta = None
    elif delta is not None:
        delta = check_float("delta", delta)
    elif model == "lognormal":
        delta = 2.0
    if delta is not None and model not in ("gaussian", "lognormal"):
        raise ValueError("argument 'delta': only the gaussian and lognormal models have a variance exponent")
    n_arr, y_arr, dropped = _inputs(N, Y, model)
    # log N centred: the intercept then is log E[Y] at the geometric-mean city,
    # nearly uncorrelated with beta, which the optimisers need (uncentred, the
    # simplex crawls along the a-beta ridge: 10^5 evaluations for one fit).
    # Beta, its CIs and the likelihood do not change; theta[0] is shifted back.
    log_n_centre = float(np.mean(np.log(n_arr)))
    lN = np.log(n_arr) - log_n_centre
    ly = np.log(np.where(y_arr > 0, y_arr, 1.0))
    # Start from OLS on the cities with Y > 0.
    pos = y_arr > 0
    b0, a0 = np.polyfit(lN[pos], np.log(y_arr[pos]), 1) if pos.sum() >= 2 else (1.0, np.log(max(y_arr.mean(), 1e-9)))
    resid = np.log(y_arr[pos]) - a0 - b0 * lN[pos] if pos.any() else np.zeros(1)
    s0 = max(float(np.std(resid)), 1e-3)
    if model == "ols" or (model == "lognormal" and delta == 2.0):
        theta0 = np.array([a0 + (s0 ** 2 / 2 if model == "lognormal" else 0.0), b0, np.log(s0)])
    elif model == "lognormal":  # log gamma from the log variance at delta = 2 (then the same model)
        d0 = 2.0 if delta is None else delta
        mu0 = a0 + s0 ** 2 / 2 + b0 * lN
        g0 = float(np.mean(np.log(np.expm1(s0 ** 2)) - (d0 - 2) * mu0))
        theta0 = np.array([a0 + s0 ** 2 / 2, b0, g0] + ([d0] if delta is None else []))
    elif model == "poisson":
        theta0 = np.array([a0, b0])
    else:
        mu0 = np.exp(a0 + b0 * lN)
        d0 = 1.0 if delta is None else delta
        g0 = np.log(max(np.mean((y_arr - mu0) ** 2 / mu0 ** d0), 1e-12))
        theta0 = np.array([a0, b0, g0] + ([d0] if delta is None else []))
    k = theta0.size
    if model != "ols" and n_arr.size < k + 2:  # checked before optimising; OLS's t interval needs only 3
        raise UnidentifiableModel(f"argument 'N': the {model} model has {k} parameters and needs at least {k + 2} "
                                  f"cities with usable Y, got {n_arr.size}")

    def f(t):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            v = _nll(model, t, lN, y_arr, ly, delta)
        return v if np.isfinite(v) else np.inf

    if model == "ols":
        theta = _ols(lN, ly)
    elif model == "poisson":
        theta = _poisson_irls(lN, y_arr, theta0)
    else:
        res = optimize.minimize(f, theta0, method="BFGS", options={"gtol": 1e-8, "maxiter": 2000})
        res2 = optimize.minimize(f, res.x, method="Nelder-Mead",
                                 options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 4000})
        theta = res2.x if res2.fun < res.fun else res.x
    nll = f(theta)
    k = theta.size
    z = stats.norm.ppf(0.5 + level / 2)

    def profile(b):  # min negative log-likelihood with beta fixed
        if model == "ols":  # closed form: a = mean(ly - b lN), s^2 = mean residual^2
            r = ly - b * lN
            return f(np.array([r.mean(), b, 0.5 * np.log(max(np.mean((r - r.mean()) ** 2), 1e-300))]))
        if model == "poisson":  # closed form: exp(a) = sum y / sum N^b
            return f(np.array([np.log(y_arr.sum() / np.exp(b * lN).sum()), b]))
        full = np.empty(theta.size)
        full[1] = b

        def g(t):  # the nuisance parameters around the fixed beta (np.insert costs more than f)
            full[0], full[2:] = t[0], t[1:]
            return f(full)

        # Two starts, the better kept: the nuisance parameters at the estimate, and those of the
        # nearest beta profiled so far (far from the estimate they drift, and a simplex from
        # theta alone stops in a local minimum there: intervals too narrow or bounds made up).
        near = min(profiled, key=lambda known: abs(known - b))
        best = None
        for start in ((profiled[near], profiled[theta1]) if near != theta1 else (profiled[near],)):
            r = optimize.minimize(g, start, method="Nelder-Mead",
                                  options={"xatol": 1e-9, "fatol": 1e-11, "maxiter": 4000})
            if best is None or r.fun < best.fun:
                best = r
        if np.isfinite(best.fun):
            profiled[b] = best.x
        return best.fun

    theta1 = float(theta[1])
    profiled = {theta1: np.delete(theta, 1)}

    nll_beta_1 = profile(1.0)
    p_beta_1 = float(stats.chi2.sf(max(2 * (nll_beta_1 - nll), 0.0), 1))
    if ci == "wald" and model == "ols":  # the classical t interval
        r = ly - theta[0] - theta[1] * lN
        se = np.sqrt(np.sum(r ** 2) / (lN.size - 2) / np.sum((lN - lN.mean()) ** 2))
        t = stats.t.ppf(0.5 + level / 2, lN.size - 2)
        bounds = (theta[1] - t * se, theta[1] + t * se)
        interval = {"se": np.array([se]), "ci_df": np.array([float(lN.size - 2)])}
    elif ci in ("wald", "robust"):
        df = float("inf")
        H = _poisson_hessian(lN, theta) if model == "poisson" else _hessian(f, theta)
        try:
            if ci == "wald":
                cov = np.linalg.inv(H)
            else:
                terms = lambda t: _nll_terms(model, t, lN, y_arr, ly, delta)  # noqa: E731
                with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                    S = _scores(terms, theta)
                    Hs = _term_hessians(terms, theta)
                try:
                    # A t quantile with the cities' effective number as degrees of freedom:
                    # where a few large cities carry the fit the normal one undercovers
                    # (Poisson on the US metros' sizes 89-91%, on Zipf sizes 86%).
                    cov, df = _jackknife(H, S, Hs)
                    if df < SMALL_DF:
                        cov[1, 1] = _exact_jackknife_var(n_arr, y_arr, model, delta, cov[1, 1])
                        df = max(df, DF_FLOOR)
                    z = float(stats.t.ppf(0.5 + level / 2, max(df, 1.0))) if np.isfinite(df) else z
                except np.linalg.LinAlgError:  # a city the fit cannot do without: the plain sandwich
                    cov = _sandwich(H, S)
            se = float(np.sqrt(cov[1, 1])) if cov[1, 1] >= 0 else float("nan")
        except np.linalg.LinAlgError:
            se = float("nan")
        if not np.isfinite(se):
            raise UnidentifiableModel(f"the {model} fit is degenerate: the standard error of beta is not finite "
                             "(the likelihood is flat or unbounded in some parameter); try another model")
        bounds = (theta[1] - z * se, theta[1] + z * se)
        interval = {"se": np.array([se]), "ci_df": np.array([df])}
    elif ci == "profile":
        crit = stats.chi2.ppf(level, 1) / 2
        se_guess = max(abs(theta[1]) * 0.05, 1e-3)

        def edge(sign):
            lo, hi = theta[1], theta[1] + sign * se_guess
            while profile(hi) - nll < crit:
                if abs(hi - theta[1]) > PROFILE_REACH:
                    import warnings

                    warnings.warn(f"scaling.fit: the profile likelihood of the {model} model stays within the "
                                  f"{level:.0%} level beyond beta {hi:+.3g}: the interval is unbounded on that side "
                                  "(too few cities or too much scatter to bound beta)", UserWarning, stacklevel=3)
                    return sign * np.inf
                lo, hi = hi, hi + sign * 2 * abs(hi - theta[1])
            while abs(hi - lo) > 1e-5 * max(1.0, abs(theta[1])):  # 4-5 significant digits
                mid = (lo + hi) / 2
                lo, hi = (mid, hi) if profile(mid) - nll < crit else (lo, mid)
            return (lo + hi) / 2

        bounds = (edge(-1), edge(+1))
    else:
        bootstrap = check_int("bootstrap", bootstrap, minimum=10)
        rng = np.random.default_rng(seed_value(seed))
        idx = rng.integers(0, n_arr.size, size=(bootstrap, n_arr.size))
        betas = []
        for i in idx:  # a resample may not identify beta (one distinct city, or one with Y > 0): left out
            if np.unique(n_arr[i]).size < 2 or (y_arr[i] > 0).sum() < 2:
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    betas.append(fit(n_arr[i], y_arr[i], model=model, delta="fit" if delta is None else delta,
                                     ci="wald").beta if model != "ols" else np.polyfit(lN[i], ly[i], 1)[0])
            except (ValueError, np.linalg.LinAlgError):
                continue
        left_out = bootstrap - len(betas)
        if len(betas) < max(10, bootstrap // 2):
            raise ValueError(f"argument 'ci': only {len(betas)} of {bootstrap} bootstrap resamples identify beta "
                             "(too few cities with Y > 0); use ci='robust' or 'profile'")
        if left_out:
            warnings.warn(f"scaling.fit: {left_out} of {bootstrap} bootstrap resamples could not identify beta "
                          "(too few distinct cities with Y > 0) and were left out", UserWarning, stacklevel=2)
        bounds = tuple(np.quantile(betas, [0.5 - level / 2, 0.5 + level / 2]))
    theta = np.array(theta, dtype=np.float64)
    theta[0] -= theta[1] * log_n_centre
    y0 = float(np.exp(theta[0]))
    data = {"N": n_arr, "Y": y_arr, "beta": np.array([theta[1]]), "y0": np.array([y0]), "ci": np.array(bounds),
            "loglik": np.array([-nll]), "k": np.array([k]), "bic": np.array([k * np.log(n_arr.size) + 2 * nll]),
            "p_beta_1": np.array([p_beta_1]), "loglik_beta_1": np.array([-nll_beta_1]), "theta": theta,
            "dropped_zeros": np.array([dropped])}
    if ci in ("wald", "robust"):
        data.update(interval)  # the standard error of beta and the t quantile's degrees of freedom
    if model == "gaussian" or (model == "lognormal" and delta != 2.0):
        data["delta"] = np.array([theta[3] if delta is None else delta])
        data["gamma"] = np.array([np.exp(theta[2])])
    if model == "ols" or (model == "lognormal" and delta == 2.0):
        data["sigma"] = np.array([np.exp(theta[2])])
    params = {"fluctuation": model, "delta": "fit" if delta is None else delta, "ci": ci, "level": level}
    return ScalingFit(data, model=f"scaling.{model}", parameters=params, seed=seed)


COMPARE_MODELS = ("gaussian", "lognormal", "lognormal (delta free)", "poisson")


def _named_model(name: str, kwargs: dict):
    """The compare model a name stands for: 'gaussian' (delta fitted), 'lognormal'
    (delta = 2), 'poisson', 'ols', or '<model> (delta free)' / '<model> (delta=<x>)'."""
    from ..compare.scaling import ScalingModel

    base, _, spec = name.partition(" (")
    delta = kwargs.get("delta")
    if spec:
        spec = spec.rstrip(")")
        if spec == "delta free":
            delta = "fit"
        elif spec.startswith("delta="):
            delta = float(spec[len("delta="):])
        else:
            raise ValueError(f"argument 'models': cannot read {name!r}; write e.g. 'lognormal (delta free)' "
                             "or 'gaussian (delta=1)'")
    if base not in MODELS:
        raise ValueError(f"argument 'models': unknown model {name!r}; choose from {MODELS} "
                         "with an optional ' (delta free)' or ' (delta=<x>)'")
    options = {k: v for k, v in kwargs.items() if k != "delta"}
    return ScalingModel(base, delta=delta, name=name, **options)


def compare(N, Y, *, models: Sequence[str] = COMPARE_MODELS, **kwargs):
    """Fit several fluctuation models to the same cities; one row per model, sorted by BIC.

    A view of :func:`urbplex.compare.run` on :class:`~urbplex.compare.ScalingData`.
    Names: 'gaussian' (variance exponent fitted), 'lognormal' (delta = 2, a
    constant variance of log Y), 'poisson', 'ols', and any of them with
    ' (delta free)' or ' (delta=<x>)', so fixed and free variance exponents
    rank side by side: the default includes Leitao et al.'s free-delta
    lognormal (their best model for US road miles).

    Models that cannot describe the data (Poisson for non-integer Y) are
    skipped, and so, with a ``UserWarning``, are models with too many
    parameters for the number of cities (k + 2 cities at least: on 3-5
    cities a 4-parameter Gaussian can make its likelihood unbounded and
    would win any ranking) and degenerate fits.

    Likelihoods rank models only on the same cities. Log models (lognormal,
    ols) cannot use cities with Y = 0, so when Y has zeros and a log model is
    compared, every model is fitted to the cities with Y > 0, with a
    ``UserWarning`` saying how many were left out; the table's
    ``dropped_zeros`` column says so too. Fit the count models alone (or
    :func:`fit` with ``model='poisson'``) to keep them.
    """
    import warnings

    import pandas as pd

    from ..compare import run
    from ..compare.scaling import MEASURES, ScalingData

    unknown = sorted(set(kwargs) - {"delta", "ci", "level", "bootstrap", "seed"})
    if unknown:
        raise TypeError(f"compare() got unexpected keyword arguments {unknown} (it takes fit()'s delta, ci, level, "
                        "bootstrap, seed)")
    n_arr, y_arr, index = _paired(N, Y)
    chosen = [_named_model(m, kwargs) for m in models]
    dropped = 0
    if any(m.fluctuation in ("ols", "lognormal") for m in chosen) and n_arr.size == y_arr.size:
        zero = np.isfinite(y_arr) & (y_arr == 0)
        dropped = int(zero.sum())
        if dropped and dropped < y_arr.size:
            where = _where(index, int(np.argmax(zero)))
            warnings.warn(f"compare: {dropped} of {y_arr.size} cities have Y = 0 (e.g. {where}), which a model on "
                          "log Y cannot fit; every model is fitted to the other cities so that their likelihoods "
                          "compare", UserWarning, stacklevel=2)
            keep = ~zero
            if index is None:
                N, Y = n_arr[keep], y_arr[keep]
            else:  # still labelled, so that errors and results name the cities
                N, Y = pd.Series(n_arr[keep], index=index[keep]), pd.Series(y_arr[keep], index=index[keep])
    data = ScalingData(N, Y)
    finite = data.Y[np.isfinite(data.Y)]
    if finite.size and np.any(finite != np.round(finite)):
        chosen = [m for m in chosen if m.fluctuation != "poisson"]  # counts only
    if not chosen:
        raise ValueError("compare: no model could be fitted to these cities")
    board = run(data, chosen, [MEASURES["bic"], MEASURES["loglik"]], skip=(UnidentifiableModel,))
    rows = []
    for name in board.table.index:
        row = board.fitted[name][0].extra["fit"].to_frame()
        row["model"] = name
        row["dropped_zeros"] = dropped
        rows.append(row)
    table = pd.concat(rows, ignore_index=True).sort_values("bic", kind="stable").reset_index(drop=True)
    table["delta_bic"] = table["bic"] - table["bic"].iloc[0]
    return table


def sami(N, Y, fitted: Optional[ScalingFit] = None):
    """Scale-adjusted metropolitan indicators (Bettencourt, Lobo, Strumsky & West, PLoS ONE 5, e13541, 2010).

    xi_i = log(Y_i / (Y0 N_i^beta)) from ``fitted`` (default: OLS on logs),
    with the rank of each city (1 = most above the law). Cities with Y = 0
    have no SAMI (NaN, unranked). Series N and Y are paired by their index,
    which the table keeps (city names label :func:`plot_sami`'s bars).
    """
    import pandas as pd

    n_arr, y_arr, index = _paired(N, Y)
    fitted = fitted or fit(n_arr, y_arr, model="ols")
    with np.errstate(divide="ignore"):
        xi = np.where(y_arr > 0, np.log(np.where(y_arr > 0, y_arr, 1.0) / fitted.predict(n_arr)), np.nan)
    rank = pd.Series(xi).rank(ascending=False, method="min").to_numpy()
    return pd.DataFrame({"N": n_arr, "Y": y_arr, "sami": xi, "rank": rank}, index=index)


def plot_sami(table, *, names=None, top: int = 20, ax=None):
    """Ranking plot of SAMIs (the table from :func:`sami`): the ``top`` cities
    above and below the law as horizontal bars, labelled by ``names``
    (default: the row index)."""
    from urbplex._optional import require
    plt = require("matplotlib.pyplot")
    import pandas as pd

    if top < 1:
        raise ValueError(f"argument 'top': must be at least 1, got {top}")
    t = table.assign(name=list(names) if names is not None else table.index.astype(str)).dropna(subset=["sami"])
    t = t.sort_values("sami", ascending=False)
    shown = t if len(t) <= 2 * top else pd.concat([t.head(top), t.tail(top)])
    ax = ax or plt.gca()
    colors = np.where(shown["sami"].to_numpy() >= 0, "tab:red", "tab:blue")
    ax.barh(np.arange(len(shown))[::-1], shown["sami"].to_numpy(), color=colors)
    ax.set_yticks(np.arange(len(shown))[::-1], labels=shown["name"].astype(str).tolist())
    ax.axvline(0.0, color="k", lw=0.8)
    ax.set_xlabel("SAMI  log(Y / Y0 N^beta)")
    return ax

