"""RunResult: the arrays a model run produced, with the parameters and seed that made them."""
from __future__ import annotations

import json
from typing import Any, Mapping, Optional

import numpy as np

from . import _core


def _jsonable(value: Any):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


class RunResult:
    """Results of one model run.

    ``data`` maps names to numpy arrays; ``parameters`` holds every argument
    of the run (stored as JSON), ``seed`` its seed. ``to_frame()`` gives the
    1-D arrays of the main length as a DataFrame, ``save()`` writes the run to
    /runs/<name> of an HDF5 store with its provenance (urbplex version, git
    describe of the build, creation time).
    """

    model: str = "run"
    #: data names stored compressed (shuffle + deflate): large, repetitive series.
    compressed: tuple = ()
    #: units of the data arrays by name (subclasses declare theirs); stored with the run.
    units: Mapping[str, str] = {}

    def __init__(self, data: Mapping[str, np.ndarray], *, model: Optional[str] = None,
                 parameters: Optional[Mapping[str, Any]] = None, seed: int = 0,
                 meta: Optional[Mapping[str, Any]] = None, lineage: Optional[Mapping[str, Any]] = None,
                 units: Optional[Mapping[str, str]] = None):
        self.data = {str(k): np.asarray(v) for k, v in data.items()}
        if model is not None:
            self.model = model
        self.parameters = dict(parameters or {})
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= int(seed) < 2**64:
            raise ValueError(f"argument 'seed': must be an integer in [0, 2**64) (it is stored as uint64), "
                             f"got {seed!r}")
        self.seed = int(seed)
        self.meta = dict(meta or {})
        #: what the run was computed on (see :mod:`urbplex.provenance`); set by the model functions.
        self.lineage: dict = dict(lineage or {})
        if units is not None:
            self.units = {**type(self).units, **units}

    def __getitem__(self, key: str) -> np.ndarray:
        return self.data[key]

    def __getattr__(self, key: str):
        data = self.__dict__.get("data")
        if data is not None and key in data:
            return data[key]
        raise AttributeError(key)

    def keys(self):
        """Names of the stored arrays."""
        return self.data.keys()

    def to_frame(self):
        """The 1-D arrays that share the length of the first one, as a DataFrame."""
        import pandas as pd

        cols = {k: v for k, v in self.data.items() if v.ndim == 1}
        if not cols:
            return pd.DataFrame()
        length = next(iter(cols.values())).size
        return pd.DataFrame({k: v for k, v in cols.items() if v.size == length})

    def save(self, path, name: str, *, overwrite: bool = False) -> None:
        """Save to the HDF5 store at ``path`` under /runs/<name> (atomic), with model, parameters, seed and versions."""
        from .io import _name, _path

        params = json.dumps(_jsonable(self.parameters), sort_keys=True)
        arrays, compress = self._stored_arrays()
        _core.save_run(_path(path), _name(name), self.model, params, self.seed, arrays, bool(overwrite),
                       compress, self._meta_json())

    def _stored_arrays(self):
        """The arrays as the store holds them, and the names to compress.

        The store holds numbers only: a 1-D array of strings (node labels,
        city names) is kept as its UTF-8 bytes (``<name>__utf8``, compressed)
        and their offsets (``<name>__utf8_offsets``); :meth:`load` joins them
        back (see :func:`_encode_strings`)."""
        arrays, compress = {}, [k for k in self.data if k in self.compressed]
        for k, v in self.data.items():
            if v.dtype.kind in "UO":
                arrays[k + _UTF8], arrays[k + _UTF8_OFFSETS] = _encode_strings(k, v)
                compress.append(k + _UTF8)
            else:
                arrays[k] = np.ascontiguousarray(v)
        return arrays, compress

    def _meta_json(self) -> str:
        """The run's stored metadata: units, lineage, the environment and
        which arrays are strings."""
        from .provenance import environment

        units = {k: v for k, v in dict(self.units).items() if k in self.data}
        strings = sorted(k for k, v in self.data.items() if v.dtype.kind in "UO")
        return json.dumps(_jsonable({"units": units, "lineage": self.lineage, "environment": environment(),
                                     "strings": strings}), sort_keys=True)

    @classmethod
    def load(cls, path, name: str, *, allow_links: bool = False) -> "RunResult":
        """Load /runs/<name> from the HDF5 store at ``path`` (see :func:`urbplex.io.load_graph`)."""
        from .io import _name, _path

        meta, data = _core.load_run(_path(path), _name(name), allow_links=bool(allow_links))
        meta = dict(meta)
        try:
            params = json.loads(meta.pop("parameters"))
        except json.JSONDecodeError as exc:
            raise OSError(f"run '{name}' in '{path}' is damaged: parameters are not JSON ({exc})") from None
        model = meta.pop("model")
        seed = meta.pop("seed")
        try:
            stored = json.loads(meta.pop("meta", "") or "{}")
        except json.JSONDecodeError as exc:
            raise OSError(f"run '{name}' in '{path}' is damaged: its metadata is not JSON ({exc})") from None
        if not isinstance(stored, dict):
            raise OSError(f"run '{name}' in '{path}' is damaged: its metadata is not a JSON object")
        meta["environment"] = stored.get("environment", {})
        strings = stored.get("strings") or []
        if not (isinstance(strings, list) and all(isinstance(k, str) for k in strings)):
            raise OSError(f"run '{name}' in '{path}' is damaged: its list of string data is not a list of names")
        for k in strings:
            data[k] = _decode_strings(k, data.pop(k + _UTF8, None), data.pop(k + _UTF8_OFFSETS, None), name, path)
        target = _RESULT_TYPES.get(model) or _RESULT_TYPES.get(model.split(".")[0], cls)
        obj = target.__new__(target)
        RunResult.__init__(obj, data, model=model, parameters=params, seed=seed, meta=meta,
                           lineage=stored.get("lineage") or {}, units=stored.get("units") or {})
        return obj

    def __repr__(self) -> str:
        arrays = ", ".join(f"{k}{tuple(v.shape)}" for k, v in self.data.items())
        return f"{type(self).__name__}(model={self.model!r}, seed={self.seed}, {arrays})"


_UTF8, _UTF8_OFFSETS = "__utf8", "__utf8_offsets"


def _encode_strings(name: str, values: np.ndarray):
    """(UTF-8 bytes, offsets) of a 1-D array of strings: string i is bytes[offsets[i]:offsets[i + 1]]."""
    if values.ndim != 1:
        raise TypeError(f"data '{name}': only 1-D arrays of strings can be saved, got shape {values.shape}")
    bad = next((i for i, v in enumerate(values) if not isinstance(v, str)), None)
    if bad is not None:
        raise TypeError(f"data '{name}': element {bad} is {type(values[bad]).__name__}, not str; "
                        "a run saves numbers or strings")
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8).copy(), offsets


def _decode_strings(name: str, raw, offsets, run: str, path) -> np.ndarray:
    """The array of strings :func:`_encode_strings` stored (dtype object, as pandas keeps text)."""
    where = f"run '{run}' in '{path}' is damaged: string data '{name}'"
    if raw is None or offsets is None:
        raise OSError(f"{where} is missing its bytes or offsets")
    offsets = np.asarray(offsets)
    if (raw.dtype != np.uint8 or offsets.ndim != 1 or offsets.size == 0 or offsets[0] != 0
            or offsets[-1] != raw.size or np.any(np.diff(offsets) < 0)):
        raise OSError(f"{where} has inconsistent offsets")
    text = raw.tobytes()
    try:
        return np.array([text[a:b].decode("utf-8") for a, b in zip(offsets[:-1], offsets[1:])], dtype=object)
    except UnicodeDecodeError as exc:
        raise OSError(f"{where} is not UTF-8 ({exc})") from None


# model name -> RunResult subclass, so that loading gives back the right type.
_RESULT_TYPES: dict = {}


def register_result(cls):
    """Class decorator: runs whose model is ``cls.model`` (or ``cls.model + '.<variant>'``)
    come back from a store as ``cls``."""
    _RESULT_TYPES[cls.model] = cls
    return cls
