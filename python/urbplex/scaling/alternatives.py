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

All normalisations divide by the alternative's mass on the tail. The
lognormal and the stretched exponential contain a power law as a limit
(sigma -> inf, beta -> 0); that limit is fitted too, and the better of it and
the interior optimum is the alternative's maximum likelihood (an optimiser
that stops on its way to the limit reports a spuriously large R). On
discrete data those limits are discretised continuous power laws, not the
zeta-normalised one, so at a small xmin R can come out a little positive
without being evidence (Moby Dick words, xmin 7: R = 0.96, p = 0.34 against
the stretched exponential). The alternative form f(x) / sum_{k >= xmin} f(k)
contains the zeta law itself, so its maximum likelihood gives R <= 0 against
both: words 0 and 0; CSN's terrorism data (xmin 12) LN -0.277, stretched
exponential -0.276, where this module gives -0.278 (CSN: -0.278) and -0.232,
and CSN print +0.772, which no maximum-likelihood fit of either form can
give. Vuong
(Econometrica 57, 307, 1989): R = sum of pointwise log-likelihood ratios,
p = erfc(|R| / sqrt(2 n sigma^2)); the normalised ratio R / (sqrt(n) sigma)
is what CSN's Table 6.2 reports for the non-nested alternatives; for the
nested truncated power law it reports the raw log-likelihood ratio with the
chi-squared p-value, and so does ``normalized=True`` here.
"""
from __future__ import annotations

import math

import numpy as np
from .._lazy import lazy

# imported on first use: scipy.stats alone costs ~0.3 s at start-up
optimize, special, stats = lazy("scipy.optimize"), lazy("scipy.special"), lazy("scipy.stats")


def _maximise(pointwise, start, weights, maxiter=4000, total=None):
    """Maximum of sum(weights * pointwise(theta)) (or of ``total(theta)``, the same
    sum from sufficient statistics) by Nelder-Mead; returns the argmax."""
    objective = (lambda t: -total(t)) if total is not None else (lambda t: -np.dot(weights, pointwise(t)))
    # Stop when the total changes by less than 1e-9 of itself (1e-5 on Moby Dick
    # words' 11 754): far below what moves R, and above the rounding of a sum of
    # thousands of terms, which an absolute 1e-9 asked the simplex to beat.
    f0 = objective(np.asarray(start, dtype=np.float64))
    fatol = 1e-9 * max(1.0, abs(f0)) if np.isfinite(f0) else 1e-9
    res = optimize.minimize(objective, start, method="Nelder-Mead",
                            options={"xatol": 1e-7, "fatol": fatol, "maxiter": maxiter})
    return res.x


def _newton(total_and_grad, start, max_iter=60):
    """Damped Newton ascent for a 2-parameter total with its analytic gradient:
    the Hessian from differences of the gradient, Levenberg damping where it
    is not negative definite, Armijo backtracking. ~6 iterations of 3
    evaluations, without scipy's per-iteration overhead (which is most of the
    cost on a tail of 50 points). Returns (theta, converged): the argmax, or
    the last iterate when it does not converge."""
    theta = np.asarray(start, dtype=np.float64)
    f, g = total_and_grad(theta)
    g = np.asarray(g, dtype=np.float64)
    if not np.isfinite(f):
        return theta, False
    scale = max(1.0, abs(f))
    for _ in range(max_iter):
        if np.max(np.abs(g)) <= 1e-9 * scale:
            return theta, True
        # Forward differences: their O(h) error only slows the last step, the
        # optimum is set by the analytic gradient.
        h = 1e-6 * (1 + np.abs(theta))
        H = np.empty((2, 2))
        for i in range(2):
            e = np.zeros(2)
            e[i] = h[i]
            H[:, i] = (np.asarray(total_and_grad(theta + e)[1]) - g) / h[i]
        # Solve (A + damping I) step = g, A = -H symmetrised (positive definite near a maximum).
        a, b, c = -H[0, 0], -(H[0, 1] + H[1, 0]) / 2, -H[1, 1]
        damping = 0.0
        while not (a + damping > 0 and (a + damping) * (c + damping) - b * b > 0):
            damping = max(2 * damping, 1e-8 * (1 + abs(a) + abs(b) + abs(c)))
            if damping > 1e30:
                return theta, False
        det = (a + damping) * (c + damping) - b * b
        step = np.array([(c + damping) * g[0] - b * g[1], (a + damping) * g[1] - b * g[0]]) / det
        t, slope = 1.0, float(g @ step)
        for _ in range(40):
            f_new, g_new = total_and_grad(theta + t * step)
            if np.isfinite(f_new) and f_new >= f + 1e-4 * t * slope:
                break
            t /= 2
        else:
            return theta, bool(np.max(np.abs(g)) <= 1e-6 * scale)
        theta, f, g = theta + t * step, f_new, np.asarray(g_new, dtype=np.float64)
        if not np.all(np.isfinite(g)):
            return theta, False
    return theta, False


def _maximise_smooth(total_and_grad, start, fallback, maxiter=4000):
    """Maximum of a smooth total with its analytic gradient: damped Newton,
    then BFGS (~20 evaluations where Nelder-Mead needs ~200) if Newton does
    not converge, then Nelder-Mead on ``fallback`` (the same total) if BFGS
    does not either (``maxiter`` evaluations at most). Returns the argmax."""
    found, converged = _newton(total_and_grad, start)
    if converged:
        return found
    if np.max(np.abs(found)) > 100:
        # Running off to a boundary (sigma -> inf, beta -> 0 or lam -> 0): the
        # supremum is a limit the callers compare separately; a slower search
        # would only creep after it.
        return found

    def objective(t):
        value, grad = total_and_grad(t)
        if not np.isfinite(value):
            return np.inf, np.zeros_like(t)
        return -value, -np.asarray(grad)

    scale = max(1.0, abs(objective(np.asarray(start, float))[0]))
    res = optimize.minimize(objective, np.asarray(start, dtype=np.float64), jac=True, method="BFGS",
                            options={"gtol": 1e-8 * scale, "maxiter": min(maxiter, 200)})
    # status 2 (the line search lost precision) at a vanishing gradient is a converged optimum
    stalled_at_top = res.status == 2 and np.all(np.isfinite(res.jac)) and np.max(np.abs(res.jac)) <= 1e-5 * scale
    if (res.success or stalled_at_top) and np.all(np.isfinite(res.x)):
        return res.x
    res = optimize.minimize(lambda t: -fallback(t), res.x if np.all(np.isfinite(res.x)) else start,
                            method="Nelder-Mead", options={"xatol": 1e-7, "fatol": 1e-9, "maxiter": maxiter})
    return res.x


def _power_law_limit(x, w, xmin, discrete, shift):
    """The power law that the lognormal (sigma -> inf) and the stretched exponential
    (beta -> 0) tend to, fitted by maximum likelihood: the supremum of those
    families when the data are a power law, which no interior optimum reaches.

    Continuous: the power law on [xmin, inf). Discrete: the continuous power
    law binned to the integers, on [x - shift, x + 1 - shift) (lognormal:
    shift 1/2, its bins; stretched exponential: shift 0, survival
    differences S(x) - S(x + 1)).
    """
    if not discrete:
        a = 1.0 + w.sum() / np.dot(w, np.log(x / xmin))
        return np.log(a - 1) - np.log(xmin) - a * np.log(x / xmin), {"alpha": float(a)}
    rel = np.log((x - shift) / (xmin - shift))
    width = np.log1p(1.0 / (x - shift))  # log((x + 1 - s) / (x - s)), exact for large x

    def pointwise(a):  # log[(x - s)^(1-a) - (x + 1 - s)^(1-a)] - log (xmin - s)^(1-a)
        return (1 - a) * rel + np.log(-np.expm1((1 - a) * width))

    res = optimize.minimize_scalar(lambda a: -np.dot(w, pointwise(a)), bounds=(1 + 1e-9, 50.0), method="bounded",
                                   options={"xatol": 1e-10})
    return pointwise(res.x), {"alpha": float(res.x)}


def _best(w, *candidates):
    """The (pointwise log-likelihoods, parameters) with the largest total."""
    return max(candidates, key=lambda c: np.dot(w, c[0]) if np.all(np.isfinite(c[0])) else -np.inf)


def _log_diff(a, b):
    """log(e^a - e^b) for a >= b."""
    return a + np.log1p(-np.exp(np.minimum(b - a, 0.0)))


def _log_normal_mass(z, dz):
    """log P(z <= Z < z + dz) for a standard normal Z, accurate for any width.

    The difference of two CDFs loses about log10(|z| / dz) digits, all of
    them for the narrow bins of large integers (a count near 10^12 has
    dz ~ 10^-12): there the mass is the integral of the density by a
    three-point Gauss-Legendre rule, whose relative error is about
    (dz (|z| + 3))^6 / 2e6 (the rule's remainder with the sixth derivative
    of the density), below 1e-18 where it is used: dz < 1e-5 (1 + |z|),
    where the difference would keep fewer than ~11 digits, and
    dz (|z| + 3) < 1e-2 (beyond, |z| > 30, the difference keeps enough)."""
    far = np.abs(z)
    narrow = (dz < 1e-5 * (1.0 + far)) & (dz * (far + 3.0) < 1e-2)
    if narrow.all():
        return _log_normal_mass_narrow(z, dz)
    if not narrow.any():
        return _log_normal_mass_wide(z, dz)
    out = np.empty(np.shape(z))
    out[narrow] = _log_normal_mass_narrow(z[narrow], dz[narrow])
    out[~narrow] = _log_normal_mass_wide(z[~narrow], dz[~narrow])
    return out


def _log_normal_mass_narrow(z, dz):
    """(dz / 2) [5/9 phi(m - h) + 8/9 phi(m) + 5/9 phi(m + h)] in logs, m = z + dz / 2,
    h = sqrt(3/5) dz / 2 (Gauss-Legendre), with phi(m) taken out."""
    mid, h = z + dz / 2, np.sqrt(0.6) * dz / 2
    return (np.log(dz / 2) - 0.5 * np.log(2 * np.pi) - 0.5 * mid * mid
            + np.log(8 / 9 + 10 / 9 * np.exp(-0.5 * h * h) * np.cosh(mid * h)))


def _log_normal_mass_wide(z, dz):
    """log[P(Z >= z) - P(Z >= z + dz)] from the upper-tail CDFs in logs (log_ndtr
    keeps the digits of 1 - Phi below the mean too)."""
    return _log_diff(special.log_ndtr(-z), special.log_ndtr(-(z + dz)))


def _exponential(x, w, xmin, discrete):
    k = x - xmin
    mean = max(np.dot(w, k) / w.sum(), 1e-300)
    if discrete:  # geometric on k = 0, 1, ...: q = mean / (1 + mean), in logs that stay exact for a large mean
        # P(k) = (1 - e^-lam) e^(-lam k) with lam = log(1 + 1/mean)
        return -np.log1p(mean) - k * np.log1p(1.0 / mean), {"lambda": float(np.log1p(1.0 / mean))}
    lam = 1.0 / mean
    return np.log(lam) - lam * k, {"lambda": float(lam)}


def _lognormal(x, w, xmin, discrete):
    lx = np.log(x)
    if discrete:
        l_lo, l_min = np.log(x - 0.5), np.log(xmin - 0.5)
        l_width = np.log1p(1.0 / (x - 0.5))  # log((x + 1/2) / (x - 1/2)), exact for large x

    def pointwise(theta):
        mu, log_s = theta
        s = np.exp(log_s)
        if discrete:  # log P(x - 1/2 <= X < x + 1/2) - log P(X >= xmin - 1/2)
            return _log_normal_mass((l_lo - mu) / s, l_width / s) - special.log_ndtr(-(l_min - mu) / s)
        z0 = (np.log(xmin) - mu) / s
        return -lx - 0.5 * np.log(2 * np.pi) - log_s - 0.5 * ((lx - mu) / s) ** 2 - special.log_ndtr(-z0)

    n = w.sum()
    mean = np.dot(w, lx) / n
    var = np.dot(w, (lx - mean) ** 2) / n
    total = None
    if not discrete:  # the sum needs only n, sum log x and sum (log x - mu)^2 = n (var + (mean - mu)^2)
        const = -np.dot(w, lx) - 0.5 * n * np.log(2 * np.pi)

        def total(theta):
            return total_and_grad(theta)[0]

        def total_and_grad(theta):
            mu, log_s = theta
            s = np.exp(log_s)
            z0 = (np.log(xmin) - mu) / s
            spread = (var + (mean - mu) ** 2) / (s * s)
            tail = special.log_ndtr(-z0)
            # d/dz log Phi(-z) = -phi(z) / Phi(-z)
            dtail = -np.exp(-0.5 * z0 * z0 - 0.5 * np.log(2 * np.pi) - tail)
            value = const - n * log_s - 0.5 * n * spread - n * tail
            return value, (n * (mean - mu) / (s * s) + n * dtail / s, -n + n * spread + n * dtail * z0)

    start = [mean, np.log(max(np.sqrt(var), 1e-3))]
    # When the data are a power law the maximum lies at sigma -> inf: the interior
    # search is capped and compared with that limit.
    if not discrete:
        mu, log_s = _maximise_smooth(total_and_grad, start, total, maxiter=400)
        interior = (pointwise([mu, log_s]), {"mu": float(mu), "sigma": float(np.exp(log_s))})
    else:
        # In (k, log sigma), mu = -k sigma^2, the ridge towards the power law x^-(1 + k)
        # is straight: the simplex walks it instead of creeping along the parabola
        # mu ~ -k sigma^2 (Moby Dick words: 272 evaluations to a higher maximum, where
        # (mu, log sigma) stopped at the 400-iteration cap after 735).
        def along_ridge(theta):
            k, log_s = theta
            return pointwise([-k * np.exp(2 * log_s), log_s])

        k, log_s = _maximise(along_ridge, [-start[0] / np.exp(2 * start[1]), start[1]], w, maxiter=400)
        interior = (along_ridge([k, log_s]), {"mu": float(-k * np.exp(2 * log_s)), "sigma": float(np.exp(log_s))})
    limit, power = _power_law_limit(x, w, xmin, discrete, 0.5)
    # sigma -> inf with mu = -(alpha - 1) sigma^2: the power law with that alpha
    return _best(w, interior, (limit, {"mu": -np.inf, "sigma": np.inf, **power}))


def _stretched_exponential(x, w, xmin, discrete):
    lx, lxmin = np.log(x), np.log(xmin)
    lstep = np.log1p(1.0 / x)  # log((x + 1) / x), exact for large x

    def pointwise(theta):
        log_lam, log_beta = theta
        lam, beta = np.exp(log_lam), np.exp(log_beta)
        xminb = np.exp(beta * lxmin)
        above = xminb * np.expm1(beta * (lx - lxmin))  # x^beta - xmin^beta without cancellation
        if discrete:  # log[S(x) - S(x + 1)], S(x + 1) / S(x) = e^(-lam ((x + 1)^beta - x^beta))
            step = np.exp(beta * lx) * np.expm1(beta * lstep)
            return -lam * above + np.log(-np.expm1(-lam * step))
        return np.log(beta) + np.log(lam) + (beta - 1) * lx - lam * above

    start = [np.log(w.sum() / np.dot(w, x)), 0.0]
    limit, power = _power_law_limit(x, w, xmin, discrete, 0.0)
    limit = (limit, {"lambda": np.inf, "beta": 0.0, **power})  # beta -> 0: a power law
    if discrete:
        log_lam, log_beta = _maximise(pointwise, start, w, maxiter=400)
        interior = (pointwise([log_lam, log_beta]), {"lambda": float(np.exp(log_lam)), "beta": float(np.exp(log_beta))})
        return _best(w, interior, limit)

    # Continuous: in u = x / xmin, S(u) = e^(-k (u^beta - 1)) with k = lam xmin^beta, which
    # decorrelates the two parameters; the total needs sum log u and sum u^beta (log u).
    lu = lx - lxmin
    n, s_lu = w.sum(), np.dot(w, lu)

    def total_and_grad(theta):  # n log(beta k) + (beta - 1) sum log u - k sum (u^beta - 1), minus n log xmin
        log_k, log_beta = theta
        k, beta = np.exp(log_k), np.exp(log_beta)
        ub = np.exp(beta * lu)
        mass = np.dot(w, ub) - n
        value = n * (log_beta + log_k - lxmin) + (beta - 1) * s_lu - k * mass
        return value, (n - k * mass, n + beta * s_lu - k * beta * np.dot(w, ub * lu))

    log_k, log_beta = _maximise_smooth(total_and_grad, [start[0] + lxmin, 0.0], lambda t: total_and_grad(t)[0],
                                       maxiter=400)
    log_lam = log_k - np.exp(log_beta) * lxmin
    interior = (pointwise([log_lam, log_beta]), {"lambda": float(np.exp(log_lam)), "beta": float(np.exp(log_beta))})
    return _best(w, interior, limit)


def _upper_gamma(s, z):
    """Upper incomplete gamma function Gamma(s, z) for s < 1, z > 0 (downward recurrence from (0, 1])."""
    if s >= 1:
        return special.gammaincc(s, z) * special.gamma(s)
    if s == np.floor(s):  # Gamma(0, z) = E1(z), then Gamma(s, z) = (Gamma(s + 1, z) - z^s e^-z) / s
        g, t = special.exp1(z), 0.0
    else:
        t = s + np.floor(-s) + 1  # in (0, 1)
        g = special.gammaincc(t, z) * special.gamma(t)
    while t > s + 0.5:
        t -= 1
        g = (g - z ** t * np.exp(-z)) / t
    return g


_HEAD = 256  # terms summed exactly before the Euler-Maclaurin remainder


def _log_sum_cutoff(alpha, lam, xmin):
    """log sum_{j >= xmin} j^-alpha e^(-lam (j - xmin)).

    The first 256 terms exactly, then the Euler-Maclaurin remainder from A =
    xmin + 256: the integral lam^(alpha-1) e^(lam xmin) Gamma(1 - alpha, lam A)
    plus f(A)/2 - f'(A)/12, whose error is below 1e-12 of the sum.
    """
    j = xmin + np.arange(_HEAD, dtype=np.float64)
    terms = -alpha * np.log(j) - lam * (j - xmin)
    top = terms[0]
    head = np.exp(terms - top).sum()
    A = xmin + _HEAD
    fA = np.exp(-alpha * np.log(A) - lam * (A - xmin) - top)
    with np.errstate(over="ignore", under="ignore", divide="ignore"):
        if lam > 0:  # in units of the first term, xmin^-alpha
            g = _upper_gamma(1 - alpha, lam * A)
            integral = np.exp(lam * xmin + (alpha - 1) * np.log(lam) + np.log(g) - top) if g > 0 else 0.0
        else:
            integral = np.exp((1 - alpha) * np.log(A) - top) / (alpha - 1) if alpha > 1 else np.inf
    if not np.isfinite(integral):  # far out of range: an integral the optimiser should not pick
        return np.inf
    return top + np.log(head + integral + fA / 2 + fA * (alpha / A + lam) / 12)


def _truncated_power_law(x, w, xmin, alpha0, discrete):
    t = x / xmin
    lx, lt = np.log(x), np.log(t)
    n = w.sum()
    # Sufficient statistics: the log-likelihood is linear in sum log x and sum x.
    s_log, s_lin = (np.dot(w, lx), np.dot(w, x - xmin)) if discrete else (np.dot(w, lt), np.dot(w, t - 1))
    log_xmin = math.log(xmin)

    def log_norm(alpha, lam):
        """log of the normaliser, or inf where it diverges."""
        if discrete:
            return _log_sum_cutoff(alpha, lam, xmin)
        # int_1^inf u^-alpha e^(-lam (u - 1)) du = e^lam lam^(alpha - 1) Gamma(1 - alpha, lam), in logs
        # (scalar math: this runs ~30 times per fit)
        if not lam > 0:
            return np.inf
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            g = float(_upper_gamma(1 - alpha, lam))
        if not (g > 0 and math.isfinite(g)):
            return np.inf
        return lam + (alpha - 1) * math.log(lam) + math.log(g) + log_xmin

    def total(theta):
        alpha, log_lam = theta
        lam = np.exp(log_lam)  # continuous: in units of 1/xmin; discrete: per unit of x
        return -alpha * s_log - lam * s_lin - n * log_norm(alpha, lam)

    def pointwise(theta):
        alpha, log_lam = theta
        lam = np.exp(log_lam)
        if discrete:
            return -alpha * lx - lam * (x - xmin) - log_norm(alpha, lam)
        return -alpha * lt - lam * (t - 1) - log_norm(alpha, lam)

    start = [alpha0, np.log(1e-3 if not discrete else 1e-3 / xmin)]

    def fitted(theta):  # lambda per unit of x in both cases
        alpha, log_lam = theta
        lam = float(np.exp(log_lam)) if discrete else float(np.exp(log_lam)) / xmin
        return pointwise(theta), {"alpha": float(alpha), "lambda": lam}

    if discrete:
        return fitted(_maximise(pointwise, start, w, total=total))

    def total_and_grad(theta):
        # d/dlam log N(alpha, lam) = 1 - N(alpha - 1, lam) / N(alpha, lam) (in units of xmin:
        # int (u - 1) u^-alpha e^-lam(u-1) = N(alpha - 1) - N(alpha)); d/dalpha by a central
        # difference of the closed form (no closed form for the derivative of Gamma(s, z) in s).
        alpha, log_lam = theta
        lam = np.exp(log_lam)
        value = total(theta)
        if not np.isfinite(value):
            return value, (0.0, 0.0)
        h = 1e-6
        d_alpha = -s_log - n * (log_norm(alpha + h, lam) - log_norm(alpha - h, lam)) / (2 * h)
        ratio = np.exp(log_norm(alpha - 1, lam) - log_norm(alpha, lam))
        d_lam = -s_lin - n * (1 - ratio)
        return value, (d_alpha, lam * d_lam)

    return fitted(_maximise_smooth(total_and_grad, start, total))


ALTERNATIVES = ("exponential", "lognormal", "stretched_exponential", "truncated_power_law")


def fit_alternative(fit, alternative: str):
    """Maximum-likelihood fit of ``alternative`` to the tail of a power-law ``fit``
    (same x_min): ``(params, loglik)``. Parameters: exponential ``lambda``;
    lognormal ``mu``, ``sigma`` (of log x; mu = -inf, sigma = inf and the power
    law's ``alpha`` when the supremum is the power law itself);
    stretched exponential ``lambda``, ``beta`` (beta = 0 and ``alpha`` in the
    power-law limit); truncated power law ``alpha``, ``lambda`` (per unit of x;
    0 when the pure power law is best)."""
    _, params, w, l2 = _alternative(fit, alternative)
    return params, float(np.dot(w, l2))


def _alternative(fit, alternative: str):
    if alternative not in ALTERNATIVES:
        raise ValueError(f"argument 'alternative': must be one of {ALTERNATIVES}, got {alternative!r}")
    # Every model is evaluated once per distinct tail value, weighted by its count.
    x, w = np.unique(fit.tail, return_counts=True)
    w = w.astype(np.float64)
    discrete = fit.discrete
    l1 = fit.loglik_points(x)
    if alternative == "exponential":
        l2, params = _exponential(x, w, fit.xmin, discrete)
    elif alternative == "lognormal":
        l2, params = _lognormal(x, w, fit.xmin, discrete)
    elif alternative == "stretched_exponential":
        l2, params = _stretched_exponential(x, w, fit.xmin, discrete)
    else:
        # The power law is its lam -> 0 limit, where a gradient search in log lam stalls short.
        l2, params = _best(w, _truncated_power_law(x, w, fit.xmin, fit.alpha, discrete),
                           (l1, {"alpha": float(fit.alpha), "lambda": 0.0}))
    return l1, params, w, l2


def compare(fit, alternative: str, normalized: bool = False):
    """Vuong's likelihood-ratio test of the power-law fit against ``alternative`` (Clauset,
    Shalizi & Newman 2009, sec. 5): (R, p), R > 0 favouring the power law; nested
    (truncated power law): the chi-square test with one degree of freedom."""
    l1, _, w, l2 = _alternative(fit, alternative)
    n = w.sum()
    d = l1 - l2
    if np.max(np.abs(d)) <= 1e-9 * (1.0 + np.max(np.abs(l1))):
        # The alternative's maximum is the power law itself (its limit, on
        # continuous data): the two are the same distribution.
        return 0.0, 1.0
    R = float(np.dot(w, d))
    sigma = float(np.sqrt(np.dot(w, (d - R / n) ** 2) / n))
    if alternative == "truncated_power_law":  # nested: LR test with 1 degree of freedom
        p = float(stats.chi2.sf(2 * abs(R), 1))
    else:
        p = float(special.erfc(abs(R) / (np.sqrt(2 * n) * sigma))) if sigma > 0 else 1.0
    if normalized and alternative != "truncated_power_law":
        R = R / (np.sqrt(n) * sigma) if sigma > 0 else 0.0
    return R, p
