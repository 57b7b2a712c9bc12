"""Raw trajectories in: GPS or check-in records (user id, latitude, longitude,
time) from pandas or GeoPandas, and the preprocessing that turns raw GPS into
places.

- :func:`trajectories` reads a frame, checks every record and sorts it by
  user, then time.
- :meth:`Trajectories.filter` drops noise points reached too fast (Zheng,
  ACM TIST 6, 29, 2015, Sec. 3.1).
- :meth:`Trajectories.stops` detects stay points (Hariharan & Toyama,
  "Project Lachesis", GIScience 2004), with the semantics of
  scikit-mobility's ``stay_locations``: the same parameters give the same stops.
- :meth:`Trajectories.compress` merges runs of nearby points.
- The measures (radius of gyration, k-radius, jumps, waits, entropies, home)
  come back as pandas Series indexed by the user's own ids, times in seconds.

Times: timezone-aware datetimes are converted to UTC; naive ones are taken as
they are (wall-clock time, no zone). Either way the arithmetic is in seconds
and :meth:`Trajectories.to_frame` gives back datetimes in the input's zone.
The filter, stops and compression run in C++ over users in parallel.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from .. import _core
from .._progress import progress_callback
from .locations import EARTH_RADIUS_KM, Locations, great_circle_km


def _label(frame_or_index, position: int):
    """The user's row label at ``position``, as a plain Python value (for messages)."""
    index = getattr(frame_or_index, "index", frame_or_index)
    label = index[position]
    return label.item() if hasattr(label, "item") else label


def _column(frame, name: str, what: str):
    if name not in frame.columns:
        raise ValueError(f"argument 'frame': has no {what} column {name!r}; it has {list(frame.columns)}")
    return frame[name]


_UNITS = ("s", "ms", "us", "ns")


def _seconds(col, name: str, unit=None):
    """Times as float seconds since the epoch (UTC for aware times), the zone
    to give back, and each record's UTC offset in seconds when the text gave
    several offsets (else None)."""
    import pandas as pd

    offsets = None
    if unit is not None and unit not in _UNITS:
        raise ValueError(f"argument 'time_unit': must be one of {_UNITS}, got {unit!r}")
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        if unit is None:  # pandas would take integers as nanoseconds: unix seconds became 1970
            first = col.iloc[0].item() if hasattr(col.iloc[0], "item") else col.iloc[0]
            raise ValueError(f"argument 'frame': column {name!r} holds numbers ({first!r}, ...), not dates: "
                             f"say what they count since 1970-01-01 UTC with time_unit= one of {_UNITS} "
                             "(time_unit='s' for unix seconds)")
        bad = ~np.isfinite(col.to_numpy(dtype=np.float64, na_value=np.nan))
        if bad.any():
            pos = int(np.argmax(bad))
            raise ValueError(f"argument 'frame': column {name!r}, row {_label(col, pos)!r} has no time")
        col = pd.to_datetime(col, unit=unit, utc=True)
    elif not pd.api.types.is_datetime64_any_dtype(col):
        try:  # ISO 8601 text (the common case) has pandas' fast parser
            parsed = pd.to_datetime(col, format="ISO8601")
        except (ValueError, TypeError) as exc:
            if "mixed time" in str(exc).lower() or "mixed timezones" in str(exc).lower():
                # several UTC offsets (a trace across a change of daylight saving time): to UTC, offsets kept
                parsed = pd.to_datetime(col, format="ISO8601", utc=True)
                offsets = np.array([pd.Timestamp(v).utcoffset().total_seconds()
                                    if pd.Timestamp(v).tzinfo is not None else 0.0 for v in col], dtype=np.float64)
            else:
                try:  # one other format, inferred from the first value
                    parsed = pd.to_datetime(col)
                except (ValueError, TypeError):
                    parsed = pd.to_datetime(col, errors="coerce", format="mixed")
        bad = parsed.isna() & col.notna()
        if bad.any():
            pos = int(np.argmax(bad.to_numpy()))
            raise ValueError(f"argument 'frame': column {name!r}, row {_label(col, pos)!r}: {col.iloc[pos]!r} "
                             "is not a date/time")
        col = parsed
    if col.isna().any():
        label = _label(col, int(np.argmax(col.isna().to_numpy())))
        raise ValueError(f"argument 'frame': column {name!r}, row {label!r} has no time")
    tz = getattr(col.dt, "tz", None)
    values = (col.dt.tz_convert("UTC").dt.tz_localize(None) if tz is not None else col).to_numpy("datetime64[ns]")
    return values.astype(np.int64) / 1e9, tz, offsets


@dataclass
class Trajectories:
    """Records sorted by user, then time. ``user_start`` holds each user's
    first record (and the total); ``uids`` the users' own ids in that order."""

    uids: np.ndarray
    user_start: np.ndarray
    lat: np.ndarray
    lng: np.ndarray
    time: np.ndarray  # seconds since the epoch
    tz: Optional[object] = None
    extra: Optional[object] = None  # a DataFrame of the other columns, aligned with the records
    leave: Optional[np.ndarray] = None  # stops: the leaving time of each stop
    source: dict = field(default_factory=dict)
    # derived indexes, computed once (issue 35.11: every measure re-ran np.unique over the
    # coordinates); keyed by the arrays they come from, so that replacing an array recomputes
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def n(self) -> int:
        """Number of records (points, or stops after :meth:`stops`)."""
        return int(self.lat.size)

    @property
    def users(self) -> int:
        """Number of users (``uids``), including users left with no record by a filter."""
        return int(self.uids.size)

    def _cached(self, name: str, arrays: tuple, compute):
        """compute(), remembered while the record arrays are the same objects
        (an array assigned anew recomputes; one changed in place does not)."""
        hit = self._cache.get(name)
        if hit is None or len(hit[0]) != len(arrays) or any(a is not b for a, b in zip(hit[0], arrays)):
            hit = self._cache[name] = (arrays, compute())
        return hit[1]

    def user_of_record(self) -> np.ndarray:
        """The user index (0..users-1) of every record."""
        return self._cached("user_of_record", (self.user_start,),
                            lambda: np.repeat(np.arange(self.users), np.diff(self.user_start)))

    def _subset(self, idx, **changes):
        user = self.user_of_record()[idx]
        start = np.searchsorted(user, np.arange(self.users + 1)).astype(np.int64)
        extra = None if self.extra is None else self.extra.iloc[idx].reset_index(drop=True)
        return Trajectories(self.uids, start, self.lat[idx], self.lng[idx], self.time[idx], self.tz, extra,
                            None if self.leave is None else self.leave[idx], dict(self.source, **changes))

    def _args(self):
        return self.lat, self.lng, self.time, np.ascontiguousarray(self.user_start, dtype=np.uint64)

    # --- preprocessing -----------------------------------------------------------------------

    def filter(self, max_speed_kmh: float = 500.0, *, progress: bool = False) -> "Trajectories":
        """Drop points reached from the last kept point faster than ``max_speed_kmh``
        (or at the same instant); each user's first and last points are kept."""
        with progress_callback(progress, "speed filter") as cb:
            kept = _core.filter_by_speed(*self._args(), float(max_speed_kmh), EARTH_RADIUS_KM, cb)
        return self._subset(kept.astype(np.int64), filtered_max_speed_kmh=float(max_speed_kmh))

    def stops(self, minutes: float = 20.0, radius_km: float = 0.2, *, max_gap_minutes: Optional[float] = None,
              progress: bool = False) -> "Trajectories":
        """Stay points: the user stayed more than ``minutes`` within ``radius_km``
        of an anchor point. Each stop is a record at the median latitude and
        longitude of its points, timed at its start, with the leaving time in
        ``leave``; the extra columns are those of the stop's last point. A gap
        of more than ``max_gap_minutes`` between records ends any stop."""
        gap = 1e12 if max_gap_minutes is None else float(max_gap_minutes)
        with progress_callback(progress, "stops") as cb:
            s = _core.detect_stops(*self._args(), float(radius_km), float(minutes), gap, EARTH_RADIUS_KM, cb)
        user = s["user"].astype(np.int64)
        start = np.searchsorted(user, np.arange(self.users + 1)).astype(np.int64)
        extra = None if self.extra is None else self.extra.iloc[s["last"].astype(np.int64)].reset_index(drop=True)
        return Trajectories(self.uids, start, s["lat"], s["lng"], s["start"], self.tz, extra, s["leave"],
                            dict(self.source, stops_minutes=float(minutes), stops_radius_km=float(radius_km)))

    def compress(self, radius_km: float = 0.2, *, progress: bool = False) -> "Trajectories":
        """Each run of consecutive points within ``radius_km`` of the run's first
        point becomes one point at the run's median coordinates and first time."""
        with progress_callback(progress, "compression") as cb:
            c = _core.compress_trajectories(*self._args(), float(radius_km), EARTH_RADIUS_KM, cb)
        user = c["user"].astype(np.int64)
        start = np.searchsorted(user, np.arange(self.users + 1)).astype(np.int64)
        return Trajectories(self.uids, start, c["lat"], c["lng"], c["time"], self.tz, None, None,
                            dict(self.source, compressed_radius_km=float(radius_km)))

    # --- views ---------------------------------------------------------------------------------

    def datetimes(self, seconds=None):
        """The records' times (or ``seconds``, an array of unix seconds) as a
        pandas DatetimeIndex, in the trace's time zone when it has one (else
        naive UTC)."""
        import pandas as pd

        t = pd.to_datetime(np.round((self.time if seconds is None else seconds) * 1e9).astype(np.int64))
        return t.tz_localize("UTC").tz_convert(self.tz) if self.tz is not None else t

    def to_frame(self):
        """The records as a DataFrame: uid, lat, lng, datetime (leaving_datetime for stops), extras."""
        import pandas as pd

        out = pd.DataFrame({"uid": self.uids[self.user_of_record()], "lat": self.lat, "lng": self.lng,
                            "datetime": self.datetimes()})
        if self.leave is not None:
            out["leaving_datetime"] = self.datetimes(self.leave)
        if self.extra is not None:
            out = pd.concat([out, self.extra.reset_index(drop=True)], axis=1)
        return out

    def tile_ids(self, tessellation) -> np.ndarray:
        """The tile id of every record (None outside the tessellation); see
        :func:`urbplex.mobility.tessellation.tile_of`."""
        from .tessellation import tile_of

        return tile_of(tessellation, self.lat, self.lng)

    def flows(self, tessellation, *, self_flows: bool = False):
        """Moves between tiles: a sparse table origin, destination, flow keyed by
        tile id, counting consecutive records of a user (records outside the
        tessellation break the chain). ``self_flows`` keeps moves within a tile."""
        import pandas as pd

        tid = pd.Series(self.tile_ids(tessellation))
        user = self.user_of_record()
        o, d = tid.iloc[:-1].to_numpy(), tid.iloc[1:].to_numpy()
        inside = tid.notna().to_numpy()
        keep = (user[1:] == user[:-1]) & inside[:-1] & inside[1:]
        if not self_flows:
            keep &= o != d
        table = pd.DataFrame({"origin": o[keep], "destination": d[keep]})
        return table.groupby(["origin", "destination"], sort=True).size().rename("flow").reset_index()

    def locations(self):
        """(Locations, index of each record): one location per distinct (lat, lng),
        great-circle distances, mass = number of records there (computed once)."""
        def compute():
            coords = np.stack([self.lng, self.lat], axis=1)
            uniq, inverse, counts = np.unique(coords, axis=0, return_inverse=True, return_counts=True)
            return Locations(uniq[:, 0], uniq[:, 1], counts.astype(np.float64), "haversine"), inverse.ravel()

        locs, index = self._cached("locations", (self.lat, self.lng), compute)
        if locs.x.size < 2:
            raise ValueError("trajectories: all records are at one place; no mobility measure is defined")
        return locs, index

    def _agent_time_location(self):
        locs, index = self.locations()
        return locs, (self.user_of_record(), self.time, index)

    def _by_user(self, values, present=None):
        import pandas as pd

        users = np.arange(self.users) if present is None else present
        return pd.Series(values, index=pd.Index(self.uids[users], name="uid"))

    # --- measures (scikit-mobility's names) ----------------------------------------------------

    def _present(self):
        return np.flatnonzero(np.diff(self.user_start) > 0)

    def radius_of_gyration(self):
        """r_g per user, km (González et al., Nature 453, 779, 2008)."""
        from .measures import radius_of_gyration

        locs, traj = self._agent_time_location()
        return self._by_user(radius_of_gyration(traj, locs), self._present())

    def k_radius_of_gyration(self, k: int = 2):
        """r_g over each user's k most visited places (ties: the one visited first), km
        (Pappalardo et al., Nat. Commun. 6, 8166, 2015)."""
        from .measures import radius_of_gyration

        locs, traj = self._agent_time_location()
        return self._by_user(radius_of_gyration(traj, locs, k=k), self._present())

    def number_of_locations(self):
        """Distinct places per user."""
        _, traj = self._agent_time_location()
        from .measures import distinct_locations

        return self._by_user(distinct_locations(traj), self._present())

    def random_entropy(self):
        """log2 of the number of distinct places (Song et al., Science 327, 1018, 2010)."""
        return np.log2(self.number_of_locations())

    def uncorrelated_entropy(self, normalize: bool = False):
        """Shannon entropy (bits) of each user's visit frequencies; ``normalize`` divides by log2 S."""
        from .measures import uncorrelated_entropy

        _, traj = self._agent_time_location()
        h = self._by_user(uncorrelated_entropy(traj), self._present())
        if normalize:
            s = self.number_of_locations()
            h = h / np.where(s > 1, np.log2(np.maximum(s, 2)), 1.0)
        return h

    def jump_lengths(self):
        """Per user, the great-circle km between consecutive records (an array each)."""
        import pandas as pd

        locs, traj = self._agent_time_location()
        from .measures import jump_lengths

        j = jump_lengths(traj, locs)
        sizes = np.maximum(np.diff(self.user_start).astype(np.int64) - 1, 0)
        parts = np.split(j, np.cumsum(sizes)[:-1])
        return pd.Series(parts, index=pd.Index(self.uids, name="uid"))

    def waiting_times(self):
        """Per user, the seconds between consecutive records (an array each)."""
        import pandas as pd

        parts = [np.diff(self.time[a:b]) for a, b in zip(self.user_start[:-1].astype(np.int64),
                                                          self.user_start[1:].astype(np.int64))]
        return pd.Series(parts, index=pd.Index(self.uids, name="uid"))

    def real_entropy(self):
        """Lempel-Ziv estimate of each user's entropy rate (bits) over the sequence
        of places (Song, Qu, Blumm & Barabasi, Science 327, 1018, 2010; Kontoyiannis
        et al. 1998): n log2 n / sum of Lambda_i, Lambda_i the length of the
        shortest substring starting at i that does not occur before i, with
        scikit-mobility's end conventions. The longest earlier match at each i
        is found by walking a suffix automaton of the prefix: O(n + sum of the
        match lengths) per user, in Python, instead of scikit-mobility's cubic
        substring search."""
        _, index = self.locations()
        out = np.full(self.users, np.nan)
        for u in range(self.users):
            a, b = int(self.user_start[u]), int(self.user_start[u + 1])
            if b - a >= 2:
                out[u] = _lz_entropy(index[a:b].tolist())
        return self._by_user(out)

    def frequency_rank(self):
        """Each user's places ranked by visits (1 = most visited; ties: visited
        first): a DataFrame uid, lat, lng, visits, frequency_rank."""
        return self._ranks("frequency")

    def recency_rank(self):
        """Each user's places ranked by their last visit (1 = most recent)."""
        return self._ranks("recency")

    def _ranks(self, kind):
        import pandas as pd

        _, index = self.locations()
        user = self.user_of_record()
        frame = pd.DataFrame({"u": user, "loc": index, "lat": self.lat, "lng": self.lng, "t": self.time,
                              "i": np.arange(self.n)})
        g = frame.groupby(["u", "loc"], sort=False).agg(lat=("lat", "first"), lng=("lng", "first"),
                                                         visits=("i", "size"), first=("i", "min"), last=("t", "max"))
        g = g.reset_index()
        if kind == "frequency":
            g = g.sort_values(["u", "visits", "first"], ascending=[True, False, True], kind="stable")
        else:
            g = g.sort_values(["u", "last", "first"], ascending=[True, False, True], kind="stable")
        g[f"{kind}_rank"] = g.groupby("u").cumcount() + 1
        g.insert(0, "uid", self.uids[g["u"].to_numpy()])
        cols = ["uid", "lat", "lng", "visits" if kind == "frequency" else "last", f"{kind}_rank"]
        out = g[cols].reset_index(drop=True)
        if kind == "recency":
            out = out.assign(last=self.datetimes(out["last"].to_numpy())).rename(columns={"last": "last_visit"})
        return out

    def mobility_network(self, *, self_loops: bool = False):
        """Each user's individual mobility network (Bagrow & Lin, PLoS ONE 7,
        e37676, 2012): edges between consecutive places with the number of
        trips, as uid, lat/lng of origin and destination, trips."""
        import pandas as pd

        user = self.user_of_record()
        same = user[1:] == user[:-1]
        if not self_loops:
            same &= (self.lat[1:] != self.lat[:-1]) | (self.lng[1:] != self.lng[:-1])
        frame = pd.DataFrame({"uid": self.uids[user[1:][same]], "lat_origin": self.lat[:-1][same],
                              "lng_origin": self.lng[:-1][same], "lat_dest": self.lat[1:][same],
                              "lng_dest": self.lng[1:][same]})
        keys = list(frame.columns)
        return frame.groupby(keys, sort=True).size().rename("trips").reset_index()

    def visits_per_location(self):
        """Per place (distinct lat, lng): visits and distinct visitors, most visited first."""
        import pandas as pd

        frame = pd.DataFrame({"lat": self.lat, "lng": self.lng, "uid": self.user_of_record()})
        g = frame.groupby(["lat", "lng"]).agg(visits=("uid", "size"), visitors=("uid", "nunique")).reset_index()
        return g.sort_values(["visits", "lat", "lng"], ascending=[False, True, True], kind="stable").reset_index(drop=True)

    def cluster(self, radius_km: float = 0.1, *, across_users: bool = False, progress: bool = False) -> np.ndarray:
        """Places from stops: single-linkage clusters of records within
        ``radius_km`` great-circle distance (DBSCAN with min_samples = 1, Ester et
        al. 1996, as scikit-mobility's clustering.cluster), per user or across
        users. Returns a cluster label per record (per user: 0, 1, ... in order
        of first visit; across users: one labelling for all). In C++, users in
        parallel; a grid of cubes makes it near-linear in the number of records."""
        if not (np.isfinite(radius_km) and radius_km > 0):
            raise ValueError(f"argument 'radius_km': must be finite and > 0, got {radius_km}")
        groups = np.array([0, self.n], dtype=np.uint64) if across_users else self.user_start.astype(np.uint64)
        with progress_callback(progress, "clustering") as cb:
            return _core.cluster_places(self.lat, self.lng, groups, float(radius_km), EARTH_RADIUS_KM, cb)

    def home_location(self, start_night: str = "22:00", end_night: str = "07:00"):
        """Each user's most visited place at night (both ends included, local
        clock of the input), or overall when the user has no night record; a
        DataFrame of lat, lng by uid. Ties go to the smallest (lat, lng), which
        does not depend on how places are numbered and is scikit-mobility's
        order where its sort keeps ties in place."""
        import pandas as pd

        t = pd.DatetimeIndex(self.datetimes())
        seconds = t.hour * 3600 + t.minute * 60 + t.second + t.nanosecond * 1e-9 + t.microsecond * 1e-6

        def clock(text):
            import re

            m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", str(text))
            if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
                raise ValueError(f"home_location: times are 'HH:MM' on a 24-hour clock (00:00 to 23:59), got {text!r}")
            return int(m.group(1)) * 3600 + int(m.group(2)) * 60

        lo, hi = clock(start_night), clock(end_night)
        night = np.asarray((seconds >= lo) | (seconds <= hi) if lo > hi else (seconds >= lo) & (seconds <= hi))
        lat, lng = np.full(self.users, np.nan), np.full(self.users, np.nan)
        for u in range(self.users):
            a, b = int(self.user_start[u]), int(self.user_start[u + 1])
            if a == b:
                continue
            sel = np.arange(a, b)
            if night[sel].any():
                sel = sel[night[sel]]
            places, counts = np.unique(np.stack([self.lat[sel], self.lng[sel]], axis=1), axis=0, return_counts=True)
            lat[u], lng[u] = places[int(np.argmax(counts))]  # first maximum: the smallest (lat, lng)
        return pd.DataFrame({"lat": lat, "lng": lng}, index=pd.Index(self.uids, name="uid"))

    def max_distance_from_home(self, **night):
        """Per user, the largest great-circle km between home and any record."""
        home = self.home_location(**night)
        user = self.user_of_record()
        d = great_circle_km(home["lat"].to_numpy()[user], home["lng"].to_numpy()[user], self.lat, self.lng)
        out = np.full(self.users, np.nan)
        np.fmax.at(out, user, d)
        return self._by_user(out)


def _lz_entropy(seq) -> float:
    """n log2 n / sum Lambda_i over the symbol list ``seq`` (see Trajectories.real_entropy)."""
    n = len(seq)
    # Suffix automaton of seq[:i], extended one symbol per step.
    nxt, link, length = [{}], [-1], [0]
    last = 0

    def extend(c):
        nonlocal last
        cur = len(nxt)
        nxt.append({}), link.append(0), length.append(length[last] + 1)
        p = last
        while p != -1 and c not in nxt[p]:
            nxt[p][c] = cur
            p = link[p]
        if p != -1:
            q = nxt[p][c]
            if length[p] + 1 == length[q]:
                link[cur] = q
            else:
                clone = len(nxt)
                nxt.append(dict(nxt[q])), link.append(link[q]), length.append(length[p] + 1)
                while p != -1 and nxt[p].get(c) == q:
                    nxt[p][c] = clone
                    p = link[p]
                link[q] = link[cur] = clone
        last = cur

    total = 1.0 + 2.0  # the first and last symbols, as scikit-mobility counts them
    extend(seq[0])
    for i in range(1, n - 1):
        state, matched = 0, 0  # longest prefix of seq[i:] that occurs in seq[:i] (capped at n - i - 1)
        while matched < n - i - 1 and seq[i + matched] in nxt[state]:
            state = nxt[state][seq[i + matched]]
            matched += 1
        j = i + 1 + matched
        total += (j + 1 if j == n else j) - i
        extend(seq[i])
    return float(n * np.log2(n) / total)


def trajectories(frame, *, uid: str = "uid", lat: str = "lat", lng: str = "lng",
                 datetime: str = "datetime", time_unit: Optional[str] = None) -> Trajectories:
    """Read records from a pandas DataFrame (or a GeoDataFrame of points, whose
    geometry gives lat/lng when those columns are absent; points in a
    projected CRS, e.g. EPSG:3857, are converted to WGS84 by it).

    Records are sorted by user, then time (stable). Other columns are kept
    (``extra``). Bad records raise ``ValueError`` naming the column and the
    row label: a missing column, an unparsable or missing time, a latitude
    outside [-90, 90] or a longitude outside [-180, 180].

    Numeric times (unix timestamps) need ``time_unit`` ('s', 'ms', 'us' or
    'ns'): read without it they used to be taken as nanoseconds. Text times
    with several UTC offsets (a trace across a daylight-saving change) are
    converted to UTC; each record's offset is kept as the extra column
    ``utc_offset`` (seconds).
    """
    if not hasattr(frame, "columns"):
        raise TypeError(f"argument 'frame': expected a pandas DataFrame, got {type(frame).__name__}")
    if (lat not in frame.columns or lng not in frame.columns) and hasattr(frame, "geometry"):
        crs = getattr(frame, "crs", None)
        if crs is not None and not crs.is_geographic:  # projected points: to WGS84 by their own CRS
            frame = frame.to_crs(4326)
        frame = frame.copy()
        geom = frame.geometry
        if not (geom.geom_type == "Point").all():
            raise ValueError("argument 'frame': a GeoDataFrame of trajectories needs Point geometries")
        frame[lat], frame[lng] = geom.y.to_numpy(), geom.x.to_numpy()
        frame = frame.drop(columns=[frame.geometry.name])
    if len(frame) == 0:
        raise ValueError("argument 'frame': has no records")
    u = _column(frame, uid, "user id")
    la = _column(frame, lat, "latitude").to_numpy(dtype=np.float64, na_value=np.nan)
    lo = _column(frame, lng, "longitude").to_numpy(dtype=np.float64, na_value=np.nan)
    for name, values, limit in ((lat, la, 90.0), (lng, lo, 180.0)):
        bad = ~(np.isfinite(values) & (np.abs(values) <= limit))
        if bad.any():
            label = _label(frame, int(np.argmax(bad)))
            hint = ""
            if hasattr(frame, "geometry") or np.nanmax(np.abs(values)) > 1000:
                hint = (" (these look like projected coordinates, e.g. metres: give a GeoDataFrame with its CRS, "
                        "which is converted to WGS84, or convert with to_crs(4326))")
            raise ValueError(f"argument 'frame': column {name!r}, row {label!r}: {values[bad][0]} is not within "
                             f"[-{limit:g}, {limit:g}]{hint}")
    if u.isna().any():
        raise ValueError(f"argument 'frame': column {uid!r}, row {_label(frame, int(np.argmax(u.isna().to_numpy())))!r} "
                         "has no user id")
    t, tz, offsets = _seconds(_column(frame, datetime, "time"), datetime, time_unit)
    if offsets is not None:
        frame = frame.assign(utc_offset=offsets)
    try:
        uids, codes = np.unique(u.to_numpy(), return_inverse=True)
    except TypeError:  # ids of several types cannot be ordered
        kinds = sorted({type(v).__name__ for v in u})
        raise TypeError(f"argument 'frame': column {uid!r} mixes user ids of types {', '.join(kinds)}; "
                        f"give one type (e.g. frame[{uid!r}].astype(str))") from None
    d_code, d_t = np.diff(codes), np.diff(t)
    if np.all((d_code > 0) | ((d_code == 0) & (d_t >= 0))):
        order = np.arange(codes.size)  # already sorted by user, then time
    else:
        order = np.lexsort((t, codes))
    counts = np.bincount(codes, minlength=uids.size)
    start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    extra_cols = [c for c in frame.columns if c not in (uid, lat, lng, datetime)]
    extra = frame[extra_cols].iloc[order].reset_index(drop=True) if extra_cols else None
    return Trajectories(uids, start, np.ascontiguousarray(la[order]), np.ascontiguousarray(lo[order]),
                        np.ascontiguousarray(t[order]), tz, extra)
