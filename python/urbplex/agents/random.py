"""Counter-based random streams for agent rules.

Every number an agent draws is a pure function of (seed, step, stage,
agent, k), computed with Philox4x32-10 (Salmon, Moraes, Dror & Shaw,
"Parallel random numbers: as easy as 1, 2, 3", SC'11) — the generator
the C++ core uses through Random123. No generator state is shared
between agents, so a run gives the same numbers on any number of threads
and in any agent order. ``k`` numbers the draws an agent makes in one
stage of one step (0, 1, 2, ...): two draws with the same ``k`` are the
same number.

Rules receive ``rng`` (a small array: seed, step, stage) and call
``uniform(rng, i, k)``, ``integers(rng, i, k, n)``, ``normal(rng, i, k)``
or ``exponential(rng, i, k)``; all of them compile under numba and also run
in pure Python.
"""
from __future__ import annotations

import numpy as np

from ._jit import njit

_M0 = np.uint64(0xD2511F53)
_M1 = np.uint64(0xCD9E8D57)
_W0 = np.uint64(0x9E3779B9)
_W1 = np.uint64(0xBB67AE85)
_LO = np.uint64(0xFFFFFFFF)
_S32 = np.uint64(32)
_S11 = np.uint64(11)
_S21 = np.uint64(21)
_S16 = np.uint64(16)
_TWO_M53 = 1.0 / 9007199254740992.0


@njit
def philox4x32(c0, c1, c2, c3, k0, k1):
    """Philox4x32-10 of the counter (c0..c3) under the key (k0, k1); all
    arguments and results are np.uint64 holding 32-bit words."""
    for _ in range(10):
        p0 = _M0 * c0
        p1 = _M1 * c2
        c0, c1, c2, c3 = ((p1 >> _S32) ^ c1 ^ k0) & _LO, p1 & _LO, ((p0 >> _S32) ^ c3 ^ k1) & _LO, p0 & _LO
        k0 = (k0 + _W0) & _LO
        k1 = (k1 + _W1) & _LO
    return c0, c1, c2, c3


def stream(seed: int, step: int, stage: int) -> np.ndarray:
    """The ``rng`` array a rule receives: seed (two 32-bit words), step, stage."""
    seed = int(seed) & 0xFFFFFFFFFFFFFFFF
    return np.array([seed & 0xFFFFFFFF, seed >> 32, int(step) & 0xFFFFFFFF, int(stage) & 0xFFFF],
                    dtype=np.uint64)


@njit
def _words(rng, i, k):
    i = np.uint64(i)
    return philox4x32(i & _LO, ((i >> _S32) & np.uint64(0xFFFF)) | (rng[3] << _S16),
                      np.uint64(k) & _LO, rng[2], rng[0], rng[1])


@njit
def uniform(rng, i, k):
    """A float in [0, 1) (53 random bits): draw ``k`` of agent ``i``."""
    c0, c1, _, _ = _words(rng, i, k)
    return float((c0 << _S21) | (c1 >> _S11)) * _TWO_M53


@njit
def integers(rng, i, k, n):
    """An integer in [0, n): draw ``k`` of agent ``i`` (n < 2**53)."""
    j = int(uniform(rng, i, k) * n)
    return j if j < n else n - 1


@njit
def normal(rng, i, k):
    """A standard normal number (Box–Muller on one Philox block)."""
    c0, c1, c2, c3 = _words(rng, i, k)
    u1 = (float((c0 << _S21) | (c1 >> _S11)) + 1.0) * _TWO_M53  # (0, 1]
    u2 = float((c2 << _S21) | (c3 >> _S11)) * _TWO_M53
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


@njit
def exponential(rng, i, k):
    """An exponential number of mean 1."""
    return -np.log1p(-uniform(rng, i, k))


@njit
def shuffle(rng, ids):
    """Fisher–Yates shuffle of ``ids`` in place, position j drawing with
    counter j (so the order depends on the seed, step and stage only)."""
    for j in range(ids.size - 1, 0, -1):
        r = integers(rng, j, 0, j + 1)
        t = ids[j]
        ids[j] = ids[r]
        ids[r] = t
    return ids


@njit(parallel=False)
def uniform_array(rng, n, k):
    """``uniform(rng, i, k)`` for i = 0..n-1, as an array."""
    out = np.empty(n)
    for i in range(n):
        out[i] = uniform(rng, i, k)
    return out
