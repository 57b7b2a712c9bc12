"""Readers of the TNTP format of the Transportation Networks for Research
collection (https://github.com/bstabler/TransportationNetworks): _net, _trips
_flow and _node files, plain or gzip-compressed (a name ending in .gz). TNTP
node ids start at 1; urbplex node ids are TNTP - 1."""
from __future__ import annotations

import re
import warnings
from contextlib import contextmanager
from itertools import repeat
from pathlib import Path
from typing import Optional

import numpy as np

from ..graph import Graph

NET_COLUMNS = ("init_node", "term_node", "capacity", "length", "free_flow_time", "b", "power", "speed", "toll",
               "link_type")
REQUIRED = ("init_node", "term_node", "capacity", "free_flow_time", "b", "power")
# Header names seen in TNTP files (lower case, units in parentheses dropped, spaces as '_'):
# Philadelphia and Chicago-Regional write 'ftime', Sydney 'total capacity' and 'alpha'/'beta'
# for BPR's b/power, Gold Coast 'capacity (per lane)' next to 'lanes'.
SYNONYMS = {
    "init_node": ("init_node", "init", "tail", "tail_node", "from", "from_node", "a_node"),
    "term_node": ("term_node", "term", "head", "head_node", "to", "to_node", "b_node"),
    "capacity": ("capacity", "cap", "total_capacity", "capacity_per_lane", "lane_capacity"),
    "length": ("length", "distance"),
    "free_flow_time": ("free_flow_time", "fftt", "fft", "ftime", "fftime", "free_flow", "free_flow_travel_time"),
    "b": ("b", "alpha", "bpr_alpha"),
    "power": ("power", "beta", "bpr_beta"),
    "speed": ("speed", "speed_limit", "ff_speed", "free_flow_speed"),
    "toll": ("toll",),
    "link_type": ("link_type", "type"),
    "lanes": ("lanes", "lane", "num_lanes", "number_of_lanes"),
}
_CANONICAL = {alias: name for name, aliases in SYNONYMS.items() for alias in aliases}
_PER_LANE = re.compile(r"per[\s_]*lane|/\s*lane|lane[\s_]*capacity", re.IGNORECASE)


def _open(path):
    """A TNTP file as text; gzip-compressed when its name ends in .gz."""
    p = Path(path)
    if not p.is_file():
        raise OSError(f"TNTP file '{p}' does not exist")
    if p.suffix.lower() == ".gz":
        import gzip

        return gzip.open(p, "rt", encoding="utf-8-sig", errors="replace")
    # utf-8-sig: files saved by Windows tools start with a byte-order mark
    return open(p, encoding="utf-8-sig", errors="replace")


@contextmanager
def _compressed_errors(path):
    """A truncated or corrupt .gz as an OSError naming the file."""
    import gzip
    import zlib

    try:
        yield
    except EOFError:
        raise OSError(f"TNTP file '{path}': the compressed file is truncated") from None
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise OSError(f"TNTP file '{path}': not a valid gzip file ({exc})") from None


def _lines(path):
    with _compressed_errors(path), _open(path) as f:
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
    """Canonical column names of a '~' header line and whether its capacity is
    per lane, or None when the line does not name TNTP columns.

    Tokens that are only punctuation (the ';' and '.' some files end their
    header with) name no column; a run of two or more spaces inside a
    tab-separated token separates two names (Eastern Massachusetts writes
    'Toll  Type')."""
    names, per_lane = [], False
    for raw in (part for t in tokens for part in re.split(r"\s{2,}", t.strip())):
        t = re.sub(r"\(.*?\)", "", raw).strip().lower().replace(" ", "_")
        if re.fullmatch(r"[\W_]*", t):
            continue
        name = _CANONICAL.get(t, t)
        if name == "capacity" and _PER_LANE.search(raw):
            per_lane = True
        names.append(name)
    return (names, per_lane) if sum(n in NET_COLUMNS for n in names) >= 3 else None


def _unnamed_fields(columns, count, path, number, warned):
    """Columns for a row with more fields than the header names.

    When the header names TNTP's columns in the standard order (Hessen and
    Terrassa name nine and carry link_type as a tenth, unnamed field), the
    extra fields continue that order; otherwise they are dropped with a
    warning (once per file), as their meaning is unknown."""
    if list(columns) == list(NET_COLUMNS[:len(columns)]) and count <= len(NET_COLUMNS):
        return list(NET_COLUMNS[:count])
    if not warned:
        warnings.warn(f"{path}, line {number}: {count} fields but the header names {len(columns)} "
                      f"({' '.join(columns)}); the unnamed fields are ignored", stacklevel=3)
    return columns


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
    standard positions when the file has no such header. Variants in real
    files are read too: ``ftime`` (Philadelphia, Chicago-Regional), ``total
    capacity`` and ``alpha``/``beta`` for b/power (Sydney). A capacity the
    header calls per lane (Gold Coast's ``capacity (per lane)``) is multiplied
    by the ``lanes`` column, and ``meta['capacity']`` says so. Missing required
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
    factors, ``capacity`` ("per link", or "per lane x lanes") and every other
    metadata entry (``metadata``).
    """
    meta, start = _metadata(path)
    nodes = _meta_int(meta, "NUMBER OF NODES", path)
    zones = _meta_int(meta, "NUMBER OF ZONES", path)
    if zones > nodes:  # zones are nodes 1..zones
        raise ValueError(f"{path}: <NUMBER OF ZONES> {zones} exceeds <NUMBER OF NODES> {nodes} (zones are the first "
                         "nodes)")
    first_thru = _meta_int(meta, "FIRST THRU NODE", path, default=1)
    tf = float(toll_factor) if toll_factor is not None else _meta_number(meta, "TOLL FACTOR", path, 0.0, False)
    df = (float(distance_factor) if distance_factor is not None
          else _meta_number(meta, "DISTANCE FACTOR", path, 0.0, False))
    for name, value in (("toll_factor", tf), ("distance_factor", df)):
        if not np.isfinite(value) or value < 0:
            raise ValueError(f"argument '{name}': must be finite and >= 0, got {value}")
    columns, header_line, rows, warned, per_lane = None, None, [], False, False
    # Gold Coast says "per lane" only in the header it keeps as metadata
    # (<ORIGINAL HEADER>), not in its '~' line.
    meta_per_lane = any(_PER_LANE.search(m.group(0)) for k, v in meta.items() if k.startswith("ORIGINAL HEADER")
                        for m in [re.search(r"capacity[^\t~;]*", v, re.IGNORECASE)] if m)
    lanes = []
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
                    (columns, per_lane), header_line = found, number
                    per_lane = per_lane or meta_per_lane
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
        if len(parts) > len(columns):
            columns = _unnamed_fields(columns, len(parts), path, number, warned)
            warned = warned or len(parts) > len(columns)
        # A row must carry every TNTP column its header names: with one field
        # missing, the fields after it would be read shifted into the wrong
        # columns (a deleted capacity read as length, ...). Names we do not
        # know may trail without a field (Eastern Massachusetts' "Empty").
        known = [k for k, c in enumerate(columns) if c in NET_COLUMNS or c == "lanes"]
        needed = max(known) + 1
        if len(parts) < needed:
            if header_line is None:
                raise ValueError(f"{path}, line {number}: {len(parts)} link fields, but a file without a '~' header "
                                 f"line is read in TNTP's standard order of {len(NET_COLUMNS)} "
                                 f"({' '.join(NET_COLUMNS)}); add the header line naming its columns")
            raise ValueError(f"{path}, line {number}: {len(parts)} fields, but the header (line {header_line}) names "
                             f"{needed} columns ({' '.join(columns[:needed])}); a missing field would shift the "
                             f"others: {line.strip()!r}")
        try:
            vals = [float(x) for x in parts[:len(columns)]]
        except ValueError:
            raise ValueError(f"{path}, line {number}: non-numeric link field in {line.strip()!r}") from None
        vals += [0.0] * (len(columns) - len(vals))
        row = dict(zip(columns, vals))
        a, b = row["init_node"], row["term_node"]
        # Ids above the node count (Munich: up to 75 674 for 742 nodes) are remapped below.
        if not (np.isfinite(a) and np.isfinite(b)) or a != int(a) or b != int(b) or not (1 <= a < 2**32 and 1 <= b < 2**32):
            raise ValueError(f"{path}, line {number}: node ids must be positive integers, got {a:g} -> {b:g}")
        bad = [c for c in columns if c in NET_COLUMNS and not np.isfinite(row[c])]
        if bad:
            raise ValueError(f"{path}, line {number}: {bad[0]} is not finite ({row[bad[0]]:g})")
        if per_lane and "lanes" in row:
            if not 0 < row["lanes"] < np.inf:
                raise ValueError(f"{path}, line {number}: lanes must be > 0 (the capacity is per lane), "
                                 f"got {row['lanes']:g}")
            row["capacity"] *= row["lanes"]
        # a constant-cost link (b = 0) never divides by its capacity: 0 is allowed there
        if row["capacity"] < 0 or (row["capacity"] == 0 and row["b"] != 0):
            raise ValueError(f"{path}, line {number}: capacity must be > 0, got {row['capacity']:g}"
                             + (" (0 is allowed on constant-cost links, b = 0)" if row["capacity"] == 0 else ""))
        for c in ("length", "free_flow_time", "b", "power", "toll"):
            if row.get(c, 0.0) < 0:
                raise ValueError(f"{path}, line {number}: {c} must be >= 0, got {row[c]:g}")
        if row["b"] > 0 and 0 < row["power"] < 1:
            raise ValueError(f"{path}, line {number}: power must be >= 1 (or 0 for a constant cost), "
                             f"got {row['power']:g}")
        rows.append([row.get(c, 0.0) for c in NET_COLUMNS])
        if "lanes" in row:
            lanes.append(row["lanes"])
    if per_lane and columns is not None and "lanes" not in columns:
        warnings.warn(f"{path}, line {header_line}: the capacity is per lane but no lanes column is named; "
                      "it is used as the link's capacity", stacklevel=2)
    declared = _meta_int(meta, "NUMBER OF LINKS", path, default=len(rows))
    if declared != len(rows):
        raise ValueError(f"{path}: metadata declares {declared} links, the file has {len(rows)}")
    arr = np.array(rows, dtype=np.float64).reshape(-1, len(NET_COLUMNS))
    ids = None  # the file's node ids, built once the node count is checked
    remapped = len(rows) and arr[:, :2].max() > nodes
    if remapped:
        # Non-contiguous ids: nodes are the ids the links use, in increasing
        # order (ids 1..zones, when all used, stay the zones 0..zones-1); the
        # file's ids stay as labels and the tntp_id attribute.
        ids = np.unique(arr[:, :2])
        if ids.size > nodes:
            raise ValueError(f"{path}: the links use {ids.size} node ids, more than <NUMBER OF NODES> {nodes}")
        if zones and not np.array_equal(ids[:zones], np.arange(1, zones + 1)):
            raise ValueError(f"{path}: node ids are not 1..{nodes}, and zones 1..{zones} are not all on links: the "
                             f"zones cannot be told apart from the other nodes")
        arr[:, :2] = np.searchsorted(ids, arr[:, :2]) + 1
        nodes = ids.size
    used = int(arr[:, :2].max()) if len(rows) else 0
    # A declared count far beyond the ids the links use would only allocate
    # isolated nodes (2^30 of them take 8 GB): refuse it before building.
    if nodes > 2 * max(used, zones) + 1000:
        raise ValueError(f"{path}: metadata declares <NUMBER OF NODES> {nodes}, but the links use node ids only up to "
                         f"{used}")
    if ids is None:
        ids = np.arange(1, nodes + 1, dtype=np.float64)
    if not 1 <= first_thru <= nodes + 1:
        raise ValueError(f"{path}: <FIRST THRU NODE> {first_thru} is not in 1..{nodes + 1}")
    attrs = {name: arr[:, k] for k, name in enumerate(NET_COLUMNS) if k >= 2}
    if toll_factor is None and "TOLL FACTOR" not in meta and np.any(attrs["toll"] > 0):
        warnings.warn(f"{path}: {int(np.count_nonzero(attrs['toll']))} links have a toll, but neither the file "
                      "(<TOLL FACTOR>) nor the call gives a toll factor: the generalized cost leaves tolls and "
                      "lengths out (Chicago-Sketch's published equilibrium uses toll_factor=0.02, "
                      "distance_factor=0.04); pass the factors, or 0 to say so", stacklevel=2)
    if tf or df:
        attrs["fixed_cost"] = tf * attrs["toll"] + df * attrs["length"]
    if len(lanes) == len(rows) and len(rows):
        attrs["lanes"] = np.asarray(lanes, dtype=np.float64)  # kept, whatever the capacity's unit
    g = Graph.from_arrays(arr[:, 0].astype(np.int64) - 1, arr[:, 1].astype(np.int64) - 1, n=nodes, directed=True,
                          edge_attrs=attrs, node_attrs={"tntp_id": ids, "centroid": (ids < first_thru).astype(float)})
    if remapped:
        g = g.with_labels([int(v) for v in ids])
    return g, {"zones": zones, "nodes": nodes, "first_thru_node": first_thru - 1, "links": len(rows),
               "toll_factor": tf, "distance_factor": df, "metadata": meta,
               "capacity": ("per lane x lanes" + (" (per lane: <ORIGINAL HEADER>)" if meta_per_lane else "")
                            if per_lane and "lanes" in (columns or ()) else "per link"),
               "node_ids": "remapped (the file's ids are the labels)" if remapped else "1..nodes"}


def read_trips(path, *, nodes: int | None = None, check_total: bool = True) -> np.ndarray:
    """A TNTP _trips file as a dense (zones x zones) matrix (0-based).

    Entries for the same pair add up. A <TOTAL OD FLOW> that disagrees with
    the trips by more than the rounding of the printed numbers (half a unit
    of the last digit of the total and of each entry) is an error, as a
    truncated file would be; ``check_total=False`` uses the trips as read.
    Entries ``destination : trips`` may be separated by ';' or only by
    white space. A malformed entry, a destination that is not a zone or a
    negative count is an error naming the line. Origin blocks are converted
    vectorised: 3.2 million entries (1 790 zones, Chicago-Regional's size) in
    2.8 s against 10.7 s line by line."""
    meta, start = _metadata(path)
    zones = _meta_int(meta, "NUMBER OF ZONES", path)
    limit = zones if nodes is None else nodes
    body = _body(path, start)
    _check_origins(path, body, zones)
    fast = _trips_by_block(path, start, zones, min(zones, limit), body)
    demand, rounding = fast if fast is not None else _trips_by_line(path, start, zones, limit)
    if "TOTAL OD FLOW" in meta:
        total = _meta_number(meta, "TOTAL OD FLOW", path, integer=False)
        # The declared total and the entries are printed rounded: they can
        # disagree by up to half a unit of each one's last digit.
        slack = _half_unit(meta["TOTAL OD FLOW"].split()[0]) + rounding + 1e-9 * abs(total)
        if check_total and abs(total - demand.sum()) > slack:
            raise ValueError(f"{path}: the trips sum to {demand.sum():.10g}, but <TOTAL OD FLOW> says {total:.10g} "
                             f"(more than the rounding of the printed numbers allows: a truncated file?); "
                             f"read_trips(..., check_total=False) uses the trips as read")
    return demand


def _body(path, start):
    """The text after the metadata (read once for the checks and the block reader)."""
    with _compressed_errors(path), _open(path) as f:
        for _ in range(start - 1):  # the metadata, already read
            f.readline()
        return f.read()


def _check_origins(path, body, zones):
    """Before the zones x zones matrix is allocated: a declared zone count far
    beyond the origins the file has (24 zones declaring 30 000 asked for
    6.7 GiB) is refused, and an origin with two blocks (merged) is said once."""
    origins = [int(x) for x in re.findall(r"(?im)^[ \t]*origin[ \t]+(\d+)", body)]
    used = max(origins, default=0)
    if zones > 2 * used + 1000:
        raise ValueError(f"{path}: metadata declares <NUMBER OF ZONES> {zones}, but its origins go only up to {used} "
                         f"(a {zones} x {zones} matrix takes {zones * zones * 8 / 2**30:.1f} GiB): correct the "
                         "metadata")
    seen, repeated = set(), None
    for o in origins:
        if o in seen and repeated is None:
            repeated = o
        seen.add(o)
    if repeated is not None:
        warnings.warn(f"{path}: origin {repeated} has more than one block; their trips are added up", stacklevel=3)


def _trips_by_block(path, start, zones, limit, body=None):
    """(demand, rounding) read an origin block at a time with vectorised
    conversion (about 4x faster than line by line), or None when anything is
    off the common layout or invalid: the line-by-line reader then reads the
    file and names the bad line. ``body``: the text after the metadata, when
    already read."""
    if body is None:
        body = _body(path, start)
    body = re.sub(r"~[^\n]*", "", body)  # comments
    blocks = re.split(r"(?im)^[ \t]*origin[ \t]+", body)
    if blocks[0].strip():
        return None
    demand, rounding = np.zeros((zones, zones)), 0.0
    for block in blocks[1:]:
        head, _, rest = block.partition("\n")
        if not head.strip().isdecimal() or not 1 <= int(head) <= zones:  # isdecimal: what int() parses
            return None
        tokens = rest.replace(";", " ").replace(":", " : ").split()  # destination : trips, ...
        if len(tokens) % 3 or tokens[1::3].count(":") != len(tokens) // 3:
            return None
        if not tokens:
            continue
        texts = tokens[2::3]
        try:
            dest = np.array(tokens[0::3], dtype=np.int64)
            value = np.array(texts, dtype=np.float64)
        except (ValueError, OverflowError):
            return None
        if dest.min() < 1 or dest.max() > limit or not np.all(np.isfinite(value)) or value.min() < 0:
            return None
        np.add.at(demand[int(head) - 1], dest - 1, value)
        if "e" in rest or "E" in rest:
            rounding += sum(map(_half_unit, texts))
        else:  # half a unit of the last decimal printed
            length = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
            dot = np.fromiter(map(str.find, texts, repeat(".")), dtype=np.int64, count=len(texts))
            rounding += float(np.sum(0.5 * 10.0 ** -np.where(dot >= 0, length - dot - 1, 0)))
    return demand, rounding


def _trips_by_line(path, start, zones, limit):
    """(demand, rounding) read line by line, with an error naming the first bad line."""
    demand = np.zeros((zones, zones))
    origin, rounding = None, 0.0
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
        tokens = text.replace(";", " ").replace(":", " : ").split()
        for k in range(0, len(tokens), 3):
            cell = " ".join(tokens[k:k + 3])
            try:
                dest_text, colon, value_text = tokens[k:k + 3]
                if colon != ":":
                    raise ValueError
                dest, value = int(dest_text), float(value_text)
            except ValueError:
                raise ValueError(f"{path}, line {number}: malformed entry {cell!r} (expected 'destination : trips')") \
                    from None
            if not 1 <= dest <= min(zones, limit):
                raise ValueError(f"{path}, line {number}: destination {dest} is not a zone (1..{zones})")
            if not np.isfinite(value) or value < 0:
                raise ValueError(f"{path}, line {number}: trips must be finite and >= 0, got {value_text.strip()}")
            demand[origin - 1, dest - 1] += value
            rounding += _half_unit(value_text)
    return demand, rounding


def _half_unit(text):
    """Half a unit in the last printed digit of a number ('12.50' -> 0.005, '1.2e+06' -> 5e4)."""
    mantissa, _, exponent = text.strip().lower().partition("e")
    dot = mantissa.find(".")
    return 0.5 * 10.0 ** ((int(exponent) if exponent else 0) - (len(mantissa) - dot - 1 if dot >= 0 else 0))


def read_flow(path):
    """A TNTP _flow file as a DataFrame (source, target 0-based; flow; cost).

    Fields may be separated by tabs or spaces, lines may end in ``;`` and
    ``~`` starts a comment; header lines are skipped."""
    import pandas as pd

    rows = []
    for number, line in _lines(path):
        parts = line.split("~")[0].replace(";", " ").split()
        if not parts or not parts[0].lstrip("-").isdigit():
            continue  # header
        if len(parts) < 3:
            raise ValueError(f"{path}, line {number}: expected from, to, volume[, cost]")
        try:
            a, b = int(parts[0]), int(parts[1])
            flow = float(parts[2])
            cost = float(parts[3]) if len(parts) > 3 else np.nan
        except ValueError:
            raise ValueError(f"{path}, line {number}: malformed flow line {line.strip()!r}") from None
        if not (1 <= a < 2**32 and 1 <= b < 2**32):
            raise ValueError(f"{path}, line {number}: node ids must be integers in 1..2^32-1, got {a} -> {b}")
        if not (np.isfinite(flow) and flow >= 0):
            raise ValueError(f"{path}, line {number}: the flow must be finite and >= 0, got {parts[2]}")
        if len(parts) > 3 and not (np.isfinite(cost) and cost >= 0):
            raise ValueError(f"{path}, line {number}: the cost must be finite and >= 0, got {parts[3]}")
        rows.append((a - 1, b - 1, flow, cost))
    return pd.DataFrame(rows, columns=["source", "target", "flow", "cost"])


def read_nodes(path):
    """A TNTP _node file (node coordinates) as a DataFrame.

    Columns: ``node`` (0-based, as in the Graph from :func:`read_net`),
    ``tntp_id`` (the file's id) and the file's other columns by their header
    names in lower case (usually ``x`` and ``y``; ``x, y, ...`` when the file
    has no header). Fields may be separated by any run of tabs and spaces and
    lines may end in ``;`` (Berlin's files). A line with a non-numeric or
    non-finite value, a bad node id or another number of fields than the
    header is an error naming the line; so is a node listed twice.
    Attach them to a graph with ``g.with_node_attr("x", values)`` after
    aligning on ``node``."""
    import pandas as pd

    names, rows = None, []
    for number, line in _lines(path):
        parts = [t for t in line.split("~")[0].replace(";", " ").split()]
        if not parts:
            continue
        try:
            values = [float(t) for t in parts]
        except ValueError:
            if names is None and not rows:  # the header
                names = [re.sub(r"\(.*?\)", "", t).strip().lower() for t in parts[1:]]
                continue
            raise ValueError(f"{path}, line {number}: non-numeric value in {line.strip()!r}") from None
        if names is None:
            names = ["x", "y", *(f"column_{k}" for k in range(3, len(parts)))][:len(parts) - 1]
        if len(values) != len(names) + 1:
            raise ValueError(f"{path}, line {number}: expected {len(names) + 1} fields (node {' '.join(names)}), "
                             f"got {len(values)}: {line.strip()!r}")
        if not all(np.isfinite(values)):
            raise ValueError(f"{path}, line {number}: non-finite value in {line.strip()!r}")
        if values[0] != int(values[0]) or not 1 <= values[0] < 2**32:
            raise ValueError(f"{path}, line {number}: node id must be an integer in 1..2^32-1, got {parts[0]}")
        rows.append(values)
    arr = np.array(rows, dtype=np.float64).reshape(-1, len(names or []) + 1)
    ids = arr[:, 0].astype(np.int64)
    unique, counts = np.unique(ids, return_counts=True)  # not bincount: ids may be large and sparse
    if (counts > 1).any():
        raise ValueError(f"{path}: node {unique[counts > 1][0]} is listed more than once")
    frame = pd.DataFrame({"node": ids - 1, "tntp_id": ids})
    for k, name in enumerate(names or []):
        frame[name] = arr[:, k + 1]
    return frame
