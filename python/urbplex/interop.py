"""Conversions between urbplex Graphs and networkx, igraph, pandas and OSMnx graphs.

Numeric node and edge attributes present on every node (edge) become
attribute columns; others are skipped. Node order is the order of the source
graph's nodes; ``return_mapping=True`` also returns the list of original node
keys, so that ``keys[v]`` is the original key of vertex ``v``.
"""
from __future__ import annotations

import numbers
from typing import Optional

import numpy as np

from .graph import Graph


def _numeric_columns(records, count: int) -> dict:
    """Columns of the numeric keys shared by all ``count`` attribute dicts."""
    records = list(records)
    if not records:
        return {}
    common = set(records[0])
    for r in records[1:]:
        common &= set(r)
    cols = {}
    for key in sorted(common, key=str):
        vals = [r[key] for r in records]
        if all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in vals):
            cols[str(key)] = np.asarray(vals, dtype=np.float64)
    return cols


def from_networkx(G, *, return_mapping: bool = False):
    """Graph from a networkx Graph, DiGraph, MultiGraph or MultiDiGraph."""
    keys = list(G.nodes)
    index = {k: i for i, k in enumerate(keys)}
    edges = list(G.edges(data=True))
    src = np.fromiter((index[u] for u, _, _ in edges), dtype=np.int64, count=len(edges))
    dst = np.fromiter((index[v] for _, v, _ in edges), dtype=np.int64, count=len(edges))
    g = Graph.from_arrays(src, dst, n=len(keys), directed=G.is_directed(),
                          node_attrs=_numeric_columns((G.nodes[k] for k in keys), len(keys)),
                          edge_attrs=_numeric_columns((d for _, _, d in edges), len(edges)))
    return (g, keys) if return_mapping else g


def to_networkx(g: Graph):
    """networkx MultiGraph/MultiDiGraph with nodes 0..n-1 and all attributes (edge key = edge id)."""
    from urbplex._optional import require
    nx = require("networkx")

    G = nx.MultiDiGraph() if g.directed else nx.MultiGraph()
    node_cols = {a: g.node(a) for a in g.node_attr_names}
    G.add_nodes_from((v, {a: float(c[v]) for a, c in node_cols.items()}) for v in range(g.n))
    edge_cols = {a: g.edge(a) for a in g.edge_attr_names}
    src, dst = g.edge_sources, g.edge_targets
    G.add_edges_from((int(src[e]), int(dst[e]), e, {a: float(c[e]) for a, c in edge_cols.items()})
                     for e in range(g.m))
    return G


def from_osmnx(G, *, return_mapping: bool = False):
    """Graph from an OSMnx street graph (a MultiDiGraph with node x, y and edge length).

    The direction of one-way streets is kept (the graph is directed). OSM node
    ids become the node attribute ``osmid`` when they are integers.
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
    if keys and all(isinstance(k, numbers.Integral) for k in keys):
        g = g.with_node_attr("osmid", np.asarray(keys, dtype=np.float64))
    return (g, keys) if return_mapping else g


def from_igraph(ig) -> Graph:
    """Graph from a python-igraph Graph (vertex and edge attributes included)."""
    edges = np.asarray(ig.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    node_attrs = {}
    for name in ig.vs.attributes():
        vals = ig.vs[name]
        if all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in vals):
            node_attrs[name] = np.asarray(vals, dtype=np.float64)
    edge_attrs = {}
    for name in ig.es.attributes():
        vals = ig.es[name]
        if all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in vals):
            edge_attrs[name] = np.asarray(vals, dtype=np.float64)
    return Graph.from_arrays(edges[:, 0], edges[:, 1], n=ig.vcount(), directed=ig.is_directed(),
                             node_attrs=node_attrs, edge_attrs=edge_attrs)


def to_igraph(g: Graph):
    """python-igraph Graph with the same vertex ids, edge order and attributes."""
    from urbplex._optional import require
    igraph = require("igraph")

    edges = np.column_stack([g.edge_sources, g.edge_targets]).astype(np.int64)
    ig = igraph.Graph(n=g.n, edges=edges.tolist(), directed=g.directed)
    for a in g.node_attr_names:
        ig.vs[a] = g.node(a).tolist()
    for a in g.edge_attr_names:
        ig.es[a] = g.edge(a).tolist()
    return ig


def from_pandas(edges, *, source: str = "source", target: str = "target", directed: bool = False,
                nodes=None, n: Optional[int] = None, return_mapping: bool = False):
    """Graph from an edge table.

    Integer ``source``/``target`` columns are vertex ids; other key types
    (strings, tuples...) are numbered in order of first appearance (pass
    ``return_mapping=True`` to get the keys). Other numeric columns become
    edge attributes. ``nodes``, if given, is a table indexed by vertex id (or
    key) whose numeric columns become node attributes.
    """
    import pandas as pd

    for col in (source, target):
        if col not in edges.columns:
            raise ValueError(f"argument 'edges': no column {col!r} (have {list(edges.columns)})")
    s, t = edges[source].to_numpy(), edges[target].to_numpy()
    keys = None
    if not (s.dtype.kind in "iu" and t.dtype.kind in "iu"):
        codes, uniques = pd.factorize(pd.concat([edges[source], edges[target]], ignore_index=True))
        keys = list(uniques)
        s, t = codes[: len(edges)], codes[len(edges):]
        n = len(keys) if n is None else n
    edge_attrs = {c: edges[c].to_numpy(dtype=np.float64) for c in edges.columns
                  if c not in (source, target) and pd.api.types.is_numeric_dtype(edges[c])
                  and not pd.api.types.is_bool_dtype(edges[c])}
    node_attrs = {}
    if nodes is not None:
        if n is None:
            n = (max(int(s.max()), int(t.max())) + 1) if len(s) else 0
            n = max(n, len(nodes))
        if keys is not None:
            nodes = nodes.reindex(keys)
        else:
            nodes = nodes.reindex(range(n))
        for c in nodes.columns:
            if pd.api.types.is_numeric_dtype(nodes[c]) and not pd.api.types.is_bool_dtype(nodes[c]):
                node_attrs[c] = nodes[c].to_numpy(dtype=np.float64)
    g = Graph.from_arrays(s, t, n=n, directed=directed, node_attrs=node_attrs, edge_attrs=edge_attrs)
    if return_mapping:
        return g, (keys if keys is not None else list(range(g.n)))
    return g
