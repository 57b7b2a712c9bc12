"""Argument checks shared by the Python API: clear ValueError/TypeError naming the argument."""
from __future__ import annotations

import numbers

import numpy as np

UINT32_MAX = 2**32 - 1


def check_int(name: str, value, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an int, or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"argument '{name}': expected an integer, got {type(value).__name__} {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"argument '{name}': must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"argument '{name}': must be <= {maximum}, got {value}")
    return value


def check_float(name: str, value, *, minimum: float | None = None, maximum: float | None = None,
                strict_min: bool = False) -> float:
    """Return ``value`` as a finite float within bounds, or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"argument '{name}': expected a number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"argument '{name}': must be finite, got {value}")
    if minimum is not None and (value < minimum or (strict_min and value == minimum)):
        raise ValueError(f"argument '{name}': must be {'>' if strict_min else '>='} {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"argument '{name}': must be <= {maximum}, got {value}")
    return value


def seed_value(seed) -> int:
    """Seeds are integers in [0, 2**64)."""
    return check_int("seed", seed, minimum=0, maximum=2**64 - 1)


def index_array(name: str, values, *, n: int | None = None, allow_empty: bool = True) -> np.ndarray:
    """Vertex ids as a contiguous uint32 array, checked for type, sign and range."""
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"argument '{name}': expected a 1-D array, got shape {arr.shape}")
    if arr.size == 0:
        if not allow_empty:
            raise ValueError(f"argument '{name}': must not be empty")
        return np.zeros(0, dtype=np.uint32)
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.floor(arr)):
            raise ValueError(f"argument '{name}': vertex ids must be whole numbers")
    elif arr.dtype.kind not in "iu":
        raise TypeError(f"argument '{name}': vertex ids must be integers, got dtype {arr.dtype}")
    lo, hi = arr.min(), arr.max()
    if lo < 0:
        raise ValueError(f"argument '{name}': vertex id {lo} at index {int(np.argmin(arr))} is negative")
    limit = UINT32_MAX - 1 if n is None else n - 1
    if hi > limit:
        raise ValueError(f"argument '{name}': vertex id {hi} at index {int(np.argmax(arr))} is out of range"
                         + (f" for n={n}" if n is not None else ""))
    return aligned(arr, np.uint32)


def aligned(values, dtype) -> np.ndarray:
    """A C-contiguous, aligned array of ``dtype`` (a copy only when needed).

    np.ascontiguousarray keeps a misaligned array as it is, and arrays
    unpickled from a byte stream (Dask, pickle protocol 5) can be misaligned:
    the core reads them as typed elements, which needs alignment.
    """
    return np.require(values, dtype=dtype, requirements=["C", "A"])


def float_array(name: str, values, *, size: int | None = None, non_negative: bool = False) -> np.ndarray:
    """A contiguous float64 array, checked for length and finiteness."""
    try:
        arr = np.ascontiguousarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"argument '{name}': expected numbers ({exc})") from None
    if arr.ndim != 1:
        raise ValueError(f"argument '{name}': expected a 1-D array, got shape {arr.shape}")
    if size is not None and arr.size != size:
        raise ValueError(f"argument '{name}': has {arr.size} values, expected {size}")
    bad = ~np.isfinite(arr)
    if bad.any():
        raise ValueError(f"argument '{name}': value at index {int(np.argmax(bad))} is not finite")
    if non_negative and arr.size and arr.min() < 0:
        raise ValueError(f"argument '{name}': value at index {int(np.argmin(arr))} is negative")
    return aligned(arr, np.float64)
