"""Readers of the TNTP format of the Transportation Networks for Research
collection (https://github.com/bstabler/TransportationNetworks): _net, _trips
and _flow files. TNTP node ids start at 1; urbplex node ids are TNTP - 1."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..graph import Graph

NET_COLUMNS = ("init_node", "term_node", "capacity", "length", "free_flow_time", "b", "power", "speed", "toll",
               "link_type")


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


def _meta_int(meta, key, path, default=None):
    if key not in meta:
        if default is not None:
            return default
        raise ValueError(f"{path}: metadata <{key}> is missing")
    try:
        return int(float(meta[key].split()[0]))
    except (ValueError, IndexError):
        raise ValueError(f"{path}: metadata <{key}> is not a number: {meta[key]!r}") from None


def read_net(path):
    """A TNTP _net file as (Graph, meta): a directed Graph with edge attributes
    capacity, length, free_flow_time, b (BPR alpha), power (BPR beta), speed,
    toll, link_type; meta holds zones, nodes, first_thru_node (0-based) and links."""
    meta, start = _metadata(path)
    nodes = _meta_int(meta, "NUMBER OF NODES", path)
    zones = _meta_int(meta, "NUMBER OF ZONES", path)
    first_thru = _meta_int(meta, "FIRST THRU NODE", path, default=1)
    rows = []
    for number, line in _lines(path):
        if number < start:
            continue
        text = line.split("~")[0].strip().rstrip(";").strip()
        if not text:
            continue
        parts = text.split()
        if len(parts) < 7:
            raise ValueError(f"{path}, line {number}: expected at least 7 link fields (init, term, capacity, "
                             f"length, free-flow time, b, power), got {len(parts)}: {line.strip()!r}")
        try:
            vals = [float(x) for x in parts[:10]] + [0.0] * (10 - min(10, len(parts)))
        except ValueError:
            raise ValueError(f"{path}, line {number}: non-numeric link field in {line.strip()!r}") from None
        a, b = vals[0], vals[1]
        if a != int(a) or b != int(b) or not (1 <= a <= nodes and 1 <= b <= nodes):
            raise ValueError(f"{path}, line {number}: node ids must be integers in 1..{nodes}, got {a:g} -> {b:g}")
        if vals[2] <= 0:
            raise ValueError(f"{path}, line {number}: capacity must be > 0, got {vals[2]:g}")
        if min(vals[3], vals[4], vals[5], vals[6]) < 0:
            raise ValueError(f"{path}, line {number}: length, free-flow time, b and power must be >= 0")
        rows.append(vals)
    declared = _meta_int(meta, "NUMBER OF LINKS", path, default=len(rows))
    if declared != len(rows):
        raise ValueError(f"{path}: metadata declares {declared} links, the file has {len(rows)}")
    arr = np.array(rows, dtype=np.float64).reshape(-1, 10)
    used = int(arr[:, :2].max()) if len(rows) else 0
    # A declared count far beyond the ids the links use would only allocate
    # isolated nodes (2^30 of them take 8 GB): refuse it before building.
    if nodes > 2 * max(used, zones) + 1000:
        raise ValueError(f"{path}: metadata declares <NUMBER OF NODES> {nodes}, but the links use node ids only up to "
                         f"{used}")
    attrs = {name: arr[:, k] for k, name in enumerate(NET_COLUMNS) if k >= 2}
    g = Graph.from_arrays(arr[:, 0].astype(np.int64) - 1, arr[:, 1].astype(np.int64) - 1, n=nodes, directed=True,
                          edge_attrs=attrs)
    return g, {"zones": zones, "nodes": nodes, "first_thru_node": first_thru - 1, "links": len(rows)}


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
    if total is not None and abs(float(total) - demand.sum()) > 1e-6 * max(1.0, demand.sum()):
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
