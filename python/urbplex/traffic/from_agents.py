"""From the library's other models to dynamic traffic: a street Graph as a
traffic network, and EPR agents' days as trips (issue 16)."""
from __future__ import annotations

import numpy as np

from .._validate import check_float, check_int
from .network_loading import TrafficNetwork, network


def network_from_graph(graph, *, length: str = "length", free_speed: str | None = None,
                       default_speed: float = 20.0, highway: str | None = "highway", lanes: str | None = "lanes",
                       maxspeed: str | None = "maxspeed", oneway: str | None = "oneway",
                       reaction_time: float = 1.0) -> TrafficNetwork:
    """A TrafficNetwork on a street ``Graph``: its nodes (ids = node indices)
    and its edges as links, both directions of every edge of an undirected
    graph (link ids: edge index, with ``'r'`` appended for the reverse).

    Link lengths (m) come from the edge attribute ``length``. When the graph
    has the OSM edge attribute ``highway`` (``ux.interop.from_osmnx`` keeps
    it), each link gets lanes per direction, a free speed and a capacity from
    its ``lanes`` and ``maxspeed`` tags, or from its highway type's defaults
    where they are missing (the table in ``urbplex.traffic.osm_defaults``,
    MATSim's); the capacity is capped at what the lanes' fundamental diagram
    passes at ``reaction_time``. Otherwise every link has one lane and
    ``default_speed`` (m/s). A ``free_speed`` edge attribute (m/s), when
    named, overrides the speeds."""
    import pandas as pd

    from ..graph import Graph
    from .network import lane_capacity
    from .osm_defaults import osm_link_table

    if not isinstance(graph, Graph):
        raise TypeError(f"argument 'graph': expected an urbplex Graph, got {type(graph).__name__}")
    if length not in graph.edge_attr_names:
        raise ValueError(f"argument 'length': the graph has no edge attribute {length!r} "
                         f"(edge attributes: {graph.edge_attr_names})")
    reaction_time = check_float("reaction_time", reaction_time, minimum=0.0, strict_min=True)
    s, t = np.asarray(graph.edge_sources), np.asarray(graph.edge_targets)
    lengths = np.asarray(graph.numeric_edge(length), dtype=np.float64)
    columns = {"from": s.astype(np.int64), "to": t.astype(np.int64), "length": lengths}
    names = graph.edge_attr_names
    if highway is not None and highway in names:
        tag = lambda name: (np.asarray(graph.edge(name), dtype=object)  # noqa: E731
                            if name is not None and name in names else None)
        osm = osm_link_table(tag(highway), tag(lanes), tag(maxspeed),
                             None if tag(oneway) is None else _truthy(tag(oneway)))
        columns.update(lanes=osm["lanes"], free_speed=osm["free_speed"])
        most = osm["lanes"] * lane_capacity(osm["free_speed"], 0.2, reaction_time)
        columns["capacity"] = np.minimum(osm["capacity"], most)
    else:
        columns["free_speed"] = np.full(s.size, check_float("default_speed", default_speed, minimum=0.0,
                                                             strict_min=True))
    if free_speed is not None:
        columns["free_speed"] = np.asarray(graph.numeric_edge(free_speed), dtype=np.float64)
        if "capacity" in columns:
            columns["capacity"] = np.minimum(columns["capacity"], columns["lanes"] * lane_capacity(
                columns["free_speed"], 0.2, reaction_time))
    ids = [str(e) for e in range(s.size)]
    frame = pd.DataFrame(columns, index=ids)
    if not graph.directed:
        back = frame.rename(columns={"from": "to", "to": "from"})
        back.index = [i + "r" for i in ids]
        frame = pd.concat([frame, back])
    frame = frame[frame["from"] != frame["to"]]  # self-loops carry no traffic
    from dataclasses import replace

    from ..provenance import lineage_of

    return replace(network(frame, reaction_time=reaction_time), lineage=lineage_of(graph))


def _truthy(values) -> np.ndarray:
    """OSM ``oneway`` values (bools, "yes", "True", "-1", missing) as booleans."""
    return np.array([str(v).strip().lower() in ("true", "yes", "1", "-1") for v in values], dtype=bool)


def trips_from_agents(agents, *, start_hour: float = 0.0, end_hour: float = 24.0, node_ids=None, hierarchy=None,
                      level: int | None = None, weight: str | None = "population", door: str = "agent",
                      unreachable: str = "raise", seed: int = 0):
    """Trips of EPR / d-EPR agents (``ux.mobility.epr`` with ``record=True``)
    between ``start_hour`` and ``end_hour`` of their simulated time, as a
    DataFrame (agent, origin, destination, departure in s from ``start_hour``).

    An agent waits at a location until its next jump, so a trip leaves location
    i for location i + 1 at the time of the jump (Song et al. 2010's waiting
    times in hours). Jumps that stay put are no trips. Locations are graph nodes
    when the agents ran on a street graph's locations; ``node_ids`` maps them
    to other node ids. When they ran on level ``level`` of ``hierarchy`` (e.g.
    neighbourhoods), each agent's place in each location is one street node
    (level 0) of that location, drawn once per agent and location with
    probability proportional to the street nodes' ``weight`` attribute
    (uniform when None, absent or all zero) with ``seed``: an agent comes back
    to the same door (``door='agent'``). With ``door='centroid'`` every trip to
    or from a location uses one street node, the one nearest to the location's
    weighted centroid: the zone centroids of transport models, which keep the
    destinations few (route searches and DUO preferences grow with them). Only
    nodes of the streets' largest strongly connected component (on one-way
    streets a node outside it cannot be driven to or from the rest) are used, so every trip
    can be driven; a trip to or from a location with none of them (a park, an
    island) raises ValueError naming the location, or with
    ``unreachable='drop'`` is left out (a warning gives the count). Each trip becomes one platoon in ``simulate`` (an agent
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
    if hierarchy is not None:
        if node_ids is not None:
            raise ValueError("arguments 'node_ids' and 'hierarchy': give one of them")
        if door not in ("agent", "centroid"):
            raise ValueError(f"argument 'door': must be 'agent' or 'centroid', got {door!r}")
        if unreachable not in ("raise", "drop"):
            raise ValueError(f"argument 'unreachable': must be 'raise' or 'drop', got {unreachable!r}")
        o, d = _street_nodes(hierarchy, level, weight, door, seed, agent, o, d)
        lost = (o < 0) | (d < 0)
        if lost.any():
            if unreachable == "raise":
                i = int(np.argmax(lost))
                where = origin[keep][i] if o[i] < 0 else destination[keep][i]
                what = "is not" if level == 0 else "has no street node"
                raise ValueError(f"argument 'hierarchy': location {int(where)} of level {level} {what} on the streets' "
                                 f"largest strongly connected component (it cannot be driven both to and from; "
                                 f"unreachable='drop' leaves such trips out)")
            import warnings

            outside = int((~drivable_nodes(hierarchy.level(0))).sum())
            warnings.warn(f"{int(lost.sum())} of {lost.size} trips start or end in a location without a street node "
                          f"on the largest strongly connected component ({outside} of {hierarchy.level(0).n} street "
                          f"nodes are outside it): left out", stacklevel=2)
            agent, o, d, t = agent[~lost], o[~lost], d[~lost], t[~lost]
    elif node_ids is not None:
        node_ids = np.asarray(node_ids, dtype=object)
        o, d = node_ids[o], node_ids[d]
    order = np.lexsort((agent, t))
    return pd.DataFrame({"agent": agent[order], "origin": np.asarray(o)[order], "destination": np.asarray(d)[order],
                         "departure": (t[order] - start_hour) * 3600.0}).reset_index(drop=True)


def zone_nodes(hierarchy, level: int, *, weight: str | None = "population") -> np.ndarray:
    """The street node (level 0 index) of each location of ``level``: the one
    nearest to the location's weighted centroid (``weight`` node attribute,
    uniform when None or absent) among the streets' largest strongly connected
    component; -1 for a location with none. The zone centroids of transport
    models, for ``commuting_demand(flows, zones=...)`` on a flow model of the
    locations."""
    from ..hierarchy import Hierarchy

    if not isinstance(hierarchy, Hierarchy):
        raise TypeError(f"argument 'hierarchy': expected an urbplex Hierarchy, got {type(hierarchy).__name__}")
    level = check_int("level", level, minimum=0, maximum=hierarchy.num_levels - 1)
    streets = hierarchy.level(0)
    drivable = drivable_nodes(streets)
    if level == 0:
        return np.where(drivable, np.arange(streets.n), -1)
    owner = np.asarray(hierarchy.membership(0, level), dtype=np.int64)
    w = (np.asarray(streets.numeric_node(weight), dtype=np.float64) if weight is not None and weight in streets.node_attr_names
         else np.ones(streets.n))
    candidates = np.flatnonzero(drivable)
    n_loc = hierarchy.level(level).n
    owner, w = owner[candidates], w[candidates]
    total = np.bincount(owner, weights=w, minlength=n_loc)
    w = np.where(total[owner] > 0, w, 1.0)
    return _centroid_nodes(streets, candidates, owner, w, n_loc)


def drivable_nodes(streets) -> np.ndarray:
    """Per node of a street Graph, whether it is on the largest strongly
    connected component (for an undirected graph: the largest connected
    component): the nodes every other of them can be driven to and from.
    One-way streets leave dead ends and sources outside it (OSM graphs do)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    n = streets.n
    s, t = np.asarray(streets.edge_sources, dtype=np.int64), np.asarray(streets.edge_targets, dtype=np.int64)
    adj = csr_matrix((np.ones(s.size, dtype=np.int8), (s, t)), shape=(n, n))
    _, labels = connected_components(adj, directed=bool(streets.directed), connection="strong")
    return labels == np.argmax(np.bincount(labels)) if n else np.zeros(0, dtype=bool)


def _street_nodes(hierarchy, level, weight, door, seed, agent, o, d):
    """Street node (level 0) of each (agent, location of ``level``) pair of the trips' ends (-1: the
    location has no node on the streets' largest strongly connected component)."""
    from .._validate import seed_value
    from ..hierarchy import Hierarchy

    if not isinstance(hierarchy, Hierarchy):
        raise TypeError(f"argument 'hierarchy': expected an urbplex Hierarchy, got {type(hierarchy).__name__}")
    if level is None:
        raise ValueError("argument 'level': the hierarchy level the agents ran on is needed")
    level = check_int("level", level, minimum=0, maximum=hierarchy.num_levels - 1)
    n_loc = hierarchy.level(level).n
    o, d = o.astype(np.int64), d.astype(np.int64)
    top = int(max(o.max(initial=-1), d.max(initial=-1)))
    if top >= n_loc:
        raise ValueError(f"argument 'agents': location {top} is not a node of level {level} ({n_loc} nodes)")
    streets = hierarchy.level(0)
    drivable = drivable_nodes(streets)
    if level == 0:
        return np.where(drivable[o], o, -1), np.where(drivable[d], d, -1)
    owner = np.asarray(hierarchy.membership(0, level), dtype=np.int64)
    w = (np.asarray(streets.numeric_node(weight), dtype=np.float64) if weight is not None and weight in streets.node_attr_names
         else np.ones(streets.n))
    if not (np.isfinite(w).all() and (w >= 0).all()):
        raise ValueError(f"argument 'weight': node attribute {weight!r} must be finite and >= 0")
    candidates = np.flatnonzero(drivable)
    owner, w = owner[candidates], w[candidates]
    # Candidates grouped by location; where a location's weights are all zero, uniform.
    total = np.bincount(owner, weights=w, minlength=n_loc)
    w = np.where(total[owner] > 0, w, 1.0)
    members = np.argsort(owner, kind="stable")
    cum = np.cumsum(w[members])
    count = np.bincount(owner, minlength=n_loc)
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    before = np.where(first > 0, cum[np.maximum(first - 1, 0)], 0.0)
    span = np.where(count > 0, cum[np.maximum(first + count - 1, 0)] - before, 0.0)
    if door == "centroid":
        centroid = _centroid_nodes(streets, candidates, owner, w, n_loc)
        return centroid[o], centroid[d]
    pairs = np.concatenate([agent.astype(np.int64) * n_loc + o, agent.astype(np.int64) * n_loc + d])
    uniq, inverse = np.unique(pairs, return_inverse=True)
    loc_of = uniq % n_loc
    u = np.random.default_rng(seed_value(seed)).random(uniq.size)
    pick = np.searchsorted(cum, before[loc_of] + u * span[loc_of], side="right")
    pick = np.clip(pick, first[loc_of], first[loc_of] + count[loc_of] - 1)  # rounding at a group's end
    node = np.where(count[loc_of] > 0, candidates[members[np.clip(pick, 0, members.size - 1)]], -1)[inverse]
    return node[:agent.size], node[agent.size:]


def _centroid_nodes(streets, candidates, owner, w, n_loc) -> np.ndarray:
    """Per location, the candidate street node nearest to the location's weighted centroid (-1: none)."""
    import pandas as pd

    x, y = np.asarray(streets.numeric_node("x"))[candidates], np.asarray(streets.numeric_node("y"))[candidates]
    total = np.bincount(owner, weights=w, minlength=n_loc)
    with np.errstate(invalid="ignore", divide="ignore"):
        cx = np.bincount(owner, weights=w * x, minlength=n_loc) / total
        cy = np.bincount(owner, weights=w * y, minlength=n_loc) / total
    gap = (x - cx[owner]) ** 2 + (y - cy[owner]) ** 2
    best = pd.Series(gap).groupby(owner).idxmin()
    out = np.full(n_loc, -1, dtype=np.int64)
    out[best.index.to_numpy()] = candidates[best.to_numpy()]
    return out
