"""Goodness-of-fit metrics of flow models (off-diagonal entries)."""
from __future__ import annotations

import numpy as np


def _pair(observed, predicted):
    o = np.asarray(observed.toarray() if hasattr(observed, "toarray") else observed, dtype=np.float64)
    p = np.asarray(predicted.toarray() if hasattr(predicted, "toarray") else predicted, dtype=np.float64)
    if o.shape != p.shape or o.ndim != 2 or o.shape[0] != o.shape[1]:
        raise ValueError(f"observed and predicted flows must be square matrices of one shape, got {o.shape} and {p.shape}")
    if not (np.all(np.isfinite(o)) and np.all(np.isfinite(p))):
        raise ValueError("flows must be finite")
    for name, m in (("observed", o), ("predicted", p)):
        if m.min() < 0:
            i, j = np.unravel_index(int(np.argmin(m)), m.shape)
            raise ValueError(f"argument '{name}': flow {i} -> {j} is {m[i, j]} (flows must be >= 0)")
    mask = ~np.eye(o.shape[0], dtype=bool)
    return o[mask], p[mask]


def cpc(observed, predicted) -> float:
    """Common part of commuters, 2 sum min(T, T') / (sum T + sum T') (Lenormand et al. 2012)."""
    o, p = _pair(observed, predicted)
    return float(2 * np.minimum(o, p).sum() / (o.sum() + p.sum()))


def rmse(observed, predicted) -> float:
    """Root-mean-square error between two flow matrices (or arrays)."""
    o, p = _pair(observed, predicted)
    return float(np.sqrt(np.mean((o - p) ** 2)))


def nrmse(observed, predicted) -> float:
    """RMSE divided by the mean observed flow."""
    o, p = _pair(observed, predicted)
    return float(np.sqrt(np.mean((o - p) ** 2)) / o.mean())


def pearson(observed, predicted) -> float:
    """Pearson correlation of two flow matrices' entries."""
    o, p = _pair(observed, predicted)
    return float(np.corrcoef(o, p)[0, 1])


def flow_metrics(observed, predicted) -> dict:
    """CPC, RMSE, NRMSE and Pearson r of ``model`` against ``observed`` flows, as a dict."""
    return {"cpc": cpc(observed, predicted), "rmse": rmse(observed, predicted),
            "nrmse": nrmse(observed, predicted), "pearson": pearson(observed, predicted)}
