"""Commuting days: home -> work -> (other ->) home trips from any OD flows,
with departure times from a daily profile that has morning and evening peaks.

The default profile: the trip to work leaves at a time drawn from a normal
distribution with mean 7:45 and standard deviation 1 h, truncated to 5:00 -
11:00, and the commuter stays at work for a normal 8.75 h (s.d. 1 h,
truncated to 6 - 11 h) before going home. This puts the morning peak at 7-8
h and a broader evening peak at 16-17 h, the weekday shape of commuting in
household travel surveys (McGuckin & Fucci, "Summary of Travel Trends: 2017
National Household Travel Survey", FHWA-PL-18-019, 2018: trips to work peak
between 7 and 8 h, trips home between 16 and 18 h). It is a documented
default, not a fit to a city: pass your own profile where you have one.

Activity chains: a share ``other_share`` of commuters stop at a third place
on the way home (work -> other -> home; trip chaining on the evening commute,
McGuckin & Murakami, Transp. Res. Rec. 1693, 79, 1999), chosen in proportion
to the flows out of their home zone.
"""
from __future__ import annotations

import numpy as np

from .._validate import check_float, check_int, plain, seed_value

#: (mean, standard deviation, low, high) in hours of the default profile
OUTBOUND = (7.75, 1.0, 5.0, 11.0)
STAY = (8.75, 1.0, 6.0, 11.0)
OTHER_STAY = (1.0, 0.5, 0.25, 3.0)


def departure_profile(*, samples: int = 1_000_000, seed: int = 0):
    """The default profile's hourly shares of departures: a DataFrame with
    hour (0..23), to_work and to_home (shares summing to 1 each), estimated
    from ``samples`` draws of the profile ``commuting_demand`` uses."""
    import pandas as pd

    samples = check_int("samples", samples, minimum=1)
    rng = np.random.default_rng(seed_value(seed))
    out = _truncated_normal(rng, samples, *OUTBOUND)
    back = out + _truncated_normal(rng, samples, *STAY)
    bins = np.arange(25)
    return pd.DataFrame({"hour": bins[:-1], "to_work": np.histogram(out, bins)[0] / samples,
                         "to_home": np.histogram(back, bins)[0] / samples})


def commuting_demand(flows, *, zones=None, scale: float = 1.0, platoon: int = 5, to_work=None, stay=None,
                     other_share: float = 0.0, seed: int = 0):
    """Trips of a commuting day from OD flows (commuters from home zone i to
    work zone j) as platoons for ``simulate``.

    Parameters
    ----------
    flows : FlowResult, TripDistributionResult, array, sparse matrix or DataFrame
        Commuters per (home, work) pair: a flow model's result
        (``ux.mobility.gravity``, ``radiation``, ``trip_distribution`` - its
        first matrix), an n x n matrix, or an observed OD table with columns
        origin, destination and one of flow / trips / commuters.
    zones : array-like or mapping, optional
        The network node of each zone: one node id per matrix row (a
        TripDistributionResult's zone order), or a mapping zone id -> node id
        for a table or a result with zone ids. Default: zone ids are node ids.
    scale : float
        Multiplies every flow (e.g. a car share, or a sample rate).
    platoon : int
        Commuters per row (one platoon of ``simulate``, which must use the
        same ``platoon``). A pair's commuters / platoon is rounded at random
        without bias.
    to_work : None, 24 hourly weights, or callable
        When trips to work leave (hours after midnight): default the profile
        above; 24 weights give the share per hour (uniform within it); a
        callable ``f(rng, n)`` returns n times in hours.
    stay : None, (mean, sd) hours, or callable
        Time between leaving for work and leaving work (default 8.75 +- 1 h,
        truncated to 6 - 11 h); a callable ``f(rng, n)`` returns n durations.
    other_share : float
        Share of commuters who stop at another zone on the way home (stay
        1 +- 0.5 h there).
    seed : int

    Returns
    -------
    pandas.DataFrame
        One row per platoon trip, in departure order: agent (the platoon's
        commuters), origin, destination (node ids), departure (s after
        midnight), purpose ('work', 'other' or 'home'). Pairs whose home and
        work are the same node make no trip.

    Raises
    ------
    ValueError
        Negative or non-finite flows (naming the pair), a zone without a
        node, a profile of the wrong length.
    """
    import pandas as pd

    scale = check_float("scale", scale, minimum=0.0)
    platoon = check_int("platoon", platoon, minimum=1)
    other_share = check_float("other_share", other_share, minimum=0.0, maximum=1.0)
    rng = np.random.default_rng(seed_value(seed))
    pairs = _pairs(flows)
    home, work, count, zone_ids = pairs
    node_of = _zone_nodes(zones, zone_ids)
    home_node, work_node = node_of(home), node_of(work)
    keep = home_node != work_node
    home, work, count = home[keep], work[keep], count[keep] * scale
    home_node, work_node = home_node[keep], work_node[keep]
    # Platoons per pair, rounded at random without bias.
    exact = count / platoon
    n_pl = np.floor(exact).astype(np.int64)
    n_pl += rng.random(exact.size) < exact - n_pl
    pair = np.repeat(np.arange(exact.size), n_pl)
    n = pair.size
    leave_home = _draw_times(to_work, rng, n, "to_work") * 3600.0
    leave_work = leave_home + _draw_stay(stay, rng, n) * 3600.0
    agents = np.arange(n)
    o = [home_node[pair], work_node[pair]]
    d = [work_node[pair], home_node[pair]]
    t = [leave_home, leave_work]
    purpose = [np.full(n, "work", dtype=object), np.full(n, "home", dtype=object)]
    who = [agents, agents]
    if other_share > 0 and n:
        stops = np.flatnonzero(rng.random(n) < other_share)
        other = _other_nodes(pairs, home[pair[stops]], node_of, rng, len(zone_ids))
        valid = (other != work_node[pair[stops]]) & (other != home_node[pair[stops]])
        stops, other = stops[valid], other[valid]
        d[1] = d[1].copy()
        d[1][stops] = other  # work -> other ...
        purpose[1] = purpose[1].copy()
        purpose[1][stops] = "other"
        o.append(other)  # ... -> home, after the stay
        d.append(home_node[pair[stops]])
        t.append(leave_work[stops] + _truncated_normal(rng, stops.size, *OTHER_STAY) * 3600.0)
        purpose.append(np.full(stops.size, "home", dtype=object))
        who.append(stops)
    frame = pd.DataFrame({"agent": np.concatenate(who), "origin": np.concatenate(o),
                          "destination": np.concatenate(d), "departure": np.concatenate(t),
                          "purpose": np.concatenate(purpose)})
    return frame.sort_values(["departure", "agent"], kind="stable").reset_index(drop=True)


def _truncated_normal(rng, n: int, mean: float, sd: float, low: float, high: float) -> np.ndarray:
    """n draws of a normal truncated to [low, high] (inverse-CDF, exact)."""
    from scipy.stats import truncnorm

    return truncnorm.rvs((low - mean) / sd, (high - mean) / sd, loc=mean, scale=sd, size=n, random_state=rng)


def _draw_times(profile, rng, n: int, name: str) -> np.ndarray:
    if profile is None:
        return _truncated_normal(rng, n, *OUTBOUND)
    if callable(profile):
        t = np.asarray(profile(rng, n), dtype=np.float64)
        if t.shape != (n,) or not (np.isfinite(t).all() and (t >= 0).all()):
            raise ValueError(f"argument {name!r}: the callable must return {n} finite times >= 0 (hours)")
        return t
    w = np.asarray(profile, dtype=np.float64)
    if w.shape != (24,) or not (np.isfinite(w).all() and (w >= 0).all()) or w.sum() <= 0:
        raise ValueError(f"argument {name!r}: expected 24 hourly weights, finite, >= 0, not all 0")
    hour = rng.choice(24, size=n, p=w / w.sum())
    return hour + rng.random(n)


def _draw_stay(stay, rng, n: int) -> np.ndarray:
    if stay is None:
        return _truncated_normal(rng, n, *STAY)
    if callable(stay):
        s = np.asarray(stay(rng, n), dtype=np.float64)
    else:
        try:
            mean, sd = (float(v) for v in stay)
        except (TypeError, ValueError):
            raise TypeError("argument 'stay': expected (mean, sd) in hours or a callable") from None
        if not (mean > 0 and sd >= 0):
            raise ValueError(f"argument 'stay': mean {mean} must be > 0 and sd {sd} >= 0")
        s = _truncated_normal(rng, n, mean, sd, 0.0, 24.0) if sd > 0 else np.full(n, mean)
    if s.shape != (n,) or not (np.isfinite(s).all() and (s > 0).all()):
        raise ValueError(f"argument 'stay': expected {n} finite durations > 0 (hours)")
    return s


def _pairs(flows):
    """(home index, work index, commuters, zone ids) of the non-zero pairs."""
    import pandas as pd
    from scipy import sparse

    zone_ids = None
    if hasattr(flows, "stacked") and hasattr(flows, "zones"):  # TripDistributionResult
        zone_ids, flows = np.asarray(flows.zones), flows.matrix()
    elif hasattr(flows, "matrix") and not callable(flows.matrix):  # FlowResult
        flows = flows.matrix
    if isinstance(flows, pd.DataFrame):
        value = next((c for c in ("flow", "trips", "commuters") if c in flows.columns), None)
        if value is None or not {"origin", "destination"} <= set(flows.columns):
            raise ValueError("argument 'flows': an OD table needs columns origin, destination and one of flow, "
                             f"trips, commuters (columns: {list(flows.columns)})")
        ids = pd.unique(pd.concat([flows["origin"], flows["destination"]], ignore_index=True))
        index = pd.Index(ids)
        i, j = index.get_indexer(flows["origin"]), index.get_indexer(flows["destination"])
        c = pd.to_numeric(flows[value], errors="coerce").to_numpy(dtype=np.float64)
        bad = ~(np.isfinite(c) & (c >= 0))
        if bad.any():
            k = int(np.argmax(bad))
            raise ValueError(f"argument 'flows': row {plain(flows.index[k])!r}: {value} = {plain(flows[value].iloc[k])!r} "
                             f"must be a finite number >= 0")
        return i, j, c, np.asarray(ids, dtype=object)
    m = sparse.coo_matrix(flows) if sparse.issparse(flows) else sparse.coo_matrix(np.asarray(flows, dtype=np.float64))
    if m.shape[0] != m.shape[1]:
        raise ValueError(f"argument 'flows': expected a square OD matrix, got {m.shape[0]} x {m.shape[1]}")
    c = m.data.astype(np.float64)
    bad = ~(np.isfinite(c) & (c >= 0))
    if bad.any():
        k = int(np.argmax(bad))
        raise ValueError(f"argument 'flows': entry ({m.row[k]}, {m.col[k]}) = {c[k]} must be finite and >= 0")
    ids = np.arange(m.shape[0]) if zone_ids is None else zone_ids
    return m.row.astype(np.int64), m.col.astype(np.int64), c, ids


def _zone_nodes(zones, zone_ids):
    """A function mapping zone indices to node ids."""
    if zones is None:
        table = np.asarray(zone_ids, dtype=object)
    elif hasattr(zones, "items") or hasattr(zones, "to_dict"):
        mapping = zones.to_dict() if hasattr(zones, "to_dict") else dict(zones)
        missing = [z for z in zone_ids if z not in mapping]
        if missing:
            raise ValueError(f"argument 'zones': zone {plain(missing[0])!r} has no node")
        table = np.array([mapping[z] for z in zone_ids], dtype=object)
    else:
        table = np.asarray(zones, dtype=object)
        if table.shape != (len(zone_ids),):
            raise ValueError(f"argument 'zones': {table.size} nodes for {len(zone_ids)} zones")
    return lambda idx: table[idx]


def _other_nodes(pairs, home, node_of, rng, n_zones) -> np.ndarray:
    """Per stop, a zone drawn in proportion to the flows out of the commuter's home zone
    (``pairs``: _pairs' home, work, commuters of every pair, before any is left out)."""
    import pandas as pd

    i, j, c, _ = pairs
    frame = pd.DataFrame({"i": i, "j": j, "c": c}).sort_values(["i", "j"], kind="stable")
    i, j, c = frame["i"].to_numpy(), frame["j"].to_numpy(), frame["c"].to_numpy()
    start = np.searchsorted(i, np.arange(n_zones + 1))
    cum = np.cumsum(c)
    before = np.where(start[:-1] > 0, cum[np.maximum(start[:-1] - 1, 0)], 0.0)
    total = np.where(start[1:] > start[:-1], cum[np.maximum(start[1:] - 1, 0)] - before, 0.0)
    u = before[home] + rng.random(home.size) * total[home]
    pick = np.clip(np.searchsorted(cum, u, side="right"), start[home], np.maximum(start[home + 1] - 1, start[home]))
    return node_of(j[np.minimum(pick, j.size - 1)])
