"""Conversions between urbplex Graphs and networkx, igraph, pandas and OSMnx graphs.

Node keys, the graph type and attribute types survive a round trip: numbers,
integers, booleans and strings (as categories), with missing values where a
node or edge lacks an attribute. Anything that cannot be kept (a geometry
object) is left out with a warning. Node order is the order of the source
graph's nodes; ``return_mapping=True`` also returns the list of original node
keys, so that ``keys[v]`` is the original key of vertex ``v``.
"""
from __future__ import annotations

import numbers
import warnings
from typing import Any, Literal, Optional, Union, overload

import numpy as np

from .graph import Graph, _sparse_id_limit


def _plain(v):
    """A storable scalar for attribute value ``v``, or raise TypeError for objects (geometries...)."""
    if v is None or isinstance(v, (str, bool, numbers.Number, np.bool_, np.number)):
        return v
    if isinstance(v, (list, tuple, set, frozenset)) and all(
            isinstance(x, (str, bool, numbers.Number, np.bool_, np.number)) for x in v):
        # OSMnx merges the values of simplified edges into lists; OSM writes multiple values with ';'.
        items = sorted(v, key=str) if isinstance(v, (set, frozenset)) else v
        return ";".join(str(x) for x in items)
    raise TypeError(type(v).__name__)


#: graph attribute recording which attribute values were lists or tuples (for to_networkx)
CONTAINERS = "urbplex:containers"


def _element_type(values) -> str:
    """The one Python type of the scalars in a column's values and containers."""
    items = [x for v in values if v is not None
             for x in (v if isinstance(v, (list, tuple, set, frozenset)) else [v])]
    if items and all(isinstance(x, (bool, np.bool_)) for x in items):
        return "bool"
    if items and all(isinstance(x, (numbers.Integral, np.integer)) and not isinstance(x, (bool, np.bool_))
                     for x in items):
        return "int"
    if items and all(isinstance(x, (numbers.Number, np.number)) and not isinstance(x, (bool, np.bool_))
                     for x in items):
        return "float"
    return "str"


def _attribute_columns(records, kind: str, dropped: dict, containers: Optional[dict] = None) -> dict:
    """Columns (name -> list, None where absent) of the attributes of ``records``.

    Attributes with values that are not numbers, booleans, strings or lists of
    them (a shapely geometry, a dict) are left out and recorded in ``dropped``.
    A column where some values are lists or tuples (OSMnx's merged edges,
    networkx positions) is stored as strings (``;``-joined items); what it
    held is recorded in ``containers`` (``kind:name`` -> the containers'
    positions, their type and the items' type) so that ``to_networkx`` gives
    the values back as they were.
    """
    records = list(records)
    names: dict = {}
    for r in records:
        for key in r:
            names.setdefault(key, None)
    cols = {}
    for key in names:
        raw = [r.get(key) for r in records]
        try:
            cols[str(key)] = [_plain(v) for v in raw]
        except TypeError as exc:
            dropped[f"{kind} attribute {key!r}"] = f"holds {exc} values"
            continue
        held = [i for i, v in enumerate(raw) if isinstance(v, (list, tuple, set, frozenset))]
        if held and containers is not None:
            element = _element_type(raw)
            cols[str(key)] = [None if v is None else (c if isinstance(v, (list, tuple, set, frozenset)) else
                                                      _scalar_text(v, element)) for v, c in zip(raw, cols[str(key)])]
            containers[f"{kind}:{key}"] = {
                "positions": held, "element": element, "digest": _digest(cols[str(key)]),
                "container": "tuple" if all(isinstance(raw[i], tuple) for i in held) else "list"}
    return cols


def _digest(values) -> str:
    """A hash of a stored text column: the record of its containers applies only while it is unchanged
    (a subgraph or a replaced attribute drops it)."""
    import hashlib

    return hashlib.sha1("\x1f".join("\x00" if v is None else str(v) for v in values).encode()).hexdigest()


def _scalar_text(v, element: str) -> str:
    return str(bool(v)) if element == "bool" else str(v)


def _decoded(values: list, info: dict) -> list:
    """A column stored by _attribute_columns, back to the scalars and containers it was."""
    cast = {"bool": lambda t: t == "True", "int": int, "float": float, "str": str}[info["element"]]
    make = tuple if info["container"] == "tuple" else list
    held = set(info["positions"])
    out = []
    for i, v in enumerate(values):
        if v is None:
            out.append(None)
        elif i in held:
            out.append(make(cast(t) for t in str(v).split(";")) if str(v) != "" else make())
        else:
            out.append(cast(str(v)))
    return out


def _warn_dropped(dropped: dict, source: str) -> None:
    if dropped:
        detail = "; ".join(f"{k} ({v})" for k, v in dropped.items())
        warnings.warn(f"{source}: left out {detail}", UserWarning, stacklevel=3)


def _with_columns(g: Graph, node_cols: dict, edge_cols: dict) -> Graph:
    for name, vals in node_cols.items():
        g = g.with_node_attr(name, vals)
    for name, vals in edge_cols.items():
        g = g.with_edge_attr(name, vals)
    return g


@overload
def from_networkx(G, *, return_mapping: Literal[False] = ...) -> Graph: ...
@overload
def from_networkx(G, *, return_mapping: Literal[True]) -> "tuple[Graph, list[Any]]": ...


def from_networkx(G, *, return_mapping: bool = False) -> "Union[Graph, tuple[Graph, list[Any]]]":
    """Graph from a networkx Graph, DiGraph, MultiGraph or MultiDiGraph.

    Node keys are kept as :attr:`Graph.labels` (and given back with
    ``return_mapping=True``); the graph type is remembered, so
    :func:`to_networkx` returns the same class. Attributes keep their types:
    numbers, integers, booleans and strings (categories); a node or edge
    without an attribute others have gets a missing value; lists or tuples of
    values (OSMnx's merged edges, positions) become ``;``-joined strings, and
    :func:`to_networkx` gives them back as they were (lists, tuples, their
    ints, floats or booleans) while the column is unchanged. ``G.graph``'s
    entries become :attr:`Graph.attrs` (JSON values; others are left out
    with a warning). Attributes holding other
    objects (shapely geometries...) are left out with a warning. ``G.graph['crs']``
    becomes :attr:`Graph.crs`.
    """
    if not (hasattr(G, "nodes") and hasattr(G, "edges") and hasattr(G, "is_directed")):
        raise TypeError(f"argument 'G': expected a networkx Graph, DiGraph, MultiGraph or MultiDiGraph, got "
                        f"{type(G).__name__} (an edge list? Graph.from_arrays or networkx.Graph(edges) first)")
    keys = list(G.nodes)
    index = {k: i for i, k in enumerate(keys)}
    edges = list(G.edges(data=True))
    src = np.fromiter((index[u] for u, _, _ in edges), dtype=np.int64, count=len(edges))
    dst = np.fromiter((index[v] for _, v, _ in edges), dtype=np.int64, count=len(edges))
    dropped: dict = {}
    containers: dict = {}
    node_cols = _attribute_columns((G.nodes[k] for k in keys), "node", dropped, containers)
    edge_cols = _attribute_columns((d for _, _, d in edges), "edge", dropped, containers)
    graph_attrs = _graph_attributes(G, dropped)
    _warn_dropped(dropped, "from_networkx")
    g = Graph.from_arrays(src, dst, n=len(keys), directed=G.is_directed())
    g = _with_columns(g, node_cols, edge_cols)
    crs = G.graph.get("crs") if isinstance(getattr(G, "graph", None), dict) else None
    if containers:
        graph_attrs[CONTAINERS] = containers
    g = Graph(g._g, labels=keys, crs=None if crs is None else str(crs), multigraph=bool(G.is_multigraph()),
              attrs=graph_attrs)
    return (g, keys) if return_mapping else g


def _graph_attributes(G, dropped: dict) -> dict:
    """networkx's G.graph (but crs) as JSON values; others are left out and recorded in ``dropped``."""
    import json

    out = {}
    for key, value in (getattr(G, "graph", None) or {}).items():
        if key == "crs":
            continue
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError):
            dropped[f"graph attribute {key!r}"] = f"a {type(value).__name__}, not a JSON value"
            continue
        out[str(key)] = value
    return out


def _pd_na():
    import pandas as pd

    return pd.NA


def _python_columns(g: Graph, kind: str, containers: Optional[dict] = None) -> dict:
    """name -> list of Python values (None where missing) for every attribute of ``kind``; columns
    that held lists or tuples (``containers``, from from_networkx) are decoded back to them."""
    names = g.node_attr_names if kind == "node" else g.edge_attr_names
    get = g.node if kind == "node" else g.edge
    out = {}
    for a in names:
        col = get(a)
        vals = np.asarray(col, dtype=object) if not isinstance(col, np.ndarray) else col
        if isinstance(col, np.ndarray) and col.dtype == np.float64:
            lst = [None if np.isnan(x) else x for x in col.tolist()]
        elif isinstance(col, np.ndarray):
            lst = col.tolist()
        else:
            lst = [None if (x is None or x is _pd_na() or (isinstance(x, float) and np.isnan(x))) else
                   (x.item() if isinstance(x, np.generic) else x) for x in vals]
        info = (containers or {}).get(f"{kind}:{a}")
        out[a] = _decoded(lst, info) if info is not None and _digest(lst) == info["digest"] else lst
    return out


def to_networkx(g: Graph):
    """networkx graph of the type it came from (MultiGraph/MultiDiGraph when
    unknown or when there are parallel edges), with the node keys of
    :attr:`Graph.labels` and every attribute in its Python type (int, bool,
    str, float); missing values are absent from that node's or edge's dict.
    The CRS goes to ``G.graph['crs']``."""
    from urbplex._optional import require
    nx = require("networkx")

    src, dst = np.asarray(g.edge_sources), np.asarray(g.edge_targets)
    multi = g._multigraph
    if multi is None:
        multi = True
    elif not multi:
        a, b = (src, dst) if g.directed else (np.minimum(src, dst), np.maximum(src, dst))
        if len(np.unique(a.astype(np.uint64) << np.uint64(32) | b.astype(np.uint64))) < g.m:
            warnings.warn("to_networkx: the graph has parallel edges, so a Multi(Di)Graph is returned",
                          UserWarning, stacklevel=2)
            multi = True
    cls = {(True, True): nx.MultiDiGraph, (True, False): nx.MultiGraph,
           (False, True): nx.DiGraph, (False, False): nx.Graph}[(multi, g.directed)]
    G = cls()
    containers = g._attrs.get(CONTAINERS, {})
    G.graph.update({k: v for k, v in g.attrs.items() if k != CONTAINERS})
    if g.crs is not None:
        G.graph["crs"] = g.crs
    keys = g.labels if g.labels is not None else list(range(g.n))
    node_cols = _python_columns(g, "node", containers)
    G.add_nodes_from((keys[v], {a: c[v] for a, c in node_cols.items() if c[v] is not None}) for v in range(g.n))
    edge_cols = _python_columns(g, "edge", containers)
    G.add_edges_from((keys[int(src[e])], keys[int(dst[e])], {a: c[e] for a, c in edge_cols.items() if c[e] is not None})
                     for e in range(g.m))
    return G


@overload
def from_osmnx(G, *, return_mapping: Literal[False] = ...) -> Graph: ...
@overload
def from_osmnx(G, *, return_mapping: Literal[True]) -> "tuple[Graph, list[Any]]": ...


def from_osmnx(G, *, return_mapping: bool = False) -> "Union[Graph, tuple[Graph, list[Any]]]":
    """Graph from an OSMnx street graph (a MultiDiGraph with node x, y and edge length).

    The direction of one-way streets is kept (the graph is directed; see
    :meth:`Graph.to_undirected`). OSM node ids become :attr:`Graph.labels` and
    the int64 node attribute ``osmid``; ``highway``, ``name``, ``oneway``,
    ``maxspeed``, ``lanes``... keep their types (strings become categories);
    edge geometries are left out with a warning; the CRS (EPSG:4326 unless
    projected with ``ox.project_graph``) becomes :attr:`Graph.crs`.
    """
    if not G.is_directed() or not G.is_multigraph():
        raise ValueError("argument 'G': an OSMnx graph is a networkx MultiDiGraph")
    for k, d in G.nodes(data=True):
        if "x" not in d or "y" not in d:
            raise ValueError(f"argument 'G': node {k!r} has no 'x'/'y' coordinates")
    for u, v, d in G.edges(data=True):
        if "length" not in d:
            raise ValueError(f"argument 'G': edge ({u!r}, {v!r}) has no 'length'")
    g, keys = from_networkx(G, return_mapping=True)
    if keys and all(isinstance(k, numbers.Integral) for k in keys) and "osmid" not in g.node_attr_names:
        g = g.with_node_attr("osmid", np.asarray(keys, dtype=np.int64))
    return (g, keys) if return_mapping else g


def from_igraph(ig) -> Graph:
    """Graph from a python-igraph Graph, with vertex and edge attributes in their
    types (see :func:`from_networkx`); a ``name`` vertex attribute becomes
    :attr:`Graph.labels` when its values are distinct."""
    edges = np.asarray(ig.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    dropped: dict = {}
    node_cols = {}
    for name in ig.vs.attributes():
        try:
            node_cols[name] = [_plain(v) for v in ig.vs[name]]
        except TypeError as exc:
            dropped[f"vertex attribute {name!r}"] = f"holds {exc} values"
    edge_cols = {}
    for name in ig.es.attributes():
        try:
            edge_cols[name] = [_plain(v) for v in ig.es[name]]
        except TypeError as exc:
            dropped[f"edge attribute {name!r}"] = f"holds {exc} values"
    _warn_dropped(dropped, "from_igraph")
    g = Graph.from_arrays(edges[:, 0], edges[:, 1], n=ig.vcount(), directed=ig.is_directed())
    g = _with_columns(g, node_cols, edge_cols)
    names = node_cols.get("name")
    if names is not None and None not in names and len(set(names)) == len(names):
        g = g.with_labels(names)
    return g


def to_igraph(g: Graph):
    """python-igraph Graph with the same vertex ids, edge order and attributes
    (Python types; None where missing); labels go to the ``name`` attribute."""
    from urbplex._optional import require
    igraph = require("igraph")

    edges = np.column_stack([g.edge_sources, g.edge_targets]).astype(np.int64)
    ig = igraph.Graph(n=g.n, edges=edges.tolist(), directed=g.directed)
    for a, vals in _python_columns(g, "node").items():
        ig.vs[a] = vals
    if g.labels is not None and "name" not in g.node_attr_names:
        ig.vs["name"] = g.labels
    for a, vals in _python_columns(g, "edge").items():
        ig.es[a] = vals
    return ig


def _frame_columns(frame, skip, kind: str, dropped: dict) -> dict:
    """Columns of ``frame`` other than ``skip`` that can be attributes (others recorded in ``dropped``)."""
    import pandas as pd

    cols = {}
    for c in frame.columns:
        if c in skip:
            continue
        col = frame[c]
        if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col) \
                or isinstance(col.dtype, pd.CategoricalDtype):
            cols[str(c)] = col
            continue
        try:
            cols[str(c)] = [_plain(None if (not isinstance(v, (list, tuple, set)) and pd.isna(v)) else v)
                            for v in col.tolist()]
        except (TypeError, ValueError) as exc:
            dropped[f"{kind} column {c!r}"] = f"holds {exc} values"
    return cols


@overload
def from_pandas(edges, *, source: str = ..., target: str = ..., directed: bool = ..., nodes=...,
                n: Optional[int] = ..., return_mapping: Literal[False] = ...) -> Graph: ...
@overload
def from_pandas(edges, *, source: str = ..., target: str = ..., directed: bool = ..., nodes=...,
                n: Optional[int] = ..., return_mapping: Literal[True]) -> "tuple[Graph, list[Any]]": ...


def from_pandas(edges, *, source: str = "source", target: str = "target", directed: bool = False,
                nodes=None, n: Optional[int] = None,
                return_mapping: bool = False) -> "Union[Graph, tuple[Graph, list[Any]]]":
    """Graph from an edge table.

    Integer ``source``/``target`` columns are vertex ids, unless they run far
    beyond what the edges can touch (OSM or GMNS ids in the billions) or are
    negative: those are kept as labels, with a ``UserWarning`` (give ``n`` to
    take them as vertex ids). Other key types
    (strings, tuples...) are numbered in order of first appearance, edges
    first and then the rows of ``nodes``, and kept as :attr:`Graph.labels`
    (``return_mapping=True`` also returns them). Every other column becomes
    an attribute in its type (numbers, integers, booleans, strings as
    categories); columns of other objects (geometries) are left out with a
    warning. ``nodes``, if given, is a table indexed by vertex id (or key):
    its columns become node attributes, and a node it does not list gets
    missing values (NaN) there.
    """
    import pandas as pd

    for col in (source, target):
        if col not in edges.columns:
            raise ValueError(f"argument 'edges': no column {col!r} (have {list(edges.columns)})")
    s, t = edges[source].to_numpy(), edges[target].to_numpy()
    keys = None
    as_keys = not (s.dtype.kind in "iu" and t.dtype.kind in "iu")
    if not as_keys and n is None and len(s):
        top = max(int(s.max()), int(t.max()))
        if nodes is not None and len(nodes) and pd.api.types.is_integer_dtype(nodes.index):
            top = max(top, int(nodes.index.max()))
        if top + 1 > _sparse_id_limit(2 * len(s) + (0 if nodes is None else len(nodes))) or min(s.min(), t.min()) < 0:
            as_keys = True
            what = "include negative values" if min(s.min(), t.min()) < 0 else f"run to {top} for {len(s)} edges"
            warnings.warn(f"from_pandas: node ids {what}; they are kept as labels "
                          "(Graph.labels, numbered in order of first appearance) instead of being taken for vertex "
                          "indices 0..n-1; pass n to take them as indices", UserWarning, stacklevel=2)
    if as_keys:
        parts = [edges[source], edges[target]]
        if nodes is not None:
            parts.append(pd.Series(nodes.index))
        codes, uniques = pd.factorize(pd.concat(parts, ignore_index=True))
        if (codes[: 2 * len(edges)] < 0).any():
            row = edges.index[int(np.argmax(codes[: 2 * len(edges)] < 0)) % max(len(edges), 1)]
            raise ValueError(f"argument 'edges': row {row!r} has a missing {source!r} or {target!r}")
        keys = list(uniques)
        s, t = codes[: len(edges)], codes[len(edges): 2 * len(edges)]
        if n is not None and n != len(keys):
            raise ValueError(f"argument 'n': {n} but the tables name {len(keys)} distinct nodes")
        n = len(keys)
    dropped: dict = {}
    edge_cols = _frame_columns(edges, (source, target), "edge", dropped)
    node_cols = {}
    if nodes is not None:
        if n is None:
            n = (max(int(s.max()), int(t.max())) + 1) if len(s) else 0
            if len(nodes) and pd.api.types.is_integer_dtype(nodes.index):
                n = max(n, int(nodes.index.max()) + 1)
        nodes = nodes.reindex(keys if keys is not None else range(n))
        node_cols = _frame_columns(nodes, (), "node", dropped)
    _warn_dropped(dropped, "from_pandas")
    g = Graph.from_arrays(s, t, n=n, directed=directed)
    g = _with_columns(g, node_cols, edge_cols)
    if keys is not None:
        g = g.with_labels(keys)
    if return_mapping:
        return g, (keys if keys is not None else list(range(g.n)))
    return g


def to_geopandas(g: Graph):
    """(nodes, edges) GeoDataFrames of a graph with ``x`` / ``y`` node
    coordinates: nodes as points (indexed by node key, every node attribute
    and the degree), edges as straight line strings from source to target
    (columns source, target as node keys, every edge attribute), both in the
    graph's CRS (:attr:`Graph.crs`; none when unknown). Needs geopandas
    (``pip install 'urbplex[geo]'``)."""
    from ._optional import require

    gpd = require("geopandas")
    shapely = require("shapely")
    if not {"x", "y"} <= set(g.node_attr_names):
        raise ValueError("argument 'g': GeoDataFrames need the node attributes 'x' and 'y' (coordinates); "
                         f"the graph has {g.node_attr_names}")
    x, y = np.asarray(g.numeric_node("x")), np.asarray(g.numeric_node("y"))
    nodes = gpd.GeoDataFrame(g.nodes_frame(), geometry=shapely.points(x, y), crs=g.crs)
    src, dst = np.asarray(g.edge_sources, dtype=np.int64), np.asarray(g.edge_targets, dtype=np.int64)
    coords = np.stack([np.column_stack([x[src], y[src]]), np.column_stack([x[dst], y[dst]])], axis=1)
    edges = gpd.GeoDataFrame(g.to_pandas(), geometry=shapely.linestrings(coords), crs=g.crs)
    return nodes, edges
