"""Mesoscopic dynamic network loading: ``simulate`` and ``day_to_day``.

The kernel is C++ (``_core.simulate_traffic``); this module checks the trips
against the network, maps the user's ids and turns the kernel's arrays into a
``TrafficRun``.
"""
from __future__ import annotations

import re
from contextlib import contextmanager

import numpy as np

from .. import _core
from .._progress import progress_callback
from .._validate import check_float, check_int, plain, seed_value
from ..provenance import records_lineage
from .demand import demand, od_demand  # noqa: F401  (their historical home)
from .network import TrafficNetwork, network  # noqa: F401
from .run import TrafficRun


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
    draw their next link from them; only destinations with platoons on the
    road or about to leave are searched, as far as those platoons stand, and
    a node left out of k updates moves by 1 - (1 - duo_weight)^k when next
    searched; ``run.route_searches`` reports the work), 'fixed' (the shortest path on
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
    with progress_callback(progress, "traffic") as cb, _trip_errors(trips):
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
    with progress_callback(progress, "day-to-day traffic") as cb, _trip_errors(trips):
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
    origin = net.node_index(trips["origin"], "trip")
    destination = net.node_index(trips["destination"], "trip")
    try:
        departure = trips["departure"].to_numpy(dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError("argument 'trips': column 'departure' must be numeric (seconds)") from None
    outside = ~(np.isfinite(departure) & (departure >= 0) & (departure < horizon))
    if outside.any():
        i = int(np.argmax(outside))
        raise ValueError(f"argument 'trips': trip {plain(trips.index[i])!r} departs at {departure[i]} s, outside "
                         f"[0, horizon = {horizon})")
    same = origin == destination
    if same.any():
        raise ValueError(f"argument 'trips': trip {plain(trips.index[int(np.argmax(same))])!r} has its origin as destination")
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
    net.check_capacities(reaction_time)
    options.update(net.kernel_options())
    links = net.kernel_links()
    extra = {"origin": origin, "destination": destination, "departure": departure}
    return links, platoons, options, extra


@contextmanager
def _trip_errors(trips):
    """The kernel names a platoon by its row: say which trip, by the user's ids."""
    try:
        yield
    except ValueError as err:
        m = re.match(r"argument 'platoons': platoon (\d+): its destination cannot be reached", str(err))
        if not m:
            raise
        i = int(m.group(1))
        raise ValueError(f"argument 'trips': trip {plain(trips.index[i])!r}: destination "
                         f"{plain(trips['destination'].iloc[i])!r} cannot be reached from origin "
                         f"{plain(trips['origin'].iloc[i])!r}") from None


def _route_cost(net: TrafficNetwork, cost) -> np.ndarray:
    """Per-link route costs, from an array in link order or a Series indexed by link id."""
    import pandas as pd

    if isinstance(cost, pd.Series):
        missing = pd.Index(net.link_ids).difference(cost.index)
        if len(missing):
            raise ValueError(f"argument 'route_cost': no cost for link {plain(missing[0])!r}")
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
        raise ValueError(f"argument 'route_cost': link {plain(net.link_ids[i])!r}: cost {c[i]} must be finite and > 0")
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
            raise ValueError(f"argument 'trips': trip {plain(trips.index[i])!r}: its route must be a non-empty list of link ids")
    lengths = np.fromiter((len(r) for r in routes), dtype=np.int64, count=len(routes))
    start = np.concatenate([[0], np.cumsum(lengths)])
    flat = [link for route in routes for link in route]
    codes = pd.Index(net.link_ids).get_indexer(pd.Index(flat, dtype=object))
    trip_of = np.repeat(np.arange(len(routes)), lengths)

    def fail(bad, message):
        k = int(np.argmax(bad))  # the first bad link, so the first bad trip
        i = int(trip_of[k])
        raise ValueError(f"argument 'trips': trip {plain(trips.index[i])!r}: " + message(k, i))

    if (codes < 0).any():
        fail(codes < 0, lambda k, i: f"link {plain(flat[k])!r} of its route is not in the network")
    first = np.zeros(codes.size, dtype=bool)
    first[start[:-1]] = True
    # Each link starts where the previous one ended (the first at the origin).
    expected = np.where(first, origin[trip_of], np.roll(net.to[codes], 1))
    if (net.from_[codes] != expected).any():
        fail(net.from_[codes] != expected, lambda k, i: f"link {plain(flat[k])!r} of its route does not start where the "
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
    data = {k: v for k, v in out.items() if k not in ("dt", "steps", "bins", "route_searches", "route_nodes_settled")}
    # Route choice's work (duo): destination searches and the nodes they settled.
    data["route_work"] = np.array([out.get("route_searches", 0), out.get("route_nodes_settled", 0)], dtype=np.uint64)
    for k in ("inflow", "outflow", "vehicle_seconds", "vehicle_metres"):
        data[k] = data[k].reshape(L, bins)
    for k in ("cumulative_in", "cumulative_out"):
        data[k] = data[k].reshape(L, steps) if data[k].size else data[k]
    data.update({"dt": np.array([out["dt"]]), "steps": np.array([steps]), "bins": np.array([bins]), **extra,
                 "length": net.length, "free_speed": net.free_speed, "from_": net.from_, "to": net.to})
    params = {k: v for k, v in options.items()
              if k not in ("nodes", "seed", "route_cost", "node_capacity", "signal_start", "signal_green",
                           "signal_offset")}
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
