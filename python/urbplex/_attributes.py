"""Typed node and edge attributes: how Python values map to the core's columns.

The core keeps every column as float64 with a type tag (see
``include/urbplex/core/attributes.hpp``): ``float64``; ``int64`` (exact up to
2**53); ``bool`` (0/1); ``category`` (codes into a list of strings, for OSM
``highway``, ``name``...). NaN marks a missing value in every type. Models read
columns through the core, which refuses missing values and categories with an
error that names the attribute.
"""
from __future__ import annotations

import numpy as np

_INT_EXACT = 2 ** 53


def _is_missing(v) -> bool:
    if v is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(v)) if np.ndim(v) == 0 else False
    except (TypeError, ValueError):
        return False


def encode(kind: str, name: str, values, size: int):
    """(float64 array, type name, categories) for a column of ``size`` values.

    Raises ValueError naming the attribute and the row for a wrong length,
    an infinite number, or an integer too large to be exact in float64.
    """
    import pandas as pd

    arg = f"{kind}_attrs[{name!r}]"
    if isinstance(values, (pd.Series, pd.Index)):
        values = values.array
    if isinstance(values, pd.Categorical) or isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        cat = pd.Categorical(values)
        return _checked_codes(arg, cat, size)
    arr = values if isinstance(values, (np.ndarray, pd.api.extensions.ExtensionArray)) else None
    if arr is None:
        seq = list(values) if not np.isscalar(values) else values
        if np.isscalar(seq):
            raise TypeError(f"argument '{arg}': expected one value per {kind}, got a scalar")
        present = [v for v in seq if not _is_missing(v)]
        if present and all(isinstance(v, (bool, np.bool_)) for v in present):
            arr = pd.array([None if _is_missing(v) else bool(v) for v in seq], dtype="boolean")
        elif present and all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))
                             for v in present):
            arr = pd.array([None if _is_missing(v) else int(v) for v in seq], dtype="Int64")
        elif present and any(isinstance(v, str) for v in present):
            return _checked_codes(arg, pd.Categorical([None if _is_missing(v) else str(v) for v in seq]), size)
        else:
            try:
                arr = np.asarray([np.nan if _is_missing(v) else v for v in seq], dtype=np.float64)
            except (TypeError, ValueError) as exc:
                raise TypeError(f"argument '{arg}': expected numbers, booleans or strings ({exc})") from None
    dtype = arr.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return _checked(arg, _nullable_to_float(arr), size), "bool", []
    if pd.api.types.is_integer_dtype(dtype):
        floats = _nullable_to_float(arr)
        big = np.abs(np.nan_to_num(floats)) > _INT_EXACT
        if big.any():
            raise ValueError(f"argument '{arg}': value at {kind} {int(np.argmax(big))} is beyond 2**53 and would "
                             "not be exact; store it as a string")
        return _checked(arg, floats, size), "int64", []
    if pd.api.types.is_numeric_dtype(dtype):
        return _checked(arg, _nullable_to_float(arr), size), "float64", []
    if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
        return encode(kind, name, list(arr), size)
    raise TypeError(f"argument '{arg}': cannot store values of type {dtype}")


def _nullable_to_float(arr) -> np.ndarray:
    if isinstance(arr, np.ndarray):
        return np.require(arr, dtype=np.float64, requirements=["C", "A"])
    return np.asarray(arr.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)


def _checked(arg: str, floats: np.ndarray, size: int) -> np.ndarray:
    if floats.ndim != 1:
        raise ValueError(f"argument '{arg}': expected a 1-D array, got shape {floats.shape}")
    if floats.size != size:
        raise ValueError(f"argument '{arg}': has {floats.size} values, expected {size}")
    bad = np.isinf(floats)
    if bad.any():
        raise ValueError(f"argument '{arg}': value at index {int(np.argmax(bad))} is not finite")
    return floats


def _checked_codes(arg: str, cat, size: int):
    codes = np.asarray(cat.codes, dtype=np.float64)
    codes[codes < 0] = np.nan
    return _checked(arg, codes, size), "category", [str(c) for c in cat.categories]


def decode(raw: np.ndarray, type_name: str, categories, missing: int):
    """The user's view of a stored column.

    float64: the read-only float array (NaN where missing). int64 and bool:
    an int64 or bool array, or pandas' nullable ``Int64``/``boolean`` array
    when values are missing. category: a ``pandas.Categorical``.
    """
    if type_name == "float64":
        return raw
    import pandas as pd

    if type_name == "category":
        codes = np.where(np.isnan(raw), -1, raw).astype(np.int64)
        return pd.Categorical.from_codes(codes, categories=list(categories))
    target = np.int64 if type_name == "int64" else np.bool_
    if missing == 0:
        out = raw.astype(target)
        out.flags.writeable = False
        return out
    mask = np.isnan(raw)
    if type_name == "int64":
        return pd.arrays.IntegerArray(np.where(mask, 0, raw).astype(np.int64), mask)
    return pd.arrays.BooleanArray(raw == 1.0, mask)
