"""Scaling exponents as a function of the city definition (Arcaute, Hatna, Ferguson, Youn, Johansson
& Batty, "Constructing cities, deconstructing scaling laws", J. R. Soc. Interface 12, 20140745, 2015).

Cities are rebuilt from a population grid by the City Clustering Algorithm
at each density threshold; the indicator is summed over each city's cells
and the scaling law refitted, giving beta(threshold).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .._validate import float_array
from ..graph import Graph
from ..percolation.cities import city_clustering
from .fits import fit


def beta_vs_threshold(cells: Graph, indicator, thresholds: Sequence[float], *, ell: float,
                      model: str = "ols", min_population: float = 0.0, min_cities: int = 3):
    """beta of ``indicator`` (one value per cell, or a Series indexed by the cell keys) for cities defined at
    each density threshold.

    Returns a DataFrame: threshold, cities, beta, ci_low, ci_high. Cities
    below ``min_population`` are left out; thresholds yielding fewer than
    ``min_cities`` cities give NaN.
    """
    import pandas as pd

    if not isinstance(cells, Graph):
        raise TypeError(f"argument 'cells': expected urbplex.Graph, got {type(cells).__name__}")
    y = float_array("indicator", cells._in_vertex_order(indicator), size=cells.n, non_negative=True)
    rows = []
    for th in thresholds:
        labels, _ = city_clustering(cells, threshold=float(th), ell=ell)
        k = int(labels.max()) + 1 if labels.size else 0
        sel = labels >= 0
        N = np.bincount(labels[sel], weights=np.asarray(cells.numeric_node("population"))[sel], minlength=k)
        Y = np.bincount(labels[sel], weights=y[sel], minlength=k)
        keep = N > min_population
        if keep.sum() < min_cities:
            rows.append({"threshold": th, "cities": int(keep.sum()), "beta": np.nan, "ci_low": np.nan,
                         "ci_high": np.nan})
            continue
        f = fit(N[keep], Y[keep], model=model)
        rows.append({"threshold": th, "cities": int(keep.sum()), "beta": f.beta, "ci_low": f.ci[0],
                     "ci_high": f.ci[1]})
    return pd.DataFrame(rows)
