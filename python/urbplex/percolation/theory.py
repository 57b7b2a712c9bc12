"""Generating-function theory of percolation on configuration-model graphs.

D. S. Callaway, M. E. J. Newman, S. H. Strogatz & D. J. Watts, "Network
robustness and fragility: percolation on random graphs", PRL 85, 5468 (2000);
M. E. J. Newman, S. H. Strogatz & D. J. Watts, PRE 64, 026118 (2001).

With G0(x) = sum_k p_k x^k and G1(x) = G0'(x) / G0'(1), occupying each
vertex (site) or edge (bond) with probability phi gives a giant component

    site:  S = phi * (1 - G0(u)),   u = 1 - phi + phi * G1(u)
    bond:  S = 1 - G0(u),           u = 1 - phi + phi * G1(u)

with threshold phi_c = G0'(1) / G0''(1) = <k> / (<k^2> - <k>).

Targeted attacks remove the highest-degree vertices first: a degree-dependent
occupation phi_k (Callaway et al. 2000) gives their giant component, threshold
and robustness (R. Cohen, K. Erez, D. ben-Avraham & S. Havlin, PRL 86, 3682,
2001): :func:`attack`, :func:`attack_threshold`, :func:`robustness_attack`.
"""
from __future__ import annotations

from typing import Sequence, Union

import numpy as np
from numpy.typing import ArrayLike


def degree_distribution(degrees) -> np.ndarray:
    """p_k, k = 0..max, from a degree sequence (e.g. ``graph.degree()``)."""
    deg = np.asarray(degrees)
    if deg.ndim != 1 or deg.size == 0:
        raise ValueError("argument 'degrees': expected a non-empty 1-D array")
    if deg.dtype.kind not in "iu" or deg.min() < 0:
        raise ValueError("argument 'degrees': expected non-negative integers")
    return np.bincount(deg.astype(np.int64)) / deg.size


def _pk(distribution) -> np.ndarray:
    pk = np.asarray(distribution, dtype=np.float64)
    if pk.ndim != 1 or pk.size < 2 or np.any(pk < 0) or not np.isclose(pk.sum(), 1.0):
        raise ValueError("argument 'pk': expected probabilities p_0..p_kmax summing to 1")
    if pk[1:].sum() == 0:
        raise ValueError("argument 'pk': all vertices have degree 0")
    return pk


def threshold(pk) -> float:
    """phi_c = <k> / (<k^2> - <k>) (Molloy & Reed 1995; Cohen et al. 2000)."""
    pk = _pk(pk)
    k = np.arange(pk.size)
    m1, m2 = (k * pk).sum(), (k * k * pk).sum()
    return float(m1 / (m2 - m1)) if m2 > m1 else float("inf")


def giant_component(pk, phi: "Union[float, Sequence[float], ArrayLike]", *, kind: str = "site",
                    tol: float = 1e-14, max_iter: int = 200) -> np.ndarray:
    """Expected giant-component fraction S(phi) for a configuration model with degree distribution ``pk``.

    u is the smallest root in [0, 1] of f(u) = 1 - phi + phi G1(u) - u. f is
    convex with f(0) > 0, so Newton's method from u = 0 climbs monotonically
    onto it (quadratically, linearly at phi_c), unlike the plain fixed-point
    iteration, which slows down critically near the threshold.
    """
    if kind not in ("site", "bond"):
        raise ValueError(f"argument 'kind': must be 'site' or 'bond', got {kind!r}")
    pk = _pk(pk)
    phi = np.atleast_1d(np.asarray(phi, dtype=np.float64))
    if np.any((phi < 0) | (phi > 1)):
        raise ValueError("argument 'phi': occupation probabilities must be in [0, 1]")
    k = np.arange(pk.size)
    qk = (k[1:] * pk[1:]) / (k * pk).sum()  # excess-degree distribution, q_{k-1}
    G0 = np.polynomial.polynomial.Polynomial(pk)
    G1 = np.polynomial.polynomial.Polynomial(qk)
    dG1 = G1.deriv()
    u = np.zeros_like(phi)
    for _ in range(max_iter):
        f = 1 - phi + phi * G1(u) - u
        df = phi * dG1(u) - 1
        step = np.where(df < 0, -f / np.where(df < 0, df, -1.0), 1.0 - u)  # df >= 0 only at the root u = 1
        u = np.minimum(u + step, 1.0)
        if np.max(np.abs(step)) < tol:
            break
    S = 1 - G0(u)
    return phi * S if kind == "site" else S


def poisson(mean_degree: float, kmax: int | None = None) -> np.ndarray:
    """p_k of a Poisson degree distribution (the Erdős–Rényi graph)."""
    from math import lgamma, log, exp

    if not mean_degree > 0:
        raise ValueError("argument 'mean_degree': must be > 0")
    kmax = kmax or int(mean_degree + 20 * np.sqrt(mean_degree) + 20)
    pk = np.array([exp(k * log(mean_degree) - mean_degree - lgamma(k + 1)) for k in range(kmax + 1)])
    return pk / pk.sum()


def robustness_random(pk, *, points: int = 20001) -> float:
    """Schneider et al.'s R for random removal in the large-n limit: the integral of S over the removed fraction.

    R = (1/N) sum_Q s(Q) -> integral_0^1 S_site(phi) dphi with phi = 1 - q
    (Schneider, Moreira, Andrade, Havlin & Herrmann, PNAS 108, 3838, 2011).
    """
    phi = np.linspace(0.0, 1.0, points)
    S = giant_component(pk, phi, kind="site")
    return float(np.sum((S[1:] + S[:-1]) / 2 * np.diff(phi)))


def giant_component_occupied(pk, phik, *, tol: float = 1e-14, max_iter: int = 200) -> float:
    """Giant component S when a vertex of degree k is present with probability ``phik[k]``.

    Callaway, Newman, Strogatz & Watts (PRL 85, 5468, 2000), degree-dependent
    site occupation: with F0(x) = sum_k p_k phi_k x^k and
    F1(x) = sum_k k p_k phi_k x^(k-1) / <k>, S = F0(1) - F0(u) where u is the
    smallest root in [0, 1] of u = 1 - F1(1) + F1(u) (Newton from u = 0, as in
    :func:`giant_component`). S is a fraction of all N vertices.
    """
    pk = _pk(pk)
    phik = np.asarray(phik, dtype=np.float64)
    if phik.shape != pk.shape or np.any((phik < 0) | (phik > 1)):
        raise ValueError("argument 'phik': expected one occupation probability in [0, 1] per degree of 'pk'")
    k = np.arange(pk.size)
    F0 = np.polynomial.polynomial.Polynomial(pk * phik)
    F1 = np.polynomial.polynomial.Polynomial((k * pk * phik)[1:] / (k * pk).sum())
    dF1 = F1.deriv()
    u, f1 = 0.0, float(F1(1.0))
    for _ in range(max_iter):
        f = 1 - f1 + F1(u) - u
        df = dF1(u) - 1
        if df >= 0:  # only at u = 1: no giant component
            u = 1.0
            break
        step = -f / df
        u = min(u + step, 1.0)
        if abs(step) < tol:
            break
    return float(F0(1.0) - F0(u))


def attack_occupation(pk, removed: float) -> np.ndarray:
    """phi_k after removing the fraction ``removed`` of vertices with the highest
    initial degree (ties within the cut degree removed at random)."""
    pk = _pk(pk)
    if not 0 <= removed <= 1:
        raise ValueError(f"argument 'removed': must be in [0, 1], got {removed}")
    tail = np.cumsum(pk[::-1])[::-1]  # tail[k] = P(degree >= k)
    phik = np.ones_like(pk)
    above = np.append(tail[1:], 0.0)  # P(degree > k)
    cut = int(np.searchsorted(-above, -removed, side="left"))  # smallest k with P(degree > k) <= removed
    cut = min(cut, pk.size - 1)
    phik[cut + 1:] = 0.0
    if pk[cut] > 0:
        phik[cut] = max(0.0, 1.0 - (removed - above[cut]) / pk[cut])
    return phik


def attack(pk, removed: "Union[float, Sequence[float], ArrayLike]") -> np.ndarray:
    """Giant component S(f) after an initial-degree attack removing fractions ``removed``.

    Cohen, Erez, ben-Avraham & Havlin, "Breakdown of the Internet under
    intentional attack", PRL 86, 3682 (2001), in the degree-dependent
    occupation form of Callaway et al. (2000): phi_k = 1 below the cut degree,
    0 above it (:func:`attack_occupation`).
    """
    f = np.atleast_1d(np.asarray(removed, dtype=np.float64))
    return np.array([giant_component_occupied(pk, attack_occupation(pk, x)) for x in f])


def attack_threshold(pk, *, tol: float = 1e-12) -> float:
    """f_c of the initial-degree attack: the removed fraction where
    sum_k k (k - 1) p_k phi_k / <k> = 1 (Cohen et al. 2001), by bisection."""
    pk = _pk(pk)
    k = np.arange(pk.size)
    mean = (k * pk).sum()

    def branching(f):
        return float((k * (k - 1) * pk * attack_occupation(pk, f)).sum() / mean)

    if branching(0.0) <= 1:
        return 0.0
    lo, hi = 0.0, 1.0
    while hi - lo > tol:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if branching(mid) > 1 else (lo, mid)
    return (lo + hi) / 2


def robustness_attack(pk, *, points: int = 4001) -> float:
    """Schneider et al.'s R for the initial-degree attack in the large-n limit:
    the integral of S(f) over the removed fraction f (Schneider et al., PNAS 108,
    3838, 2011; S from :func:`attack`)."""
    fc = attack_threshold(pk)
    # Dense points up to f_c (S vanishes beyond it), with the kink resolved.
    f = np.linspace(0.0, fc, points)
    S = attack(pk, f)
    return float(np.sum((S[1:] + S[:-1]) / 2 * np.diff(f)))


def _k_core_branch(pk: np.ndarray, k: int, R):
    """Phi(R) = sum_q q p_q / <q> P[Binomial(q - 1, R) >= k - 1] and the core's
    sum_q p_q P[Binomial(q, R) >= k] (Dorogovtsev, Goltsev & Mendes 2006, Eqs. 1-2)."""
    from scipy.stats import binom

    q = np.arange(pk.size)
    R = np.atleast_1d(np.asarray(R, dtype=np.float64))[:, None]
    mean = (q * pk).sum()
    phi = (q * pk / mean * binom.sf(k - 2, np.maximum(q - 1, 0), R) * (q >= 1)).sum(axis=1)
    core = (pk * binom.sf(k - 1, q, R)).sum(axis=1)
    return phi, core


def k_core(pk, k: int, p: "Union[float, Sequence[float], ArrayLike]") -> np.ndarray:
    """Size of the k-core (fraction of all vertices) of a configuration-model graph
    whose vertices are kept with probability ``p``.

    S. N. Dorogovtsev, A. V. Goltsev & J. F. F. Mendes, "k-core organization
    of complex networks", PRL 96, 040601 (2006): R, the probability that an
    edge leads to a vertex with at least k - 1 other edges into the core, is
    the largest root of R = p Phi(R); the core is M = p sum_q p_q P[Bin(q, R) >= k].
    For k >= 3 the root appears with a jump at :func:`k_core_threshold`.
    """
    from scipy.optimize import brentq

    pk = _pk(pk)
    k = int(k)
    if k < 1:
        raise ValueError(f"argument 'k': must be >= 1, got {k}")
    probs = np.atleast_1d(np.asarray(p, dtype=np.float64))
    if np.any(~np.isfinite(probs)) or np.any((probs < 0) | (probs > 1)):
        raise ValueError("argument 'p': expected probabilities in [0, 1]")
    grid = np.linspace(1.0, 1e-9, 4001)
    phi_grid, _ = _k_core_branch(pk, k, grid)
    out = np.zeros(probs.size)
    for i, q in enumerate(probs):
        h = q * phi_grid - grid  # <= 0 at R = 1; the largest root is the first sign change from the top
        up = np.flatnonzero(h >= 0)
        if up.size == 0:
            continue
        j = up[0]
        if j == 0:
            R = 1.0
        else:
            f = lambda r: q * _k_core_branch(pk, k, r)[0][0] - r  # noqa: E731
            R = brentq(f, grid[j], grid[j - 1], xtol=1e-15)
        out[i] = q * _k_core_branch(pk, k, R)[1][0]
    return out if np.ndim(p) else out[0]


def k_core_threshold(pk, k: int) -> tuple:
    """(p_c, M_c): the keep probability where the k-core appears and its size
    there (fraction of all vertices) for a configuration-model graph; p_c =
    min over R of R / Phi(R) (Dorogovtsev, Goltsev & Mendes 2006). For k >= 3
    M_c > 0 (the jump); on 4-regular graphs with k = 3, p_c = 8/9 and M_c = 21/32."""
    from scipy.optimize import minimize_scalar

    pk = _pk(pk)
    k = int(k)
    if k < 2:
        raise ValueError(f"argument 'k': the threshold is defined for k >= 2, got {k}")
    ratio = lambda r: r / max(_k_core_branch(pk, k, r)[0][0], 1e-300)  # noqa: E731
    grid = np.linspace(1e-6, 1.0, 2001)
    phi_grid, _ = _k_core_branch(pk, k, grid)  # the whole grid in one call
    j = int(np.argmin(grid / np.maximum(phi_grid, 1e-300)))
    lo, hi = grid[max(j - 1, 0)], grid[min(j + 1, grid.size - 1)]
    best = minimize_scalar(ratio, bounds=(lo, hi), method="bounded", options={"xatol": 1e-13})
    R = float(best.x)
    pc = float(best.fun)
    if pc > 1:
        return float("inf"), 0.0
    return pc, float(pc * _k_core_branch(pk, k, R)[1][0])
