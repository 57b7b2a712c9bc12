"""Trips for dynamic traffic: platoons from a constant flow (UXsim's
adddemand rule) and from time-dependent OD matrices."""
from __future__ import annotations

import numpy as np

from .._validate import check_float, check_int

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


def od_demand(matrices, times=None, *, zones=None, platoon: int = 5, reaction_time: float = 1.0, profile=None):
    """Platoons from time-dependent OD matrices: ``matrices[k]`` (dense n x n
    array or scipy sparse matrix) holds the vehicles from zone i to zone j
    departing in [times[k], times[k + 1]) s, spread at a constant flow over the
    slice with ``demand``'s rule (each pair accumulates flow x dt per step of
    dt = reaction_time * platoon and a platoon leaves at each full platoon;
    what is left of a pair's last platoon carries into its next slice).
    ``zones`` gives the network node of each zone (default 0..n-1). Diagonal
    entries (trips within a zone) are left out. Returns a DataFrame (origin,
    destination, departure) in departure order.

    By time of day: one daily matrix and ``profile`` (24 hourly weights, or
    'to_work' / 'to_home' for the hourly shares of ``departure_profile``'s
    commuting default) spread the day's trips over the hours, hour h getting
    the share profile[h] / sum(profile) of every pair (``times`` is then
    left out)."""
    import pandas as pd
    from scipy import sparse

    platoon = check_int("platoon", platoon, minimum=1)
    reaction_time = check_float("reaction_time", reaction_time, minimum=0.0, strict_min=True)
    if sparse.issparse(matrices) or (isinstance(matrices, np.ndarray) and matrices.ndim == 2):
        matrices = [matrices]
    matrices = list(matrices)
    if profile is not None:
        matrices, times = _by_hour(matrices, times, profile)
    elif times is None:
        raise ValueError("argument 'times': the slice bounds (s) are needed unless a 'profile' spreads one matrix")
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


def _by_hour(matrices, times, profile):
    """One daily matrix as 24 hourly ones, weighted by ``profile``."""
    if times is not None:
        raise ValueError("arguments 'times' and 'profile': give one of them (a profile makes hourly slices)")
    if len(matrices) != 1:
        raise ValueError(f"argument 'profile': spreads one daily matrix, got {len(matrices)}")
    if isinstance(profile, str):
        from .commuting import departure_profile

        if profile not in ("to_work", "to_home"):
            raise ValueError(f"argument 'profile': 'to_work', 'to_home' or 24 hourly weights, got {profile!r}")
        profile = departure_profile()[profile].to_numpy()
    w = np.asarray(profile, dtype=np.float64)
    if w.shape != (24,) or not (np.isfinite(w).all() and (w >= 0).all()) or w.sum() <= 0:
        raise ValueError("argument 'profile': expected 24 hourly weights, finite, >= 0, not all 0")
    w = w / w.sum()
    return [matrices[0] * w[h] for h in range(24)], np.arange(25) * 3600.0
