"""Heavy-tailed distributions compared on one sample (Clauset, Shalizi & Newman,
SIAM Rev. 51:661, 2009): the power law with its x_min and the alternatives
fitted on the same tail, each with its parameters and likelihood, and Vuong's
likelihood-ratio R and p against the power law."""
from __future__ import annotations

import math
from typing import Optional

import numpy as np

from .core import Fitted, FitValue, Measure, Model

MEASURES = {
    "loglik": Measure("loglik", FitValue("attr", "loglik"), True, fitted=True),
    "aic": Measure("aic", FitValue("attr", "aic"), False, fitted=True),
    "bic": Measure("bic", FitValue("attr", "bic"), False, fitted=True),
    # R > 0 favours the power law: the alternatives rank by -R
    "R": Measure("R", FitValue("extra", "R", 0.0), False, fitted=True),
    "p": Measure("p", FitValue("extra", "p"), True, fitted=True),
}


class PowerLawData:
    """A sample and its power-law fit (x_min scanned, CSN's method), shared by the alternatives."""

    def __init__(self, data, *, discrete: Optional[bool] = None, xmin: Optional[float] = None):
        from ..scaling import power_law

        self.fit = power_law(data, discrete=discrete, xmin=xmin)
        self.observed = None

    def default_measures(self):
        """The measures :func:`run` uses when none are given."""
        return [MEASURES["loglik"], MEASURES["bic"], MEASURES["R"], MEASURES["p"]]

    def split(self, fold, folds, seed):
        """Not defined: the tail is one sample; use the bootstrap (``fit.gof``)."""
        raise ValueError("power-law alternatives are compared on one tail, without folds")


class PowerLawModel(Model):
    """The power law itself (parameters alpha, x_min; k = 1 on the tail)."""

    def __init__(self, *, name: str = "power_law"):
        self.name = name

    def fit(self, data: PowerLawData, train=None, seed: int = 0) -> Fitted:
        """The fit on the tail above x_min."""
        f = data.fit
        loglik = float(np.sum(f.loglik_points(f.tail)))
        return Fitted(model=self.name, params={"alpha": f.alpha, "xmin": f.xmin},
                      stderr={"alpha": f.sigma, "xmin": math.nan}, loglik=loglik, k=1, n=int(f.n_tail),
                      extra={"R": 0.0, "p": math.nan, "fit": f})


class AlternativeModel(Model):
    """An alternative to the power law fitted on the same tail (exponential,
    lognormal, stretched_exponential, truncated_power_law), with its
    parameters, likelihood and Vuong's R and p against the power law."""

    _K = {"exponential": 1, "lognormal": 2, "stretched_exponential": 2, "truncated_power_law": 2}

    def __init__(self, alternative: str, *, name: Optional[str] = None):
        from ..scaling.alternatives import ALTERNATIVES

        if alternative not in ALTERNATIVES:
            raise ValueError(f"argument 'alternative': must be one of {ALTERNATIVES}, got {alternative!r}")
        self.alternative = alternative
        self.name = name or alternative

    def fit(self, data: PowerLawData, train=None, seed: int = 0) -> Fitted:
        """The alternative's maximum-likelihood fit on the power law's tail."""
        params, loglik = data.fit.fit_alternative(self.alternative)
        R, p = data.fit.compare(self.alternative)
        return Fitted(model=self.name, params=params, stderr={k: math.nan for k in params}, loglik=loglik,
                      k=self._K[self.alternative], n=int(data.fit.n_tail), extra={"R": R, "p": p})


def csn_models() -> list:
    """The power law and CSN's four alternatives."""
    return [PowerLawModel()] + [AlternativeModel(a) for a in
                                ("exponential", "lognormal", "stretched_exponential", "truncated_power_law")]
