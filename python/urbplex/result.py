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
        _core.save_run(_path(path), _name(name), self.model, params, self.seed,
                       {k: np.ascontiguousarray(v) for k, v in self.data.items()}, bool(overwrite),
                       [k for k in self.data if k in self.compressed], self._meta_json())

    def _meta_json(self) -> str:
        """The run's stored metadata: units, lineage and the environment."""
        from .provenance import environment

        units = {k: v for k, v in dict(self.units).items() if k in self.data}
        return json.dumps(_jsonable({"units": units, "lineage": self.lineage, "environment": environment()}),
                          sort_keys=True)

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
        target = _RESULT_TYPES.get(model) or _RESULT_TYPES.get(model.split(".")[0], cls)
        obj = target.__new__(target)
        RunResult.__init__(obj, data, model=model, parameters=params, seed=seed, meta=meta,
                           lineage=stored.get("lineage") or {}, units=stored.get("units") or {})
        return obj

    def __repr__(self) -> str:
        arrays = ", ".join(f"{k}{tuple(v.shape)}" for k, v in self.data.items())
        return f"{type(self).__name__}(model={self.model!r}, seed={self.seed}, {arrays})"


# model name -> RunResult subclass, so that loading gives back the right type.
_RESULT_TYPES: dict = {}


def register_result(cls):
    """Class decorator: runs whose model is ``cls.model`` (or ``cls.model + '.<variant>'``)
    come back from a store as ``cls``."""
    _RESULT_TYPES[cls.model] = cls
    return cls
