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


_NOT_NUMBERS = {"b": "booleans (True/False)", "M": "dates", "m": "durations", "U": "text", "S": "text",
                "c": "complex numbers"}


def as_numbers(name: str, values) -> np.ndarray:
    """``values`` as a float64 array (any shape), refusing what only looks like numbers.

    numpy turns booleans, datetimes (nanoseconds since 1970) and numeric text
    into floats without a word, so a mask, a date column or a column read as
    text ("1.234" in a German file is 1234) would be fitted as data. Those are
    a TypeError naming the argument and the first such entry (by its label for
    a pandas Series). pandas' nullable numbers (Int64, Float64) pass; their NA
    becomes NaN, which the callers report as not finite.
    """
    kind = getattr(getattr(values, "dtype", None), "kind", None)
    if kind in _NOT_NUMBERS:
        raise TypeError(f"argument '{name}': holds {_NOT_NUMBERS[kind]} ({values.dtype}), not numbers"
                        + ("; convert with pd.to_numeric first" if kind in "US" else ""))
    if kind is None:  # a list: one of plain numbers needs no look at each element
        try:
            inferred = np.asarray(values)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"argument '{name}': expected numbers ({exc})") from None
        if inferred.dtype.kind in "iuf":
            return inferred.astype(np.float64)
        if inferred.dtype.kind == "c":
            raise TypeError(f"argument '{name}': holds complex numbers, not real ones")
    if kind is None or kind == "O":  # lists and object columns: look at the elements
        flat = np.asarray(values, dtype=object).ravel()
        labels = values.index if hasattr(values, "to_numpy") and hasattr(values, "index") else None  # pandas
        for i, v in enumerate(flat):
            if isinstance(v, (str, bytes, bool, np.bool_, np.datetime64, np.timedelta64, complex, np.complexfloating)) \
                    or hasattr(v, "isoformat"):
                where = f"label {labels[i]!r}" if labels is not None and len(labels) == flat.size else f"index {i}"
                raise TypeError(f"argument '{name}': {type(v).__name__} {v!r} at {where} is not a number"
                                + ("; convert with pd.to_numeric first" if isinstance(v, (str, bytes)) else ""))
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"argument '{name}': expected numbers ({exc})") from None


def float_array(name: str, values, *, size: int | None = None, non_negative: bool = False) -> np.ndarray:
    """A contiguous float64 array, checked for length and finiteness."""
    arr = np.ascontiguousarray(as_numbers(name, values))
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


def plain(value):
    """A user's id as Python prints it: numpy scalars as plain ints, floats or
    strings (``73``, not ``np.int64(73)``), for error messages."""
    return value.item() if isinstance(value, np.generic) else value
