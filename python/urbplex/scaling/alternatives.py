"""Alternatives to the power law on the tail x >= xmin, fitted by maximum likelihood, and Vuong's test.

Each alternative is normalised on the tail's own support (CSN 2009, Table 2.1
and Appendix B): on [xmin, inf) for continuous data, and on the integers
>= xmin for discrete data, so that a discrete power law is compared with
discrete alternatives (a continuous density at integer points is biased by
about n_tail (alpha - 1) ln(xmin / (xmin - 1/2)) against the power law):

- exponential: p(x) ~ e^(-lam x); discrete: the geometric law (1 - q) q^(x - xmin), q = e^(-lam);
- lognormal: continuous density; discrete: the mass of [x - 1/2, x + 1/2);
- stretched exponential (Weibull tail), survival S(x) = e^(-lam x^beta):
  density -S'(x); discrete: S(x) - S(x + 1);
- power law with exponential cutoff, x^(-alpha) e^(-lam x): normalised by the
  integral, or by the sum over the integers >= xmin.

All normalisations divide by the alternative's mass on the tail. Vuong
(Econometrica 57, 307, 1989): R = sum of pointwise log-likelihood ratios,
p = erfc(|R| / sqrt(2 n sigma^2)); the normalised ratio R / (sqrt(n) sigma)
is what CSN's Table 6.2 reports.
"""
from __future__ import annotations

import numpy as np
from scipy import integrate, optimize, special, stats


def _maximise(pointwise, start):
    res = optimize.minimize(lambda t: -np.sum(pointwise(t)), start, method="Nelder-Mead",
                            options={"xatol": 1e-9, "fatol": 1e-11, "maxiter": 20000})
    return pointwise(res.x)


def _log_diff(a, b):
    """log(e^a - e^b) for a >= b."""
    return a + np.log1p(-np.exp(np.minimum(b - a, 0.0)))


def _exponential(x, xmin, discrete):
    k = x - xmin
    if discrete:  # geometric on k = 0, 1, ...: q = mean / (1 + mean)
        m = max(np.mean(k), 1e-300)
        q = m / (1 + m)
        return np.log1p(-q) + k * np.log(q)
    lam = 1.0 / max(np.mean(k), 1e-300)
    return np.log(lam) - lam * k


def _lognormal(x, xmin, discrete):
    lx = np.log(x)

    def pointwise(theta):
        mu, log_s = theta
        s = np.exp(log_s)
        if discrete:
            upper = stats.norm.logsf((np.log(x - 0.5) - mu) / s)
            lower = stats.norm.logsf((np.log(x + 0.5) - mu) / s)
            return _log_diff(upper, lower) - stats.norm.logsf((np.log(xmin - 0.5) - mu) / s)
        z0 = (np.log(xmin) - mu) / s
        return -lx - 0.5 * np.log(2 * np.pi) - log_s - 0.5 * ((lx - mu) / s) ** 2 - special.log_ndtr(-z0)

    return _maximise(pointwise, [np.mean(lx), np.log(max(np.std(lx), 1e-3))])


def _stretched_exponential(x, xmin, discrete):
    def pointwise(theta):
        log_lam, log_beta = theta
        lam, beta = np.exp(log_lam), np.exp(log_beta)
        if discrete:
            return _log_diff(-lam * (x ** beta - xmin ** beta), -lam * ((x + 1) ** beta - xmin ** beta))
        return np.log(beta) + np.log(lam) + (beta - 1) * np.log(x) - lam * (x ** beta - xmin ** beta)

    return _maximise(pointwise, [np.log(1.0 / np.mean(x)), 0.0])


def _log_sum_cutoff(alpha, lam, xmin):
    """log sum_{j >= xmin} j^-alpha e^(-lam (j - xmin)): 10^5 terms, then the integral (Euler-Maclaurin)."""
    j = xmin + np.arange(100_000, dtype=np.float64)
    terms = -alpha * np.log(j) - lam * (j - xmin)
    top = terms.max()
    head = np.exp(terms - top).sum()
    end = j[-1] + 0.5
    # The integral from `end`, in s = log(u / end): the integrand decays exponentially in s.
    tail, _ = integrate.quad(lambda v: np.exp((1 - alpha) * (np.log(end) + v) - lam * (end * np.exp(v) - xmin) - top),
                             0, np.inf, limit=200)
    return top + np.log(head + tail)


def _truncated_power_law(x, xmin, alpha0, discrete):
    t = x / xmin

    def pointwise(theta):
        alpha, log_lam = theta
        lam = np.exp(log_lam)  # continuous: in units of 1/xmin; discrete: per unit of x
        if discrete:
            return -alpha * np.log(x) - lam * (x - xmin) - _log_sum_cutoff(alpha, lam, xmin)
        norm, _ = integrate.quad(lambda u: u ** (-alpha) * np.exp(-lam * (u - 1)), 1, np.inf, limit=200)
        return -alpha * np.log(t) - lam * (t - 1) - np.log(norm) - np.log(xmin)

    return _maximise(pointwise, [alpha0, np.log(1e-3 if not discrete else 1e-3 / xmin)])


ALTERNATIVES = ("exponential", "lognormal", "stretched_exponential", "truncated_power_law")


def compare(fit, alternative: str, normalized: bool = False):
    if alternative not in ALTERNATIVES:
        raise ValueError(f"argument 'alternative': must be one of {ALTERNATIVES}, got {alternative!r}")
    x = fit.tail
    discrete = fit.discrete
    l1 = fit.loglik_points()
    if alternative == "exponential":
        l2 = _exponential(x, fit.xmin, discrete)
    elif alternative == "lognormal":
        l2 = _lognormal(x, fit.xmin, discrete)
    elif alternative == "stretched_exponential":
        l2 = _stretched_exponential(x, fit.xmin, discrete)
    else:
        l2 = _truncated_power_law(x, fit.xmin, fit.alpha, discrete)
    d = l1 - l2
    R = float(d.sum())
    sigma = float(d.std())
    if alternative == "truncated_power_law":  # nested: LR test with 1 degree of freedom
        p = float(stats.chi2.sf(2 * abs(R), 1))
    else:
        p = float(special.erfc(abs(R) / (np.sqrt(2 * d.size) * sigma))) if sigma > 0 else 1.0
    if normalized:
        R = R / (np.sqrt(d.size) * sigma) if sigma > 0 else 0.0
    return R, p
