"""The result of :func:`urbplex.compare.run`: a ranked table whose fits stay retrievable."""
from __future__ import annotations

import math
from typing import Optional, Sequence

import numpy as np

from ..result import RunResult, register_result
from .core import Fitted, Measure


@register_result
class LeaderboardRun(RunResult):
    """A leaderboard as the store keeps it (see :meth:`Leaderboard.save`)."""

    model = "compare.leaderboard"


class Leaderboard:
    """Models ranked by a measure, with the spread over replicates and folds.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per model (index ``model``): for each measure its mean over
        the fits and ``<measure>_std`` (their standard deviation, NaN for a
        single fit), ``rank`` (1 = best by ``rank_by``), ``k`` (fitted
        parameters), ``fits``; sorted by rank.
    runs : pandas.DataFrame
        One row per fit: model, replicate, fold and each measure.
    params : pandas.DataFrame
        The fitted parameters, mean over the fits (one row per model).
    fitted : dict
        Model name -> list of :class:`~urbplex.compare.core.Fitted`.
    """

    def __init__(self, table, runs, params, fitted: dict, measures: Sequence[Measure], rank_by: str,
                 field: str = "", parameters: Optional[dict] = None, observed: Optional[np.ndarray] = None):
        self.table, self.runs, self.params, self.fitted = table, runs, params, fitted
        self.measures = list(measures)
        self.rank_by = rank_by
        self.field = field
        self.parameters = dict(parameters or {})
        self.observed = observed

    # ------------------------------------------------------------------ building
    @classmethod
    def from_runs(cls, rows: list, fits: list, measures: Sequence[Measure], rank_by: str, *, field: str = "",
                  parameters: Optional[dict] = None, observed=None) -> "Leaderboard":
        """The leaderboard of :func:`~urbplex.compare.run`'s rows (one per fit) and fits."""
        import pandas as pd

        runs = pd.DataFrame(rows, columns=["model", "replicate", "fold"] + [m.name for m in measures])
        order = list(dict.fromkeys(runs["model"]))  # models in the order given
        fitted: dict = {name: [] for name in order}
        for f in fits:
            fitted[f.model].append(f)
        grouped = runs.groupby("model", sort=False)
        cols = {}
        for m in measures:
            cols[m.name] = grouped[m.name].mean()
            cols[m.name + "_std"] = grouped[m.name].std(ddof=1)
        table = pd.DataFrame(cols).reindex(order)
        key = table[rank_by]
        direction = next(m.greater_is_better for m in measures if m.name == rank_by)
        table["rank"] = key.rank(ascending=not direction, method="min", na_option="bottom").astype(int)
        table["k"] = [fitted[name][0].k for name in order]
        table["fits"] = [len(fitted[name]) for name in order]
        table = table.sort_values(["rank"], kind="stable")
        table.index.name = "model"
        params = pd.DataFrame([{**{"model": name},
                                **{p: np.mean([f.params.get(p, math.nan) for f in fitted[name]])
                                   for p in fitted[name][0].params}} for name in order]).set_index("model")
        params = params.reindex(table.index)
        return cls(table, runs, params, fitted, measures, rank_by, field, parameters, observed)

    @property
    def best(self) -> str:
        """The name of the top-ranked model."""
        return str(self.table.index[0])

    def __repr__(self) -> str:
        return f"Leaderboard({self.field}, ranked by {self.rank_by})\n{self.table!r}"

    def _repr_html_(self) -> str:
        return self.table._repr_html_()

    def to_frame(self):
        """The table (a copy), one row per model."""
        return self.table.copy()

    # ------------------------------------------------------------------ plots
    def plot(self, kind: str = "ranking", *, measure: Optional[str] = None, models: Optional[Sequence[str]] = None,
             ax=None):
        """Plot the comparison (matplotlib axes).

        ``kind``: 'ranking' (each model's mean of ``measure``, default the
        ranking one, with its standard deviation as an error bar),
        'observed' (observed against predicted values of each model's first
        fit, log-log), 'parameter' (the measure against the parameter for
        models that scanned one while calibrating) or 'curve' (each fit's
        curve: gap against seconds for assignment methods, the largest
        component against the removed fraction for attacks).
        """
        from urbplex._optional import require
        plt = require("matplotlib.pyplot")

        ax = ax or plt.gca()
        measure = measure or self.rank_by
        names = list(models) if models is not None else list(self.table.index)
        if kind == "ranking":
            t = self.table.loc[names]
            y = np.arange(len(t))[::-1]
            ax.barh(y, t[measure], xerr=t[measure + "_std"].fillna(0.0), color="tab:blue", alpha=0.8)
            ax.set_yticks(y, [str(i) for i in t.index])
            ax.set_xlabel(measure)
            return ax
        if kind == "observed":
            if self.observed is None:
                raise ValueError("this leaderboard has no observed values to plot against")
            obs = np.asarray(self.observed, dtype=float).ravel()
            for name in names:
                fit = self.fitted.get(name, [None])[0]
                if fit is None or fit.predicted is None:
                    continue
                pred = np.asarray(fit.predicted, dtype=float).ravel()
                keep = (obs > 0) & (pred > 0)
                ax.loglog(obs[keep], pred[keep], ".", alpha=0.4, label=name)
            lo, hi = obs[obs > 0].min(), obs.max()
            ax.plot([lo, hi], [lo, hi], "k--", lw=1)
            ax.set_xlabel("observed")
            ax.set_ylabel("predicted")
            ax.legend()
            return ax
        if kind == "parameter":
            drawn = 0
            for name in names:
                fit = self.fitted.get(name, [None])[0]
                grid = None if fit is None else fit.extra.get("grid")
                if grid is None or measure not in grid:
                    continue
                ax.plot(grid["param"], grid[measure], "o-", label=name)
                drawn += 1
            if not drawn:
                raise ValueError(f"no model scanned a parameter with measure {measure!r}")
            ax.set_xscale("log")
            ax.set_xlabel("parameter")
            ax.set_ylabel(measure)
            ax.legend()
            return ax
        if kind == "curve":
            drawn = 0
            for name in names:
                fit = self.fitted.get(name, [None])[0]
                curve = None if fit is None else fit.extra.get("curve")
                if curve is None:
                    continue
                if "gap" in curve:  # assignment: gap against wall time
                    ax.semilogy(curve["seconds"], curve["gap"], label=name)
                    ax.set_xlabel("seconds")
                    ax.set_ylabel("relative gap")
                else:  # attack: largest component against the removed fraction
                    ax.plot(curve.iloc[:, 0], curve.iloc[:, 1], label=name)
                    ax.set_xlabel(curve.columns[0])
                    ax.set_ylabel(curve.columns[1])
                drawn += 1
            if not drawn:
                raise ValueError("no fit kept a curve (assignment methods and attack strategies do)")
            ax.legend()
            return ax
        raise ValueError(f"argument 'kind': must be 'ranking', 'observed', 'parameter' or 'curve', got {kind!r}")

    # ------------------------------------------------------------------ store
    def save(self, path, name: str, *, overwrite: bool = False) -> None:
        """Save to the HDF5 store at ``path`` under /runs/<name>: the table and
        the runs (their column order kept), each model's fitted parameters,
        standard errors, likelihoods and the prediction of its first fit."""
        data, meta = {}, {}
        for prefix, frame in (("table", self.table.reset_index()), ("runs", self.runs),
                              ("params", self.params.reset_index())):
            meta[prefix + "_columns"] = [str(c) for c in frame.columns]
            for i, c in enumerate(frame.columns):
                values = frame[c].to_numpy()
                data[f"{prefix}__{i}"] = values.astype(object) if values.dtype.kind in "OUS" else values
        fits = {}
        for i, (model, fs) in enumerate(self.fitted.items()):
            fits[model] = [{"params": f.params, "stderr": f.stderr, "loglik": f.loglik, "k": f.k, "n": f.n}
                           for f in fs]
            if fs and fs[0].predicted is not None:
                data[f"predicted__{i}"] = np.asarray(fs[0].predicted)
        if self.observed is not None:
            data["observed"] = np.asarray(self.observed)
        params = {"field": self.field, "rank_by": self.rank_by, "run": self.parameters, "fits": fits,
                  "models": list(self.fitted),
                  "measures": [{"name": m.name, "greater_is_better": m.greater_is_better} for m in self.measures],
                  **meta}
        LeaderboardRun(data, parameters=params, seed=int(self.parameters.get("seed", 0) or 0)).save(
            path, name, overwrite=overwrite)

    @classmethod
    def load(cls, path, name: str) -> "Leaderboard":
        """Load a leaderboard saved by :meth:`save` (the measures come back by name and
        direction; their functions are not stored: no code is loaded from a file)."""
        import pandas as pd

        run = RunResult.load(path, name)
        p = run.parameters
        frames = {}
        for prefix in ("table", "runs", "params"):
            cols = p[prefix + "_columns"]
            frames[prefix] = pd.DataFrame({c: run.data[f"{prefix}__{i}"] for i, c in enumerate(cols)},
                                          columns=cols)
        table = frames["table"].set_index("model")
        params = frames["params"].set_index("model")
        fitted = {}
        for i, model in enumerate(p["models"]):
            fitted[model] = [Fitted(model=model, params=f["params"], stderr=f["stderr"], loglik=f["loglik"],
                                    k=f["k"], n=f["n"],
                                    predicted=run.data.get(f"predicted__{i}") if j == 0 else None)
                             for j, f in enumerate(p["fits"][model])]
        measures = [Measure(m["name"], _not_stored, m["greater_is_better"]) for m in p["measures"]]
        return cls(table, frames["runs"], params, fitted, measures, p["rank_by"], p["field"], p["run"],
                   run.data.get("observed"))


def _not_stored(*_args):
    raise RuntimeError("a loaded leaderboard's measures cannot be recomputed; run the comparison again")
