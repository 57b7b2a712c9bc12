"""The compiled loops that apply a rule to a chunk of agents (imported only
when numba is there). A failing agent is caught (numba's ``try/except``),
so an exception or an out-of-range index becomes a flag the model turns
into an AgentRuleError naming the agent. The ``try`` sits in a serial
function each parallel block calls: inside a ``prange`` body it would keep
numba from parallelising the loop."""
from __future__ import annotations

from ._jit import numba
from .spaces import SpaceArrays

nb = numba()

#: agents per parallel block (each block runs serially on one thread)
BLOCK = 1024


@nb.njit(nogil=True)
def _block(rule, ids, lo, hi, a, out, base, layers, rng, p, failed):
    # the space is rebuilt here: numba's parallel loop cannot take a tuple
    # nested in a tuple (the layers inside the space) as an argument
    space = SpaceArrays(base[0], base[1], base[2], base[3], base[4], base[5], base[6], base[7], layers)
    for j in range(lo, hi):
        try:
            rule(ids[j], a, out, space, rng, p)
        except Exception:  # noqa: BLE001 - any failure is reported with the agent's id
            failed[j] = 1
            return


@nb.njit(parallel=True, nogil=True)
def run_parallel(rule, ids, lo, hi, a, out, base, layers, rng, p, failed):
    blocks = (hi - lo + BLOCK - 1) // BLOCK
    for b in nb.prange(blocks):
        _block(rule, ids, lo + b * BLOCK, min(hi, lo + (b + 1) * BLOCK), a, out, base, layers, rng, p,
               failed)


@nb.njit(nogil=True)
def run_serial(rule, ids, lo, hi, a, out, space, rng, p):
    for j in range(lo, hi):
        try:
            rule(ids[j], a, out, space, rng, p)
        except Exception:  # noqa: BLE001
            return j
    return -1
