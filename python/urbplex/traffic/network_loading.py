"""Mesoscopic dynamic network loading: the Python side (inputs, demand, results).

The kernel is C++ (``_core.simulate_traffic``); this module checks and maps the
user's node ids, builds platoon demand, and turns the kernel's arrays into
trips, link time series and network totals.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from .. import _core
from .._progress import progress_callback
from .._validate import check_float, check_int, seed_value
from ..result import RunResult, register_result
from ..provenance import records_lineage

LINK_DEFAULTS = {"free_speed": 20.0, "jam_density": 0.2, "merge_priority": 1.0,
                 "capacity_out": np.inf, "capacity_in": np.inf}


@dataclass(frozen=True)
class TrafficNetwork:
    """A directed street network for dynamic traffic: one row per link.

    ``node_ids`` are the user's node ids (index = internal node); ``link_ids``
    the user's link ids (the frame's index). Per link: ``from_``, ``to``
    (internal nodes), ``length`` (m), ``free_speed`` (m/s), ``jam_density``
    (veh/m), ``merge_priority`` and optional bottleneck capacities (veh/s,
    infinity: none)."""

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
    #: the Graph it was built from, when it was (see urbplex.provenance)
    lineage: Optional[dict] = field(default=None, compare=False, repr=False)

    @property
    def links(self) -> int:
        """Number of links."""
        return int(self.from_.size)

    def node_index(self, ids, what: str) -> np.ndarray:
        """Internal indices of user node ids; ValueError naming the first unknown one."""
        import pandas as pd

        idx = pd.Index(self.node_ids).get_indexer(pd.Index(list(ids), dtype=object))
        if (idx < 0).any():
            i = int(np.argmax(idx < 0))
            raise ValueError(f"{what} {i}: node {list(ids)[i]!r} is not in the network")
        return idx.astype(np.uint32)

    def capacity(self, reaction_time: float = 1.0) -> np.ndarray:
        """Capacity of each link's triangular fundamental diagram (veh/s):
        q = u w kappa / (u + w) with backward wave speed w = 1 / (tau kappa)."""
        w = 1.0 / (reaction_time * self.jam_density)
        return self.free_speed * w * self.jam_density / (self.free_speed + w)

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


def network(links, *, from_col: str = "from", to_col: str = "to", length: str = "length") -> TrafficNetwork:
    """A TrafficNetwork from a pandas DataFrame of links (one row per directed
    link; the index gives link ids). Required columns: ``from``, ``to``,
    ``length`` (m); optional: ``free_speed`` (m/s, default 20), ``jam_density``
    (veh/m, 0.2), ``merge_priority`` (1), ``capacity_out`` / ``capacity_in``
    (veh/s bottlenecks at the link's ends, absent: none), ``capacity`` (veh/s:
    the link's capacity, at most its fundamental diagram's u w kappa / (u + w)
    with w = 1 / (reaction_time kappa); applied at both ends; it must be below
    free_speed * jam_density, else the diagram is inconsistent). Missing values (NaN)
    in an optional column take its default. Node ids may be any hashable
    values. Errors name the link id."""
    import pandas as pd

    if not isinstance(links, pd.DataFrame):
        raise TypeError(f"argument 'links': expected a pandas DataFrame, got {type(links).__name__}")
    for col in (from_col, to_col, length):
        if col not in links.columns:
            raise ValueError(f"argument 'links': column {col!r} is missing (columns: {list(links.columns)})")
    if links.empty:
        raise ValueError("argument 'links': the network has no links")
    ids = links.index.to_numpy()
    node_ids = pd.unique(pd.concat([links[from_col], links[to_col]], ignore_index=True))
    codes = pd.Index(node_ids).get_indexer(pd.concat([links[from_col], links[to_col]], ignore_index=True))
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
            raise ValueError(f"argument 'links': link {ids[i]!r}: {name} = {v[i]} must be finite and {rule}")
        return v

    loops = frm == to
    if loops.any():
        raise ValueError(f"argument 'links': link {ids[int(np.argmax(loops))]!r} starts and ends at the same node")
    free_speed, jam_density = column("free_speed", 20.0), column("jam_density", 0.2)
    cap_out, cap_in = column("capacity_out", np.inf, allow_inf=True), column("capacity_in", np.inf, allow_inf=True)
    if "capacity" in links.columns:
        capacity = column("capacity", np.inf, allow_inf=True)
        # A triangular fundamental diagram through (capacity, free speed) hits jam
        # density only if capacity < free_speed * jam_density.
        bad = np.isfinite(capacity) & (capacity >= free_speed * jam_density)
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(f"argument 'links': link {ids[i]!r}: jam_density = {jam_density[i]} is inconsistent with "
                             f"capacity = {capacity[i]} and free_speed = {free_speed[i]} (a triangular fundamental "
                             f"diagram needs capacity < free_speed * jam_density = {free_speed[i] * jam_density[i]:g})")
        cap_out, cap_in = np.minimum(cap_out, capacity), np.minimum(cap_in, capacity)
    return TrafficNetwork(np.asarray(node_ids, dtype=object), ids, frm, to, column(length, None), free_speed,
                          jam_density, column("merge_priority", 1.0, positive=False), cap_out, cap_in)


def demand(origin, destination, t_start: float, t_end: float, flow: float, *, platoon: int = 5,
           reaction_time: float = 1.0):
    """Platoons for a constant flow (veh/s) from ``origin`` to ``destination``
    between ``t_start`` and ``t_end`` (s), as UXsim's ``adddemand``: every
    time step dt = reaction_time * platoon the flow accumulates flow * dt
    vehicles and a platoon departs (at the step's start) each time a full
    platoon has accumulated. Returns a DataFrame (origin, destination,
    departure); concatenate several for a matrix."""
    import pandas as pd

    platoon = check_int("platoon", platoon, minimum=1)
    reaction_time = check_float("reaction_time", reaction_time, minimum=0.0, strict_min=True)
    t_start = check_float("t_start", t_start, minimum=0.0)
    t_end = check_float("t_end", t_end, minimum=t_start)
    flow = check_float("flow", flow, minimum=0.0)
    dt = reaction_time * platoon
    departures = []
    acc = 0.0
    for step in range(int(t_start / dt), int(t_end / dt)):
        acc += flow * dt
        while acc >= platoon:
            departures.append(step * dt)
            acc -= platoon
    n = len(departures)
    return pd.DataFrame({"origin": [origin] * n, "destination": [destination] * n,
                         "departure": np.array(departures, dtype=np.float64)})


def od_demand(matrices, times, *, zones=None, platoon: int = 5, reaction_time: float = 1.0):
    """Platoons from time-dependent OD matrices: ``matrices[k]`` (dense n x n
    array or scipy sparse matrix) holds the vehicles from zone i to zone j
    departing in [times[k], times[k + 1]) s, spread at a constant flow over the
    slice with ``demand``'s rule (each pair accumulates flow x dt per step of
    dt = reaction_time * platoon and a platoon leaves at each full platoon;
    what is left of a pair's last platoon carries into its next slice).
    ``zones`` gives the network node of each zone (default 0..n-1). Diagonal
    entries (trips within a zone) are left out. Returns a DataFrame (origin,
    destination, departure) in departure order."""
    import pandas as pd
    from scipy import sparse

    platoon = check_int("platoon", platoon, minimum=1)
    reaction_time = check_float("reaction_time", reaction_time, minimum=0.0, strict_min=True)
    if sparse.issparse(matrices) or (isinstance(matrices, np.ndarray) and matrices.ndim == 2):
        matrices = [matrices]
    matrices = list(matrices)
    try:
        times = np.asarray(times, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise TypeError("argument 'times': must be numeric (seconds)") from None
    if times.size != len(matrices) + 1:
        raise ValueError(f"argument 'times': {len(matrices)} matrices need {len(matrices) + 1} slice bounds, "
                         f"got {times.size}")
    if not (np.isfinite(times).all() and times[0] >= 0 and (np.diff(times) > 0).all()):
        raise ValueError("argument 'times': slice bounds must be finite, >= 0 and increasing")
    dt = reaction_time * platoon
    n = None
    carry_keys, carry_left = np.zeros(0, dtype=np.int64), np.zeros(0)  # leftover vehicles per pair i * n + j, sorted
    out_o, out_d, out_t = [], [], []
    for k, m in enumerate(matrices):
        coo = sparse.coo_matrix(m) if sparse.issparse(m) else sparse.coo_matrix(np.asarray(m, dtype=np.float64))
        if coo.shape[0] != coo.shape[1] or (n is not None and coo.shape[0] != n):
            raise ValueError(f"argument 'matrices': matrix {k} is {coo.shape[0]} x {coo.shape[1]}, expected square "
                             f"and the same size as the others")
        n = coo.shape[0]
        values = coo.data.astype(np.float64)
        if not (np.isfinite(values).all() and (values >= 0).all()):
            bad = int(np.argmax(~(np.isfinite(values) & (values >= 0))))
            raise ValueError(f"argument 'matrices': matrix {k}, entry ({coo.row[bad]}, {coo.col[bad]}) = "
                             f"{values[bad]} must be finite and >= 0")
        sel = (coo.row != coo.col) & (values > 0)
        i, j, flow = coo.row[sel].astype(np.int64), coo.col[sel].astype(np.int64), values[sel] / (times[k + 1] - times[k])
        keys = i * n + j
        pos = np.searchsorted(carry_keys, keys)
        known = pos < carry_keys.size
        known[known] = carry_keys[pos[known]] == keys[known]
        left = np.zeros(keys.size)
        left[known] = carry_left[pos[known]]
        first, last = int(times[k] / dt), int(times[k + 1] / dt)
        for step in range(first, last):
            left += flow * dt
            m_out = np.floor(left / platoon).astype(np.int64)
            if m_out.any():
                idx = np.repeat(np.arange(i.size), m_out)
                out_o.append(i[idx]), out_d.append(j[idx]), out_t.append(np.full(idx.size, step * dt))
                left -= m_out * platoon
        # Pairs of this slice carry their leftover; earlier pairs absent from it keep theirs.
        keep = ~np.isin(carry_keys, keys)
        carry_keys = np.concatenate([carry_keys[keep], keys])
        carry_left = np.concatenate([carry_left[keep], left])
        order = np.argsort(carry_keys, kind="stable")
        carry_keys, carry_left = carry_keys[order], carry_left[order]
    o = np.concatenate(out_o) if out_o else np.zeros(0, dtype=np.int64)
    d = np.concatenate(out_d) if out_d else np.zeros(0, dtype=np.int64)
    t = np.concatenate(out_t) if out_t else np.zeros(0)
    if zones is not None:
        zones = np.asarray(zones, dtype=object)
        if n is not None and zones.size != n:
            raise ValueError(f"argument 'zones': {zones.size} zones for {n} x {n} matrices")
        o, d = zones[o], zones[d]
    order = np.argsort(t, kind="stable")
    return pd.DataFrame({"origin": o[order], "destination": d[order], "departure": t[order]}).reset_index(drop=True)


@register_result
class TrafficRun(RunResult):
    """One dynamic traffic run: trips of platoons, link time series, totals."""

    model = "traffic"
    units = {"entered": "s", "arrived": "s", "departure": "s", "free_flow_time": "s", "route_entry": "step",
             "inflow": "vehicles per bin", "outflow": "vehicles per bin", "vehicle_seconds": "vehicle s",
             "vehicle_metres": "vehicle m", "dt": "s", "length": "m", "free_speed": "m/s"}
    compressed = ("inflow", "outflow", "vehicle_seconds", "vehicle_metres", "cumulative_in", "cumulative_out",
                  "route_links", "route_entry")

    @property
    def dt(self) -> float:
        """Simulation step in seconds: reaction time x platoon size (UXsim's DELTAT)."""
        return float(self.data["dt"][0])

    @property
    def node_ids(self) -> np.ndarray:
        """The user's node ids, in the order of the network."""
        return np.array(self.parameters["node_ids"], dtype=object)

    @property
    def link_ids(self) -> np.ndarray:
        """The user's link ids, in the order of the network (rows of the link series)."""
        return np.array(self.parameters["link_ids"], dtype=object)

    @property
    def trips(self):
        """Per platoon: origin, destination (user ids), departure, arrival and
        travel time (s; NaN when not arrived by the horizon), vehicles."""
        import pandas as pd

        nodes = self.node_ids
        arrived = self.data["arrived"].astype(np.float64)
        dep_step = np.floor(self.data["departure"] / self.dt)
        arrival = np.where(arrived >= 0, arrived * self.dt, np.nan)
        return pd.DataFrame({"origin": nodes[self.data["origin"]], "destination": nodes[self.data["destination"]],
                             "departure": self.data["departure"], "arrival": arrival,
                             "travel_time": np.where(arrived >= 0, (arrived - dep_step) * self.dt, np.nan),
                             "free_flow_time": self.data["free_flow_time"],
                             "vehicles": np.full(arrived.size, int(self.parameters["platoon"]))})

    @property
    def completed(self) -> float:
        """Share of vehicles that arrived by the horizon."""
        return float(np.mean(self.data["arrived"] >= 0)) if self.data["arrived"].size else 1.0

    @property
    def total_travel_time(self) -> float:
        """Vehicle-seconds of the trips that arrived."""
        t = self.trips
        return float(np.nansum(t["travel_time"] * t["vehicles"]))

    @property
    def mean_delay(self) -> float:
        """Mean over arrived vehicles of travel time minus free-flow shortest time (s)."""
        t = self.trips.dropna(subset=["travel_time"])
        return float(np.mean(t["travel_time"] - t["free_flow_time"])) if len(t) else float("nan")

    def link_series(self):
        """Per link and time bin: inflow and outflow (veh/h), density (veh/km),
        space-mean speed (km/h; NaN when empty), as a long DataFrame."""
        import pandas as pd

        bins = int(self.data["bins"][0])
        width = float(self.parameters["record_interval"])
        L = self.data["length"].size
        shape = (L, bins)
        vs = self.data["vehicle_seconds"].reshape(shape)
        vm = self.data["vehicle_metres"].reshape(shape)
        length = self.data["length"][:, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            speed = np.where(vs > 0, vm / vs * 3.6, np.nan)
        return pd.DataFrame({
            "link": np.repeat(self.link_ids, bins), "start": np.tile(np.arange(bins) * width, L),
            "inflow": (self.data["inflow"].reshape(shape) / width * 3600).ravel(),
            "outflow": (self.data["outflow"].reshape(shape) / width * 3600).ravel(),
            "density": (vs / (width * length) * 1000).ravel(), "speed": speed.ravel()})

    def mfd(self):
        """The network's macroscopic fundamental diagram per time bin: total
        accumulation (veh) and production (veh km/h) over all links."""
        import pandas as pd

        bins = int(self.data["bins"][0])
        width = float(self.parameters["record_interval"])
        L = self.data["length"].size
        vs = self.data["vehicle_seconds"].reshape(L, bins).sum(axis=0)
        vm = self.data["vehicle_metres"].reshape(L, bins).sum(axis=0)
        return pd.DataFrame({"start": np.arange(bins) * width, "accumulation": vs / width,
                             "production": vm / width * 3.6})

    def percolation(self):
        """Traffic percolation in every time bin (Li, Fu, Wang, Lu, Berezin,
        Stanley & Havlin, PNAS 112, 669, 2015): keep the links whose relative
        speed r = space-mean speed / free speed is at least q; q_c is where the
        second-largest cluster peaks as q falls, and the bottleneck is the link
        that then joins the two largest clusters. Links with no vehicle in a bin
        flow freely (r = 1). Li et al. use the link's 95th-percentile speed as
        reference; in this model that is the free speed. Returns a DataFrame:
        start (s), q_c, bottleneck (link id), mean_r (the links' mean relative speed)."""
        import pandas as pd

        from ..graph import Graph
        from ..percolation import threshold

        bins = int(self.data["bins"][0])
        width = float(self.parameters["record_interval"])
        L = self.data["length"].size
        vs = self.data["vehicle_seconds"].reshape(L, bins)
        vm = self.data["vehicle_metres"].reshape(L, bins)
        with np.errstate(invalid="ignore", divide="ignore"):
            r = np.where(vs > 0, vm / vs, np.nan) / self.data["free_speed"][:, None]
        r = np.minimum(np.nan_to_num(r, nan=1.0), 1.0)
        g = Graph.from_arrays(self.data["from_"], self.data["to"], n=len(self.parameters["node_ids"]), directed=True)
        ids = self.link_ids
        rows = []
        for b in range(bins):
            res = threshold(g, r[:, b])
            bottleneck = ids[int(res.bottlenecks[0])] if res.bottlenecks.size else None
            rows.append((b * width, res.q_c, bottleneck, float(np.mean(r[:, b]))))
        return pd.DataFrame(rows, columns=["start", "q_c", "bottleneck", "mean_r"])

    @property
    def routes(self) -> list:
        """Each platoon's links (user ids) in the order driven (up to where it
        was at the horizon): a ``route`` column for ``route_choice='given'``."""
        ids, start, links = self.link_ids, self.data["route_start"], self.data["route_links"]
        return [ids[links[start[p]:start[p + 1]]].tolist() for p in range(start.size - 1)]

    @property
    def days(self):
        """Per day of a ``day_to_day`` run: total travel time (veh s), share
        completed, relative gap and share of platoons that switched route."""
        import pandas as pd

        if "day_relative_gap" not in self.data:
            raise ValueError("this run is not a day-to-day run (ux.traffic.day_to_day)")
        return pd.DataFrame({"day": np.arange(1, self.data["day_relative_gap"].size + 1),
                             "total_travel_time": self.data["day_total_travel_time"],
                             "completed": self.data["day_completed"],
                             "relative_gap": self.data["day_relative_gap"],
                             "switched": self.data["day_switched"]})

    def plot_percolation(self, table=None, ax=None):
        """q_c(t) and the links' mean relative speed per time bin (hours on
        the x axis); ``table`` is a ``percolation()`` result, computed when None."""
        from .._optional import require

        plt = require("matplotlib.pyplot")
        table = self.percolation() if table is None else table
        ax = ax or plt.subplots(figsize=(7, 3.5))[1]  # a fresh figure: a log-scaled current axis would not do
        hours = (table["start"] + float(self.parameters["record_interval"]) / 2) / 3600
        ax.step(hours, table["q_c"], where="mid", label="q_c (traffic percolation)")
        ax.plot(hours, table["mean_r"], "o-", ms=3, label="mean relative speed")
        ax.set_xlabel("time (h)")
        ax.set_ylabel("relative speed v / v_free")
        ax.set_ylim(0, 1.05)
        ax.legend(loc="lower left")
        return ax

    def cumulative(self, link):
        """Cumulative vehicles into and out of ``link`` (a user link id) after
        each step, as two arrays (run with ``record_cumulative=True``)."""
        if self.data["cumulative_in"].size == 0:
            raise ValueError("this run did not keep cumulative counts: simulate(..., record_cumulative=True)")
        ids = self.link_ids.tolist()
        if link not in ids:
            raise ValueError(f"argument 'link': {link!r} is not a link of the network")
        i = ids.index(link)
        steps = int(self.data["steps"][0])
        return (self.data["cumulative_in"].reshape(-1, steps)[i], self.data["cumulative_out"].reshape(-1, steps)[i])


@records_lineage
def simulate(net: TrafficNetwork, trips, *, horizon: float, platoon: int = 5, reaction_time: float = 1.0,
             route_choice: str = "duo", route_interval: float = 600.0, duo_weight: float = 0.5,
             route_cost=None, record_interval: float = 300.0, seed: int = 0, record_cumulative: bool = False,
             progress: bool = False) -> TrafficRun:
    """Dynamic network loading of ``trips`` (a DataFrame of platoons with
    origin, destination, departure in s, e.g. from ``demand``) on ``net`` until
    ``horizon`` (s).

    ``platoon`` vehicles move together (UXsim's deltan); the time step is
    reaction_time * platoon. ``route_choice``: 'duo' (dynamic user optimum:
    every ``route_interval`` s each destination's link preferences move
    ``duo_weight`` of the way to the current shortest-path tree, and platoons
    draw their next link from them), 'fixed' (the shortest path on
    ``route_cost``, one positive cost per link, e.g. a static assignment's
    congested link times as a Series indexed by link id; default the free-flow
    times) or 'given' (each trip's ``route`` column: its link ids in order).
    Link time series are kept per ``record_interval`` s. The result depends on
    ``seed`` only, not on the thread count. Releases the GIL; Ctrl-C stops it;
    ``progress=True`` shows a bar."""
    if route_choice not in ("duo", "fixed", "given"):
        raise ValueError(f"argument 'route_choice': must be 'duo', 'fixed' or 'given', got {route_choice!r}")
    links, platoons, options, extra = _scenario(net, trips, horizon, platoon, reaction_time, route_choice,
                                                route_interval, duo_weight, route_cost, record_interval, seed)
    with progress_callback(progress, "traffic") as cb:
        out = _core.simulate_traffic(links, platoons, options, bool(record_cumulative), cb)
    return _run(net, out, extra, options, record_cumulative)


@records_lineage
def day_to_day(net: TrafficNetwork, trips, *, horizon: float, days: int = 20, platoon: int = 5,
               reaction_time: float = 1.0, route_interval: float = 300.0, route_cost=None,
               record_interval: float = 300.0, seed: int = 0, record_cumulative: bool = False,
               progress: bool = False) -> TrafficRun:
    """Dynamic user equilibrium by day-to-day route swapping (the method of
    successive averages on route flows; Sbayti, Lu & Mahmassani, Transp. Res.
    Rec. 2029, 22, 2007): the same day is loaded ``days`` times. Day 1 uses
    fixed routes (shortest on ``route_cost``, default free-flow times); after
    day k each platoon's time-dependent shortest path on the link travel times
    experienced that day (per ``route_interval`` s of entry time) is found, and
    a share 1 / (k + 1) of the platoons move to it when it is faster.

    Returns the last day's TrafficRun; ``run.days`` gives per day the total
    travel time, the share completed, the relative gap (experienced minus
    shortest trip times over shortest, 0 at equilibrium) and the share of
    platoons that switched. Other arguments as in ``simulate``."""
    days = check_int("days", days, minimum=1)
    links, platoons, options, extra = _scenario(net, trips, horizon, platoon, reaction_time, "fixed",
                                                route_interval, 0.5, route_cost, record_interval, seed)
    with progress_callback(progress, "day-to-day traffic") as cb:
        out = _core.day_to_day_traffic(links, platoons, options, days, bool(record_cumulative), cb)
    options = dict(options, route_choice="day_to_day", days=days)
    return _run(net, out, extra, options, record_cumulative)


def _scenario(net, trips, horizon, platoon, reaction_time, route_choice, route_interval, duo_weight, route_cost,
              record_interval, seed):
    """Checked kernel inputs: link arrays, platoon arrays, options, and what the run keeps besides."""
    import pandas as pd

    if not isinstance(net, TrafficNetwork):
        raise TypeError(f"argument 'net': expected a TrafficNetwork (ux.traffic.network), got {type(net).__name__}")
    if not isinstance(trips, pd.DataFrame):
        raise TypeError(f"argument 'trips': expected a pandas DataFrame, got {type(trips).__name__}")
    for col in ("origin", "destination", "departure"):
        if col not in trips.columns:
            raise ValueError(f"argument 'trips': column {col!r} is missing")
    horizon = check_float("horizon", horizon, minimum=0.0, strict_min=True)
    platoon = check_int("platoon", platoon, minimum=1)
    reaction_time = check_float("reaction_time", reaction_time, minimum=0.0, strict_min=True)
    origin = net.node_index(trips["origin"].tolist(), "trip")
    destination = net.node_index(trips["destination"].tolist(), "trip")
    try:
        departure = trips["departure"].to_numpy(dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError("argument 'trips': column 'departure' must be numeric (seconds)") from None
    outside = ~(np.isfinite(departure) & (departure >= 0) & (departure < horizon))
    if outside.any():
        i = int(np.argmax(outside))
        raise ValueError(f"argument 'trips': trip {trips.index[i]!r} departs at {departure[i]} s, outside "
                         f"[0, horizon = {horizon})")
    same = origin == destination
    if same.any():
        raise ValueError(f"argument 'trips': trip {trips.index[int(np.argmax(same))]!r} has its origin as destination")
    free = net.free_flow_times(origin, destination) if len(trips) else np.zeros(0)
    if np.isinf(free).any():
        i = int(np.argmax(np.isinf(free)))
        raise ValueError(f"argument 'trips': trip {trips.index[i]!r}: destination {trips['destination'].iloc[i]!r} "
                         f"cannot be reached from origin {trips['origin'].iloc[i]!r}")
    platoons = {"origin": origin, "destination": destination, "departure": departure}
    if route_choice == "given":
        platoons.update(_given_routes(net, trips, origin, destination))
    options = {"nodes": int(net.node_ids.size), "horizon": horizon, "platoon": platoon, "reaction_time": reaction_time,
               "route_choice": route_choice,
               "route_interval": check_float("route_interval", route_interval, minimum=0.0, strict_min=True),
               "duo_weight": check_float("duo_weight", duo_weight, minimum=0.0, maximum=1.0, strict_min=True),
               "record_interval": check_float("record_interval", record_interval, minimum=0.0, strict_min=True),
               "route_cost": _route_cost(net, route_cost) if route_cost is not None else None,
               "seed": seed_value(seed)}
    links = {"from_": net.from_, "to": net.to, "length": net.length, "free_speed": net.free_speed,
             "jam_density": net.jam_density, "merge_priority": net.merge_priority, "capacity_out": net.capacity_out,
             "capacity_in": net.capacity_in}
    extra = {"origin": origin, "destination": destination, "departure": departure, "free_flow_time": free}
    return links, platoons, options, extra


def _route_cost(net: TrafficNetwork, cost) -> np.ndarray:
    """Per-link route costs, from an array in link order or a Series indexed by link id."""
    import pandas as pd

    if isinstance(cost, pd.Series):
        missing = pd.Index(net.link_ids).difference(cost.index)
        if len(missing):
            raise ValueError(f"argument 'route_cost': no cost for link {missing[0]!r}")
        cost = cost.reindex(net.link_ids)
    try:
        c = np.asarray(cost, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise TypeError("argument 'route_cost': must be numeric, one value per link") from None
    if c.size != net.links:
        raise ValueError(f"argument 'route_cost': {c.size} values for {net.links} links")
    bad = ~(np.isfinite(c) & (c > 0))
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"argument 'route_cost': link {net.link_ids[i]!r}: cost {c[i]} must be finite and > 0")
    return c


def _given_routes(net: TrafficNetwork, trips, origin, destination) -> dict:
    """Each trip's 'route' (a sequence of link ids) as CSR arrays, checked to go from origin to
    destination; the checks run on all links at once, errors name the first bad trip."""
    import pandas as pd

    if "route" not in trips.columns:
        raise ValueError("argument 'trips': route_choice='given' needs a 'route' column (link ids in order)")
    routes = trips["route"].tolist()
    for i, route in enumerate(routes):
        if not isinstance(route, (list, tuple, np.ndarray)) or len(route) == 0:
            raise ValueError(f"argument 'trips': trip {trips.index[i]!r}: its route must be a non-empty list of link ids")
    lengths = np.fromiter((len(r) for r in routes), dtype=np.int64, count=len(routes))
    start = np.concatenate([[0], np.cumsum(lengths)])
    flat = [link for route in routes for link in route]
    codes = pd.Index(net.link_ids).get_indexer(pd.Index(flat, dtype=object))
    trip_of = np.repeat(np.arange(len(routes)), lengths)

    def fail(bad, message):
        k = int(np.argmax(bad))  # the first bad link, so the first bad trip
        i = int(trip_of[k])
        raise ValueError(f"argument 'trips': trip {trips.index[i]!r}: " + message(k, i))

    if (codes < 0).any():
        fail(codes < 0, lambda k, i: f"link {flat[k]!r} of its route is not in the network")
    first = np.zeros(codes.size, dtype=bool)
    first[start[:-1]] = True
    # Each link starts where the previous one ended (the first at the origin).
    expected = np.where(first, origin[trip_of], np.roll(net.to[codes], 1))
    if (net.from_[codes] != expected).any():
        fail(net.from_[codes] != expected, lambda k, i: f"link {flat[k]!r} of its route does not start where the "
                                                         f"route is")
    last = np.roll(first, -1)
    at_dest = net.to[codes] == destination[trip_of]
    if (at_dest & ~last).any():
        fail(at_dest & ~last, lambda k, i: "its route passes its destination before its end")
    if (~at_dest & last).any():
        fail(~at_dest & last, lambda k, i: "its route does not end at its destination")
    return {"route_start": start.astype(np.uint64), "route_links": codes.astype(np.uint32)}


def _run(net: TrafficNetwork, out: dict, extra: dict, options: dict, record_cumulative: bool) -> TrafficRun:
    """The kernel's arrays as a TrafficRun (link series as links x bins)."""
    L, bins, steps = net.links, int(out["bins"]), int(out["steps"])
    data = {k: v for k, v in out.items() if k not in ("dt", "steps", "bins")}
    for k in ("inflow", "outflow", "vehicle_seconds", "vehicle_metres"):
        data[k] = data[k].reshape(L, bins)
    for k in ("cumulative_in", "cumulative_out"):
        data[k] = data[k].reshape(L, steps) if data[k].size else data[k]
    data.update({"dt": np.array([out["dt"]]), "steps": np.array([steps]), "bins": np.array([bins]), **extra,
                 "length": net.length, "free_speed": net.free_speed, "from_": net.from_, "to": net.to})
    params = {k: v for k, v in options.items() if k not in ("nodes", "seed", "route_cost")}
    params["record_cumulative"] = bool(record_cumulative)
    params["route_cost"] = "given" if options.get("route_cost") is not None else None
    # Ids go with the parameters (JSON in a store): kept as they are when they are
    # strings or integers, as strings otherwise.
    params["node_ids"] = _json_ids(net.node_ids)
    params["link_ids"] = _json_ids(net.link_ids)
    return TrafficRun(data, parameters=params, seed=options["seed"])


def _json_ids(ids) -> list:
    out = [v.item() if isinstance(v, np.generic) else v for v in np.asarray(ids, dtype=object).tolist()]
    if all(isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool)) for v in out):
        return out
    return [str(v) for v in out]
