"""The HDF5 store: graphs, hierarchies and runs with their provenance.

Layout (schema 2), natural to read with h5py. A store is the file you name,
an index, and a folder ``<file>.d`` beside it holding one file per object::

    <file>                 attrs urbplex_version, schema_version, objects ("<file>.d")
    <file>/graphs/<name>   an external link to <file>.d/graphs-<16 hex>.h5:/obj
    <file>/hierarchies/<name>, <file>/runs/<name>: likewise

h5py follows those links like any HDF5 external link
(``h5py.File(path)["runs/x"]``). Each object's group ``/obj`` holds:

    graph                  offsets, targets, edge_ids, edge_source, edge_target
                           (arrays of 64 KiB and more with shuffle + deflate),
                           node/<attr>, edge/<attr> (float64; NaN = missing; a
                           non-float type in the group's attr "type:<attr>"),
                           node_categories/<attr> (a category column's strings,
                           NUL-separated UTF-8); attrs n, directed, meta (JSON:
                           crs, multigraph, labels -> hidden node column __labels__)
    hierarchy              level_<k>/ (a graph, attrs method, scale) + level_<k>/parent;
                           level_0 may instead carry attr graph_ref: the name of
                           an equal graph in graphs/ (stored once); attr meta (JSON)
    run                    result datasets; attrs model, parameters (JSON), seed,
                           created, urbplex_version, git_describe, meta (JSON:
                           units, lineage, environment; see urbplex.provenance),
                           attrs_xxh3_64 (a digest of all of these)

**Moving and sharing.** Move or copy the file *and* its folder together
(``cp -r s.h5 s.h5.d dest/``); renaming the file alone is fine (the index
records its folder). A copy of the file alone shares the folder with the
original, and a save into either that replaces an object removes a file the
other still names: for a copy to share, use :func:`export_store`, which writes
one self-contained file (every object inside it, as schema 1 stored all
stores). Such files, and stores of schema 1, load as they are; the first save
into one moves its objects out into files (once).

**Saves cost the object, not the store.** A save writes the new object's file,
then replaces the small index (a temporary copy renamed over it: a few
hundred bytes per object), then removes the file of an object it replaced, so
saving a small run into a store of many GB takes milliseconds and needs
temporary disk only for the object and the index. A crash, ``kill -9`` or
Ctrl-C at any point leaves the store as it was before or after the save: the
names of the files a save creates or replaces are journaled first
(``<file>.d/.pending``), and the next save removes those the index does not
name. Saves from several processes into one store serialise on an advisory
lock (a hidden ``.<file>.lock`` beside it; ``URBPLEX_LOCK_TIMEOUT`` seconds,
default 120), so none is lost; replacing an object (``overwrite=True``)
removes its old file, so the store does not grow. A reader in another
process that opened the index just before a save replaced the object it
wants reopens the index and reads the new one. Saving through a symbolic
link writes the file it points to, and its folder beside that file.

Every dataset carries checksums (HDF5's Fletcher32, which h5py verifies too,
and an xxh3 digest that only urbplex writes, so data changed by another tool
is detected). Loading never runs code from the file, checks every attribute
and dataset against the schema (rank, shape, type, declared sizes against the
bytes stored) before it allocates, and refuses soft and external HDF5 links
and external storage unless ``allow_links=True``. Damaged files raise
:class:`OSError`; files of a schema this version cannot read, :class:`SchemaError`
(a subclass of OSError).

Several processes writing many runs (an ensemble): let them all save into one
store (the lock serialises them, and each save costs its own run), or batch
runs with :func:`urbplex.ensemble.run`, which writes from the parent process.
"""
from __future__ import annotations

import json
import os
import warnings
from typing import Optional, Union

import numpy as np

from . import _core
from .graph import Graph
from .hierarchy import Hierarchy

SchemaError = _core.SchemaError
SCHEMA_VERSION: int = _core.SCHEMA_VERSION
PathLike = Union[str, "os.PathLike[str]"]


def _path(path: PathLike) -> str:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"argument 'path': expected a path, got {type(path).__name__}")
    p = os.fspath(path)
    if isinstance(p, bytes):
        p = os.fsdecode(p)
    if "\0" in p:
        raise ValueError("argument 'path': contains a NUL character")
    return p


def _name(name) -> str:
    if not isinstance(name, str):
        raise TypeError(f"argument 'name': expected a string, got {type(name).__name__}")
    if "\0" in name:
        raise ValueError("argument 'name': contains a NUL character")
    return name


def save_graph(path: PathLike, graph: Graph, name: str, *, overwrite: bool = False) -> None:
    """Store ``graph`` at /graphs/<name> in the HDF5 file ``path``."""
    if not isinstance(graph, Graph):
        raise TypeError(f"argument 'graph': expected urbplex.Graph, got {type(graph).__name__}")
    from .provenance import environment, fingerprint

    native = graph._g
    meta = {"crs": graph.crs, "multigraph": graph._multigraph, "units": graph._units, "attrs": graph._attrs,
            "fingerprint": fingerprint(graph), "environment": environment()}
    if graph.labels is not None:
        # Node keys travel as a hidden node column: int64 when they are
        # integers, else strings (categories).
        labels = graph.labels
        if all(isinstance(k, (int, np.integer)) and not isinstance(k, bool) and abs(int(k)) <= 2**53 for k in labels):
            native = native.with_node_attribute(_LABELS, np.asarray(labels, dtype=np.float64), "int64", [])
            meta["labels"] = "int"
        else:
            if not all(isinstance(k, str) for k in labels):
                warnings.warn("save_graph: node keys that are not integers or strings are stored as their str()",
                              UserWarning, stacklevel=2)
            import pandas as pd

            cat = pd.Categorical([str(k) for k in labels])
            native = native.with_node_attribute(_LABELS, np.asarray(cat.codes, dtype=np.float64), "category",
                                                [str(c) for c in cat.categories])
            meta["labels"] = "str"
    _core.save_graph(_path(path), _name(name), native, bool(overwrite), json.dumps(meta))
    graph._origin = f"{os.path.abspath(_path(path))}:/graphs/{name}"


def _json_meta(text: str, what: str) -> dict:
    try:
        meta = json.loads(text) if text else {}
    except ValueError:
        raise OSError(f"{what} is damaged: its metadata is not JSON") from None
    if not isinstance(meta, dict):
        raise OSError(f"{what} is damaged: its metadata is not a JSON object")
    return meta


def graph_meta(path: PathLike, name: str, *, allow_links: bool = False) -> dict:
    """The metadata stored with /graphs/<name>: crs, units, fingerprint, environment."""
    return _json_meta(_core.graph_meta(_path(path), _name(name), bool(allow_links)), f"graph '{name}' in '{path}'")


_LABELS = "__labels__"


def load_graph(path: PathLike, name: str, *, allow_links: bool = False) -> Graph:
    """The Graph stored at /graphs/<name>, with its attribute types, node keys
    and CRS. ``allow_links=True`` follows soft and external HDF5 links (only
    for files you trust)."""
    native = _core.load_graph(_path(path), _name(name), bool(allow_links))
    meta = graph_meta(path, name, allow_links=allow_links)
    labels = None
    if _LABELS in native.node_attribute_names:
        labels = Graph(native).node(_LABELS)
        labels = [str(k) for k in labels] if meta.get("labels") == "str" else [int(k) for k in labels]
        native = native.without_node_attribute(_LABELS)
    g = Graph(native, labels=labels, crs=meta.get("crs"), multigraph=meta.get("multigraph"), units=meta.get("units"),
              attrs=meta.get("attrs"))
    g._origin = f"{os.path.abspath(_path(path))}:/graphs/{name}"
    return g


def save_hierarchy(path: PathLike, hierarchy: Hierarchy, name: str, *, overwrite: bool = False,
                   graph: Optional[str] = "auto") -> None:
    """Store ``hierarchy`` at /hierarchies/<name> in the HDF5 file ``path``.

    Level 0 is stored once: when a graph in /graphs of the file equals it
    (``graph="auto"``, by fingerprint, then checked array by array) or is named
    (``graph="streets"``), the hierarchy refers to it instead of holding a
    second copy. ``graph=None`` always stores a copy.
    """
    from .provenance import environment, fingerprint

    if not isinstance(hierarchy, Hierarchy):
        raise TypeError(f"argument 'hierarchy': expected urbplex.Hierarchy, got {type(hierarchy).__name__}")
    base = fingerprint(hierarchy.level(0))
    ref = ""
    if graph == "auto":
        if os.path.exists(_path(path)):
            for candidate in _core.list(_path(path), "graphs"):
                if graph_meta(path, candidate).get("fingerprint") == base:
                    ref = candidate
                    break
    elif graph is not None:
        ref = _name(graph)
    labels, crs = hierarchy._base
    meta = {"crs": crs, "fingerprint": base, "environment": environment()}
    _core.save_hierarchy(_path(path), _name(name), hierarchy._h, bool(overwrite), json.dumps(meta), ref)
    hierarchy._origin = f"{os.path.abspath(_path(path))}:/hierarchies/{name}"


def hierarchy_meta(path: PathLike, name: str, *, allow_links: bool = False) -> dict:
    """The metadata stored with /hierarchies/<name>, and ``graph``: the stored graph
    its level 0 refers to (None if it holds its own copy)."""
    text, ref = _core.hierarchy_meta(_path(path), _name(name), bool(allow_links))
    meta = _json_meta(text, f"hierarchy '{name}' in '{path}'")
    meta["graph"] = ref or None
    return meta


def load_hierarchy(path: PathLike, name: str, *, allow_links: bool = False) -> Hierarchy:
    """The Hierarchy stored at /hierarchies/<name> (``allow_links`` as in :func:`load_graph`).

    A level 0 stored as a reference to a graph of the file is read from it; if
    that graph was replaced since, OSError says so.
    """
    meta = hierarchy_meta(path, name, allow_links=allow_links)
    labels = None
    if meta["graph"]:
        # The graph's stored fingerprint must still be level 0's, or it was replaced since.
        stored = graph_meta(path, meta["graph"], allow_links=allow_links) \
            if meta["graph"] in _core.list(_path(path), "graphs") else {}
        if meta.get("fingerprint") and stored.get("fingerprint") != meta["fingerprint"]:
            raise OSError(f"hierarchy '{name}' in '{path}' refers to graph '{meta['graph']}' for its level 0, "
                          "but that graph was replaced or removed since the hierarchy was saved")
        labels = load_graph(path, meta["graph"], allow_links=allow_links)._labels
    h = Hierarchy(None, _native=_core.load_hierarchy(_path(path), _name(name), bool(allow_links)))
    h._base = (labels, meta.get("crs"))
    h._origin = f"{os.path.abspath(_path(path))}:/hierarchies/{name}"
    return h


def load_run(path: PathLike, name: str, *, allow_links: bool = False):
    """The :class:`~urbplex.result.RunResult` stored at /runs/<name> (``allow_links`` as in :func:`load_graph`)."""
    from .result import RunResult

    return RunResult.load(path, name, allow_links=allow_links)


def save(path: PathLike, obj, name: str, *, overwrite: bool = False) -> None:
    """Store a Graph, Hierarchy or RunResult under ``name``."""
    from .result import RunResult

    if isinstance(obj, Graph):
        save_graph(path, obj, name, overwrite=overwrite)
    elif isinstance(obj, Hierarchy):
        save_hierarchy(path, obj, name, overwrite=overwrite)
    elif isinstance(obj, RunResult):
        obj.save(path, name, overwrite=overwrite)
    else:
        raise TypeError(f"argument 'obj': cannot store a {type(obj).__name__}")


def contents(path: PathLike) -> dict:
    """Names stored in the file: ``{'graphs': [...], 'hierarchies': [...], 'runs': [...]}``."""
    p = _path(path)
    return {kind: list(_core.list(p, kind)) for kind in ("graphs", "hierarchies", "runs")}


def file_info(path: PathLike) -> dict:
    """Root attributes: urbplex_version and schema_version of the file."""
    return dict(_core.file_info(_path(path)))


def export_store(path: PathLike, out: PathLike, *, overwrite: bool = False) -> None:
    """Copy every object of the store at ``path`` into the single
    self-contained HDF5 file ``out``, for sharing (no folder of objects:
    every object inside the file, readable by urbplex and h5py alike).

    Written atomically (a temporary beside ``out``, then a rename). ``out``
    is refused if it exists, unless ``overwrite=True``. The export is a store
    itself: loading reads it as it is; the first save into it moves its
    objects out into a folder ``<out>.d``.

    Examples
    --------
    >>> import urbplex as ux, tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> ux.generators.square_lattice(3).save(os.path.join(d, "s.h5"), "g")
    >>> ux.io.export_store(os.path.join(d, "s.h5"), os.path.join(d, "shared.h5"))
    >>> ux.io.load_graph(os.path.join(d, "shared.h5"), "g").n
    9
    """
    _core.export_store(_path(path), _path(out), bool(overwrite))


def vacuum_store(path: PathLike) -> list:
    """Remove the object files in the store's folder that its index does not
    name, and return their paths.

    Saves leave none behind, even when killed (they are journaled); files
    appear there only when the folder was shared, e.g. by a copy of the store
    file made with ``cp`` that saved objects of its own. Do not vacuum a
    store whose folder another copy of the file still uses: its objects
    would be removed.
    """
    return list(_core.vacuum_store(_path(path)))


def summary(path: PathLike) -> list:
    """One dict per stored object: kind, name, size, units, lineage and parameters
    (what ``python -m urbplex info FILE`` prints)."""
    from .provenance import describe

    rows = []
    for name in _core.list(_path(path), "graphs"):
        g = load_graph(path, name)
        meta = graph_meta(path, name)
        types = {**{f"node {k}": t for k, t in g.node_attr_types.items()},
                 **{f"edge {k}": t for k, t in g.edge_attr_types.items()}}
        rows.append({"kind": "graph", "name": name,
                     "size": f"n={g.n} m={g.m} {'directed' if g.directed else 'undirected'}, "
                             f"{g.memory_bytes() / 2**20:.1f} MiB topology",
                     "details": f"crs={g.crs or '-'} units={g.units or '-'} #{str(meta.get('fingerprint', ''))[:12]} "
                                f"attributes={types or '-'}",
                     "environment": meta.get("environment", {})})
    for name in _core.list(_path(path), "hierarchies"):
        h = load_hierarchy(path, name)
        meta = hierarchy_meta(path, name)
        sizes = " -> ".join(str(h.level(k).n) for k in range(h.num_levels))
        ref = f"level 0 = graph '{meta['graph']}' (stored once)" if meta["graph"] else "level 0 stored here"
        rows.append({"kind": "hierarchy", "name": name, "size": f"{h.num_levels} levels, nodes {sizes}",
                     "details": f"{ref}; crs={meta.get('crs') or '-'}", "environment": meta.get("environment", {})})
    for name in _core.list(_path(path), "runs"):
        meta, data = _core.load_run(_path(path), name, with_data=False)
        stored = _json_meta(meta["meta"], f"run '{name}' in '{path}'")
        nbytes = sum(a.nbytes for a in data.values())
        arrays = ", ".join(f"{k}{tuple(a.shape)}" for k, a in data.items())
        params = meta["parameters"] if len(meta["parameters"]) <= 160 else meta["parameters"][:157] + "..."
        rows.append({"kind": "run", "name": name,
                     "size": f"{len(data)} arrays, {nbytes / 2**20:.2f} MiB: {arrays}",
                     "details": f"model={meta['model']} seed={meta['seed']} created={meta['created']} "
                                f"parameters={params} units={stored.get('units') or '-'} "
                                f"lineage={describe(stored.get('lineage'))}",
                     "environment": stored.get("environment", {})})
    return rows
