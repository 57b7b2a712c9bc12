"""Spectral measure of a large sparse graph Laplacian, for traces tr f(L).

tr f(L) ~= sum_k w_k f(theta_k) with nodes theta_k and weights w_k summing to
n. The low end of the spectrum, which dominates exp(-tau L) at large tau, is
exact: one zero per connected component and the ``deflate`` smallest
non-zero eigenvalues (ARPACK shift-invert), each with weight 1. The rest is
stochastic Lanczos quadrature (Ubaru, Chen & Saad, "Fast estimation of
tr(f(A)) via stochastic Lanczos quadrature", SIAM J. Matrix Anal. Appl. 38,
1075, 2017): Rademacher probes projected off the exact eigenvectors, m
Lanczos steps each, Gauss quadrature nodes and weights from the tridiagonal
matrix. Cost: probes x steps sparse products, O(n) memory per probe.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np


class SpectralMeasure(NamedTuple):
    nodes: np.ndarray    # theta_k (>= 0)
    weights: np.ndarray  # w_k, summing to n
    exact: np.ndarray    # the eigenvalues computed exactly (zeros of the components, then the smallest)


def _smallest_eigenpairs(lap, components, count: int, rng):
    """The ``count`` smallest eigenpairs of the PSD Laplacian (shift-invert just below 0)."""
    import scipy.sparse.linalg as sla

    n = lap.shape[0]
    v0 = rng.standard_normal(n)
    vals, vecs = sla.eigsh(lap, k=count, sigma=-1e-3, which="LM", v0=v0, tol=1e-10)
    order = np.argsort(vals)
    vals, vecs = np.clip(vals[order], 0.0, None), vecs[:, order]
    vals[:components] = 0.0  # the null space is exact: one zero mode per component
    return vals, vecs


def spectral_measure(lap, *, probes: int = 24, steps: int = 80, deflate: int = 32, seed: int = 0,
                     block: int = 8) -> SpectralMeasure:
    """Nodes and weights approximating the eigenvalue distribution of the sparse Laplacian ``lap``."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    lap = sp.csr_array(lap, dtype=np.float64)
    n = lap.shape[0]
    rng = np.random.default_rng(seed)
    ncomp, comp = connected_components(lap, directed=False)
    k = ncomp + deflate
    if k + steps + 2 >= n:
        raise ValueError(f"the graph has {n} nodes: too few for the stochastic estimate (use the dense method)")
    exact = None
    if ncomp <= 256:
        import scipy.sparse.linalg as sla

        try:
            exact, basis = _smallest_eigenpairs(lap, ncomp, k, rng)
        except (sla.ArpackNoConvergence, RuntimeError) as exc:
            import warnings

            warnings.warn(f"spectral_measure: the {k} smallest eigenpairs did not converge ({exc}); "
                          "only the zero modes are exact", UserWarning, stacklevel=3)
    if exact is None:  # many components (or no convergence): the null space only, from the component indicators
        sizes = np.bincount(comp).astype(np.float64)
        exact = np.zeros(ncomp)

        def project(M):  # remove each column's mean over every component (no n x components matrix)
            means = np.stack([np.bincount(comp, weights=M[:, c], minlength=ncomp) for c in range(M.shape[1])], axis=1)
            return M - (means / sizes[:, None])[comp]
    else:
        def project(M):
            return M - basis @ (basis.T @ M)
    rest = n - exact.size

    nodes, weights = [], []
    for start in range(0, probes, block):
        p = min(block, probes - start)
        Z = rng.choice(np.array([-1.0, 1.0]), size=(n, p))
        Z = project(Z)
        norms2 = np.einsum("ij,ij->j", Z, Z)
        Q = Z / np.sqrt(norms2)
        Q_prev = np.zeros_like(Q)
        alpha = np.zeros((steps, p))
        beta = np.zeros((steps, p))
        for j in range(steps):
            W = lap @ Q
            alpha[j] = np.einsum("ij,ij->j", Q, W)
            W -= alpha[j] * Q
            if j:
                W -= beta[j - 1] * Q_prev
            W = project(W)  # keep the exact eigenvectors out (round-off brings them back)
            beta[j] = np.sqrt(np.einsum("ij,ij->j", W, W))
            Q_prev, Q = Q, W / np.where(beta[j] > 0, beta[j], 1.0)
        for c in range(p):
            m = steps
            hit = np.flatnonzero(beta[:-1, c] <= 1e-12 * max(1.0, abs(alpha[:, c]).max()))
            if hit.size:  # an invariant subspace: the quadrature is exact with fewer nodes
                m = int(hit[0]) + 1
            T = np.diag(alpha[:m, c]) + np.diag(beta[: m - 1, c], 1) + np.diag(beta[: m - 1, c], -1)
            theta, U = np.linalg.eigh(T)
            nodes.append(np.clip(theta, 0.0, None))
            weights.append(norms2[c] * U[0] ** 2)
    nodes, weights = np.concatenate(nodes), np.concatenate(weights)
    weights *= rest / weights.sum()  # the bulk holds exactly n - (exact) eigenvalues
    return SpectralMeasure(np.r_[exact, nodes], np.r_[np.ones(exact.size), weights], exact)


def resolved(measure: SpectralMeasure, tau: np.ndarray, steps: int, n: int, eps: float = 1e-4) -> np.ndarray:
    """Where the measure resolves exp(-tau L): per tau, True if

    - Gauss quadrature with ``steps`` nodes integrates exp(-tau x) on
      [0, lambda_max] to ~eps: degree 2 steps >= sqrt(tau lambda_max ln(1/eps)),
      i.e. tau <= 4 steps^2 / (lambda_max ln(1/eps)); or
    - the bulk cannot matter: its n - k eigenvalues all exceed the largest
      exact one, so it weighs at most (n - k) exp(-tau lambda_k) <= eps Z_exact.
    """
    lam_max = float(measure.nodes.max())
    ok = tau <= 4.0 * steps ** 2 / (max(lam_max, 1e-300) * np.log(1.0 / eps))
    ex = measure.exact
    if ex.size:
        from scipy.special import logsumexp

        top = ex.max()
        log_z_exact = np.array([logsumexp(-t * (ex - top)) for t in tau])  # scaled by exp(tau top)
        ok |= np.log(n - ex.size) <= np.log(eps) + log_z_exact  # bulk <= (n - k) exp(-tau top), same scale
    return ok


def entropy_curves(nodes: np.ndarray, weights: np.ndarray, tau: np.ndarray):
    """S(tau) = ln Z + tau <lambda> and C(tau) = tau^2 Var(lambda) under p ~ w exp(-tau lambda)."""
    S, C = np.empty(tau.size), np.empty(tau.size)
    shift = nodes.min()
    for i, t in enumerate(tau):
        e = weights * np.exp(-t * (nodes - shift))
        z = e.sum()
        mean = (e * nodes).sum() / z
        S[i] = np.log(z) - t * shift + t * mean
        C[i] = t * t * (e * (nodes - mean) ** 2).sum() / z
    return S, C
