"""Alternatives to the power law on the tail x >= xmin, fitted by maximum likelihood, and Vuong's test.

Each alternative is normalised on [xmin, inf) (CSN 2009, Table 2.1):
exponential, lognormal, stretched exponential (Weibull tail) and power law
with exponential cutoff. Vuong (Econometrica 57, 307, 1989): R = sum of
pointwise log-likelihood ratios, p = erfc(|R| / sqrt(2 n sigma^2)).
"""
from __future__ import annotations

import numpy as np
from scipy import integrate, optimize, special, stats


def _exponential(x, xmin):
    lam = 1.0 / max(np.mean(x - xmin), 1e-300)
    return np.log(lam) - lam * (x - xmin)


def _lognormal(x, xmin):
    lx = np.log(x)

    def pointwise(theta):
        mu, log_s = theta
        s = np.exp(log_s)
        z0 = (np.log(xmin) - mu) / s
        return -lx - 0.5 * np.log(2 * np.pi) - log_s - 0.5 * ((lx - mu) / s) ** 2 - special.log_ndtr(-z0)

    start = [np.mean(lx), np.log(max(np.std(lx), 1e-3))]
    res = optimize.minimize(lambda t: -np.sum(pointwise(t)), start, method="Nelder-Mead",
                            options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 5000})
    return pointwise(res.x)


def _stretched_exponential(x, xmin):
    def pointwise(theta):
        log_lam, log_beta = theta
        lam, beta = np.exp(log_lam), np.exp(log_beta)
        return np.log(beta) + np.log(lam) + (beta - 1) * np.log(x) - lam * (x ** beta - xmin ** beta)

    start = [np.log(1.0 / np.mean(x)), 0.0]
    res = optimize.minimize(lambda t: -np.sum(pointwise(t)), start, method="Nelder-Mead",
                            options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 5000})
    return pointwise(res.x)


def _truncated_power_law(x, xmin, alpha0):
    t = x / xmin

    def pointwise(theta):
        alpha, log_lam = theta
        lam = np.exp(log_lam)  # lam in units of 1/xmin
        norm, _ = integrate.quad(lambda u: u ** (-alpha) * np.exp(-lam * (u - 1)), 1, np.inf, limit=200)
        return -alpha * np.log(t) - lam * (t - 1) - np.log(norm) - np.log(xmin)

    start = [alpha0, np.log(1e-3)]
    res = optimize.minimize(lambda th: -np.sum(pointwise(th)), start, method="Nelder-Mead",
                            options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 5000})
    return pointwise(res.x)


ALTERNATIVES = ("exponential", "lognormal", "stretched_exponential", "truncated_power_law")


def compare(fit, alternative: str):
    if alternative not in ALTERNATIVES:
        raise ValueError(f"argument 'alternative': must be one of {ALTERNATIVES}, got {alternative!r}")
    x = fit.tail
    l1 = fit.loglik_points()
    if alternative == "exponential":
        l2 = _exponential(x, fit.xmin)
    elif alternative == "lognormal":
        l2 = _lognormal(x, fit.xmin)
    elif alternative == "stretched_exponential":
        l2 = _stretched_exponential(x, fit.xmin)
    else:
        l2 = _truncated_power_law(x, fit.xmin, fit.alpha)
    d = l1 - l2
    R = float(d.sum())
    if alternative == "truncated_power_law":  # nested: LR test with 1 degree of freedom
        return R, float(stats.chi2.sf(2 * abs(R), 1))
    sigma = float(d.std())
    p = float(special.erfc(abs(R) / (np.sqrt(2 * d.size) * sigma))) if sigma > 0 else 1.0
    return R, p
