"""Coordinate reference systems of graphs: projected (metres) or longitude/latitude.

Methods that measure distances or areas on ``x``/``y`` (grid pyramids, city
clustering, spatial generators) assume projected coordinates in metres. A
graph whose :attr:`~urbplex.Graph.crs` is geographic (EPSG:4326, OSMnx's
default) is refused by them with an error that says how to project it; a graph
with no CRS whose coordinates look like degrees gets a warning.
"""
from __future__ import annotations

import warnings
from typing import Optional

import numpy as np

_GEOGRAPHIC_NAMES = {"epsg:4326", "wgs84", "wgs 84", "ogc:crs84", "crs84", "epsg:4269", "epsg:4258",
                     "+proj=longlat", "+proj=latlong"}


def is_geographic(crs: Optional[str]) -> bool:
    """True if ``crs`` is a longitude/latitude system (pyproj decides when installed)."""
    if crs is None:
        return False
    text = str(crs).strip().lower()
    if text in _GEOGRAPHIC_NAMES or text.startswith("+proj=longlat") or text.startswith("+proj=latlong"):
        return True
    try:
        import pyproj
    except ImportError:
        return False
    try:
        return bool(pyproj.CRS.from_user_input(crs).is_geographic)
    except pyproj.exceptions.CRSError as exc:
        raise ValueError(f"crs {crs!r} is not a coordinate reference system pyproj knows ({exc})") from None


def axis_unit(crs: Optional[str]) -> Optional[str]:
    """Unit of the x/y axes of ``crs``: ``degree`` for lon/lat, else pyproj's
    axis unit (``metre``, ``US survey foot``...), None when unknown."""
    if crs is None:
        return None
    if is_geographic(crs):
        return "degree"
    try:
        import pyproj
    except ImportError:
        return None
    try:
        axes = pyproj.CRS.from_user_input(crs).axis_info
    except pyproj.exceptions.CRSError:
        return None
    return axes[0].unit_name if axes else None


def require_projected(graph, what: str) -> None:
    """Refuse a lon/lat graph for ``what``; warn when a CRS-less graph looks like
    degrees (a city-sized patch of lon/lat: abs(x) <= 180, abs(y) <= 90, spanning
    under 5 units, not integers as on a lattice, and not the unit square of
    the spatial generators)."""
    if graph.is_geographic:
        raise ValueError(f"{what} measures x/y in metres, but the graph's crs is {graph.crs!r} (longitude/latitude "
                         "degrees); project it first, e.g. graph.to_crs('EPSG:3857') or a local UTM zone")
    if graph.crs is None and graph.n and {"x", "y"} <= set(graph.node_attr_names):
        x, y = np.asarray(graph.node("x"), dtype=float), np.asarray(graph.node("y"), dtype=float)
        in_unit_square = np.nanmin(x) >= 0 and np.nanmax(x) <= 1 and np.nanmin(y) >= 0 and np.nanmax(y) <= 1
        integral = bool(np.all(x[np.isfinite(x)] % 1 == 0) and np.all(y[np.isfinite(y)] % 1 == 0))  # a lattice
        if (not in_unit_square and not integral and np.nanmax(np.abs(x)) <= 180 and np.nanmax(np.abs(y)) <= 90
                and max(np.nanmax(x) - np.nanmin(x), np.nanmax(y) - np.nanmin(y)) < 5):
            warnings.warn(f"{what}: the graph has no crs and its x/y look like longitude/latitude degrees; "
                          "distances are taken in the units of x/y. Declare it with graph.with_crs(...) "
                          "and project with graph.to_crs(...)", UserWarning, stacklevel=3)


def reproject(graph, crs: str):
    """``graph`` with ``x``/``y`` transformed from its CRS to ``crs`` (pyproj)."""
    from ._optional import require

    pyproj = require("pyproj")
    if graph.crs is None:
        raise ValueError("the graph has no crs to reproject from; declare it with graph.with_crs(...)")
    if not {"x", "y"} <= set(graph.node_attr_names):
        raise ValueError("the graph has no 'x'/'y' node attributes to reproject")
    transformer = pyproj.Transformer.from_crs(graph.crs, crs, always_xy=True)
    x, y = transformer.transform(np.asarray(graph.node("x"), dtype=float), np.asarray(graph.node("y"), dtype=float))
    return graph.with_node_attr("x", np.asarray(x)).with_node_attr("y", np.asarray(y)).with_crs(crs)
