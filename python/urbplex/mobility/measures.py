"""Measures of individual mobility on trajectories (agent, time, location).

Trajectories are three equal-length arrays (or a DataFrame with those
columns) sorted by agent then time; locations index a :class:`Locations`.

- radius of gyration and k-radius: González, Hidalgo & Barabási, Nature 453,
  779 (2008); Pappalardo et al., Nat. Commun. 6, 8166 (2015) (returners and
  explorers: r_g^(k) / r_g >= 1/2 means returner, k = 2).
- distinct locations S(t), visitation frequency f_k, random and uncorrelated
  entropies: Song et al., Nat. Phys. 6, 818 (2010); Song et al., Science 327,
  1018 (2010).
- visitation law rho(r, f) ~ (r f)^-eta, eta ~ 2: Schläpfer et al., Nature
  593, 522 (2021).
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from .locations import Locations, great_circle_km, locations_of


def _trajectories(traj, agent=None, time=None, location=None):
    if hasattr(traj, "columns"):
        missing = [c for c in ("agent", "time", "location") if c not in traj.columns]
        if missing:
            hint = (" (raw uid/lat/lng/datetime records: read them with ux.mobility.trajectories(frame))"
                    if {"lat", "lng"} <= set(traj.columns) else "")
            raise ValueError(f"trajectories: the frame has no column(s) {missing}; it has {list(traj.columns)}{hint}")
        agent, time, location = (traj[c].to_numpy() for c in ("agent", "time", "location"))
    elif hasattr(traj, "data") and "location" in getattr(traj, "data", {}):
        loc = traj.data["location"]
        if loc.size == 0:
            raise ValueError("the run did not record trajectories")
        agent = np.repeat(np.arange(loc.shape[0]), loc.shape[1])
        time, location = traj.data["time"].ravel(), loc.ravel()
    else:
        agent, time, location = traj
    time = np.asarray(time)
    if time.dtype == object and time.size and hasattr(time.flat[0], "isoformat"):
        # Timezone-aware datetimes (a pandas column with a tz comes out as Timestamps): to UTC.
        import pandas as pd

        try:
            time = pd.to_datetime(time, utc=True).tz_localize(None).to_numpy("datetime64[ns]")
        except (TypeError, ValueError) as exc:
            raise TypeError(f"trajectories: the times mix datetimes with other values ({exc})") from None
    if np.issubdtype(time.dtype, np.datetime64):  # real units: seconds since the epoch
        if np.isnat(time).any():
            raise ValueError(f"trajectories: record {int(np.argmax(np.isnat(time)))} has no time (NaT)")
        time = time.astype("datetime64[ns]").astype(np.int64) / 1e9
    agent, time, location = np.asarray(agent), np.asarray(time, dtype=np.float64), np.asarray(location)
    if not (agent.shape == time.shape == location.shape) or agent.ndim != 1:
        raise ValueError("trajectories: agent, time and location must be 1-D arrays of one length")
    if agent.size == 0:
        raise ValueError("trajectories: no records")
    if not np.isfinite(time).all():
        raise ValueError(f"trajectories: record {int(np.argmax(~np.isfinite(time)))} has time "
                         f"{time[~np.isfinite(time)][0]} (must be finite)")
    if not np.issubdtype(location.dtype, np.integer):
        whole = np.isfinite(location.astype(np.float64)) & (location == np.floor(location.astype(np.float64)))
        if not whole.all():
            raise ValueError(f"trajectories: record {int(np.argmax(~whole))} has location {location[~whole][0]} "
                             "(must be an integer index)")
    if (location < 0).any():
        bad = int(np.argmax(location < 0))
        raise ValueError(f"trajectories: record {bad} has location {location[bad]} (indices start at 0; "
                         "-1 is not 'the last location')")
    if np.any(np.diff(agent) < 0) or np.any((np.diff(agent) == 0) & (np.diff(time) < 0)):
        raise ValueError("trajectories: records must be sorted by agent, then time")
    return agent, time, location.astype(np.int64)


def _check_indices(location, locs: Locations) -> None:
    if location.max() >= locs.n:
        bad = int(np.argmax(location >= locs.n))
        raise ValueError(f"trajectories: record {bad} visits location {location[bad]}, but there are {locs.n} "
                         f"locations (0..{locs.n - 1})")


def _unique_pairs(agent, location):
    """(agents, locations, first index, counts) of the distinct (agent, location)
    pairs in lexicographic order. One int64 key per record: np.unique over a
    2-row array (axis=1) sorts structured rows, about 10x slower."""
    agent = np.asarray(agent, dtype=np.int64)
    location = np.asarray(location, dtype=np.int64)
    span = int(location.max()) + 1 if location.size else 1
    key = agent * span + location
    uniq, first, counts = np.unique(key, return_index=True, return_counts=True)  # first: the first occurrence
    a, loc = np.divmod(uniq, span)
    return a, loc, first, counts


def _pairs(agent, location, first_visit: bool = False):
    """Distinct (agent, location) pairs with their visit counts (and, if asked,
    the record index of the first visit: records are sorted by agent, then time)."""
    a, loc, first, counts = _unique_pairs(agent, location)
    return (a, loc, counts, first) if first_visit else (a, loc, counts)


def _segments(agent):
    _, first, size = np.unique(agent, return_index=True, return_counts=True)
    return first, size


def radius_of_gyration(traj, locations, *, k: Optional[int] = None, mass: str = "population"):
    """r_g per agent (over every record), or the k-radius over each agent's k most visited locations.

    Places visited equally often are ranked by their first visit (as
    scikit-mobility does), so the k-radius does not depend on how locations
    are numbered."""
    locs = locations_of(locations, mass=mass)
    agent, _, location = _trajectories(traj)
    _check_indices(location, locs)
    a, loc, c, first = _pairs(agent, location, first_visit=True)
    if k is not None:
        k = int(k)
        if k < 1:
            raise ValueError(f"argument 'k': must be >= 1, got {k}")
        order = np.lexsort((first, -c, a))  # by agent, then visits (desc), then first visit
        a, loc, c = a[order], loc[order], c[order]
        first = np.r_[0, np.flatnonzero(np.diff(a)) + 1]
        rank = np.arange(a.size) - np.repeat(first, np.diff(np.r_[first, a.size]))
        keep = rank < k
        a, loc, c = a[keep], loc[keep], c[keep]
    agents, inv = np.unique(a, return_inverse=True)
    w = np.bincount(inv, weights=c)
    cx = np.bincount(inv, weights=c * locs.x[loc]) / w
    cy = np.bincount(inv, weights=c * locs.y[loc]) / w
    d = _point_distance(locs, locs.x[loc], locs.y[loc], cx[inv], cy[inv])
    return np.sqrt(np.bincount(inv, weights=c * d * d) / w)


def _point_distance(locs: Locations, x1, y1, x2, y2):
    if locs.metric == "euclidean":
        return np.hypot(x1 - x2, y1 - y2)
    return great_circle_km(y1, x1, y2, x2)


def returners_explorers(traj, locations, *, k: int = 2, mass: str = "population") -> np.ndarray:
    """True for returners (r_g^(k) / r_g >= 1/2, Pappalardo et al. 2015), per agent."""
    rg = radius_of_gyration(traj, locations, mass=mass)
    rk = radius_of_gyration(traj, locations, k=k, mass=mass)
    return np.where(rg > 0, rk / np.where(rg > 0, rg, 1.0), 1.0) >= 0.5


def jump_lengths(traj, locations, *, mass: str = "population") -> np.ndarray:
    """Distances of consecutive records of the same agent (moves to the same place give 0)."""
    locs = locations_of(locations, mass=mass)
    agent, _, location = _trajectories(traj)
    _check_indices(location, locs)
    same = agent[1:] == agent[:-1]
    o, d = location[:-1][same], location[1:][same]
    return _point_distance(locs, locs.x[o], locs.y[o], locs.x[d], locs.y[d])


def waiting_times(traj) -> np.ndarray:
    """Times between consecutive records of the same agent (seconds when the
    times are datetime64; otherwise in the unit of the times given)."""
    agent, time, _ = _trajectories(traj)
    same = agent[1:] == agent[:-1]
    return np.diff(time)[same]


def log_binned_pdf(values, *, bins: int = 30):
    """Probability density of positive ``values`` in logarithmic bins: (bin centres, density).

    Densities are counts / (n * bin width) over all n values (zeros and
    negatives count in n but in no bin), so they integrate to the positive
    fraction. Empty bins are dropped. The usual estimate for heavy-tailed
    jump lengths and waiting times (e.g. González et al. 2008, Fig. 1).
    """
    v = np.asarray(values, dtype=np.float64).ravel()
    if v.size == 0 or not np.all(np.isfinite(v)):
        raise ValueError("argument 'values': expected a non-empty array of finite numbers")
    pos = v[v > 0]
    if pos.size < 2 or pos.min() == pos.max():
        raise ValueError("argument 'values': needs at least two distinct positive values")
    if not isinstance(bins, (int, np.integer)) or bins < 1:
        raise ValueError(f"argument 'bins': must be a positive integer, got {bins!r}")
    edges = np.logspace(np.log10(pos.min()), np.log10(pos.max()), int(bins) + 1)
    edges[-1] = np.nextafter(edges[-1], np.inf)
    counts, _ = np.histogram(pos, bins=edges)
    keep = counts > 0
    centres = np.sqrt(edges[:-1] * edges[1:])
    return centres[keep], counts[keep] / (v.size * np.diff(edges)[keep])


def plot_distribution(values, *, bins: int = 30, ax=None, label: Optional[str] = None, xlabel: str = ""):
    """Log-binned density of ``values`` (e.g. jump_lengths or waiting_times) on log-log axes."""
    from urbplex._optional import require
    plt = require("matplotlib.pyplot")

    x, pdf = log_binned_pdf(values, bins=bins)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3.5))
    ax.loglog(x, pdf, "o-", ms=3, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("P(x)")
    if label is not None:
        ax.legend(fontsize="small")
    return ax


def distinct_locations(traj) -> np.ndarray:
    """S per agent: the number of distinct locations visited."""
    agent, _, location = _trajectories(traj)
    a, _, _ = _pairs(agent, location)
    return np.bincount(np.unique(a, return_inverse=True)[1])


def distinct_over_time(traj, times) -> np.ndarray:
    """<S(t)>: distinct locations visited up to each time (records at times <= t), averaged over agents."""
    agent, time, location = _trajectories(traj)
    times = np.asarray(times, dtype=np.float64)
    first, size = _segments(agent)
    _, _, first_visit, _ = _unique_pairs(agent, location)
    new = np.zeros(agent.size, dtype=np.int64)
    new[first_visit] = 1
    S = np.cumsum(new) - np.repeat(np.r_[0, np.cumsum(new)[first[1:] - 1]], size)
    out = np.zeros(times.size)
    for f, s in zip(first, size):  # per agent: S at the last record with time <= t
        idx = np.searchsorted(time[f:f + s], times, side="right") - 1
        out += np.where(idx >= 0, S[f + np.maximum(idx, 0)], 0)
    return out / first.size


def visitation_frequency(traj) -> np.ndarray:
    """f_k: mean over agents of the fraction of visits to their k-th most visited location."""
    agent, _, location = _trajectories(traj)
    a, _, c = _pairs(agent, location)
    order = np.lexsort((-c, a))
    a, c = a[order], c[order]
    first = np.r_[0, np.flatnonzero(np.diff(a)) + 1]
    rank = np.arange(a.size) - np.repeat(first, np.diff(np.r_[first, a.size]))
    total = np.bincount(np.unique(a, return_inverse=True)[1], weights=c)
    frac = c / total[np.unique(a, return_inverse=True)[1]]
    return np.bincount(rank, weights=frac) / first.size


def discovery_frequency(traj) -> np.ndarray:
    """Mean over agents of the fraction of visits to the j-th location each discovered (j = 1: the first record)."""
    agent, _, location = _trajectories(traj)
    order = np.argsort(agent, kind="stable")
    agent, location = agent[order], location[order]
    pair_agent, _, first, counts = _unique_pairs(agent, location)
    by_discovery = np.lexsort((first, pair_agent))  # per agent, in order of first visit
    a, c = pair_agent[by_discovery], counts[by_discovery]
    start = np.r_[0, np.flatnonzero(np.diff(a)) + 1]
    j = np.arange(a.size) - np.repeat(start, np.diff(np.r_[start, a.size]))
    inv = np.unique(a, return_inverse=True)[1]
    return np.bincount(j, weights=c / np.bincount(inv, weights=c)[inv]) / start.size


def random_entropy(traj) -> np.ndarray:
    """log2 S per agent."""
    return np.log2(distinct_locations(traj))


def uncorrelated_entropy(traj) -> np.ndarray:
    """-sum_j p_j log2 p_j per agent, p_j the fraction of the agent's records at j."""
    agent, _, location = _trajectories(traj)
    a, _, c = _pairs(agent, location)
    inv = np.unique(a, return_inverse=True)[1]
    p = c / np.bincount(inv, weights=c)[inv]
    return -np.bincount(inv, weights=p * np.log2(p))


def visitors(traj, locations, *, period: float, mass: str = "population"):
    """Visitor table of the visitation law: one row per (agent, location) other
    than the agent's home (its most visited location), with the home distance
    r and the visitation frequency f (visits per ``period`` of observed time)."""
    import pandas as pd

    locs = locations_of(locations, mass=mass)
    period = float(period)
    if not np.isfinite(period) or period <= 0:
        raise ValueError(f"argument 'period': must be a positive number, got {period}")
    agent, time, location = _trajectories(traj)
    first, size = _segments(agent)
    agents, span = agent[first], time[first + size - 1] - time[first]
    a, loc, c = _pairs(agent, location)
    order = np.lexsort((loc, -c, a))  # per agent: most visited first, ties to the lower location id
    starts = np.r_[0, np.flatnonzero(np.diff(a[order])) + 1]
    which = np.searchsorted(agents, a)
    home = loc[order][starts][which]
    keep = loc != home
    a, loc, c, home, which = a[keep], loc[keep], c[keep], home[keep], which[keep]
    periods = np.maximum(span[which], period) / period
    r = _point_distance(locs, locs.x[home], locs.y[home], locs.x[loc], locs.y[loc])
    return pd.DataFrame({"agent": a, "location": loc, "r": r, "f": c / periods})


def visitation_law(r, f, *, bins: int = 20):
    """Exponent eta of rho(r, f) ~ (r f)^-eta (Schläpfer et al. 2021) from visitor distances and frequencies.

    rho is the number of visitors per unit area (2 pi r dr) and per unit
    frequency, estimated on logarithmic bins of r and f; log rho is fitted
    against log(r f) by least squares weighted by the counts. Returns
    (eta, table of the bins).
    """
    import pandas as pd

    r, f = np.asarray(r, dtype=np.float64), np.asarray(f, dtype=np.float64)
    ok = (r > 0) & (f > 0) & np.isfinite(r) & np.isfinite(f)
    if ok.sum() < 10:
        raise ValueError("visitation_law: need at least 10 visitors with r > 0 and f > 0")
    r, f = r[ok], f[ok]
    rb = np.logspace(np.log10(r.min()), np.log10(r.max()) * (1 + 1e-12), bins + 1)
    fb = np.logspace(np.log10(f.min()), np.log10(f.max()) * (1 + 1e-12) + 1e-12, bins + 1)
    counts, _, _ = np.histogram2d(r, f, bins=(rb, fb))
    rc, fc = np.sqrt(rb[:-1] * rb[1:]), np.sqrt(fb[:-1] * fb[1:])
    area = np.pi * (rb[1:] ** 2 - rb[:-1] ** 2)
    rho = counts / (area[:, None] * np.diff(fb)[None, :])
    R, F = np.meshgrid(rc, fc, indexing="ij")
    m = counts > 0
    x, y, w = np.log(R[m] * F[m]), np.log(rho[m]), counts[m]
    slope = np.polyfit(x, y, 1, w=np.sqrt(w))[0]
    table = pd.DataFrame({"r": R[m], "f": F[m], "visitors": counts[m], "rho": rho[m]})
    return float(-slope), table
