"""Urban scaling models compared on one set of cities: every fluctuation model
of Leitao, Miotto, Gerlach & Altmann (R. Soc. Open Sci. 3:150649, 2016), with
fixed and free variance exponents listed as distinct models."""
from __future__ import annotations

import math
from typing import Optional

import numpy as np

from .core import Fitted, FitValue, Measure, Model, kfold

def _rmse_log(o, p) -> float:
    """Root-mean-square error of log Y against log E[Y] (held-out cities)."""
    return math.sqrt(np.mean((np.log(o) - np.log(p)) ** 2))


MEASURES = {
    "bic": Measure("bic", FitValue("attr", "bic"), False, fitted=True),
    "aic": Measure("aic", FitValue("attr", "aic"), False, fitted=True),
    "loglik": Measure("loglik", FitValue("attr", "loglik"), True, fitted=True),
    "rmse_log": Measure("rmse_log", _rmse_log, False),
}


class ScalingData:
    """Cities' sizes ``N`` and indicator ``Y`` (arrays paired by position, or
    Series paired by index, as :func:`urbplex.scaling.fit` takes them).
    Cross-validation holds out cities."""

    def __init__(self, N, Y):
        from ..scaling.fits import _paired

        n_arr, y_arr, index = _paired(N, Y)
        self.N, self.Y, self.index = n_arr, y_arr, index
        self.observed = y_arr

    def default_measures(self):
        """The measures :func:`run` uses when none are given."""
        return [MEASURES["bic"], MEASURES["loglik"], MEASURES["aic"]]

    def _subset(self, mask):
        import pandas as pd

        if mask is None:
            return self.N, self.Y
        if self.index is None:
            return self.N[mask], self.Y[mask]
        return pd.Series(self.N[mask], index=self.index[mask]), pd.Series(self.Y[mask], index=self.index[mask])

    def split(self, fold: int, folds: int, seed: int):
        """(train, test) masks of fold ``fold`` of ``folds`` (shuffled by ``seed``)."""
        labels = kfold(self.N.size, folds, seed)
        return labels != fold, labels == fold

    def observed_predicted(self, fitted: Fitted, test):
        """Observed and predicted values on the test part (all data when None), and the measures' context."""
        keep = (self.Y > 0) if test is None else (test & (self.Y > 0))
        return self.Y[keep], np.asarray(fitted.predicted)[keep], {}


class ScalingModel(Model):
    """One fluctuation model of Y = Y0 N^beta (see :func:`urbplex.scaling.fit`).

    Other keywords (``level``, ``bootstrap``, ``seed``) go to :func:`urbplex.scaling.fit`.
    ``delta``: None for the model's default (lognormal: 2, i.e. constant
    variance of log Y; Gaussian: fitted), a number to fix it, 'fit' to fit
    it. The default name says which: 'lognormal', 'lognormal (delta free)',
    'gaussian (delta=1)', ...
    """

    def __init__(self, fluctuation: str, *, delta=None, ci: str = "robust", name: Optional[str] = None,
                 **fit_options):
        from ..scaling.fits import MODELS

        if fluctuation not in MODELS:
            raise ValueError(f"argument 'fluctuation': must be one of {MODELS}, got {fluctuation!r}")
        self.fluctuation, self.delta, self.ci = fluctuation, delta, ci
        self.fit_options = fit_options  # level, bootstrap of urbplex.scaling.fit
        self.name = name or _default_name(fluctuation, delta)

    def fit(self, data: ScalingData, train=None, seed: int = 0) -> Fitted:
        """Fit on the training cities (all when None) and predict E[Y] for every city."""
        from ..scaling import fit

        N, Y = data._subset(train)
        options = {"seed": seed, **self.fit_options}
        f = fit(N, Y, model=self.fluctuation, delta=self.delta, ci=self.ci, **options)
        params = {"beta": f.beta, "y0": f.y0}
        stderr = {"beta": float(f.data["se"][0]) if "se" in f.data else math.nan, "y0": math.nan}
        if f.delta is not None:
            params["delta"] = f.delta
            stderr["delta"] = math.nan
        return Fitted(model=self.name, params=params, stderr=stderr, loglik=f.loglik, k=int(f.data["k"][0]),
                      n=int(f.data["N"].size), predicted=f.predict(data.N),
                      extra={"fit": f, "ci": f.ci})


def _default_name(fluctuation: str, delta) -> str:
    if fluctuation in ("ols", "poisson"):
        return fluctuation
    if isinstance(delta, str) and delta == "fit":
        return f"{fluctuation} (delta free)"
    if delta is None:
        return "lognormal" if fluctuation == "lognormal" else "gaussian (delta free)"
    if fluctuation == "lognormal" and float(delta) == 2.0:
        return "lognormal"
    return f"{fluctuation} (delta={float(delta):g})"


def leitao_models(*, integer_counts: bool = True) -> list:
    """Leitao et al.'s five models: Gaussian with delta = 1 and with delta free,
    lognormal with delta = 2 and with delta free, and the Poisson (person)
    model (left out when ``integer_counts`` is False)."""
    models = [ScalingModel("gaussian", delta=1.0), ScalingModel("gaussian", delta="fit"),
              ScalingModel("lognormal"), ScalingModel("lognormal", delta="fit")]
    if integer_counts:
        models.append(ScalingModel("poisson"))
    return models
