"""Laplacian renormalization group (Villegas, Gili, Caldarelli & Gabrielli,
"Laplacian renormalization group for heterogeneous networks", Nat. Phys. 19,
445, 2023).

The network density matrix rho(tau) = exp(-tau L) / Z (L = D - A) defines a
von Neumann entropy S(tau) = -Tr rho ln rho and a specific heat
C(tau) = -dS/d ln tau = tau^2 Var_tau(lambda), which is d/2 on a
d-dimensional lattice between the microscopic and the system time scales.
Kadanoff supernodes at scale tau are the connected groups of nodes with
rho_ij >= min(rho_ii, rho_jj).

Spectra are dense (LAPACK through numpy) up to ~10^4 nodes; larger sparse
graphs use exact low modes plus stochastic Lanczos quadrature for the bulk.
"""
from __future__ import annotations

import warnings
from typing import Optional

import numpy as np
from numpy.typing import ArrayLike

from .._graph_arg import graph_of
from .. import _interrupt
from ..result import RunResult, register_result
from .spectral_density import entropy_curves, resolved, spectral_measure
from ..provenance import records_lineage


@records_lineage
def laplacian(graph, *, level: Optional[int] = None, weight: Optional[str] = None, dense: bool = True):
    """Graph Laplacian L = D - A (edge weights from attribute ``weight``, else 1)."""
    import scipy.sparse as sp

    g = graph_of(graph, level)
    s, t = g.edge_sources, g.edge_targets
    w = np.ones(s.size) if weight is None else g.numeric_edge(weight)
    if w.size and (not np.all(np.isfinite(w)) or w.min() < 0):
        raise ValueError(f"argument 'weight': edge weights must be finite and >= 0")
    a = sp.coo_array((np.r_[w, w], (np.r_[s, t], np.r_[t, s])), shape=(g.n, g.n)).tocsr()
    lap = sp.diags_array(np.asarray(a.sum(axis=1)).ravel()) - a
    return lap.toarray() if dense else lap.tocsr()


def _check_size(n: int, max_nodes: int):
    if n > max_nodes:
        raise ValueError(f"the dense Laplacian RG handles up to max_nodes={max_nodes} nodes, got {n} "
                         "(raise max_nodes if the memory allows: 8 n^2 bytes)")


@register_result
class EntropyResult(RunResult):
    """S(tau) and C(tau) of the Laplacian RG."""

    model = "lrg"

    def plateau(self, tau_min: float, tau_max: float) -> float:
        """Median of C(tau) over [tau_min, tau_max]."""
        t, c = self.data["tau"], self.data["specific_heat"]
        m = (t >= tau_min) & (t <= tau_max)
        if not m.any():
            raise ValueError("no tau in [tau_min, tau_max]")
        return float(np.median(c[m]))

    def plot(self, ax=None):
        """Plot the entropy S(tau) and the specific heat C(tau) against tau (matplotlib axes)."""
        from urbplex._optional import require
        plt = require("matplotlib.pyplot")

        ax = ax or plt.gca()
        ax.semilogx(self.data["tau"], self.data["entropy"], label="S / ln N")
        ax.semilogx(self.data["tau"], self.data["specific_heat"], label="C")
        ax.set_xlabel("tau")
        ax.legend()
        return ax


@records_lineage
def entropy(graph, tau: Optional[ArrayLike] = None, *, level: Optional[int] = None,
            weight: Optional[str] = None, max_nodes: int = 12_000, method: str = "auto", probes: int = 24,
            steps: int = 80, deflate: int = 32, seed: int = 0) -> EntropyResult:
    """Von Neumann entropy S(tau) / ln N and specific heat C(tau) = tau^2 Var(lambda) from the spectrum.

    ``method='dense'`` diagonalizes L (LAPACK; up to ``max_nodes``, 8 n^2 bytes).
    ``method='slq'`` handles large sparse graphs: the zero modes and the
    ``deflate`` smallest eigenvalues exactly, the bulk by stochastic Lanczos
    quadrature with ``probes`` random vectors of ``steps`` Lanczos steps
    (Ubaru, Chen & Saad 2017; see :mod:`urbplex.multiscale.spectral_density`).
    ``'auto'`` picks dense up to ``max_nodes`` and slq above.
    """
    g = graph_of(graph, level)
    if method not in ("auto", "dense", "slq"):
        raise ValueError(f"argument 'method': must be 'auto', 'dense' or 'slq', got {method!r}")
    if method == "auto":
        method = "dense" if g.n <= max_nodes else "slq"
    if method == "dense":
        _check_size(g.n, max_nodes)
    if g.n < 2:
        raise ValueError("argument 'graph': needs at least 2 nodes")
    tau = np.logspace(-2, 6, 161) if tau is None else np.asarray(tau, dtype=np.float64)
    if tau.ndim != 1 or not np.all(np.isfinite(tau)) or tau.min() <= 0:
        raise ValueError("argument 'tau': expected positive finite times")
    if method == "dense":
        lam = np.clip(_interrupt.eigvalsh(laplacian(g, weight=weight, dense=False)), 0.0, None)
        S, C = entropy_curves(lam, np.ones(lam.size), tau)
        data = {"eigenvalues": lam}
        params = {"weight": weight, "method": "dense"}
    else:
        for name, value, low in (("probes", probes, 1), ("steps", steps, 2), ("deflate", deflate, 0)):
            if not isinstance(value, (int, np.integer)) or value < low:
                raise ValueError(f"argument '{name}': must be an integer >= {low}, got {value!r}")
        m = spectral_measure(laplacian(g, weight=weight, dense=False), probes=int(probes), steps=int(steps),
                             deflate=int(deflate), seed=seed)
        S, C = entropy_curves(m.nodes, m.weights, tau)
        ok = resolved(m, tau, int(steps), g.n)
        if not ok.all():
            warnings.warn(f"entropy(method='slq'): {int((~ok).sum())} of {tau.size} tau values (from "
                          f"{tau[~ok].min():.3g}) are beyond what {steps} Lanczos steps and {deflate} exact "
                          "eigenvalues resolve; raise steps (reach ~ steps^2 / (2.3 lambda_max)) or deflate. "
                          "See data['resolved'].", UserWarning, stacklevel=2)
        data = {"lowest_eigenvalues": m.exact, "nodes": m.nodes, "weights": m.weights, "resolved": ok}
        params = {"weight": weight, "method": "slq", "probes": int(probes), "steps": int(steps),
                  "deflate": int(deflate)}
    return EntropyResult({"tau": tau, "entropy": S / np.log(g.n), "specific_heat": C, **data},
                         model="lrg", parameters=params, seed=seed)


@records_lineage
def supernodes(graph, tau: float, *, level: Optional[int] = None, weight: Optional[str] = None,
               max_nodes: int = 12_000) -> np.ndarray:
    """Kadanoff supernode label of every node at scale ``tau``.

    i and j are linked when rho_ij >= min(rho_ii, rho_jj); supernodes are the
    connected groups of that relation (never across components of the graph).
    The comparison is made on the spectral sum without the zero mode, rescaled
    by exp(tau lambda_2), so it stays exact where rho itself underflows to 1/N.
    """
    from scipy.sparse.csgraph import connected_components
    import scipy.sparse as sp

    g = graph_of(graph, level)
    _check_size(g.n, max_nodes)
    tau = float(tau)
    if not np.isfinite(tau) or tau <= 0:
        raise ValueError(f"argument 'tau': must be a positive number, got {tau}")
    lap = laplacian(g, weight=weight, dense=False)
    ncomp, comp = connected_components(lap, directed=False)
    labels = np.empty(g.n, dtype=np.int64)
    next_label = 0
    for c in range(ncomp):
        nodes = np.flatnonzero(comp == c)
        if nodes.size == 1:
            labels[nodes] = next_label
            next_label += 1
            continue
        sub = lap[nodes][:, nodes]
        # Without the zero mode (it adds 1/n to every entry), rescaled by exp(tau lambda_2).
        rho = _interrupt.heat_kernel_without_zero_mode(sub, tau)
        diag = np.diag(rho)
        scale = max(np.abs(rho).max(), 1e-300)
        # ties within round-off count as equal
        linked = rho >= np.minimum.outer(diag, diag) - 1e-12 * scale
        k, lab = connected_components(sp.csr_array(linked), directed=False)
        labels[nodes] = lab + next_label
        next_label += k
    return labels
