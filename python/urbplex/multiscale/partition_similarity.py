"""How alike two partitions of the same vertices are: normalized mutual
information (L. Danon, A. Díaz-Guilera, J. Duch & A. Arenas, J. Stat. Mech.
P09008, 2005), the adjusted Rand index (L. Hubert & P. Arabie, J. Classif.
2, 193, 1985) and the variation of information (M. Meilă, J. Multivar. Anal.
98, 873, 2007). Labels may be any hashable values (ints, strings), or a
:class:`~urbplex.multiscale.CommunityResult` (its final level)."""
from __future__ import annotations

import numpy as np


def _labels(name: str, x) -> np.ndarray:
    if hasattr(x, "final") and hasattr(x, "data"):  # a CommunityResult
        x = x.final
    arr = np.asarray(x)
    if arr.ndim != 1:
        raise ValueError(f"argument '{name}': expected one label per vertex (1-D), got shape {arr.shape}")
    if arr.dtype.kind == "f" and np.isnan(arr).any():
        raise ValueError(f"argument '{name}': label of vertex {int(np.flatnonzero(np.isnan(arr))[0])} is NaN")
    if arr.dtype == object and any(v is None for v in arr):
        raise ValueError(f"argument '{name}': label of vertex {next(i for i, v in enumerate(arr) if v is None)} is None")
    _, codes = np.unique(arr, return_inverse=True)
    return codes.ravel()


def _contingency(a, b):
    """Cluster sizes of a, of b, and the sizes of their non-empty intersections."""
    x, y = _labels("a", a), _labels("b", b)
    if x.size != y.size:
        raise ValueError(f"arguments 'a' and 'b': partitions of different sizes ({x.size} and {y.size} vertices)")
    if x.size == 0:
        raise ValueError("arguments 'a' and 'b': the partitions are empty")
    joint = np.unique(x.astype(np.int64) * (int(y.max()) + 1) + y, return_counts=True)[1]
    return np.bincount(x).astype(np.float64), np.bincount(y).astype(np.float64), joint.astype(np.float64), x.size


def _entropies(a, b):
    ca, cb, cab, n = _contingency(a, b)
    h = lambda c: float(-(c / n * np.log(c / n)).sum())  # noqa: E731
    ha, hb, hab = h(ca), h(cb), h(cab)
    return ha, hb, max(ha + hb - hab, 0.0)  # I(A; B) = H(A) + H(B) - H(A, B)


def nmi(a, b) -> float:
    """Normalized mutual information 2 I(A; B) / (H(A) + H(B)) (Danon et al. 2005),
    in [0, 1]; 1 for identical partitions (also when both are a single group).

    Examples
    --------
    >>> from urbplex.multiscale import nmi
    >>> round(nmi([0, 0, 1, 2], [0, 0, 1, 1]), 12)
    0.8
    """
    ha, hb, i = _entropies(a, b)
    if ha + hb == 0:
        return 1.0
    return min(2.0 * i / (ha + hb), 1.0)


def vi(a, b, *, normalized: bool = False) -> float:
    """Variation of information H(A) + H(B) - 2 I(A; B) in nats (Meilă 2007), a
    metric on partitions; ``normalized=True`` divides by log n (range [0, 1]).

    Examples
    --------
    >>> import math
    >>> from urbplex.multiscale import vi
    >>> math.isclose(vi([0, 0, 1, 2], [0, 0, 1, 1]), 0.5 * math.log(2))
    True
    """
    ha, hb, i = _entropies(a, b)
    out = max(ha + hb - 2.0 * i, 0.0)
    if normalized:
        n = _labels("a", a).size
        return out / np.log(n) if n > 1 else 0.0
    return out


def ari(a, b) -> float:
    """Adjusted Rand index (Hubert & Arabie 1985): the Rand index corrected for
    chance; 1 for identical partitions, 0 in expectation for independent ones
    (it can be negative).

    Examples
    --------
    >>> from urbplex.multiscale import ari
    >>> round(ari([0, 0, 1, 2], [0, 0, 1, 1]), 12)   # 4/7
    0.571428571429
    """
    ca, cb, cab, n = _contingency(a, b)
    pairs = lambda c: float((c * (c - 1) / 2).sum())  # noqa: E731
    index, sa, sb = pairs(cab), pairs(ca), pairs(cb)
    expected = sa * sb / (n * (n - 1) / 2) if n > 1 else 0.0
    top = 0.5 * (sa + sb)
    if top == expected:  # both partitions all singletons or both one group
        return 1.0
    return (index - expected) / (top - expected)
