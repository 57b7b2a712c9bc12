"""Graph housekeeping for street networks: induced subgraphs, edge subgraphs,
the largest component, and parallel edges merged into one (a two-way street
read as two arcs is one street, one bond). Every result keeps the node keys
(labels; the original vertex ids when the graph had none), the CRS, the units
and every attribute with its type. Used as methods of :class:`urbplex.Graph`."""
from __future__ import annotations

from typing import Mapping, Optional, Union

import numpy as np

from . import _core

AGGREGATIONS = ("min", "max", "sum", "mean", "first")
# lengths, times and costs keep the shortest street; the two directions' capacities and lanes add up
DEFAULT_MERGE = {"capacity": "sum", "lanes": "sum"}


def rebuild(g, vertices: np.ndarray, edges: np.ndarray, directed: Optional[bool] = None):
    """The graph on ``vertices`` (old ids, in this order) and ``edges`` (old ids, both
    endpoints among the vertices), with attributes, keys, CRS and units carried over."""
    from .graph import Graph

    vertices = np.asarray(vertices, dtype=np.int64)
    edges = np.asarray(edges, dtype=np.int64)
    new_id = np.full(g.n, -1, dtype=np.int64)
    new_id[vertices] = np.arange(vertices.size)
    src = new_id[np.asarray(g.edge_sources, dtype=np.int64)[edges]]
    dst = new_id[np.asarray(g.edge_targets, dtype=np.int64)[edges]]
    native = _core.Graph.from_edges(int(vertices.size), src.astype(np.uint32), dst.astype(np.uint32),
                                    g.directed if directed is None else directed)
    for name in g.node_attr_names:
        kind, cats = g._g.node_attribute_type(name)[:2]
        native = native.with_node_attribute(name, np.asarray(g._g.node_attribute(name))[vertices], kind, cats)
    for name in g.edge_attr_names:
        kind, cats = g._g.edge_attribute_type(name)[:2]
        native = native.with_edge_attribute(name, np.asarray(g._g.edge_attribute(name))[edges], kind, cats)
    labels = [g._labels[v] for v in vertices] if g._labels is not None else vertices.tolist()
    if labels == list(range(len(labels))):
        labels = None
    return Graph(native, labels=labels, crs=g._crs, multigraph=g._multigraph, units=g._units, attrs=g._attrs)


def vertex_ids(g, nodes) -> np.ndarray:
    """Vertex ids of ``nodes``: node keys (labels), vertex ids of an unlabelled graph, or a boolean mask."""
    arr = np.asarray(nodes)
    if arr.dtype == bool:
        if arr.shape != (g.n,):
            raise ValueError(f"argument 'nodes': a mask needs one value per vertex ({g.n}), got shape {arr.shape}")
        return np.flatnonzero(arr)
    if g._labels is None:
        from ._validate import index_array

        ids = index_array("nodes", arr.ravel(), n=g.n).astype(np.int64)
    else:
        index = {k: i for i, k in enumerate(g._labels)}
        ids = np.empty(arr.size, dtype=np.int64)
        for i, key in enumerate(arr.ravel().tolist()):
            if key not in index:
                raise ValueError(f"argument 'nodes': no node {key!r} in the graph")
            ids[i] = index[key]
    if np.unique(ids).size != ids.size:
        raise ValueError("argument 'nodes': a node is listed twice")
    return ids


def subgraph(g, nodes):
    """The graph induced by ``nodes`` (in the order given): the edges with both ends among them."""
    ids = vertex_ids(g, nodes)
    inside = np.zeros(g.n, dtype=bool)
    inside[ids] = True
    edges = np.flatnonzero(inside[np.asarray(g.edge_sources)] & inside[np.asarray(g.edge_targets)])
    return rebuild(g, ids, edges)


def edge_subgraph(g, edges):
    """The graph of the edges ``edges`` (edge ids, or a boolean mask) and their end nodes (as networkx)."""
    arr = np.asarray(edges)
    if arr.dtype == bool:
        if arr.shape != (g.m,):
            raise ValueError(f"argument 'edges': a mask needs one value per edge ({g.m}), got shape {arr.shape}")
        ids = np.flatnonzero(arr)
    else:
        from ._validate import index_array

        ids = index_array("edges", arr.ravel(), n=g.m).astype(np.int64)
        if np.unique(ids).size != ids.size:
            raise ValueError("argument 'edges': an edge is listed twice")
    ends = np.unique(np.concatenate([np.asarray(g.edge_sources)[ids], np.asarray(g.edge_targets)[ids]]))
    return rebuild(g, ends, ids)


def largest_component(g):
    """The subgraph of the largest connected (weakly, if directed) component."""
    comp = g.components()
    labels = np.asarray(comp.labels)
    biggest = int(np.argmax(np.bincount(labels))) if labels.size else 0
    return subgraph(g, labels == biggest)


def merge_parallel_edges(g, how: Union[str, Mapping[str, str], None] = None):
    """One edge per pair of nodes (per ordered pair if directed), with each edge
    attribute aggregated over the parallel edges and their count as ``multiplicity``."""
    rules = {}
    if isinstance(how, str):
        rules = {name: how for name in g.edge_attr_names}
    else:
        rules = {name: DEFAULT_MERGE.get(name, "min") for name in g.edge_attr_names}
        for name, rule in (how or {}).items():
            if name not in g.edge_attr_names:
                raise ValueError(f"argument 'how': no edge attribute {name!r} (have {g.edge_attr_names})")
            rules[name] = rule
    for name, rule in rules.items():
        if rule not in AGGREGATIONS:
            raise ValueError(f"argument 'how': {rule!r} for {name!r} is not one of {AGGREGATIONS}")
    u, v = np.asarray(g.edge_sources, dtype=np.int64), np.asarray(g.edge_targets, dtype=np.int64)
    if not g.directed:
        u, v = np.minimum(u, v), np.maximum(u, v)
    order = np.lexsort((np.arange(u.size), v, u))  # by pair, then edge id: 'first' is the lowest id
    us, vs = u[order], v[order]
    start = np.flatnonzero(np.r_[True, (us[1:] != us[:-1]) | (vs[1:] != vs[:-1])]) if u.size else np.zeros(0, int)
    count = np.diff(np.r_[start, u.size])
    keep = order[start]  # the lowest edge id of each pair
    out = rebuild(g, np.arange(g.n), keep)
    native = out._g
    for name in g.edge_attr_names:
        kind, cats = g._g.edge_attribute_type(name)[:2]
        raw = np.asarray(g._g.edge_attribute(name), dtype=np.float64)[order]
        rule = rules[name] if kind in ("float64", "int64") else "first"  # categories and booleans: the first
        if rule == "first" or raw.size == 0:
            values = raw[start] if raw.size else raw
        else:
            with np.errstate(invalid="ignore"):
                filled = np.where(np.isnan(raw), 0.0, raw)
                present = np.add.reduceat((~np.isnan(raw)).astype(np.int64), start)
                if rule == "min":
                    values = np.fmin.reduceat(raw, start)
                elif rule == "max":
                    values = np.fmax.reduceat(raw, start)
                else:
                    total = np.add.reduceat(filled, start)
                    values = total if rule == "sum" else total / np.maximum(present, 1)
                values = np.where(present > 0, values, np.nan)
            if kind == "int64" and rule == "mean":
                kind = "float64"
        native = native.with_edge_attribute(name, values, kind, cats)
    native = native.with_edge_attribute("multiplicity", count.astype(np.float64), "int64", [])
    from .graph import Graph

    return Graph(native, labels=out._labels, crs=out._crs, multigraph=False, units=out._units, attrs=out._attrs)
