"""numba, the compiler of the user's rules: imported lazily, with a clear
message when it is missing (it is the ``agents`` extra), and a stand-in
decorator so the library's own helpers also run in pure Python (``jit=False``)."""
from __future__ import annotations

from typing import Any, Callable

_MISSING = ("urbplex.agents compiles rules with numba, which is not installed: "
            "pip install 'urbplex[agents]' (or pip install numba), or run the model with jit=False "
            "(pure Python, for debugging)")

try:  # numba is optional: the pure-Python mode works without it
    import numba as _numba
except ImportError:  # pragma: no cover - exercised where numba is absent
    _numba = None


def have_numba() -> bool:
    """True when numba can be imported."""
    return _numba is not None


def numba():
    """The numba module, or ImportError naming the extra that provides it."""
    if _numba is None:
        raise ImportError(_MISSING)
    return _numba


def njit(fn: Callable[..., Any] = None, **options):
    """``numba.njit(cache=False, nogil=True)`` when numba is present, else the
    function itself (still callable, in pure Python)."""
    def wrap(f):
        if _numba is None:
            return f
        return _numba.njit(nogil=True, **options)(f)
    return wrap if fn is None else wrap(fn)


def py_func(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The Python function behind a numba dispatcher (or the function itself)."""
    return getattr(fn, "py_func", fn)
