"""From the library's other models to dynamic traffic: a street Graph as a
traffic network, and EPR agents' days as trips (issue 16)."""
from __future__ import annotations

import numpy as np

from .._validate import check_float
from .network_loading import TrafficNetwork, network


def network_from_graph(graph, *, length: str = "length", free_speed: str | None = None,
                       default_speed: float = 20.0) -> TrafficNetwork:
    """A TrafficNetwork on a street ``Graph``: its nodes (ids = node indices)
    and its edges as links, both directions of every edge of an undirected
    graph (link ids: edge index, with ``'r'`` appended for the reverse). Link
    lengths (m) come from the edge attribute ``length``; free speeds (m/s)
    from ``free_speed`` when given, else ``default_speed``."""
    import pandas as pd

    from ..graph import Graph

    if not isinstance(graph, Graph):
        raise TypeError(f"argument 'graph': expected an urbplex Graph, got {type(graph).__name__}")
    if length not in graph.edge_attr_names:
        raise ValueError(f"argument 'length': the graph has no edge attribute {length!r} "
                         f"(edge attributes: {graph.edge_attr_names})")
    s, t = np.asarray(graph.edge_sources), np.asarray(graph.edge_targets)
    lengths = np.asarray(graph.edge(length), dtype=np.float64)
    speeds = (np.asarray(graph.edge(free_speed), dtype=np.float64) if free_speed is not None
              else np.full(s.size, check_float("default_speed", default_speed, minimum=0.0, strict_min=True)))
    ids = [str(e) for e in range(s.size)]
    frame = pd.DataFrame({"from": s.astype(np.int64), "to": t.astype(np.int64), "length": lengths,
                          "free_speed": speeds}, index=ids)
    if not graph.directed:
        back = pd.DataFrame({"from": t.astype(np.int64), "to": s.astype(np.int64), "length": lengths,
                             "free_speed": speeds}, index=[i + "r" for i in ids])
        frame = pd.concat([frame, back])
    frame = frame[frame["from"] != frame["to"]]  # self-loops carry no traffic
    return network(frame)


def trips_from_agents(agents, *, start_hour: float = 0.0, end_hour: float = 24.0, node_ids=None):
    """Trips of EPR / d-EPR agents (``ux.mobility.epr`` with ``record=True``)
    between ``start_hour`` and ``end_hour`` of their simulated time, as a
    DataFrame (agent, origin, destination, departure in s from ``start_hour``).

    An agent waits at a location until its next jump, so a trip leaves location
    i for location i + 1 at the time of the jump (Song et al. 2010's waiting
    times in hours). Jumps that stay put are no trips. Locations are graph nodes
    when the agents ran on a street graph's locations; ``node_ids`` maps them
    to other node ids. Each trip becomes one platoon in ``simulate`` (an agent
    stands for ``platoon`` vehicles; use platoon=1 for one vehicle each)."""
    import pandas as pd

    if "location" not in getattr(agents, "data", {}) or agents.data["location"].size == 0:
        raise ValueError("argument 'agents': needs an EPR run with recorded trajectories (record=True)")
    start_hour = check_float("start_hour", start_hour)
    end_hour = check_float("end_hour", end_hour, minimum=start_hour, strict_min=True)
    loc, time = agents.data["location"], agents.data["time"]
    origin, destination, leave = loc[:, :-1], loc[:, 1:], time[:, 1:]
    keep = (origin != destination) & (leave >= start_hour) & (leave < end_hour)
    agent = np.broadcast_to(np.arange(loc.shape[0])[:, None], keep.shape)[keep]
    o, d, t = origin[keep], destination[keep], leave[keep]
    if node_ids is not None:
        node_ids = np.asarray(node_ids, dtype=object)
        o, d = node_ids[o], node_ids[d]
    order = np.lexsort((agent, t))
    return pd.DataFrame({"agent": agent[order], "origin": np.asarray(o)[order], "destination": np.asarray(d)[order],
                         "departure": (t[order] - start_hour) * 3600.0}).reset_index(drop=True)
