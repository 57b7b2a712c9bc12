"""City Clustering Algorithm (Rozenfeld, Rybski, Andrade, Batty, Stanley & Makse, PNAS 105, 18702, 2008).

Cells of a population grid whose population is at least ``threshold`` are
populated; populated cells closer than ``ell`` belong to the same city.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from .. import _core
from .._validate import check_float, float_array
from ..graph import Graph


def city_clustering(cells, *, threshold: float = 0.0, ell: float, cell_area: Optional[float] = None,
                    x=None, y=None, population=None):
    """Cities of a population grid: returns (labels, table).

    ``cells`` is a Graph (or None with ``x``, ``y``, ``population`` arrays)
    whose node attributes x, y, population describe the grid cells.
    ``labels[i]`` is the city of cell i (-1 if unpopulated); the DataFrame has
    one row per city: population, cells, area (cells * cell_area, default the
    squared median spacing of populated cells along x), and the population
    centroid x, y, sorted by decreasing population.
    """
    import pandas as pd

    if cells is not None:
        if not isinstance(cells, Graph):
            raise TypeError(f"argument 'cells': expected urbplex.Graph or None, got {type(cells).__name__}")
        from ..crs import require_projected

        require_projected(cells, "city_clustering(ell=...)")
        x, y, population = cells.numeric_node("x"), cells.numeric_node("y"), cells.numeric_node("population")
    if x is None or y is None or population is None:
        raise ValueError("give a Graph with node x, y, population, or the arrays x, y and population")
    x = float_array("x", x)
    y = float_array("y", y, size=x.size)
    population = float_array("population", population, size=x.size, non_negative=True)
    ell = check_float("ell", ell, minimum=0.0, strict_min=True)
    threshold = check_float("threshold", threshold, minimum=0.0)
    if cell_area is not None:
        cell_area = check_float("cell_area", cell_area, minimum=0.0, strict_min=True)
    labels = _core.city_clustering(x, y, population, threshold, ell)
    k = int(labels.max()) + 1 if labels.size else 0
    if cell_area is None:
        ux_ = np.unique(x)
        cell_area = float(np.median(np.diff(ux_)) ** 2) if ux_.size > 1 else 1.0
    sel = labels >= 0
    pop = np.bincount(labels[sel], weights=population[sel], minlength=k)
    count = np.bincount(labels[sel], minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        cx = np.bincount(labels[sel], weights=population[sel] * x[sel], minlength=k) / pop
        cy = np.bincount(labels[sel], weights=population[sel] * y[sel], minlength=k) / pop
    table = pd.DataFrame({"city": np.arange(k), "population": pop, "cells": count, "area": count * cell_area,
                          "x": cx, "y": cy}).sort_values("population", ascending=False, kind="stable")
    return labels, table.reset_index(drop=True)
