"""Flow models compared on one observed OD matrix: the trip distribution laws
x constrained models (Lenormand, Bassolas & Ramasco 2016), the Poisson-fitted
gravity models and the radiation model (Simini et al. 2012).

Every flow model gets a likelihood: the observed trips as a multinomial draw
from the model's predicted shares of the pairs evaluated, L = sum T_ij ln p_ij
(p_ij = predicted_ij / sum predicted), so one criterion (log-likelihood, BIC
with k fitted parameters and n = the trips) spans the parameter-free
radiation model and the calibrated laws alike.
"""
from __future__ import annotations

import math
from typing import Optional, Sequence

import numpy as np

from ..mobility import trip_laws as td
from .core import Fitted, FitValue, Measure, Model, kfold

# ---------------------------------------------------------------- measures


def _cpc(o, p):
    return 2 * np.minimum(o, p).sum() / (o.sum() + p.sum())


def _nrmse(o, p):
    return math.sqrt(((o - p) ** 2).sum() / o.sum())


def _kl(o, p):
    both = (o > 0) & (p > 0)
    return float((o[both] / o.sum() * np.log((o[both] / o.sum()) / (p[both] / p.sum()))).sum())


def _cpl(o, p):
    return 2 * ((o > 0) & (p > 0)).sum() / ((o > 0).sum() + (p > 0).sum())


def _cpc_d(o, p, distance, bin_size=2.0):
    k = np.floor(distance / bin_size).astype(np.int64)
    a = np.bincount(k, weights=o)
    b = np.bincount(k, weights=p, minlength=a.size)
    a = np.pad(a, (0, b.size - a.size))
    return 2 * np.minimum(a, b).sum() / (o.sum() + p.sum())


def multinomial_loglik(o, p) -> float:
    """sum T ln(p / sum p): the observed trips as one multinomial draw from the predicted shares."""
    share = p / p.sum()
    pos = o > 0
    with np.errstate(divide="ignore"):
        return float(np.dot(o[pos], np.log(share[pos])))


MEASURES = {
    "CPC": Measure("CPC", _cpc, True),
    "NRMSE": Measure("NRMSE", _nrmse, False),
    "KL": Measure("KL", _kl, False),
    "CPL": Measure("CPL", _cpl, True),
    "CPC_d": Measure("CPC_d", _cpc_d, True, needs=("distance",)),
    "loglik": Measure("loglik", multinomial_loglik, True),
    "bic": Measure("bic", FitValue("attr", "bic"), False, fitted=True),
}


class FlowData:
    """An observed OD matrix with what the flow models need.

    Parameters
    ----------
    observed : (n, n) array, sparse matrix or DataFrame keyed by zone ids
        Observed trips; the diagonal (intra-zone trips) is left out.
    mass_origin, mass_destination : array or Series
        Masses (population); the destination mass defaults to the origin's.
    distance : (n, n) array or DataFrame, or Locations
        Distances (km for the published parameter ranges and CPC_d's 2 km bins).
    locations : Locations, optional
        Needed by the gravity fits and the radiation model of urbplex.mobility.
    out_trips, in_trips : optional
        Margins (default: the observed row and column sums).
    holdout : {'pairs', 'origins'}
        How cross-validation folds split the data: held-out pairs, or every
        pair of held-out origins.
    """

    def __init__(self, observed, *, mass_origin, mass_destination=None, distance=None, locations=None,
                 out_trips=None, in_trips=None, zones=None, holdout: str = "pairs"):
        if holdout not in ("pairs", "origins"):
            raise ValueError(f"argument 'holdout': must be 'pairs' or 'origins', got {holdout!r}")
        self.zones, keyed = td._zones(mass_origin, zones)
        n = self.zones.size
        self.mass_origin = td._zone_vector("mass_origin", mass_origin, self.zones, keyed)
        self.mass_destination = self.mass_origin if mass_destination is None else \
            td._zone_vector("mass_destination", mass_destination, self.zones, keyed)
        obs = td._observed_matrix(observed, self.zones, keyed)
        np.fill_diagonal(obs, 0.0)
        self.observed = obs
        if distance is None and locations is not None:
            distance = locations
        self.distance = None if distance is None else td._distance_matrix(distance, self.zones, keyed)
        self.locations = locations
        self.out_trips = obs.sum(axis=1) if out_trips is None else td._zone_vector("out_trips", out_trips,
                                                                                   self.zones, keyed)
        self.in_trips = obs.sum(axis=0) if in_trips is None else td._zone_vector("in_trips", in_trips,
                                                                                self.zones, keyed)
        self.holdout = holdout
        self.off_diagonal = ~np.eye(n, dtype=bool)

    def default_measures(self):
        """The measures :func:`run` uses when none are given."""
        names = ["CPC", "NRMSE", "KL", "CPL"] + (["CPC_d"] if self.distance is not None else []) + ["loglik"]
        return [MEASURES[m] for m in names]

    def split(self, fold: int, folds: int, seed: int):
        """(train, test) masks of fold ``fold`` of ``folds`` (shuffled by ``seed``)."""
        n = self.zones.size
        if self.holdout == "origins":
            labels = np.repeat(kfold(n, folds, seed)[:, None], n, axis=1)
        else:
            labels = np.full((n, n), -1)
            labels[self.off_diagonal] = kfold(int(self.off_diagonal.sum()), folds, seed)
        test = (labels == fold) & self.off_diagonal
        return (~test) & self.off_diagonal, test

    def observed_predicted(self, fitted: Fitted, test):
        """Observed and predicted values on the test part (all data when None), and the measures' context."""
        cells = self.off_diagonal if test is None else test
        context = {"distance": self.distance[cells] if self.distance is not None else None}
        return self.observed[cells], np.asarray(fitted.predicted, dtype=float)[cells], context


def _fitted(name, data: FlowData, predicted, params, k, train, extra=None, stderr=None) -> Fitted:
    cells = data.off_diagonal if train is None else train
    o, p = data.observed[cells], predicted[cells]
    return Fitted(model=name, params=params, stderr=stderr or {q: math.nan for q in params},
                  loglik=multinomial_loglik(o, p), k=k, n=int(round(o.sum())), predicted=predicted,
                  extra=extra or {})


class TripLawModel(Model):
    """A trip distribution law under a constrained model (TDLM's names).

    ``param``: a number uses it; None calibrates it on the training pairs by
    ``calibrate_by`` (a log grid over ``bounds``, then bounded Brent search on
    the expected matrix). ``draws=True`` predicts a multinomial replicate
    (stochastic: one per replicate seed) instead of the expected matrix.
    """

    _BOUNDS = {"GravExp": (1e-3, 1.0), "NGravExp": (1e-3, 1.0), "GravPow": (0.1, 10.0), "NGravPow": (0.1, 10.0),
               "Schneider": (1e-9, 1e-3), "RadExt": (1e-2, 10.0)}

    def __init__(self, law: str, model: str = "DCM", *, param: Optional[float] = None, calibrate_by: str = "CPC",
                 bounds: Optional[Sequence[float]] = None, convention: str = "exact", draws: bool = False,
                 name: Optional[str] = None):
        if law not in td.LAWS:
            raise ValueError(f"argument 'law': must be one of {td.LAWS}, got {law!r}")
        if model not in td.MODELS:
            raise ValueError(f"argument 'model': must be one of {td.MODELS}, got {model!r}")
        if calibrate_by not in MEASURES or MEASURES[calibrate_by].fitted:
            raise ValueError(f"argument 'calibrate_by': must be a flow measure, got {calibrate_by!r}")
        self.law, self.model, self.param, self.calibrate_by = law, model, param, calibrate_by
        self.bounds = tuple(bounds) if bounds is not None else self._BOUNDS.get(law)
        self.convention, self.draws = convention, bool(draws)
        self.stochastic = self.draws
        self.name = name or f"{law}+{model}"

    def _expected(self, data: FlowData, params):
        return td.trip_distribution(law=self.law, model=self.model, mass_origin=data.mass_origin,
                                    mass_destination=data.mass_destination, distance=data.distance,
                                    out_trips=data.out_trips, in_trips=data.in_trips, param=params, average=True,
                                    convention=self.convention, zones=data.zones)

    def _scan(self, data: FlowData, values: np.ndarray, score) -> np.ndarray:
        """The calibration measure at each value; NaN where the law leaves an origin
        with no destination (all its weights underflow, e.g. Schneider at a large b)."""
        try:
            res = self._expected(data, values)
            return np.array([score(res.data["expected"][i]) for i in range(values.size)])
        except ValueError:
            if values.size == 1:
                return np.array([np.nan])
            return np.concatenate([self._scan(data, values[i:i + 1], score) for i in range(values.size)])

    def fit(self, data: FlowData, train=None, seed: int = 0) -> Fitted:
        """Fit on the training pairs (all when None) and predict every pair."""
        cells = data.off_diagonal if train is None else train
        measure = MEASURES[self.calibrate_by]
        sign = 1.0 if measure.greater_is_better else -1.0
        context = {"distance": data.distance[cells] if data.distance is not None else None}

        def score(matrix):
            return measure(data.observed[cells], matrix[cells], **context)

        grid = None
        if self.law in td.PARAMETER_FREE:
            best, k = None, 0
        elif self.param is not None:
            best, k = float(self.param), 1
        else:
            from scipy.optimize import minimize_scalar

            lo, hi = self.bounds
            values = np.geomspace(lo, hi, 25)
            scores = np.concatenate([self._scan(data, batch, score)
                                     for batch in td.batches(values, data.zones.size)])
            if not np.isfinite(scores).any():
                raise ValueError(f"model {self.name!r}: no parameter in {self.bounds} gives every origin a "
                                 "destination; give bounds=")
            i = int(np.nanargmax(sign * scores))
            a, b = values[max(i - 1, 0)], values[min(i + 1, values.size - 1)]

            def objective(q):
                value = self._scan(data, np.array([q]), score)[0]
                return -sign * value if np.isfinite(value) else np.inf

            found = minimize_scalar(objective, bounds=(a, b), method="bounded", options={"xatol": 1e-6 * b})
            best, k = float(found.x), 1
            import pandas as pd

            grid = pd.DataFrame({"param": values, self.calibrate_by: scores})
        expected = self._expected(data, None if best is None else [best]).matrix()
        predicted = expected
        if self.draws:
            draw = td.trip_distribution(law=self.law, model=self.model, mass_origin=data.mass_origin,
                                        mass_destination=data.mass_destination, distance=data.distance,
                                        out_trips=data.out_trips, in_trips=data.in_trips,
                                        param=None if best is None else [best], convention=self.convention,
                                        zones=data.zones, seed=seed)
            predicted = draw.matrix().astype(float)
        params = {} if best is None else {"param": best}
        f = _fitted(self.name, data, predicted, params, k, train, extra={"grid": grid} if grid is not None else {})
        if self.draws:  # the likelihood is the expected matrix's, not the draw's (which has zeros)
            f.loglik = multinomial_loglik(data.observed[cells], expected[cells])
        return f


class GravityModel(Model):
    """urbplex.mobility.fit_gravity: Poisson maximum likelihood on every pair (no cross-validation)."""

    def __init__(self, constraint: str = "doubly", deterrence: str = "exponential", *, name: Optional[str] = None):
        self.constraint, self.deterrence = constraint, deterrence
        self.name = name or f"gravity-{constraint}-{deterrence}"

    def fit(self, data: FlowData, train=None, seed: int = 0) -> Fitted:
        """Fit on the training pairs (all when None) and predict every pair."""
        from ..mobility import fit_gravity

        if train is not None:
            raise ValueError(f"model {self.name!r}: the Poisson gravity fit uses every pair; cross-validate "
                             "TripLawModel('GravExp' or 'GravPow', ...) instead")
        if data.locations is None:
            raise ValueError(f"model {self.name!r}: FlowData needs locations= for the gravity fit")
        f = fit_gravity(data.locations, data.observed, constraint=self.constraint, deterrence=self.deterrence)
        fitted = {k: v for k, v in f.params.items() if k != "loglik" and not math.isnan(v)}
        k = len(fitted)
        return _fitted(self.name, data, np.asarray(f.matrix, dtype=float), fitted, k, train, extra={"fit": f})


class RadiationModel(Model):
    """urbplex.mobility.radiation with the observed out-trips (parameter free)."""

    def __init__(self, *, finite_size: bool = True, name: Optional[str] = None):
        self.finite_size = bool(finite_size)
        self.name = name or "radiation"

    def fit(self, data: FlowData, train=None, seed: int = 0) -> Fitted:
        """Fit on the training pairs (all when None) and predict every pair."""
        from ..mobility import radiation

        if data.locations is None:
            raise ValueError(f"model {self.name!r}: FlowData needs locations= for the radiation model")
        r = radiation(data.locations, outflows=data.out_trips, finite_size=self.finite_size)
        return _fitted(self.name, data, np.asarray(r.matrix, dtype=float), {}, 0, train)


def laws(models: Sequence[str] = ("DCM",), laws: Sequence[str] = td.LAWS, **kwargs) -> list:
    """Every law under every given constrained model, as TripLawModels (keywords go to each)."""
    return [TripLawModel(law, model, **kwargs) for model in models for law in laws]
