"""From trips to traffic percolation: agents' trips assigned on a street
graph, congested speeds written back, then threshold percolation on the
speed ratios (Li et al., PNAS 112, 669, 2015)."""
from __future__ import annotations

from typing import Optional

import numpy as np

from .._graph_arg import graph_of
from ..graph import Graph
from .assignment import AssignmentResult, assign
from ..provenance import records_lineage


def trips_from_agents(agents, *, scale: float = 1.0):
    """The OD matrix of an EPR run (locations = graph nodes) as scipy.sparse, times ``scale``."""
    od = agents.od().astype(np.float64) * scale
    od.setdiag(0)
    od.eliminate_zeros()
    return od


def directed(graph: Graph) -> Graph:
    """An undirected street graph as a directed one: both directions of every edge, same attributes."""
    if graph.directed:
        return graph
    s, t = graph.edge_sources, graph.edge_targets
    native = Graph.from_arrays(np.r_[s, t], np.r_[t, s], n=graph.n, directed=True)._g
    for k in graph.node_attr_names:  # raw columns with their types (categories, missing values)
        native = native.with_node_attribute(k, graph._g.node_attribute(k), *graph._g.node_attribute_type(k)[:2])
    for k in graph.edge_attr_names:
        raw = graph._g.edge_attribute(k)
        native = native.with_edge_attribute(k, np.r_[raw, raw], *graph._g.edge_attribute_type(k)[:2])
    return Graph(native, labels=graph.labels, crs=graph.crs)


@records_lineage
def congestion_percolation(graph, demand, *, level: Optional[int] = None, **assign_kwargs):
    """Assign ``demand``, write flow/congested_time/speed_ratio onto the
    (directed) graph and run threshold percolation on the speed ratios.

    Returns (assignment, threshold result, graph with the congested attributes).
    The threshold result gives q_c and the bottleneck links.
    """
    from ..percolation import threshold

    g = directed(graph_of(graph, level))
    res: AssignmentResult = assign(g, demand, **assign_kwargs)
    congested = res.apply(g)
    return res, threshold(congested, "speed_ratio"), congested
