"""Resolve the graph argument of a model: a Graph, or one level of a Hierarchy."""
from __future__ import annotations

from typing import Optional

from .graph import Graph
from .hierarchy import Hierarchy


def graph_of(graph, level: Optional[int] = None, name: str = "graph") -> Graph:
    """``graph`` itself, or ``graph.level(level)`` for a Hierarchy (level 0 by default)."""
    if isinstance(graph, Hierarchy):
        return graph.level(0 if level is None else level)
    if isinstance(graph, Graph):
        if level not in (None, 0):
            raise ValueError(f"argument 'level': a Graph has only level 0, got {level}")
        return graph
    raise TypeError(f"argument '{name}': expected urbplex.Graph or urbplex.Hierarchy, got {type(graph).__name__}")
