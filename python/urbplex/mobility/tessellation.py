"""Tessellations: tiles over an area, points to tiles, and flows keyed by tile id.

- :func:`squares` and :func:`hexagons` tile a bounding box or the union of a
  GeoDataFrame with regular cells of a given size in km (built in the area's
  UTM projection, returned in WGS84 longitude/latitude).
- :func:`tiles` checks a GeoDataFrame of polygons (one unique id each) and
  returns it in WGS84.
- :func:`tile_of` maps points to the tile that contains them.
- :func:`flows_on_tiles` turns a tessellation and an origin/destination table
  into the :class:`Locations` (tile centroids, great-circle km) and the dense
  observed matrix the flow models take; :func:`flow_table` gives a model's
  flows back as a sparse table keyed by tile id.

Needs the optional geo extra: ``pip install urbplex[geo]`` (geopandas, shapely).
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from .locations import Locations


def _geo():
    try:
        import geopandas
        import shapely
    except ImportError as exc:  # pragma: no cover - the message is the point
        raise ImportError("tessellations need geopandas and shapely: pip install 'urbplex[geo]'") from exc
    return geopandas, shapely


def tiles(frame, *, tile_id: str = "tile_id", points: bool = False):
    """A GeoDataFrame of polygons as a tessellation: WGS84, columns ``tile_id`` and geometry.

    Raises ``ValueError`` for a missing id column, duplicate or missing ids,
    empty or non-polygon geometries, and a frame without a CRS.
    ``points=True`` also accepts Point tiles (zone centroids, as DeepGravity's
    tracts), for uses that need only a position per tile."""
    gpd, _ = _geo()
    if not isinstance(frame, gpd.GeoDataFrame):
        raise TypeError(f"argument 'frame': expected a GeoDataFrame, got {type(frame).__name__}")
    if tile_id not in frame.columns:
        raise ValueError(f"argument 'frame': has no tile id column {tile_id!r}; it has {list(frame.columns)}")
    ids = frame[tile_id]
    if ids.isna().any():
        raise ValueError(f"argument 'frame': tile at row {ids.index[int(np.argmax(ids.isna().to_numpy()))]!r} has no id")
    dup = ids.duplicated()
    if dup.any():
        raise ValueError(f"argument 'frame': tile id {ids[dup].iloc[0]!r} appears more than once")
    if frame.crs is None:
        raise ValueError("argument 'frame': has no CRS; set one (e.g. frame.set_crs('EPSG:4326'))")
    geom = frame.geometry
    kinds = ["Polygon", "MultiPolygon"] + (["Point"] if points else [])
    bad = geom.is_empty | geom.isna() | ~geom.geom_type.isin(kinds)
    if bad.any():
        row = int(np.argmax(bad.to_numpy()))
        raise ValueError(f"argument 'frame': tile {ids.iloc[row]!r} is not a (non-empty) "
                         + ("polygon or point" if points else "polygon"))
    out = frame.to_crs("EPSG:4326") if frame.crs.to_epsg() != 4326 else frame.copy()
    return out.rename(columns={tile_id: "tile_id"}) if tile_id != "tile_id" else out


def _area(area):
    """(WGS84 GeoDataFrame of the area, its UTM CRS) from a bounding box or a GeoDataFrame."""
    gpd, shapely = _geo()
    if isinstance(area, gpd.GeoDataFrame):
        if area.crs is None:
            raise ValueError("argument 'area': has no CRS")
        region = area.to_crs("EPSG:4326")
    else:
        try:
            west, south, east, north = (float(v) for v in area)
        except (TypeError, ValueError):
            raise TypeError("argument 'area': expected a GeoDataFrame or (west, south, east, north) in degrees") from None
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise ValueError(f"argument 'area': ({west}, {south}, {east}, {north}) is not a lon/lat bounding box "
                             "(west < east, south < north)")
        region = gpd.GeoDataFrame(geometry=[shapely.box(west, south, east, north)], crs="EPSG:4326")
    return region, region.estimate_utm_crs()


def _cells(area, size_km: float, make):
    gpd, shapely = _geo()
    if not (np.isfinite(size_km) and size_km > 0):
        raise ValueError(f"argument 'size_km': must be finite and > 0, got {size_km}")
    region, utm = _area(area)
    shape = region.to_crs(utm).union_all()
    x0, y0, x1, y1 = shape.bounds
    s = size_km * 1000.0
    cells = make(x0, y0, x1, y1, s)
    if len(cells) > 5_000_000:
        raise ValueError(f"argument 'size_km': {size_km} km makes {len(cells)} tiles over this area; use larger tiles")
    cells = gpd.GeoSeries(cells, crs=utm)
    keep = cells.intersects(shape).to_numpy()
    out = gpd.GeoDataFrame({"tile_id": np.arange(int(keep.sum()))}, geometry=cells[keep].to_numpy(), crs=utm)
    return out.to_crs("EPSG:4326")


def squares(area, size_km: float):
    """Square tiles of side ``size_km`` covering ``area`` (a GeoDataFrame, or a
    (west, south, east, north) box in degrees); only tiles that meet the area."""
    _, shapely = _geo()

    def make(x0, y0, x1, y1, s):
        xs = np.arange(x0, x1, s)
        ys = np.arange(y0, y1, s)
        gx, gy = np.meshgrid(xs, ys)
        return shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + s, gy.ravel() + s)

    return _cells(area, size_km, make)


def hexagons(area, size_km: float):
    """Flat-topped regular hexagons of side ``size_km`` covering ``area``."""
    _, shapely = _geo()

    def make(x0, y0, x1, y1, s):
        w, h = 1.5 * s, np.sqrt(3.0) * s  # column spacing, row spacing
        cx = np.arange(x0, x1 + w, w)
        cy = np.arange(y0 - h, y1 + h, h)
        gx, gy = np.meshgrid(cx, cy)
        gy = gy + (np.arange(cx.size) % 2)[None, :] * h / 2  # odd columns shifted half a row
        angles = np.radians(np.arange(0, 360, 60))
        px = gx.ravel()[:, None] + s * np.cos(angles)[None, :]
        py = gy.ravel()[:, None] + s * np.sin(angles)[None, :]
        return shapely.polygons(np.stack([px, py], axis=-1))

    return _cells(area, size_km, make)


def tile_of(tessellation, lat, lng) -> np.ndarray:
    """The tile id of each point (lat, lng in degrees); points in no tile get
    None (object array) so that they cannot be mistaken for a tile. A point on a
    shared border goes to the first tile in the tessellation's order."""
    gpd, shapely = _geo()
    lat = np.asarray(lat, dtype=np.float64)
    lng = np.asarray(lng, dtype=np.float64)
    if lat.shape != lng.shape:
        raise ValueError("tile_of: lat and lng must have one shape")
    pts = shapely.points(lng.ravel(), lat.ravel())
    tree = shapely.STRtree(tessellation.geometry.to_numpy())
    point_idx, tile_idx = tree.query(pts, predicate="intersects")
    first = np.full(pts.size, -1, dtype=np.int64)
    order = np.lexsort((tile_idx, point_idx))
    point_idx, tile_idx = point_idx[order], tile_idx[order]
    head = np.r_[point_idx.size > 0, point_idx[1:] != point_idx[:-1]][: point_idx.size]
    first[point_idx[head]] = tile_idx[head]
    ids = tessellation["tile_id"].to_numpy()
    out = np.empty(pts.size, dtype=object)
    out[:] = None
    inside = first >= 0
    out[inside] = ids[first[inside]]
    return out.reshape(lat.shape)


def _id_keys(values, reference):
    """Match ids read from different files: compare as strings when their types differ (36001 vs '36001')."""
    values, reference = np.asarray(values), np.asarray(reference)
    if values.dtype.kind != reference.dtype.kind:
        return values.astype(str), reference.astype(str)
    return values, reference


def flows_on_tiles(tessellation, flows, *, tile_id: str = "tile_id", mass: str = "population",
                   origin: str = "origin", destination: str = "destination", flow: str = "flow"):
    """(Locations, observed n x n matrix, tile ids) from a tessellation and an OD table.

    Locations are the tiles' centroids (planar centroid in lon/lat, as
    scikit-mobility takes them) with great-circle distances and ``mass``;
    the matrix has every pair, zeros where the table has no row (the
    full-data fit). Flows between tiles absent from the tessellation raise.
    Tiles may be points (zone centroids), as scikit-mobility accepts."""
    t = tiles(tessellation, tile_id=tile_id, points=True)
    _, shapely = _geo()
    if mass not in t.columns:
        raise ValueError(f"argument 'tessellation': has no mass column {mass!r}; it has {list(t.columns)}")
    for c in (origin, destination, flow):
        if c not in flows.columns:
            raise ValueError(f"argument 'flows': has no column {c!r}; it has {list(flows.columns)}")
    import pandas as pd

    ids = t["tile_id"].to_numpy()
    o_keys, id_keys = _id_keys(flows[origin].to_numpy(), ids)
    d_keys, _ = _id_keys(flows[destination].to_numpy(), ids)
    index = pd.Index(id_keys)
    oi, di = index.get_indexer(o_keys), index.get_indexer(d_keys)
    missing = (oi < 0) | (di < 0)
    if missing.any():
        row = int(np.argmax(missing))
        tile = o_keys[row] if oi[row] < 0 else d_keys[row]
        tile = tile.item() if hasattr(tile, "item") else tile  # a plain value in the message
        raise ValueError(f"argument 'flows': row {flows.index[row]!r} refers to tile {tile!r}, "
                         "which is not in the tessellation")
    values = flows[flow].to_numpy(dtype=np.float64)
    bad = ~(np.isfinite(values) & (values >= 0))
    if bad.any():
        row = int(np.argmax(bad))
        raise ValueError(f"argument 'flows': row {flows.index[row]!r} has flow {values[row]:g} "
                         "(must be finite and >= 0)")
    n = len(ids)
    obs = np.zeros((n, n))
    np.add.at(obs, (oi, di), values)  # repeated pairs add up
    c = shapely.centroid(t.geometry.to_numpy())
    lineage = {"kind": "tessellation", "n": n, "crs": "EPSG:4326", "mass": mass, "fingerprint": _tiles_fingerprint(t)}
    locs = Locations(shapely.get_x(c), shapely.get_y(c), t[mass].to_numpy(dtype=np.float64), "haversine",
                     lineage=lineage, ids=ids)
    return locs, obs, ids


def _tiles_fingerprint(t) -> str:
    """A digest of the tiles' ids and geometries (WKB), to tell tessellations apart in a lineage."""
    import hashlib

    _, shapely = _geo()
    h = hashlib.sha256()
    for tile, wkb in zip(t["tile_id"].astype(str), shapely.to_wkb(t.geometry.to_numpy())):
        h.update(tile.encode() + b"\0" + wkb)
    return h.hexdigest()


def flow_table(matrix, ids, *, min_flow: float = 0.0):
    """A flow matrix (dense or scipy sparse) as a table origin, destination, flow
    keyed by tile id, keeping the entries above ``min_flow`` (sparse: no zeros)."""
    import pandas as pd
    import scipy.sparse as sp

    m = sp.coo_array(matrix)
    keep = m.data > min_flow
    ids = np.asarray(ids)
    return pd.DataFrame({"origin": ids[m.row[keep]], "destination": ids[m.col[keep]], "flow": m.data[keep]})
