"""OSM highway types as traffic links: lanes per direction, free speed and
capacity per lane where the OSM tags say nothing.

The defaults are MATSim's OSM network reader's (Horni, Nagel & Axhausen
(eds.), "The Multi-Agent Transport Simulation MATSim", Ubiquity Press 2016,
ch. 4 / ``OsmNetworkReader``), the usual choice of mesoscopic simulators:

=============== ===================== ========= ======================
highway         lanes per direction   km/h      capacity veh/h per lane
=============== ===================== ========= ======================
motorway        2                     120       2000
motorway_link   1                     80        1500
trunk           1                     80        2000
trunk_link      1                     50        1500
primary         1                     80        1500
primary_link    1                     60        1500
secondary       1                     60        1000
secondary_link  1                     60        1000
tertiary        1                     45        600
tertiary_link   1                     45        600
unclassified    1                     45        600
residential     1                     30        600
living_street   1                     15        300
(other)         1                     30        600
=============== ===================== ========= ======================

Tags, when present, win: ``lanes`` (both directions on a two-way street,
so halved, rounded up, per direction) and ``maxspeed`` (km/h, or "mph").
"""
from __future__ import annotations

import re

import numpy as np

#: highway type -> (lanes per direction, free speed km/h, capacity veh/h per lane)
HIGHWAY_DEFAULTS = {
    "motorway": (2, 120.0, 2000.0), "motorway_link": (1, 80.0, 1500.0),
    "trunk": (1, 80.0, 2000.0), "trunk_link": (1, 50.0, 1500.0),
    "primary": (1, 80.0, 1500.0), "primary_link": (1, 60.0, 1500.0),
    "secondary": (1, 60.0, 1000.0), "secondary_link": (1, 60.0, 1000.0),
    "tertiary": (1, 45.0, 600.0), "tertiary_link": (1, 45.0, 600.0),
    "unclassified": (1, 45.0, 600.0), "residential": (1, 30.0, 600.0),
    "living_street": (1, 15.0, 300.0),
}
#: a highway type not in the table (service, road, ...) or missing
OTHER = (1, 30.0, 600.0)

_NUMBER = re.compile(r"(\d+(?:\.\d+)?)")


def first_number(tag) -> float:
    """The first number in an OSM tag value ("2", "2;3", "['2', '3']", "50 mph"), NaN if none."""
    if tag is None or (isinstance(tag, float) and np.isnan(tag)):
        return np.nan
    if isinstance(tag, (int, float, np.integer, np.floating)):
        return float(tag)
    m = _NUMBER.search(str(tag))
    return float(m.group(1)) if m else np.nan


def highway_type(tag) -> str:
    """The first highway type of a tag value ("residential", "['primary', 'secondary']")."""
    if tag is None or (isinstance(tag, float) and np.isnan(tag)):
        return ""
    m = re.search(r"[a-z_]+", str(tag))
    return m.group(0) if m else ""


def osm_link_table(highway, lanes_tag, maxspeed_tag, oneway) -> dict:
    """Per edge: lanes per direction, free speed (m/s) and capacity (veh/s,
    all lanes) from the tags, with the highway type's defaults where a tag is
    missing or unreadable."""
    n = len(highway)
    kinds = [highway_type(h) for h in highway]
    table = np.array([HIGHWAY_DEFAULTS.get(k, OTHER) for k in kinds], dtype=np.float64).reshape(n, 3)
    lanes = np.array([first_number(v) for v in lanes_tag]) if lanes_tag is not None else np.full(n, np.nan)
    two_way = ~np.asarray(oneway, dtype=bool) if oneway is not None else np.zeros(n, dtype=bool)
    lanes = np.where(two_way, np.ceil(lanes / 2), lanes)
    lanes = np.where(np.isfinite(lanes) & (lanes >= 1), np.floor(lanes), table[:, 0])
    speed = np.full(n, np.nan)
    if maxspeed_tag is not None:
        for i, v in enumerate(maxspeed_tag):
            kmh = first_number(v)
            speed[i] = kmh * 1.609344 if "mph" in str(v) else kmh
    speed = np.where(np.isfinite(speed) & (speed > 0), speed, table[:, 1])
    return {"kind": kinds, "lanes": lanes.astype(np.int64), "free_speed": speed / 3.6,
            "capacity": lanes * table[:, 2] / 3600.0}
