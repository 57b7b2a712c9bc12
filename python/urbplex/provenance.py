"""Provenance of stored objects: environment versions, graph fingerprints and lineage.

Every object the store writes carries, in its ``meta`` attribute (JSON):

- ``environment``: the versions of urbplex, Python, numpy, pandas, scipy and
  the HDF5 library, the platform and the thread count;
- graphs and hierarchies: a ``fingerprint`` of their content (topology and
  every attribute column), the CRS and the ``units`` of their attributes;
- runs: the ``lineage`` (what the run was computed on: each input graph's
  fingerprint, size, hierarchy level and, when it was loaded from or saved to
  a store, its file and name) and the ``units`` of the result arrays.

Two objects with the same fingerprint hold the same data, so a run can be
traced to the graph it was computed on, and a hierarchy whose level 0 is a
stored graph refers to it instead of storing it twice.
"""
from __future__ import annotations

import functools
import hashlib
import platform
from typing import TYPE_CHECKING, Any, Callable, Optional, TypeVar

if TYPE_CHECKING:  # typing.ParamSpec is 3.10+; only type checkers read these (annotations are strings)
    from typing import ParamSpec

    P = ParamSpec("P")
R = TypeVar("R")

import numpy as np

from . import _core


def environment() -> dict:
    """Versions of the software a result was computed with."""
    import pandas
    import scipy

    from . import __version__

    return {"urbplex": __version__, "git_describe": str(_core.git_describe), "python": platform.python_version(),
            "numpy": np.__version__, "pandas": pandas.__version__, "scipy": scipy.__version__,
            "hdf5": _core.hdf5_version(), "platform": platform.platform(), "threads": _core.get_num_threads()}


def fingerprint(graph) -> str:
    """A 128-bit content hash (hex) of a Graph: direction, edges and every
    attribute column with its type and categories (not labels or CRS).
    Cached on the Graph, which is immutable."""
    cached = getattr(graph, "_fingerprint", None)
    if cached is not None:
        return cached
    h = hashlib.blake2b(digest_size=16)
    native = graph._g
    h.update(np.array([native.n, native.m, int(native.directed)], dtype=np.uint64).tobytes())
    h.update(np.ascontiguousarray(native.edge_sources).tobytes())
    h.update(np.ascontiguousarray(native.edge_targets).tobytes())
    for kind, names, raw, info in (("node", native.node_attribute_names, native.node_attribute, native.node_attribute_type),
                                   ("edge", native.edge_attribute_names, native.edge_attribute, native.edge_attribute_type)):
        for name in sorted(names):  # the store lists attributes by name, not in the order they were added
            type_name, categories, _ = info(name)
            h.update(f"{kind}:{name}:{type_name}:{len(categories)}".encode())
            for c in categories:
                h.update(c.encode() + b"\0")
            h.update(np.ascontiguousarray(raw(name)).tobytes())
    graph._fingerprint = h.hexdigest()
    return graph._fingerprint


def lineage_of(obj, level: Optional[int] = None) -> Optional[dict]:
    """What a run computed on ``obj`` (a Graph, a Hierarchy level, or Locations
    built from one) came from; None for other inputs."""
    from .graph import Graph
    from .hierarchy import Hierarchy

    if isinstance(obj, Graph):
        out = {"kind": "graph", "n": obj.n, "m": obj.m, "directed": obj.directed, "fingerprint": fingerprint(obj)}
        if obj.crs:
            out["crs"] = obj.crs
        if getattr(obj, "_origin", None):
            out["stored"] = obj._origin
        return out
    if isinstance(obj, Hierarchy):
        k = 0 if level is None else int(level)
        out = lineage_of(obj.level(k))
        cache = obj._fingerprints  # h.level(k) is a new Graph each call: keep the hashes on the Hierarchy
        cache[k] = out["fingerprint"]
        if 0 not in cache:
            cache[0] = fingerprint(obj.level(0))
        out.update(kind="hierarchy level", level=k, levels=obj.num_levels, base_fingerprint=cache[0])
        if getattr(obj, "_origin", None):
            out["stored"] = obj._origin
        else:
            out.pop("stored", None)
        return out
    source = getattr(obj, "lineage", None)
    return dict(source) if isinstance(source, dict) else None


def records_lineage(fn: "Callable[P, R]") -> "Callable[P, R]":
    """Decorator for a model function: the RunResult it returns gets the lineage
    of its graph-like arguments (positional or keyword; ``level=`` picks a
    Hierarchy level). The signature is kept for type checkers (ParamSpec):
    pyright flags ``site(g, realizationz=3)``."""

    @functools.wraps(fn)
    def wrapper(*args: "P.args", **kwargs: "P.kwargs") -> "R":
        result = fn(*args, **kwargs)
        if getattr(result, "lineage", None):
            return result
        level = kwargs.get("level")
        inputs = [lineage_of(a, level) for a in list(args) + [v for k, v in kwargs.items() if k != "level"]]
        inputs = [i for i in inputs if i]
        if inputs and hasattr(result, "lineage"):
            result.lineage = {"inputs": inputs}
        return result

    return wrapper


def describe(meta: Any) -> str:
    """One line of a lineage for ``python -m urbplex info``."""
    if not isinstance(meta, dict) or not meta.get("inputs"):
        return "-"
    parts = []
    for i in meta["inputs"]:
        where = f" from {i['stored']}" if i.get("stored") else ""
        level = f" level {i['level']}" if "level" in i else ""
        parts.append(f"{i.get('kind', '?')}{level} n={i.get('n')} m={i.get('m')} #{str(i.get('fingerprint', ''))[:12]}"
                     f"{where}")
    return "; ".join(parts)
