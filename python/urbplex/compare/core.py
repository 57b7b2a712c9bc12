"""Models, measures and the comparison loop shared by every field.

A *model* is a named object with ``fit(data, train=None, seed=0) -> Fitted``;
a *measure* is a named function ``(observed, predicted) -> float`` with a
direction. :func:`run` fits every model to the same data (over replicates for
stochastic models and over cross-validation folds), measures each fit, and
returns a :class:`~urbplex.compare.leaderboard.Leaderboard`.

The fields' data objects (``FlowData``, ``ScalingData``, ...) say how to split
themselves into folds and what the observed values of a fold are; the models
of a field know how to fit on a training part and predict everywhere.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional, Sequence

import numpy as np


@dataclass
class Fitted:
    """One model fitted to one data set (one replicate, one fold).

    ``params`` and ``stderr`` map parameter names to values and standard
    errors (NaN where the model gives none); ``loglik`` is the maximised
    log-likelihood (NaN where the model has none), ``k`` the number of fitted
    parameters and ``n`` the number of observations the likelihood counts,
    from which :attr:`aic` and :attr:`bic` follow. ``predicted`` holds the
    model's prediction of the whole data (a flow matrix, E[Y] per city, ...);
    ``extra`` what else a field keeps (a curve, the underlying result object).
    """

    model: str
    params: dict = field(default_factory=dict)
    stderr: dict = field(default_factory=dict)
    loglik: float = math.nan
    k: int = 0
    n: int = 0
    predicted: Optional[np.ndarray] = None
    extra: dict = field(default_factory=dict)

    @property
    def aic(self) -> float:
        """Akaike's information criterion, 2k - 2 loglik."""
        return 2 * self.k - 2 * self.loglik

    @property
    def bic(self) -> float:
        """Bayesian information criterion, k ln n - 2 loglik."""
        return self.k * math.log(self.n) - 2 * self.loglik if self.n > 0 else math.nan


@dataclass(frozen=True)
class Measure:
    """A named comparison of observed and predicted values.

    ``fn(observed, predicted)`` returns a number; ``greater_is_better`` gives
    the ranking direction; ``fitted=True`` marks measures read from the fit
    itself (``fn(fitted) -> float``: log-likelihood, BIC, R, f_c) rather than
    from observed and predicted values.
    """

    name: str
    fn: Callable
    greater_is_better: bool = True
    fitted: bool = False
    #: context the data supplies as keywords (e.g. 'distance' for CPC_d)
    needs: tuple = ()

    def __call__(self, *args, **context) -> float:
        return float(self.fn(*args, **{k: context[k] for k in self.needs}))


@dataclass(frozen=True)
class FitValue:
    """A measure read from a fit: an attribute (``loglik``, ``bic``, ``aic``), a
    fitted parameter (``params``) or a kept extra (``extra``). A class rather
    than a lambda, so that measures and leaderboards pickle."""

    where: str
    key: str
    default: Optional[float] = None  # when the fit lacks the key; None: NaN

    def __call__(self, fit: Fitted) -> float:
        if self.where == "attr":
            return getattr(fit, self.key)
        return getattr(fit, self.where).get(self.key, math.nan if self.default is None else self.default)


class Model:
    """Base class of the models :func:`run` compares: a ``name`` and ``fit``.

    Subclasses implement ``fit(data, train=None, seed=0) -> Fitted``, where
    ``train`` is the fold's training part as the data object defines it
    (a boolean mask of pairs, of origins or of cities) or None for all data.
    ``stochastic`` models are refitted per replicate with seeds ``seed + r``.
    """

    name: str = "model"
    stochastic: bool = False

    def fit(self, data, train=None, seed: int = 0) -> Fitted:  # pragma: no cover - interface
        """Fit on ``train`` (None: all data) with ``seed``; return a :class:`Fitted`."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


def _check_names(models: Sequence[Model]) -> None:
    seen = set()
    for m in models:
        if not isinstance(m, Model):
            raise TypeError(f"argument 'models': expected urbplex.compare models, got {type(m).__name__}")
        if m.name in seen:
            raise ValueError(f"argument 'models': two models are named {m.name!r}; give each a distinct name "
                             "(e.g. 'lognormal' and 'lognormal (delta free)')")
        seen.add(m.name)


def _task(model: Model, data, measures: Sequence[Measure], replicate: int, fold: int, folds: Optional[int],
          seed: int) -> tuple[dict, Fitted]:
    """Fit one model on one fold, measure it on the held-out part (or on all the data)."""
    train, test = data.split(fold, folds, seed) if folds else (None, None)
    fitted = model.fit(data, train=train, seed=seed + replicate)
    row: dict[str, Any] = {"model": model.name, "replicate": replicate, "fold": fold}
    for m in measures:
        if m.fitted:
            row[m.name] = m(fitted)
        else:
            obs, pred, context = data.observed_predicted(fitted, test)
            row[m.name] = m(obs, pred, **context)
    return row, fitted


def run(data, models: Sequence[Model], measures: Optional[Sequence[Measure]] = None, *, replicates: int = 1,
        folds: Optional[int] = None, executor=None, seed: int = 0, rank_by: Optional[str] = None,
        skip: tuple = ()):
    """Fit every model to the same data and measure it; returns a :class:`Leaderboard`.

    Parameters
    ----------
    data : FlowData, ScalingData, PowerLawData, NetworkData or AssignmentData
        The observations, with how to split them into folds.
    models : sequence of Model
        Distinctly named models of that field (see the field's constructors).
    measures : sequence of Measure, optional
        Default: the field's ``default_measures``.
    replicates : int
        Fits per stochastic model (seeds ``seed``, ``seed + 1``, ...);
        deterministic models are fitted once per fold.
    folds : int, optional
        k-fold cross-validation as the data splits itself (held-out pairs or
        origins for flows, held-out cities for scaling): each model is fitted
        on k - 1 folds and measured on the held-out one.
    executor : concurrent.futures.Executor, optional
        Runs the (model, replicate, fold) tasks, e.g. a process pool or a
        Dask ``Client.get_executor()``; the table does not depend on it.
    seed : int
        Seed of the folds and of the stochastic models.
    rank_by : str, optional
        The measure that ranks the models (default: the first).
    skip : tuple of exception types
        A model whose fit raises one of these is left out of the table with
        a ``UserWarning`` naming it (e.g. a model with more parameters than
        the cities can identify); other errors propagate.

    Returns
    -------
    Leaderboard
        ``table`` (one row per model: mean and standard deviation of each
        measure over replicates and folds, rank), ``runs`` (one row per fit)
        and ``fitted`` (the fits, by model name).
    """
    from .leaderboard import Leaderboard

    models = list(models)
    if not models:
        raise ValueError("argument 'models': give at least one model")
    _check_names(models)
    measures = list(measures) if measures is not None else list(data.default_measures())
    for m in measures:
        if not isinstance(m, Measure):
            raise TypeError(f"argument 'measures': expected Measure objects, got {type(m).__name__}")
    if replicates < 1 or int(replicates) != replicates:
        raise ValueError(f"argument 'replicates': expected an integer >= 1, got {replicates!r}")
    if folds is not None and (int(folds) != folds or folds < 2):
        raise ValueError(f"argument 'folds': expected an integer >= 2, got {folds!r}")
    names = [m.name for m in measures]
    rank_by = rank_by or names[0]
    if rank_by not in names:
        raise ValueError(f"argument 'rank_by': {rank_by!r} is not among the measures {names}")
    tasks = [(m, r, f) for m in models for r in range(replicates if m.stochastic else 1)
             for f in range(folds or 1)]
    def attempt(call, model):
        try:
            return call()
        except skip as exc:
            import warnings

            warnings.warn(f"compare: {model.name} model left out: {exc}", UserWarning, stacklevel=3)
            return None

    if executor is None:
        results = [attempt(lambda: _task(m, data, measures, r, f, folds, seed), m) for m, r, f in tasks]
    else:
        futures = [executor.submit(_task, m, data, measures, r, f, folds, seed) for m, r, f in tasks]
        results = [attempt(fu.result, m) for fu, (m, _, _) in zip(futures, tasks)]
    left_out = {t[0].name for t, res in zip(tasks, results) if res is None}
    results = [res for res in results if res is not None and res[0]["model"] not in left_out]
    if not results:
        raise ValueError("compare: no model could be fitted to these data")
    return Leaderboard.from_runs([row for row, _ in results], [fit for _, fit in results], measures, rank_by,
                                 field=type(data).__name__, observed=getattr(data, "observed", None),
                                 parameters={"replicates": replicates, "folds": folds, "seed": seed})


def kfold(n: int, folds: int, seed: int) -> np.ndarray:
    """Fold labels 0..folds-1 for n items, balanced, shuffled by ``seed``."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % folds
    rng.shuffle(labels)
    return labels


def measures_by_name(table: Mapping[str, Measure], names: Sequence[str]) -> list[Measure]:
    """The measures of a field named in ``names``, with a clear error for others."""
    out = []
    for n in names:
        if n not in table:
            raise ValueError(f"unknown measure {n!r}; choose from {sorted(table)}")
        out.append(table[n])
    return out
