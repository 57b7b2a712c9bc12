"""Interactive maps of trajectories, stops, tessellations and flows (folium, the geo extra).

Each function draws on a ``folium.Map`` (a new one centred on the data when
``m`` is None) and returns it, so calls chain:
``m = plot_tessellation(tiles); plot_flows(tiles, table, m=m)``.
"""
from __future__ import annotations

from typing import Optional

import numpy as np


def _folium():
    try:
        import folium
    except ImportError as exc:  # pragma: no cover - the message is the point
        raise ImportError("maps need folium: pip install 'urbplex[geo]'") from exc
    return folium


def _map(m, lat, lng, zoom: int = 12):
    folium = _folium()
    if m is not None:
        return m
    return folium.Map(location=[float(np.mean(lat)), float(np.mean(lng))], zoom_start=zoom, tiles="OpenStreetMap")


_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]


def plot_trajectories(traj, *, m=None, max_users: int = 10, max_points: int = 5000, weight: float = 2):
    """Each user's path as a polyline (at most ``max_users`` users, each thinned
    to at most ``max_points`` points)."""
    folium = _folium()
    m = _map(m, traj.lat, traj.lng)
    for u in range(min(traj.users, max_users)):
        a, b = int(traj.user_start[u]), int(traj.user_start[u + 1])
        if b - a < 2:
            continue
        idx = np.unique(np.linspace(a, b - 1, min(b - a, max_points)).astype(np.int64))
        folium.PolyLine(np.stack([traj.lat[idx], traj.lng[idx]], axis=1).tolist(), weight=weight,
                        color=_COLOURS[u % len(_COLOURS)], tooltip=f"uid {traj.uids[u]}").add_to(m)
    return m


def plot_stops(stops, *, m=None, radius: float = 6):
    """Stops as circle markers with their user, arrival and leaving times."""
    folium = _folium()
    m = _map(m, stops.lat, stops.lng)
    frame = stops.to_frame()
    for row in frame.itertuples(index=False):
        text = f"uid {row.uid}<br>{row.datetime}"
        if hasattr(row, "leaving_datetime"):
            text += f" to {row.leaving_datetime}"
        folium.CircleMarker([row.lat, row.lng], radius=radius, fill=True, popup=text).add_to(m)
    return m


def plot_tessellation(tiles, *, m=None, style: Optional[dict] = None):
    """The tiles' outlines, with the tile id as tooltip."""
    folium = _folium()
    b = tiles.total_bounds
    m = _map(m, [b[1], b[3]], [b[0], b[2]], zoom=9)
    style = style or {"color": "#555555", "weight": 1, "fillOpacity": 0.05}
    folium.GeoJson(tiles[["tile_id", "geometry"]].to_json(), style_function=lambda _: style,
                   tooltip=folium.GeoJsonTooltip(fields=["tile_id"])).add_to(m)
    return m


def plot_flows(tiles, table, *, m=None, min_flow: float = 0.0, max_lines: int = 2000, max_weight: float = 8):
    """Flows between tile centroids as lines whose width grows with the flow
    (the ``max_lines`` largest above ``min_flow``, flows within a tile left out); ``table``: origin,
    destination, flow keyed by tile id (e.g. :func:`flow_table`)."""
    folium = _folium()
    import shapely

    from .tessellation import _id_keys

    t = table[(table["flow"] > min_flow) & (table["origin"] != table["destination"])].nlargest(max_lines, "flow")
    # ids read from different files may differ in type (36001 vs '36001'): compare as flows_on_tiles does
    origins, tile_keys = _id_keys(t["origin"].to_numpy(), tiles["tile_id"].to_numpy())
    dests, _ = _id_keys(t["destination"].to_numpy(), tiles["tile_id"].to_numpy())
    centre = dict(zip(tile_keys.tolist(), shapely.centroid(tiles.geometry.to_numpy())))
    b = tiles.total_bounds
    m = _map(m, [b[1], b[3]], [b[0], b[2]], zoom=9)
    if len(t) == 0:
        return m
    known = [o in centre and d in centre for o, d in zip(origins.tolist(), dests.tolist())]
    if not any(known):
        raise ValueError(f"argument 'table': none of its {len(t)} flows joins two tiles of 'tiles' (e.g. "
                         f"{t['origin'].iloc[0]!r} -> {t['destination'].iloc[0]!r}; tile ids such as "
                         f"{tiles['tile_id'].iloc[0]!r})")
    top = float(t["flow"].max())
    for o, d, f, ok in zip(origins.tolist(), dests.tolist(), t["flow"].tolist(), known):
        if not ok:
            continue
        a, c = centre[o], centre[d]
        folium.PolyLine([[a.y, a.x], [c.y, c.x]], weight=max(0.5, max_weight * f / top), opacity=0.6,
                        tooltip=f"{o} -> {d}: {f:g}").add_to(m)
    return m
