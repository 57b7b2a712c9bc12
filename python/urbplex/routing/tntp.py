"""Readers of the TNTP format of the Transportation Networks for Research
collection (https://github.com/bstabler/TransportationNetworks): _net, _trips
and _flow files. TNTP node ids start at 1; urbplex node ids are TNTP - 1."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

import numpy as np

from ..graph import Graph

NET_COLUMNS = ("init_node", "term_node", "capacity", "length", "free_flow_time", "b", "power", "speed", "toll",
               "link_type")
REQUIRED = ("init_node", "term_node", "capacity", "free_flow_time", "b", "power")
# Header names seen in TNTP files (lower case, units in parentheses dropped, spaces as '_').
SYNONYMS = {
    "init_node": ("init_node", "init", "tail", "tail_node", "from", "from_node", "a_node"),
    "term_node": ("term_node", "term", "head", "head_node", "to", "to_node", "b_node"),
    "capacity": ("capacity", "cap"),
    "length": ("length", "distance"),
    "free_flow_time": ("free_flow_time", "fftt", "fft", "free_flow", "free_flow_travel_time"),
    "b": ("b", "alpha", "bpr_alpha"),
    "power": ("power", "beta", "bpr_beta"),
    "speed": ("speed", "speed_limit"),
    "toll": ("toll",),
    "link_type": ("link_type", "type"),
}
_CANONICAL = {alias: name for name, aliases in SYNONYMS.items() for alias in aliases}


def _lines(path):
    p = Path(path)
    if not p.is_file():
        raise OSError(f"TNTP file '{p}' does not exist")
    with open(p, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            yield number, line.rstrip("\n")


def _metadata(path):
    meta, body_start = {}, None
    for number, line in _lines(path):
        m = re.match(r"\s*<([^>]+)>\s*(.*)", line)
        if m:
            key = m.group(1).strip().upper()
            if key == "END OF METADATA":
                body_start = number + 1
                break
            meta[key] = m.group(2).strip()
    if body_start is None:
        raise ValueError(f"{path}: no <END OF METADATA> line: not a TNTP file")
    return meta, body_start


def _meta_number(meta, key, path, default=None, integer=True):
    if key not in meta:
        if default is not None:
            return default
        raise ValueError(f"{path}: metadata <{key}> is missing")
    try:
        value = float(meta[key].split()[0])
    except (ValueError, IndexError):
        raise ValueError(f"{path}: metadata <{key}> is not a number: {meta[key]!r}") from None
    if not np.isfinite(value) or (integer and (value != int(value) or not 0 <= value < 2**32)):
        raise ValueError(f"{path}: metadata <{key}> must be a {'non-negative integer' if integer else 'number'}, "
                         f"got {meta[key]!r}")
    return int(value) if integer else value


def _meta_int(meta, key, path, default=None):
    return _meta_number(meta, key, path, default)


def _header(tokens):
    """Canonical column names of a '~' header line, or None when it does not name TNTP columns."""
    names = []
    for t in tokens:
        t = re.sub(r"\(.*?\)", "", t).strip().lower().replace(" ", "_")
        names.append(_CANONICAL.get(t, t))
    return names if sum(n in NET_COLUMNS for n in names) >= 3 else None


def _fields(line):
    text = line.split("~")[0].strip()
    if text.endswith(";"):
        text = text[:-1]
    return text.split()


def read_net(path, *, toll_factor: Optional[float] = None, distance_factor: Optional[float] = None):
    """A TNTP _net file as (Graph, meta).

    Columns are read by the names of the file's ``~`` header line (TNTP's
    ``init_node term_node capacity length free_flow_time b power speed toll
    link_type``, and common variants such as ``tail``/``head``), or by the
    standard positions when the file has no such header. Missing required
    columns (init_node, term_node, capacity, free_flow_time, b, power) are an
    error naming them; length, speed, toll and link_type default to 0.

    The Graph is directed, with node ids = TNTP ids - 1, edge attributes for
    every column, and node attributes ``tntp_id`` (the file's ids, used in
    error messages) and ``centroid`` (1 for zones below <FIRST THRU NODE>,
    which :func:`~urbplex.routing.assign` then does not route through). The
    generalized cost time + toll_factor * toll + distance_factor * length
    (Chicago-Sketch: 0.02 and 0.04) is stored as the edge attribute
    ``fixed_cost``, which ``assign`` adds by default; the factors come from the
    arguments, else from <TOLL FACTOR> / <DISTANCE FACTOR> metadata, else 0.
    Links with b = 0 or power = 0 have a constant cost (TNTP connectors).
    ``meta`` holds zones, nodes, first_thru_node (0-based), links, the
    factors and every other metadata entry (``metadata``).
    """
    meta, start = _metadata(path)
    nodes = _meta_int(meta, "NUMBER OF NODES", path)
    zones = _meta_int(meta, "NUMBER OF ZONES", path)
    first_thru = _meta_int(meta, "FIRST THRU NODE", path, default=1)
    tf = float(toll_factor) if toll_factor is not None else _meta_number(meta, "TOLL FACTOR", path, 0.0, False)
    df = (float(distance_factor) if distance_factor is not None
          else _meta_number(meta, "DISTANCE FACTOR", path, 0.0, False))
    for name, value in (("toll_factor", tf), ("distance_factor", df)):
        if not np.isfinite(value) or value < 0:
            raise ValueError(f"argument '{name}': must be finite and >= 0, got {value}")
    columns, header_line, rows = None, None, []
    for number, line in _lines(path):
        if number < start:
            continue
        stripped = line.strip()
        if stripped.startswith("~"):
            if not rows:
                body = stripped[1:].strip().rstrip(";")
                tokens = [t for t in (body.split("\t") if "\t" in body else body.split()) if t.strip()]
                found = _header(tokens)
                if found:
                    columns, header_line = found, number
            continue
        parts = _fields(line)
        if not parts:
            continue
        if columns is None:
            columns = list(NET_COLUMNS)  # no header: the standard order
            if len(parts) < len(REQUIRED):
                raise ValueError(f"{path}, line {number}: expected at least 7 link fields (init, term, capacity, "
                                 f"length, free-flow time, b, power), got {len(parts)}: {line.strip()!r}")
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise ValueError(f"{path}, line {header_line}: the header names no column {', '.join(missing)} "
                             f"(columns: {' '.join(columns)})")
        needed = max(columns.index(c) for c in REQUIRED) + 1
        if len(parts) < needed:
            raise ValueError(f"{path}, line {number}: expected {len(columns)} fields ({' '.join(columns)}), "
                             f"got {len(parts)}: {line.strip()!r}")
        try:
            vals = [float(x) for x in parts[:len(columns)]]
        except ValueError:
            raise ValueError(f"{path}, line {number}: non-numeric link field in {line.strip()!r}") from None
        vals += [0.0] * (len(columns) - len(vals))
        row = dict(zip(columns, vals))
        a, b = row["init_node"], row["term_node"]
        if not (np.isfinite(a) and np.isfinite(b)) or a != int(a) or b != int(b) or not (1 <= a <= nodes and 1 <= b <= nodes):
            raise ValueError(f"{path}, line {number}: node ids must be integers in 1..{nodes}, got {a:g} -> {b:g}")
        bad = [c for c in columns if c in NET_COLUMNS and not np.isfinite(row[c])]
        if bad:
            raise ValueError(f"{path}, line {number}: {bad[0]} is not finite ({row[bad[0]]:g})")
        if row["capacity"] <= 0:
            raise ValueError(f"{path}, line {number}: capacity must be > 0, got {row['capacity']:g}")
        for c in ("length", "free_flow_time", "b", "power", "toll"):
            if row.get(c, 0.0) < 0:
                raise ValueError(f"{path}, line {number}: {c} must be >= 0, got {row[c]:g}")
        if row["b"] > 0 and 0 < row["power"] < 1:
            raise ValueError(f"{path}, line {number}: power must be >= 1 (or 0 for a constant cost), "
                             f"got {row['power']:g}")
        rows.append([row.get(c, 0.0) for c in NET_COLUMNS])
    declared = _meta_int(meta, "NUMBER OF LINKS", path, default=len(rows))
    if declared != len(rows):
        raise ValueError(f"{path}: metadata declares {declared} links, the file has {len(rows)}")
    arr = np.array(rows, dtype=np.float64).reshape(-1, len(NET_COLUMNS))
    used = int(arr[:, :2].max()) if len(rows) else 0
    # A declared count far beyond the ids the links use would only allocate
    # isolated nodes (2^30 of them take 8 GB): refuse it before building.
    if nodes > 2 * max(used, zones) + 1000:
        raise ValueError(f"{path}: metadata declares <NUMBER OF NODES> {nodes}, but the links use node ids only up to "
                         f"{used}")
    if not 1 <= first_thru <= nodes + 1:
        raise ValueError(f"{path}: <FIRST THRU NODE> {first_thru} is not in 1..{nodes + 1}")
    attrs = {name: arr[:, k] for k, name in enumerate(NET_COLUMNS) if k >= 2}
    if tf or df:
        attrs["fixed_cost"] = tf * attrs["toll"] + df * attrs["length"]
    ids = np.arange(1, nodes + 1, dtype=np.float64)
    g = Graph.from_arrays(arr[:, 0].astype(np.int64) - 1, arr[:, 1].astype(np.int64) - 1, n=nodes, directed=True,
                          edge_attrs=attrs, node_attrs={"tntp_id": ids, "centroid": (ids < first_thru).astype(float)})
    return g, {"zones": zones, "nodes": nodes, "first_thru_node": first_thru - 1, "links": len(rows),
               "toll_factor": tf, "distance_factor": df, "metadata": meta}


def read_trips(path, *, nodes: int | None = None) -> np.ndarray:
    """A TNTP _trips file as a dense (zones x zones) matrix (0-based)."""
    meta, start = _metadata(path)
    zones = _meta_int(meta, "NUMBER OF ZONES", path)
    limit = zones if nodes is None else nodes
    demand = np.zeros((zones, zones))
    origin = None
    for number, line in _lines(path):
        if number < start:
            continue
        text = line.split("~")[0].strip()
        if not text:
            continue
        m = re.match(r"Origin\s+(\S+)", text, re.IGNORECASE)
        if m:
            try:
                origin = int(m.group(1))
            except ValueError:
                raise ValueError(f"{path}, line {number}: bad origin id {m.group(1)!r}") from None
            if not 1 <= origin <= zones:
                raise ValueError(f"{path}, line {number}: origin {origin} is not a zone (1..{zones})")
            continue
        if origin is None:
            raise ValueError(f"{path}, line {number}: trips before any 'Origin' line")
        for cell in filter(None, (c.strip() for c in text.split(";"))):
            try:
                dest_text, value_text = cell.split(":")
                dest, value = int(dest_text), float(value_text)
            except ValueError:
                raise ValueError(f"{path}, line {number}: malformed entry {cell!r} (expected 'destination : trips')") \
                    from None
            if not 1 <= dest <= min(zones, limit):
                raise ValueError(f"{path}, line {number}: destination {dest} is not a zone (1..{zones})")
            if not np.isfinite(value) or value < 0:
                raise ValueError(f"{path}, line {number}: trips must be finite and >= 0, got {value_text.strip()}")
            demand[origin - 1, dest - 1] += value
    total = meta.get("TOTAL OD FLOW")
    if total is not None:
        total = _meta_number(meta, "TOTAL OD FLOW", path, integer=False)
    if total is not None and abs(total - demand.sum()) > 1e-6 * max(1.0, demand.sum()):
        raise ValueError(f"{path}: trips sum to {demand.sum():g}, metadata says {total}")
    return demand


def read_flow(path):
    """A TNTP _flow file as a DataFrame (source, target 0-based; flow; cost)."""
    import pandas as pd

    rows = []
    for number, line in _lines(path):
        parts = line.split()
        if not parts or not parts[0].lstrip("-").isdigit():
            continue  # header
        if len(parts) < 3:
            raise ValueError(f"{path}, line {number}: expected from, to, volume[, cost]")
        try:
            rows.append((int(parts[0]) - 1, int(parts[1]) - 1, float(parts[2]),
                         float(parts[3]) if len(parts) > 3 else np.nan))
        except ValueError:
            raise ValueError(f"{path}, line {number}: malformed flow line {line.strip()!r}") from None
    return pd.DataFrame(rows, columns=["source", "target", "flow", "cost"])
