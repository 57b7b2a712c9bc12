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

    def __init__(self, data: Mapping[str, np.ndarray], *, model: Optional[str] = None,
                 parameters: Optional[Mapping[str, Any]] = None, seed: int = 0,
                 meta: Optional[Mapping[str, Any]] = None):
        self.data = {str(k): np.asarray(v) for k, v in data.items()}
        if model is not None:
            self.model = model
        self.parameters = dict(parameters or {})
        self.seed = int(seed)
        self.meta = dict(meta or {})

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
                       [k for k in self.data if k in self.compressed])

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
        target = _RESULT_TYPES.get(model) or _RESULT_TYPES.get(model.split(".")[0], cls)
        obj = target.__new__(target)
        RunResult.__init__(obj, data, model=model, parameters=params, seed=seed, meta=meta)
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
