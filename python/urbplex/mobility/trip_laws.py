"""Trip distribution laws x constrained models, and TDLM's goodness-of-fit measures.

Lenormand, Bassolas & Ramasco, "Systematic comparison of trip distribution
laws and models", J. Transp. Geogr. 51:158-169 (2016); the names and
conventions follow their TDLM package (R, and the Python port ``pytdlm``), so
its users find them:

- laws: ``GravExp``, ``NGravExp``, ``GravPow``, ``NGravPow`` (gravity with
  exponential or power deterrence, plain or normalised per origin),
  ``Schneider`` (intervening opportunities, Schneider 1959), ``Rad``
  (radiation, Simini et al. 2012), ``RadExt`` (extended radiation, Yang et
  al. 2014), ``Rand`` (uniform);
- models: ``UM`` (total trips), ``PCM`` (out-trips per origin), ``ACM``
  (in-trips per destination), ``DCM`` (both, by iterative proportional fitting);
- measures: CPC, NRMSE, KL, CPL, CPC_d (distance bins, 2 km by default), KS.

The laws, models, draws and measures run in C++ (OpenMP); replicate ``r`` of
parameter value ``k`` is drawn on its own counter-based random stream, so a
seed gives the same matrices on any thread count.
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

import numpy as np

from .. import _core
from .._progress import progress_callback
from .._validate import as_numbers, check_float, check_int, seed_value
from ..result import RunResult, register_result

LAWS = ("GravExp", "NGravExp", "GravPow", "NGravPow", "Schneider", "Rad", "RadExt", "Rand")
MODELS = ("UM", "PCM", "ACM", "DCM")
CONVENTIONS = ("exact", "tdlm", "pytdlm")
MEASURES = ("CPC", "NRMSE", "KL", "CPL", "CPC_d", "KS")
DISTANCE_LAWS = ("GravExp", "NGravExp", "GravPow", "NGravPow")
OPPORTUNITY_LAWS = ("Schneider", "Rad", "RadExt")
PARAMETER_FREE = ("Rad", "Rand")

# Lenormand et al. (2016), Fig. 8: the best parameter against the mean surface
# of the zones (km^2), fitted on commuting data; the coefficients TDLM's calib_param uses.
_SURFACE_RULE = {"NGravExp": (0.3028016, -0.1665103), "NGravPow": (1.4280970, 0.1098316),
                 "Schneider": (0.000003022048, -0.026206428187), "RadExt": (0.01531479, 0.58317902)}


def calib_param(av_surf: float, law: str = "NGravExp") -> float:
    """Lenormand et al.'s (2016, Fig. 8) estimate of a law's best parameter from
    the mean surface of the zones ``av_surf`` in km^2 (commuting, distances in km).

    Only for the laws the paper fitted: NGravExp, NGravPow, Schneider, RadExt.
    Kansas' 105 counties (mean 2028.05 km^2) give 0.0852 for NGravExp.
    """
    av_surf = check_float("av_surf", av_surf, minimum=0.0, strict_min=True)
    if law not in _SURFACE_RULE:
        raise ValueError(f"argument 'law': the surface rule exists for {tuple(_SURFACE_RULE)}, got {law!r}")
    a, b = _SURFACE_RULE[law]
    return float(a * av_surf ** b)


@register_result
class TripDistributionResult(RunResult):
    """Simulated OD matrices of one law and model over parameter values.

    ``data['param']`` (k,) the parameter values, ``data['zone']`` (n,) the zone
    ids (origins in rows, destinations in columns, in this order), and either
    ``data['expected']`` (k, n, n) the model's expected matrices (``average=True``)
    or ``data['trips']`` (k, replicates, n, n) integer draws. ``sweeps`` (k,)
    counts the IPF sweeps of the doubly constrained model.
    """

    model = "mobility.trip_distribution"
    compressed = ("trips", "expected")
    units = {"trips": "trips", "expected": "trips"}

    @property
    def params(self) -> np.ndarray:
        """The parameter values, one per first axis of the matrices."""
        return self.data["param"]

    @property
    def zones(self) -> np.ndarray:
        """Zone ids in matrix order."""
        return self.data["zone"]

    @property
    def average(self) -> bool:
        """True when the result holds expected matrices rather than draws."""
        return "expected" in self.data

    def stacked(self) -> np.ndarray:
        """All matrices as (k, replicates, n, n); replicates = 1 for expected matrices."""
        if self.average:
            return self.data["expected"][:, None]
        return self.data["trips"]

    def matrix(self, param: Optional[float] = None, replicate: int = 0) -> np.ndarray:
        """The (n, n) matrix of one parameter value (default: the first) and replicate."""
        k = 0 if param is None else _param_index(self.params, param)
        return self.stacked()[k, replicate]

    def to_frame(self):
        """Non-zero cells as (param, replicate, origin, destination, trips), zone ids kept."""
        import pandas as pd

        m = self.stacked()
        k, r, i, j = np.nonzero(m)
        return pd.DataFrame({"param": self.params[k], "replicate": r, "origin": self.zones[i],
                             "destination": self.zones[j], "trips": m[k, r, i, j]})


def _param_index(params: np.ndarray, value: float) -> int:
    hit = np.flatnonzero(np.isclose(params, value, rtol=1e-12, atol=0) | (np.isnan(params) & np.isnan(value)))
    if hit.size == 0:
        raise KeyError(f"parameter value {value!r} is not among {params.tolist()}")
    return int(hit[0])


# ---------------------------------------------------------------- inputs


def _id(z) -> str:
    """A zone id as the user wrote it: 36103 or 'z3', not np.int64(36103)."""
    return repr(z.item() if hasattr(z, "item") else z)


def _ids_of(value):
    """The zone ids a pandas input carries (index of a Series, rows of a DataFrame)."""
    index = getattr(value, "index", None)
    # list.index is a method: a plain list carries no ids (it read as one zone)
    return None if index is None or callable(index) else np.asarray(index)


def _zone_vector(name: str, value, zones: np.ndarray, keyed: bool) -> np.ndarray:
    """A per-zone vector, aligned by zone id when it is a pandas Series."""
    if keyed and hasattr(value, "reindex") and getattr(value, "ndim", 1) == 1:
        missing = [z for z in zones if z not in value.index]
        if missing:
            raise ValueError(f"argument '{name}': zone {_id(missing[0])} has no value")
        if value.index.has_duplicates:
            dup = value.index[value.index.duplicated()][0]
            raise ValueError(f"argument '{name}': zone {_id(dup)} appears twice")
        value = value.reindex(zones)
    arr = as_numbers(name, value)
    if arr.ndim != 1 or arr.size != zones.size:
        raise ValueError(f"argument '{name}': expected {zones.size} values, one per zone, got shape {arr.shape}")
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"argument '{name}': zone {_id(zones[i])} has {arr[i]} (must be finite and >= 0)")
    return np.ascontiguousarray(arr)


def _zone_matrix(name: str, value, zones: np.ndarray, keyed: bool) -> np.ndarray:
    """A per-pair (n, n) matrix from an array, a sparse matrix or a square DataFrame keyed by zone ids."""
    if hasattr(value, "tocsr") or hasattr(value, "toarray"):
        value = value.toarray()
    if keyed and hasattr(value, "reindex") and getattr(value, "ndim", 0) == 2:
        for axis, labels in (("row", value.index), ("column", value.columns)):
            missing = [z for z in zones if z not in labels]
            if missing:
                raise ValueError(f"argument '{name}': zone {_id(missing[0])} has no {axis}")
        value = value.reindex(index=zones, columns=zones)
    arr = as_numbers(name, value)
    n = zones.size
    if arr.shape != (n, n):
        raise ValueError(f"argument '{name}': expected an ({n}, {n}) matrix, got shape {arr.shape}")
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        i, j = np.unravel_index(int(np.argmax(bad)), arr.shape)
        raise ValueError(f"argument '{name}': pair ({_id(zones[i])}, {_id(zones[j])}) has {arr[i, j]} "
                         "(must be finite and >= 0)")
    return np.ascontiguousarray(arr, dtype=np.float64)


def _distance_matrix(distance, zones: np.ndarray, keyed: bool) -> np.ndarray:
    from .locations import Locations

    if isinstance(distance, Locations):
        if distance.n != zones.size:
            raise ValueError(f"argument 'distance': {distance.n} locations for {zones.size} zones")
        return np.ascontiguousarray(distance.distance_matrix())
    return _zone_matrix("distance", distance, zones, keyed)


def _observed_matrix(obs, zones: np.ndarray, keyed: bool) -> np.ndarray:
    """Observed flows: an (n, n) array or sparse matrix, a square DataFrame, or a
    long frame (origin, destination, flow) keyed by zone ids."""
    import pandas as pd

    # A long frame: columns origin, destination, flow (or any three that are not zone ids: a square
    # frame keyed by zone ids has them as columns, also when there happen to be three zones).
    long = isinstance(obs, pd.DataFrame) and obs.shape[1] == 3 and (
        {"origin", "destination"} <= set(obs.columns) or not set(obs.columns) <= set(zones.tolist()))
    if long:
        origin, destination, flow = (obs.iloc[:, c] for c in range(3))
        where = {z: k for k, z in enumerate(zones)}
        for col, name in ((origin, "origin"), (destination, "destination")):
            unknown = ~col.isin(zones)
            if unknown.any():
                row = col.index[int(np.argmax(unknown.to_numpy()))]
                raise ValueError(f"argument 'obs': {name} {_id(col[row])} at row {_id(row)} is not among the zones")
        values = as_numbers("obs", flow)
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            row = obs.index[int(np.argmax(bad))]
            raise ValueError(f"argument 'obs': flow at row {_id(row)} is {values[bad][0]} (must be finite and >= 0)")
        m = np.zeros((zones.size, zones.size))
        np.add.at(m, (origin.map(where).to_numpy(), destination.map(where).to_numpy()), values)
        return m
    return _zone_matrix("obs", obs, zones, keyed)


def _zones(mass_origin, zones) -> tuple[np.ndarray, bool]:
    """Zone ids: ``zones`` if given, else the index of a pandas ``mass_origin``, else 0..n-1."""
    if zones is not None:
        ids = np.asarray(zones)
        if len(set(ids.tolist())) != ids.size:
            raise ValueError("argument 'zones': zone ids must be unique")
        return ids, True
    ids = _ids_of(mass_origin)
    if ids is not None:
        return ids, True
    n = np.asarray(mass_origin).size
    return np.arange(n), False


_POSITION = re.compile(r"\b(origin|destination|zone) #?(\d+)\b")


def _with_zone_ids(exc: Exception, zones: np.ndarray, context: str = "") -> Exception:
    """The core names zones by position; say their ids instead."""
    text = _POSITION.sub(lambda m: f"{m.group(1)} {_id(zones[int(m.group(2))])}" if int(m.group(2)) < zones.size
                         else m.group(0), str(exc))
    return type(exc)(text + context)


def _integral(name: str, values: np.ndarray, zones: np.ndarray) -> None:
    off = values != np.floor(values)
    if off.any():
        i = int(np.argmax(off))
        raise ValueError(f"argument '{name}': zone {_id(zones[i])} has {values[i]} trips; replicates draw whole "
                         "trips (use average=True for the expected matrix)")


# ---------------------------------------------------------------- models


def trip_distribution(*, law: str = "NGravExp", model: str = "DCM", mass_origin, mass_destination=None,
                      distance=None, opportunity=None, out_trips=None, in_trips=None, param=None,
                      replicates: int = 1, average: bool = False, seed: int = 0, nb_trips=None,
                      convention: str = "exact", zones=None, progress: bool = False) -> TripDistributionResult:
    """Simulate OD matrices from a trip distribution law and a constrained model
    (Lenormand, Bassolas & Ramasco 2016; TDLM's ``run_law_model``).

    Parameters
    ----------
    law : {'GravExp', 'NGravExp', 'GravPow', 'NGravPow', 'Schneider', 'Rad', 'RadExt', 'Rand'}
        The law p_ij. Gravity laws need ``distance``; Schneider, Rad and RadExt
        need intervening opportunities, computed from ``distance`` and ``opportunity``.
    model : {'UM', 'PCM', 'ACM', 'DCM'}
        Unconstrained (total ``nb_trips``, default the sum of ``out_trips``),
        production (``out_trips``), attraction (``in_trips``) or doubly constrained.
    mass_origin, mass_destination : array or pandas Series, shape (n,)
        Masses m_i and m_j (population); ``mass_destination`` defaults to
        ``mass_origin``. A Series is keyed by zone id; its index gives the zone
        ids (unless ``zones`` is given) and the other pandas inputs are aligned to it.
    distance : (n, n) array, square DataFrame keyed by zone ids, or Locations
        Distances d_ij (km for the published parameter ranges and CPC_d's 2 km bins).
    opportunity : array or Series, shape (n,), optional
        The opportunities counted in s_ij (default ``mass_destination``).
    out_trips, in_trips : array or Series, shape (n,)
        Margins O_i and D_j. DCM needs both, with equal totals.
    param : float or sequence of floats
        The law's parameter values (beta); each gives one set of matrices.
        Not used by Rad and Rand.
    replicates : int
        Multinomial draws per value (TDLM's ``nbrep``), each on its own stream.
    average : bool
        Return the expected matrices instead of draws.
    seed : int
        Seed of the draws.
    convention : {'exact', 'tdlm', 'pytdlm'}
        How DCM balances and how replicates are drawn. 'exact' (default): IPF
        to a relative margin error of 1e-10 (zero margins give zero rows or
        columns) and multinomial draws whose mean is the expected matrix.
        'tdlm': the R package's, the convention of its published tables:
        columns then rows, zero margins read as 0.01, stop at 1% closure or 51
        sweeps; draws are the integer parts of the expected counts plus a
        multinomial remainder (DCM over the whole matrix with total sum O_i).
        'pytdlm': the Python port's: rows then columns, zeros read as 1e-6 in
        margins and weights (diagonal included), the same stop and draws, DCM
        drawn per origin.
    zones : sequence, optional
        Zone ids in matrix order.
    progress : bool
        Show a progress bar.

    Returns
    -------
    TripDistributionResult
        ``data['param']``, ``data['zone']`` and ``data['expected']`` (k, n, n)
        or ``data['trips']`` (k, replicates, n, n).

    Raises
    ------
    ValueError
        Unknown law or model; negative, NaN or misaligned masses, margins or
        distances (named by zone id); DCM margins with different totals; a
        law that needs distances given none; non-integer margins for draws.

    Examples
    --------
    >>> import numpy as np, urbplex as ux
    >>> d = np.array([[0., 1., 2.], [1., 0., 1.], [2., 1., 0.]])
    >>> r = ux.mobility.trip_distribution(law="NGravExp", model="PCM", mass_origin=[10, 20, 30],
    ...     distance=d, out_trips=[5, 5, 5], param=0.5, average=True)
    >>> r.matrix().sum(axis=1)
    array([5., 5., 5.])
    """
    if law not in LAWS:
        raise ValueError(f"argument 'law': must be one of {LAWS}, got {law!r}")
    if model not in MODELS:
        raise ValueError(f"argument 'model': must be one of {MODELS}, got {model!r}")
    if convention not in CONVENTIONS:
        raise ValueError(f"argument 'convention': must be one of {CONVENTIONS}, got {convention!r}")
    zone_ids, keyed = _zones(mass_origin, zones)
    n = zone_ids.size
    if n < 2:
        raise ValueError("argument 'mass_origin': need at least 2 zones")
    mi = _zone_vector("mass_origin", mass_origin, zone_ids, keyed)
    mj = mi if mass_destination is None else _zone_vector("mass_destination", mass_destination, zone_ids, keyed)
    replicates = check_int("replicates", replicates, minimum=1)
    average = bool(average)

    if law in DISTANCE_LAWS + OPPORTUNITY_LAWS and distance is None:
        raise ValueError(f"argument 'distance': law {law!r} needs distances between the zones")
    cost = np.zeros(0)
    dist = None
    if distance is not None:
        dist = _distance_matrix(distance, zone_ids, keyed)
    if law in DISTANCE_LAWS:
        cost = dist
    elif law in OPPORTUNITY_LAWS:
        opp = mj if opportunity is None else _zone_vector("opportunity", opportunity, zone_ids, keyed)
        with progress_callback(progress, "opportunities") as cb:
            cost = _core.intervening_opportunities(dist.ravel(), opp, cb)

    if law in PARAMETER_FREE:
        params = np.array([np.nan]) if param is None else np.atleast_1d(as_numbers("param", param)).astype(float)
    else:
        if param is None:
            hint = f"; calib_param(av_surf, {law!r}) estimates it from the zones' mean surface" \
                if law in _SURFACE_RULE else ""
            raise ValueError(f"argument 'param': law {law!r} needs a parameter value{hint}")
        params = np.atleast_1d(as_numbers("param", param)).astype(float)
        if params.ndim != 1 or params.size == 0 or not np.isfinite(params).all():
            raise ValueError("argument 'param': expected finite values")

    needs_out = model in ("PCM", "DCM") or (model == "UM" and nb_trips is None)
    if out_trips is None and needs_out:
        raise ValueError(f"argument 'out_trips': model {model!r} needs the out-trips of every zone"
                         + (" (or nb_trips)" if model == "UM" else ""))
    if in_trips is None and model in ("ACM", "DCM"):
        raise ValueError(f"argument 'in_trips': model {model!r} needs the in-trips of every zone")
    oi = np.zeros(n) if out_trips is None else _zone_vector("out_trips", out_trips, zone_ids, keyed)
    dj = np.zeros(n) if in_trips is None else _zone_vector("in_trips", in_trips, zone_ids, keyed)
    if model == "DCM":
        so, sd = oi.sum(), dj.sum()
        if abs(so - sd) > 1e-9 * max(so, sd):
            raise ValueError(f"argument 'in_trips': total in-trips {sd:g} differ from total out-trips {so:g}; "
                             "the doubly constrained model needs equal totals")
    total = -1.0
    if nb_trips is not None:
        total = check_float("nb_trips", nb_trips, minimum=0.0)
    if not average:
        if model in ("PCM", "DCM"):
            _integral("out_trips", oi, zone_ids)
        if model == "ACM":
            _integral("in_trips", dj, zone_ids)
        if model == "UM":
            t = total if total >= 0 else oi.sum()
            if t != np.floor(t):
                raise ValueError(f"argument 'nb_trips': {t} is not a whole number of trips")
        biggest = max(oi.max(initial=0), dj.max(initial=0), total)
        if biggest >= 2 ** 32:
            raise ValueError("argument 'out_trips': a cell could exceed 2^32 trips; use average=True")
    cells = params.size * (1 if average else replicates) * n * n
    _check_memory(cells * (8 if average else 4))

    with progress_callback(progress, "trip distribution") as cb:
        try:
            raw = _core.trip_distribution(law, model, convention, np.ascontiguousarray(cost).ravel(), mi, mj, oi, dj,
                                          np.ascontiguousarray(params), replicates, average, seed_value(seed),
                                          1e-10, 10000, 1e-6, total, cb)
        except ValueError as exc:
            raise _with_zone_ids(exc, zone_ids, f" (law {law!r}, model {model!r}, param {params.tolist()}: "
                                 "a law whose weights all vanish for an origin, e.g. by underflow at a large "
                                 "parameter, leaves its trips nowhere to go)") from None
    data = {"param": params, "zone": zone_ids, "sweeps": raw["sweeps"]}
    if average:
        data["expected"] = raw["expected"].reshape(params.size, n, n)
    else:
        data["trips"] = raw["trips"].reshape(params.size, replicates, n, n)
    parameters = dict(law=law, model=model, param=None if np.isnan(params).all() else params.tolist(),
                      replicates=replicates, average=average,
                      convention=convention, nb_trips=None if total < 0 else total,
                      opportunity="given" if opportunity is not None else "mass_destination")
    result = TripDistributionResult(data, parameters=parameters, seed=seed_value(seed))
    result._distance = dist  # kept in memory for gof(); not stored
    return result


def batches(values, n: int, budget: int = 1 << 29):
    """``values`` in consecutive batches whose expected matrices (n x n float64
    each) fit in ``budget`` bytes (512 MiB; at least one value a batch): a
    parameter scan then holds a few matrices at a time, not one per value."""
    size = max(1, budget // (8 * n * n))
    values = np.asarray(values, dtype=float)
    return [values[i:i + size] for i in range(0, values.size, size)]


def _check_memory(nbytes: int) -> None:
    try:
        import os

        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return
    if nbytes > 0.8 * physical:
        raise MemoryError(f"the matrices need {nbytes / 2**30:.1f} GiB, more than this machine's memory "
                          f"({physical / 2**30:.1f} GiB): fewer parameter values or replicates per call")


# ---------------------------------------------------------------- measures


def gof(sim, obs, *, distance=None, measures="all", bin_size: float = 2.0, zones=None):
    """Goodness of fit of simulated OD matrices against observed flows (TDLM's ``gof``).

    Parameters
    ----------
    sim : TripDistributionResult, (n, n) or (m, n, n) array, or a list of (n, n) arrays
        The simulated matrices.
    obs : (n, n) array, sparse matrix, square DataFrame, or a frame (origin, destination, flow)
        Observed flows; pandas inputs are keyed by the zone ids of ``sim``.
    distance : (n, n) array or DataFrame, optional
        Distances for CPC_d and KS (default: those ``sim`` was computed with).
    measures : 'all' or a list of 'CPC', 'NRMSE', 'KL', 'CPL', 'CPC_d', 'KS'
        'all' gives the distance measures only when distances are known.
    bin_size : float
        Width of CPC_d's distance bins (2 km in TDLM).
    zones : sequence, optional
        Zone ids of array inputs (default 0..n-1, or those of ``sim``).

    Returns
    -------
    pandas.DataFrame
        One row per parameter value and replicate: ``param``, ``replicate`` and a
        column per measure (KS gives ``KS_stat`` and ``KS_pval``, the asymptotic
        p-value at the effective sample sizes (sum w)^2 / sum w^2, as TDLM).

    Raises
    ------
    ValueError
        Mismatched shapes, unknown measures or zone ids, negative or NaN flows,
        a distance measure without distances.
    """
    import pandas as pd

    if isinstance(sim, TripDistributionResult):
        stack = sim.stacked()
        k, r = stack.shape[:2]
        params, reps = np.repeat(sim.params, r), np.tile(np.arange(r), k)
        zone_ids, keyed = np.asarray(sim.zones), True
        mats = stack.reshape(k * r, *stack.shape[2:])
        if distance is None:
            distance = getattr(sim, "_distance", None)
    else:
        if isinstance(sim, (list, tuple)):
            sim = np.stack([as_numbers("sim", s) for s in sim])
        mats = as_numbers("sim", sim)
        if mats.ndim == 2:
            mats = mats[None]
        if mats.ndim != 3 or mats.shape[1] != mats.shape[2]:
            raise ValueError(f"argument 'sim': expected (n, n) matrices, got shape {mats.shape}")
        params, reps = np.full(mats.shape[0], np.nan), np.arange(mats.shape[0])
        zone_ids, keyed = _zones(np.zeros(mats.shape[1]), zones)
    n = zone_ids.size
    if mats.shape[1:] != (n, n):
        raise ValueError(f"argument 'sim': expected ({n}, {n}) matrices, got {mats.shape[1:]}")
    if mats.dtype != np.uint32 and (not np.isfinite(mats).all() or (mats < 0).any()):
        raise ValueError("argument 'sim': simulated flows must be finite and >= 0")

    wanted = list(MEASURES) if measures == "all" else [measures] if isinstance(measures, str) else list(measures)
    for m in wanted:
        if m not in MEASURES:
            raise ValueError(f"argument 'measures': unknown measure {m!r}; choose from {MEASURES}")
    if distance is None:
        if measures != "all" and any(m in ("CPC_d", "KS") for m in wanted):
            raise ValueError("argument 'distance': CPC_d and KS need the distances between the zones")
        wanted = [m for m in wanted if m not in ("CPC_d", "KS")]
        dist = np.zeros(0)
    else:
        dist = _distance_matrix(distance, zone_ids, keyed).ravel()
    bin_size = check_float("bin_size", bin_size, minimum=0.0, strict_min=True)
    observed = _observed_matrix(obs, zone_ids, keyed)
    if observed.sum() <= 0:
        raise ValueError("argument 'obs': the observed matrix has no flow")
    sims = mats if mats.dtype == np.uint32 else np.asarray(mats, dtype=np.float64)
    fits = _fit_reference(observed.ravel(), dist, bin_size).measure(np.ascontiguousarray(sims).ravel(), mats.shape[0])
    frame = {"param": params, "replicate": reps}
    for m in wanted:
        if m == "KS":
            from scipy.special import kolmogorov

            frame["KS_stat"] = fits["KS_stat"]
            frame["KS_pval"] = kolmogorov(np.sqrt(fits["KS_n_effective"]) * fits["KS_stat"])
        else:
            frame[m] = fits[m]
    return pd.DataFrame(frame)


_REFERENCES: dict = {}


def _fit_reference(observed: np.ndarray, distance: np.ndarray, bin_size: float):
    """The prepared observed matrix and distances (distance order, bins), kept
    for the last few (observed, distance, bin_size) seen: a sweep measures many
    simulations against the same data, and preparing sorts all n^2 pairs."""
    import hashlib

    key = (observed.size, bin_size, hashlib.blake2b(observed.tobytes(), digest_size=16).digest(),
           hashlib.blake2b(distance.tobytes(), digest_size=16).digest())
    ref = _REFERENCES.pop(key, None)
    if ref is None:
        ref = _core.TripFitReference(observed, distance, bin_size)
    _REFERENCES[key] = ref
    while len(_REFERENCES) > 4:
        _REFERENCES.pop(next(iter(_REFERENCES)))
    return ref


def calibrate(*, measure: str = "CPC", av_surf: Optional[float] = None, bounds: Optional[Sequence[float]] = None,
              law: str = "NGravExp", model: str = "DCM", obs, bin_size: float = 2.0, **kwargs):
    """The law's parameter that optimises a measure on the expected matrix.

    Starts from Lenormand et al.'s surface rule (:func:`calib_param`) when
    ``av_surf`` is given, scans a log grid over ``bounds`` (default: a factor 8
    either side of the start) and refines the best cell by bounded Brent
    search (scipy). NRMSE, KL and KS are minimised, the others maximised.
    Other keywords go to :func:`trip_distribution`.

    Returns
    -------
    dict
        ``param``, the measure's value there (``value``), the ``start`` and the
        scanned ``grid`` as a DataFrame.
    """
    from scipy.optimize import minimize_scalar

    if measure not in MEASURES:
        raise ValueError(f"argument 'measure': unknown measure {measure!r}; choose from {MEASURES}")
    if law in PARAMETER_FREE:
        raise ValueError(f"argument 'law': {law!r} has no parameter to calibrate")
    column = "KS_stat" if measure == "KS" else measure
    sign = 1.0 if measure in ("NRMSE", "KL", "KS") else -1.0
    start = calib_param(av_surf, law) if av_surf is not None else None
    if bounds is None:
        if start is None:
            raise ValueError("argument 'bounds': give bounds or av_surf (the surface rule's start)")
        bounds = (start / 8, start * 8)
    lo, hi = (check_float("bounds", b, minimum=0.0, strict_min=True) for b in bounds)
    if not lo < hi:
        raise ValueError("argument 'bounds': expected (low, high) with low < high")
    grid = np.geomspace(lo, hi, 17)
    kwargs = {**kwargs, "law": law, "model": model, "average": True}
    distance = kwargs.get("distance")

    def score(values):
        try:
            res = trip_distribution(param=values, **kwargs)
        except ValueError:
            if len(values) == 1:  # the law leaves an origin no destination here (underflow): no score
                return np.array([np.nan])
            return np.concatenate([score([v]) for v in values])
        return gof(res, obs, distance=distance, measures=[measure], bin_size=bin_size)[column].to_numpy()

    n = len(kwargs["mass_origin"])
    scores = np.concatenate([score(batch) for batch in batches(grid, n)])
    if not np.isfinite(scores).any():
        raise ValueError(f"argument 'bounds': no parameter in ({lo:g}, {hi:g}) gives every origin a destination")
    best = int(np.nanargmin(sign * scores))
    a, b = grid[max(best - 1, 0)], grid[min(best + 1, grid.size - 1)]

    def objective(p):
        value = float(score([p])[0])
        return sign * value if np.isfinite(value) else np.inf

    found = minimize_scalar(objective, bounds=(a, b), method="bounded", options={"xatol": 1e-6 * b})
    import pandas as pd

    return {"param": float(found.x), "value": float(sign * found.fun), "start": start,
            "grid": pd.DataFrame({"param": grid, measure: scores})}
