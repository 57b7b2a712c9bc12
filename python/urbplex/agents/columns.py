"""Agent state as typed columns: one numpy array per attribute, one row per
agent. Agents are added and removed during a run; an agent's id is its row
and stays its own for the whole run (removed rows are marked dead, not
reused), so reporters and errors name agents by stable ids."""
from __future__ import annotations

from collections import namedtuple
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

import numpy as np

_KINDS = {"float": np.float64, "int": np.int64, "bool": np.bool_}
_RESERVED = {"alive", "id"}


def _dtype(spec) -> tuple[np.dtype, Optional[list]]:
    """(dtype, categories) of a column spec: 'float', 'int', 'bool', a numpy
    dtype, or ('category', [labels...])."""
    if isinstance(spec, tuple) and len(spec) == 2 and spec[0] == "category":
        labels = list(spec[1])
        if len(set(labels)) != len(labels) or not labels:
            raise ValueError(f"category labels must be distinct and non-empty, got {labels!r}")
        return np.dtype(np.int8 if len(labels) < 2**7 else np.int32), labels
    if isinstance(spec, str) and spec in _KINDS:
        return np.dtype(_KINDS[spec]), None
    try:
        dt = np.dtype(spec)
    except TypeError:
        raise TypeError(f"column type must be 'float', 'int', 'bool', ('category', labels) or a numeric "
                        f"numpy dtype, got {spec!r}") from None
    if dt.kind not in "fiub":
        raise TypeError(f"column type must be numeric or bool, got {dt}")
    return dt, None


class Agents:
    """A table of agents with typed columns.

    Parameters
    ----------
    columns : mapping
        Column name -> type: ``'float'``, ``'int'``, ``'bool'``, a numeric
        numpy dtype, or ``('category', labels)`` (stored as integer codes into
        ``labels``).
    n : int
        Agents to create now (columns zero-filled, categories at their first
        label).

    Examples
    --------
    >>> a = Agents({"wealth": "float", "kind": ("category", ["red", "blue"])}, n=3)
    >>> ids = a.add(2, wealth=[1.0, 2.0], kind="blue")
    >>> a.remove([0])
    >>> int(a.n_alive)
    4
    """

    def __init__(self, columns: Mapping[str, Any], n: int = 0):
        self._dtypes: dict[str, np.dtype] = {}
        self.categories: dict[str, list] = {}
        for name, spec in columns.items():
            if not str(name).isidentifier() or name in _RESERVED or name.startswith("_"):
                raise ValueError(f"column name {name!r} must be a Python identifier, not starting with '_', "
                                 f"and not one of {sorted(_RESERVED)}")
            dt, labels = _dtype(spec)
            self._dtypes[name] = dt
            if labels is not None:
                self.categories[name] = labels
        self._size = 0
        self._capacity = 0
        self._data: dict[str, np.ndarray] = {}
        self._alive = np.zeros(0, dtype=np.bool_)
        self._grow(max(int(n), 16))
        if n:
            self.add(int(n))

    # -- storage ---------------------------------------------------------
    def _grow(self, need: int) -> None:
        cap = max(need, 2 * self._capacity)
        for name, dt in self._dtypes.items():
            new = np.zeros(cap, dtype=dt)
            if name in self._data:
                new[: self._size] = self._data[name][: self._size]
            self._data[name] = new
        alive = np.zeros(cap, dtype=np.bool_)
        alive[: self._size] = self._alive[: self._size]
        self._alive = alive
        self._capacity = cap

    @property
    def size(self) -> int:
        """Rows used: every agent ever added, dead or alive (ids are 0..size-1)."""
        return self._size

    @property
    def n_alive(self) -> int:
        """Agents alive now."""
        return int(np.count_nonzero(self._alive[: self._size]))

    @property
    def names(self) -> list[str]:
        """Column names, in declaration order."""
        return list(self._dtypes)

    @property
    def dtypes(self) -> dict[str, np.dtype]:
        """Column name -> numpy dtype (categories: their integer codes)."""
        return dict(self._dtypes)

    @property
    def alive(self) -> np.ndarray:
        """Boolean mask of the rows alive (a view: writing False removes the agent)."""
        return self._alive[: self._size]

    @property
    def ids(self) -> np.ndarray:
        """Ids of the agents alive, ascending."""
        return np.flatnonzero(self._alive[: self._size])

    def __len__(self) -> int:
        return self.n_alive

    def __contains__(self, name: str) -> bool:
        return name in self._dtypes

    def __getitem__(self, name: str) -> np.ndarray:
        """The column as a writable view over all rows (dead ones included)."""
        try:
            return self._data[name][: self._size]
        except KeyError:
            raise KeyError(f"no column {name!r}; the columns are {self.names}") from None

    def __setitem__(self, name: str, values) -> None:
        self[name][...] = self._coerce(name, values, self._size)

    def code(self, name: str, label) -> int:
        """The integer code of ``label`` in category column ``name``."""
        labels = self.categories.get(name)
        if labels is None:
            raise TypeError(f"column {name!r} is not a category column")
        try:
            return labels.index(label)
        except ValueError:
            raise ValueError(f"{label!r} is not a category of column {name!r}; they are {labels}") from None

    def _coerce(self, name: str, values, n: int) -> np.ndarray:
        if name not in self._dtypes:
            raise KeyError(f"no column {name!r}; the columns are {self.names}")
        dt = self._dtypes[name]
        labels = self.categories.get(name)
        arr = np.asarray(values)
        if labels is not None and arr.dtype.kind in "OUS":
            arr = np.asarray([self.code(name, v.item()) for v in np.atleast_1d(arr).ravel()]).reshape(arr.shape)
        if arr.ndim == 0:
            arr = np.full(n, arr)
        if arr.shape != (n,):
            raise ValueError(f"column {name!r}: expected {n} values, got shape {arr.shape}")
        if dt.kind in "iub" and arr.dtype.kind == "f":
            if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
                raise TypeError(f"column {name!r} holds {dt} values; got non-integral floats")
        if labels is not None and arr.size and (arr.min() < 0 or arr.max() >= len(labels)):
            raise ValueError(f"column {name!r}: category codes must lie in [0, {len(labels)})")
        return arr.astype(dt, copy=False)

    def add(self, n: int = 1, **values) -> np.ndarray:
        """Add ``n`` agents (column values: scalars or arrays of length n,
        labels for category columns); returns their ids."""
        n = int(n)
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        coerced = {k: self._coerce(k, v, n) for k, v in values.items()}
        if self._size + n > self._capacity:
            self._grow(self._size + n)
        lo, hi = self._size, self._size + n
        for name in self._dtypes:
            self._data[name][lo:hi] = coerced[name] if name in coerced else 0
        self._alive[lo:hi] = True
        self._size = hi
        return np.arange(lo, hi)

    def remove(self, ids: Union[Iterable[int], np.ndarray]) -> None:
        """Remove agents by id (their rows stay, marked dead)."""
        ids = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids)
        if ids.size == 0:
            return
        if ids.dtype.kind not in "iu":
            raise TypeError(f"agent ids must be integers, got {ids.dtype}")
        bad = ids[(ids < 0) | (ids >= self._size)]
        if bad.size:
            raise ValueError(f"no agent with id {int(bad[0])} (ids run 0..{self._size - 1})")
        self._alive[ids] = False

    def columns(self, names: Optional[Sequence[str]] = None):
        """The columns (full capacity) as a namedtuple ``(alive, <names>...)``,
        the form rules receive."""
        names = self.names if names is None else list(names)
        return _tuple_type(tuple(names))(self._alive, *(self._data[k] for k in names))

    def to_frame(self, *, dead: bool = False):
        """The table as a DataFrame indexed by agent id (categories as pandas Categoricals)."""
        import pandas as pd

        rows = np.arange(self._size) if dead else self.ids
        cols: dict[str, Any] = {}
        for name in self._dtypes:
            v = self._data[name][rows]
            if name in self.categories:
                v = pd.Categorical.from_codes(v, categories=self.categories[name])
            cols[name] = v
        if dead:
            cols["alive"] = self._alive[rows]
        return pd.DataFrame(cols, index=pd.Index(rows, name="id"))

    def __repr__(self) -> str:
        return f"Agents(n_alive={self.n_alive}, columns={self.names})"

    def __getstate__(self):
        return {"dtypes": {k: v.str for k, v in self._dtypes.items()}, "categories": self.categories,
                "data": {k: v[: self._size].copy() for k, v in self._data.items()},
                "alive": self._alive[: self._size].copy()}

    def __setstate__(self, state):
        self._dtypes = {k: np.dtype(v) for k, v in state["dtypes"].items()}
        self.categories = state["categories"]
        self._size = self._capacity = len(state["alive"])
        self._data = dict(state["data"])
        self._alive = state["alive"]
        self._grow(max(self._size, 16))


_TYPES: dict = {}


def _tuple_type(names: tuple):
    """One namedtuple class per column set (numba compiles once per class)."""
    t = _TYPES.get(names)
    if t is None:
        t = _TYPES[names] = namedtuple("AgentColumns", ("alive",) + names)
    return t
