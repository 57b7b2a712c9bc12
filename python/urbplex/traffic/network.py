"""The street network of dynamic traffic: links (length, free speed, jam
density, lanes, capacities), node capacities and fixed-time signals, checked
and mapped from the user's ids to the kernel's indices."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from .._validate import check_float, plain

LINK_DEFAULTS = {"free_speed": 20.0, "jam_density": 0.2, "merge_priority": 1.0,
                 "capacity_out": np.inf, "capacity_in": np.inf, "lanes": 1}
#: At most this many phases per signal (the kernel keeps a link's phases as a 64-bit mask).
MAX_SIGNAL_PHASES = 64


@dataclass(frozen=True)
class TrafficNetwork:
    """A directed street network for dynamic traffic: one row per link.

    ``node_ids`` are the user's node ids (index = internal node); ``link_ids``
    the user's link ids (the frame's index). Per link: ``from_``, ``to``
    (internal nodes), ``length`` (m), ``free_speed`` (m/s), ``jam_density``
    (veh/m per lane), ``merge_priority``, optional bottleneck capacities
    (veh/s, infinity: none), ``lanes`` and ``green_phases`` (bit k: green in
    phase k of its end node's signal). Per node: ``node_capacity`` (veh/s,
    infinity: none); signals as CSR arrays ``signal_start`` (nodes + 1
    offsets) into ``signal_green`` (s per phase), and ``signal_offset`` (s)."""

    node_ids: np.ndarray
    link_ids: np.ndarray
    from_: np.ndarray
    to: np.ndarray
    length: np.ndarray
    free_speed: np.ndarray
    jam_density: np.ndarray
    merge_priority: np.ndarray
    capacity_out: np.ndarray
    capacity_in: np.ndarray
    lanes: Optional[np.ndarray] = None
    green_phases: Optional[np.ndarray] = None
    node_capacity: Optional[np.ndarray] = None
    signal_start: Optional[np.ndarray] = None
    signal_green: Optional[np.ndarray] = None
    signal_offset: Optional[np.ndarray] = None
    #: the Graph it was built from, when it was (see urbplex.provenance)
    lineage: Optional[dict] = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if self.lanes is None:  # one lane per link unless told otherwise
            object.__setattr__(self, "lanes", np.ones(self.from_.size, dtype=np.uint32))

    @property
    def links(self) -> int:
        """Number of links."""
        return int(self.from_.size)

    @property
    def signals(self) -> int:
        """Number of signalised nodes."""
        return 0 if self.signal_start is None else int(np.count_nonzero(np.diff(self.signal_start)))

    def node_index(self, ids, what: str) -> np.ndarray:
        """Internal indices of user node ids; ValueError naming the first unknown one."""
        import pandas as pd

        index = self.__dict__.get("_node_lookup")
        if index is None:  # built once per network (a frozen dataclass: set past __setattr__)
            index = pd.Index(self.node_ids)
            object.__setattr__(self, "_node_lookup", index)
        values = ids if isinstance(ids, (pd.Series, pd.Index, np.ndarray)) else list(ids)
        idx = index.get_indexer(pd.Index(values))
        if (idx < 0).any():
            i = int(np.argmax(idx < 0))
            raise ValueError(f"{what} {i}: node {plain(list(values)[i])!r} is not in the network")
        return idx.astype(np.uint32)

    def capacity(self, reaction_time: float = 1.0) -> np.ndarray:
        """Capacity of each link's triangular fundamental diagram (veh/s): lanes
        x q with a lane's q = u w kappa / (u + w), backward wave speed
        w = 1 / (tau kappa), kappa the jam density per lane."""
        return self.lanes * lane_capacity(self.free_speed, self.jam_density, reaction_time)

    def kernel_links(self) -> dict:
        """The link arrays the C++ kernel reads."""
        out = {"from_": self.from_, "to": self.to, "length": self.length, "free_speed": self.free_speed,
               "jam_density": self.jam_density, "merge_priority": self.merge_priority,
               "capacity_out": self.capacity_out, "capacity_in": self.capacity_in,
               "lanes": np.asarray(self.lanes, dtype=np.uint32)}
        if self.green_phases is not None:
            out["green_phases"] = self.green_phases
        return out

    def kernel_options(self) -> dict:
        """The node arrays (capacities, signals) the C++ kernel reads."""
        return {"node_capacity": self.node_capacity, "signal_start": self.signal_start,
                "signal_green": self.signal_green, "signal_offset": self.signal_offset}

    def free_flow_times(self, origins: np.ndarray, destinations: np.ndarray) -> np.ndarray:
        """Free-flow shortest travel time (s) of each (origin, destination) pair of internal nodes."""
        import pandas as pd
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import dijkstra

        n = self.node_ids.size
        t = self.length / self.free_speed
        # Parallel links: keep the fastest (csr_matrix would add them up).
        pairs = pd.DataFrame({"a": self.from_, "b": self.to, "t": t}).groupby(["a", "b"], sort=False)["t"].min()
        a, b = (pairs.index.get_level_values(k).to_numpy() for k in ("a", "b"))
        graph = csr_matrix((pairs.to_numpy(), (a, b)), shape=(n, n))
        out = np.empty(origins.size)
        uniq, inverse = np.unique(origins, return_inverse=True)
        chunk = max(1, (1 << 24) // max(n, 1))  # at most ~128 MB of distances at a time
        for lo in range(0, uniq.size, chunk):
            dist = dijkstra(graph, indices=uniq[lo:lo + chunk])
            sel = (inverse >= lo) & (inverse < lo + chunk)
            out[sel] = dist[inverse[sel] - lo, destinations[sel]]
        return out

    def check_capacities(self, reaction_time: float) -> None:
        """ValueError naming the first link whose asked capacity (its
        ``capacity`` column) is above what its lanes' fundamental diagram can
        pass at this reaction time: the asked value would be ignored."""
        asked = np.minimum(self.capacity_out, self.capacity_in)
        most = self.capacity(reaction_time)
        over = np.isfinite(asked) & (asked > most * (1 + 1e-9))
        if over.any():
            i = int(np.argmax(over))
            q = lane_capacity(self.free_speed[i], self.jam_density[i], reaction_time)
            need = int(np.ceil(asked[i] / q - 1e-9))
            raise ValueError(
                f"argument 'links': link {plain(self.link_ids[i])!r}: capacity {asked[i]:g} veh/s is above what "
                f"{int(self.lanes[i])} lane(s) can pass ({most[i]:g} veh/s: {q:g} per lane at free_speed "
                f"{self.free_speed[i]:g} m/s, jam_density {self.jam_density[i]:g} veh/m per lane, reaction_time "
                f"{reaction_time:g} s); give it lanes = {need} (a 'lanes' column) or a lower capacity")


def lane_capacity(free_speed, jam_density, reaction_time: float):
    """A lane's capacity (veh/s) on the triangular fundamental diagram of
    Newell's model: u w kappa / (u + w) with w = 1 / (tau kappa)."""
    w = 1.0 / (reaction_time * jam_density)
    return free_speed * w * jam_density / (free_speed + w)


def network(links, *, from_col: str = "from", to_col: str = "to", length: str = "length", nodes=None,
            signals=None, reaction_time: float = 1.0) -> TrafficNetwork:
    """A TrafficNetwork from a pandas DataFrame of links (one row per directed
    link; the index gives link ids, which must be unique).

    Required columns: ``from``, ``to`` (node ids: any hashable values but
    missing ones), ``length`` (m). Optional: ``free_speed`` (m/s, default 20),
    ``lanes`` (whole number >= 1, default 1), ``jam_density`` (veh/m per lane,
    0.2), ``merge_priority`` (1), ``capacity_out`` / ``capacity_in`` (veh/s
    bottlenecks at the link's ends, absent: none), ``capacity`` (veh/s: the
    link's capacity, applied at both ends). Jam density and capacity scale
    with the lanes (UXsim's ``jam_density_per_lane`` and lane rotation). A
    capacity above what the lanes' fundamental diagram passes (lanes x
    u w kappa / (u + w), w = 1 / (reaction_time kappa): 0.8 veh/s per lane at
    the defaults) is an error naming the lanes needed: it would be ignored.
    ``reaction_time`` is the one this check uses (``simulate`` checks again
    with its own). Missing values (NaN) in an optional column take its default.

    ``nodes``: a DataFrame indexed by node id with a ``capacity`` column (veh/s
    through the node, all links together; NaN or absent: none).

    ``signals``: fixed-time signals, a mapping from node id to its phases, a
    list of ``(green_seconds, [link ids])`` (the links entering the node that
    may leave it during the phase), or to a dict ``{"phases": [...],
    "offset": seconds}`` (when phase 0 first starts; default 0). Every link
    entering a signalised node must be in a phase.

    Errors name the link, node or signal by the user's ids."""
    import pandas as pd

    if not isinstance(links, pd.DataFrame):
        raise TypeError(f"argument 'links': expected a pandas DataFrame, got {type(links).__name__}")
    for col in (from_col, to_col, length):
        if col not in links.columns:
            raise ValueError(f"argument 'links': column {col!r} is missing (columns: {list(links.columns)})")
    if links.empty:
        raise ValueError("argument 'links': the network has no links")
    reaction_time = check_float("reaction_time", reaction_time, minimum=0.0, strict_min=True)
    ids = links.index.to_numpy()
    dup = links.index.duplicated()
    if dup.any():
        raise ValueError(f"argument 'links': link id {plain(ids[int(np.argmax(dup))])!r} is used by more than one "
                         f"row (link ids, the frame's index, must be unique)")
    ends = pd.concat([links[from_col], links[to_col]], ignore_index=True)
    missing = ends.isna().to_numpy()
    if missing.any():
        k = int(np.argmax(missing))
        col = from_col if k < len(links) else to_col
        raise ValueError(f"argument 'links': link {plain(ids[k % len(links)])!r}: {col} is missing (NaN or None); "
                         f"every link needs two node ids")
    node_ids = pd.unique(ends)
    codes = pd.Index(node_ids).get_indexer(ends)
    frm, to = codes[:len(links)].astype(np.uint32), codes[len(links):].astype(np.uint32)

    def column(name, default, *, positive=True, allow_inf=False):
        if name not in links.columns:
            return np.full(len(links), default, dtype=np.float64)
        try:
            v = links[name].to_numpy(dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"argument 'links': column {name!r} must be numeric") from None
        if default is not None:  # an optional column: missing values take the default
            v = np.where(np.isnan(v), default, v)
        bad = ~(v > 0) if positive else ~(v >= 0)
        bad |= ~np.isfinite(v) & ~(allow_inf & (v == np.inf))
        if bad.any():
            i = int(np.argmax(bad))
            rule = "> 0" if positive else ">= 0"
            raise ValueError(f"argument 'links': link {plain(ids[i])!r}: {name} = {v[i]} must be finite and {rule}")
        return v

    loops = frm == to
    if loops.any():
        raise ValueError(f"argument 'links': link {plain(ids[int(np.argmax(loops))])!r} starts and ends at the same node")
    free_speed, jam_density = column("free_speed", 20.0), column("jam_density", 0.2)
    lanes = column("lanes", 1.0)
    fractional = lanes != np.round(lanes)
    if fractional.any():
        i = int(np.argmax(fractional))
        raise ValueError(f"argument 'links': link {plain(ids[i])!r}: lanes = {lanes[i]} must be a whole number >= 1")
    cap_out, cap_in = column("capacity_out", np.inf, allow_inf=True), column("capacity_in", np.inf, allow_inf=True)
    if "capacity" in links.columns:
        capacity = column("capacity", np.inf, allow_inf=True)
        cap_out, cap_in = np.minimum(cap_out, capacity), np.minimum(cap_in, capacity)
    node_capacity = _node_capacities(nodes, node_ids)
    signal_arrays = _signals(signals, node_ids, ids, to)
    net = TrafficNetwork(np.asarray(node_ids, dtype=object), ids, frm, to, column(length, None), free_speed,
                         jam_density, column("merge_priority", 1.0, positive=False), cap_out, cap_in,
                         lanes=lanes.astype(np.uint32), node_capacity=node_capacity, **signal_arrays)
    net.check_capacities(reaction_time)
    return net


def _node_capacities(nodes, node_ids) -> Optional[np.ndarray]:
    """Per internal node, its capacity (veh/s; infinity: none) from the ``nodes`` frame."""
    import pandas as pd

    if nodes is None:
        return None
    if not isinstance(nodes, pd.DataFrame):
        raise TypeError(f"argument 'nodes': expected a pandas DataFrame indexed by node id, got {type(nodes).__name__}")
    dup = nodes.index.duplicated()
    if dup.any():
        raise ValueError(f"argument 'nodes': node {plain(nodes.index[int(np.argmax(dup))])!r} has more than one row")
    pos = pd.Index(node_ids).get_indexer(nodes.index)
    if (pos < 0).any():
        raise ValueError(f"argument 'nodes': node {plain(nodes.index[int(np.argmax(pos < 0))])!r} is on no link")
    if "capacity" not in nodes.columns:
        return None
    try:
        c = nodes["capacity"].to_numpy(dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError("argument 'nodes': column 'capacity' must be numeric (veh/s)") from None
    c = np.where(np.isnan(c), np.inf, c)
    bad = ~(c > 0)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"argument 'nodes': node {plain(nodes.index[i])!r}: capacity = {c[i]} must be > 0 veh/s")
    out = np.full(len(node_ids), np.inf)
    out[pos] = c
    return out


def _signals(signals, node_ids, link_ids, to) -> dict:
    """Signal arrays (CSR green times per node, offsets, each link's phase mask) from ``signals``."""
    import pandas as pd

    if signals is None or len(signals) == 0:
        return {}
    if not hasattr(signals, "items"):
        raise TypeError(f"argument 'signals': expected a mapping from node id to phases, got {type(signals).__name__}")
    node_pos = pd.Index(node_ids)
    link_pos = pd.Index(link_ids)
    n = len(node_ids)
    greens = [[] for _ in range(n)]
    offset = np.zeros(n)
    phases_of = np.zeros(len(link_ids), dtype=np.uint64)
    signalised = np.zeros(n, dtype=bool)
    for node, spec in signals.items():
        where = f"argument 'signals': node {plain(node)!r}"
        v = node_pos.get_indexer([node])[0]
        if v < 0:
            raise ValueError(f"{where} is on no link")
        if isinstance(spec, dict):
            unknown = set(spec) - {"phases", "offset"}
            if unknown:
                raise ValueError(f"{where}: unknown key(s) {sorted(map(str, unknown))} (expected 'phases', 'offset')")
            phases, offset[v] = spec.get("phases"), check_float(f"signals[{plain(node)!r}]['offset']",
                                                               spec.get("offset", 0.0))
        else:
            phases = spec
        if not isinstance(phases, (list, tuple)) or not phases:
            raise ValueError(f"{where}: phases must be a non-empty list of (green seconds, [link ids])")
        if len(phases) > MAX_SIGNAL_PHASES:
            raise ValueError(f"{where}: {len(phases)} phases, at most {MAX_SIGNAL_PHASES}")
        for k, phase in enumerate(phases):
            if not (isinstance(phase, (list, tuple)) and len(phase) == 2):
                raise ValueError(f"{where}, phase {k}: expected (green seconds, [link ids]), got {phase!r}")
            green, members = phase
            greens[v].append(check_float(f"signals[{plain(node)!r}] phase {k} green time", green, minimum=0.0,
                                         strict_min=True))
            members = [members] if isinstance(members, (str, int, np.integer)) else list(members)
            pos = link_pos.get_indexer(pd.Index(members, dtype=object))
            for m, l in zip(members, pos):
                if l < 0:
                    raise ValueError(f"{where}, phase {k}: link {plain(m)!r} is not in the network")
                if to[l] != v:
                    raise ValueError(f"{where}, phase {k}: link {plain(m)!r} does not end at this node (it ends at "
                                     f"{plain(node_ids[to[l]])!r}): a phase lets links into the node go")
                phases_of[l] |= np.uint64(1) << np.uint64(k)
        signalised[v] = True
    dark = signalised[to] & (phases_of == 0)
    if dark.any():
        l = int(np.argmax(dark))
        raise ValueError(f"argument 'signals': node {plain(node_ids[to[l]])!r}: link {plain(link_ids[l])!r} enters it "
                         f"but is in none of its phases (it would never get green)")
    start = np.concatenate([[0], np.cumsum([len(g) for g in greens])]).astype(np.uint64)
    green = np.array([g for gs in greens for g in gs], dtype=np.float64)
    return {"green_phases": np.where(signalised[to], phases_of, np.uint64(~np.uint64(0))).astype(np.uint64),
            "signal_start": start, "signal_green": green, "signal_offset": offset}
