"""The parallel runtime seen from Python: how many OpenMP threads urbplex uses.

By default urbplex uses the CPUs this process may run on (its affinity mask,
capped by a cgroup CPU quota), unless ``OMP_NUM_THREADS`` is set. Small calls
run serially, and calls of moderate size run serially while other processes
keep the CPUs busy (see ``include/urbplex/core/parallel.hpp``). Limit it with
:func:`set_num_threads`, the :func:`threads` context manager, or the usual
tools: ``OMP_NUM_THREADS`` and ``threadpoolctl.threadpool_limits`` both work.
"""
from __future__ import annotations

import contextlib
import os
from typing import Iterator

# Sleep instead of spinning after a bounded wait, so that idle OpenMP threads
# give the CPU back on a busy machine. libgomp reads this once, when it loads:
# the package sets it before importing its extension, and an explicit
# OMP_WAIT_POLICY or GOMP_SPINCOUNT of the user's wins. (A libgomp already
# loaded by another package keeps its own setting.)
SPIN_COUNT = "10000"

__all__ = ["set_num_threads", "get_num_threads", "threads"]


def configure_wait_policy(environ=os.environ) -> None:
    """Bound the spin of idle OpenMP threads unless the user chose a wait policy."""
    if "OMP_WAIT_POLICY" not in environ and "GOMP_SPINCOUNT" not in environ:
        environ["GOMP_SPINCOUNT"] = SPIN_COUNT


def _core():
    from . import _core as core

    return core


def set_num_threads(n: int) -> None:
    """Use at most ``n`` threads in every later urbplex call of this process
    (``0`` restores the default: the CPUs this process may use). A request
    above the CPUs this process may use is capped there, with a warning:
    more threads would only wait on each other."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"argument 'n': expected an int, got {type(n).__name__}")
    if n < 0:
        raise ValueError(f"argument 'n': must be >= 1 (or 0 for the default), got {n}")
    cpus = int(_core().available_cpus())
    if n > cpus:
        import warnings

        warnings.warn(f"set_num_threads({n}): this process may use {cpus} CPUs; using {cpus} threads",
                      RuntimeWarning, stacklevel=2)
        n = cpus
    _core().set_num_threads(min(n, 2**31 - 1))


def warn_if_environment_oversubscribes(environ=os.environ) -> None:
    """Say once, at import, when OMP_NUM_THREADS asks for more threads than CPUs (urbplex caps it)."""
    value = environ.get("OMP_NUM_THREADS", "")
    try:
        requested = int(value.split(",")[0])
    except ValueError:
        return
    cpus = int(_core().available_cpus())
    if requested > cpus:
        import warnings

        warnings.warn(f"OMP_NUM_THREADS={value}: this process may use {cpus} CPUs; urbplex uses {cpus} threads",
                      RuntimeWarning, stacklevel=3)


def get_num_threads() -> int:
    """The number of threads the next urbplex call may use."""
    return int(_core().get_num_threads())


@contextlib.contextmanager
def threads(n: int) -> Iterator[None]:
    """``with ux.threads(1): ...`` runs the block with at most ``n`` threads,
    then restores the previous limit."""
    previous = get_num_threads()
    set_num_threads(n)
    try:
        yield
    finally:
        set_num_threads(previous)
