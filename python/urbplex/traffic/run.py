"""The result of a dynamic traffic run: trips, link time series, the MFD
and traffic percolation per time bin."""
from __future__ import annotations

import numpy as np

from .._validate import plain
from ..result import RunResult, register_result

@register_result
class TrafficRun(RunResult):
    """One dynamic traffic run: trips of platoons, link time series, totals."""

    model = "traffic"
    units = {"entered": "s", "arrived": "s", "departure": "s", "free_flow_time": "s", "route_entry": "step",
             "inflow": "vehicles per bin", "outflow": "vehicles per bin", "vehicle_seconds": "vehicle s",
             "vehicle_metres": "vehicle m", "dt": "s", "length": "m", "free_speed": "m/s"}
    compressed = ("inflow", "outflow", "vehicle_seconds", "vehicle_metres", "cumulative_in", "cumulative_out",
                  "route_links", "route_entry")

    @property
    def dt(self) -> float:
        """Simulation step in seconds: reaction time x platoon size (UXsim's DELTAT)."""
        return float(self.data["dt"][0])

    @property
    def node_ids(self) -> np.ndarray:
        """The user's node ids, in the order of the network."""
        return np.array(self.parameters["node_ids"], dtype=object)

    @property
    def link_ids(self) -> np.ndarray:
        """The user's link ids, in the order of the network (rows of the link series)."""
        return np.array(self.parameters["link_ids"], dtype=object)

    @property
    def trips(self):
        """Per platoon: origin, destination (user ids), departure, arrival and
        travel time = arrival - departure (s; NaN when not arrived by the
        horizon; a platoon leaves in the first step starting at or after its
        departure), vehicles."""
        import pandas as pd

        nodes = self.node_ids
        arrived = self.data["arrived"].astype(np.float64)
        arrival = np.where(arrived >= 0, arrived * self.dt, np.nan)
        return pd.DataFrame({"origin": nodes[self.data["origin"]], "destination": nodes[self.data["destination"]],
                             "departure": self.data["departure"], "arrival": arrival,
                             "travel_time": arrival - self.data["departure"],
                             "free_flow_time": self.data["free_flow_time"],
                             "vehicles": np.full(arrived.size, int(self.parameters["platoon"]))})

    @property
    def completed(self) -> float:
        """Share of vehicles that arrived by the horizon."""
        return float(np.mean(self.data["arrived"] >= 0)) if self.data["arrived"].size else 1.0

    @property
    def total_travel_time(self) -> float:
        """Vehicle-seconds of the trips that arrived."""
        t = self.trips
        return float(np.nansum(t["travel_time"] * t["vehicles"]))

    @property
    def mean_delay(self) -> float:
        """Mean over arrived vehicles of travel time minus free-flow shortest time (s)."""
        t = self.trips.dropna(subset=["travel_time"])
        return float(np.mean(t["travel_time"] - t["free_flow_time"])) if len(t) else float("nan")

    def link_series(self):
        """Per link and time bin: inflow and outflow (veh/h), density (veh/km),
        space-mean speed (km/h; NaN when empty), as a long DataFrame."""
        import pandas as pd

        bins = int(self.data["bins"][0])
        width = float(self.parameters["record_interval"])
        L = self.data["length"].size
        shape = (L, bins)
        vs = self.data["vehicle_seconds"].reshape(shape)
        vm = self.data["vehicle_metres"].reshape(shape)
        length = self.data["length"][:, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            speed = np.where(vs > 0, vm / vs * 3.6, np.nan)
        return pd.DataFrame({
            "link": np.repeat(self.link_ids, bins), "start": np.tile(np.arange(bins) * width, L),
            "inflow": (self.data["inflow"].reshape(shape) / width * 3600).ravel(),
            "outflow": (self.data["outflow"].reshape(shape) / width * 3600).ravel(),
            "density": (vs / (width * length) * 1000).ravel(), "speed": speed.ravel()})

    def mfd(self, areas=None):
        """The macroscopic fundamental diagram per time bin (Geroliminis &
        Daganzo, Transp. Res. B 42, 759, 2008): accumulation (veh), production
        (veh km/h), space-mean speed (km/h) and the links' km; for the whole
        network, or per area with ``areas`` (one label per link in network
        order, or a Series / mapping link id -> area: an ``area`` column)."""
        from .views import mfd_by_area

        return mfd_by_area(self, areas)

    def plot_mfd(self, areas=None, ax=None):
        """Production against accumulation, one line per area (time order)."""
        from .._optional import require

        plt = require("matplotlib.pyplot")
        table = self.mfd(areas)
        ax = ax or plt.subplots(figsize=(5, 4))[1]
        groups = table.groupby("area", sort=False) if areas is not None else [("network", table)]
        for name, g in groups:
            ax.plot(g["accumulation"], g["production"], "o-", ms=2, lw=0.8, label=str(name))
        ax.set_xlabel("accumulation (veh)")
        ax.set_ylabel("production (veh km/h)")
        if areas is not None:
            ax.legend(fontsize="small")
        return ax

    def time_space(self, route):
        """Per platoon and link of ``route`` (consecutive link ids) it drove:
        enter / leave times (s) and the link's span along the route (x_from,
        x_to in m): the data of a time-space diagram."""
        from .views import time_space

        return time_space(self, route)

    def plot_time_space(self, route, ax=None):
        """Time-space diagram of the platoons along ``route`` (link ids)."""
        from .views import plot_time_space

        return plot_time_space(self, route, ax=ax)

    def plot_network(self, positions, time_bin: int, ax=None):
        """The links coloured by relative speed in ``time_bin``; ``positions``
        a Graph with x / y (the one ``network_from_graph`` used) or a mapping
        node id -> (x, y)."""
        from .views import plot_network

        return plot_network(self, positions, time_bin, ax=ax)

    def network_frames(self, positions, directory, *, dpi: int = 80) -> list:
        """One PNG per time bin in ``directory`` (frame_000.png, ...): the
        frames of a network animation. Returns their paths."""
        from .views import network_frames

        return network_frames(self, positions, directory, dpi=dpi)

    def percolation(self):
        """Traffic percolation in every time bin (Li, Fu, Wang, Lu, Berezin,
        Stanley & Havlin, PNAS 112, 669, 2015): keep the links whose relative
        speed r = space-mean speed / free speed is at least q; q_c is where the
        second-largest cluster peaks as q falls, and the bottleneck is the link
        that then joins the two largest clusters. Links with no vehicle in a bin
        flow freely (r = 1). Li et al. use the link's 95th-percentile speed as
        reference; in this model that is the free speed. Returns a DataFrame:
        start (s), q_c, bottleneck (link id), mean_r (the links' mean relative speed)."""
        import pandas as pd

        from ..graph import Graph
        from ..percolation import threshold

        from .views import relative_speed

        bins = int(self.data["bins"][0])
        width = float(self.parameters["record_interval"])
        r = relative_speed(self)
        g = Graph.from_arrays(self.data["from_"], self.data["to"], n=len(self.parameters["node_ids"]), directed=True)
        ids = self.link_ids
        rows = []
        for b in range(bins):
            res = threshold(g, r[:, b])
            bottleneck = ids[int(res.bottlenecks[0])] if res.bottlenecks.size else None
            rows.append((b * width, res.q_c, bottleneck, float(np.mean(r[:, b]))))
        return pd.DataFrame(rows, columns=["start", "q_c", "bottleneck", "mean_r"])

    @property
    def route_searches(self) -> tuple:
        """Route choice's work in a 'duo' run: (destination searches, nodes
        settled by them). Searches run only for destinations with platoons on
        the road or about to leave, each as far as its platoons stand."""
        work = self.data.get("route_work", np.zeros(2, dtype=np.uint64))
        return int(work[0]), int(work[1])

    @property
    def routes(self) -> list:
        """Each platoon's links (user ids) in the order driven (up to where it
        was at the horizon): a ``route`` column for ``route_choice='given'``."""
        ids, start, links = self.link_ids, self.data["route_start"], self.data["route_links"]
        return [ids[links[start[p]:start[p + 1]]].tolist() for p in range(start.size - 1)]

    @property
    def days(self):
        """Per day of a ``day_to_day`` run: total travel time (veh s), share
        completed, relative gap and share of platoons that switched route."""
        import pandas as pd

        if "day_relative_gap" not in self.data:
            raise ValueError("this run is not a day-to-day run (ux.traffic.day_to_day)")
        return pd.DataFrame({"day": np.arange(1, self.data["day_relative_gap"].size + 1),
                             "total_travel_time": self.data["day_total_travel_time"],
                             "completed": self.data["day_completed"],
                             "relative_gap": self.data["day_relative_gap"],
                             "switched": self.data["day_switched"]})

    def plot_percolation(self, table=None, ax=None):
        """q_c(t) and the links' mean relative speed per time bin (hours on
        the x axis); ``table`` is a ``percolation()`` result, computed when None."""
        from .._optional import require

        plt = require("matplotlib.pyplot")
        table = self.percolation() if table is None else table
        ax = ax or plt.subplots(figsize=(7, 3.5))[1]  # a fresh figure: a log-scaled current axis would not do
        hours = (table["start"] + float(self.parameters["record_interval"]) / 2) / 3600
        ax.step(hours, table["q_c"], where="mid", label="q_c (traffic percolation)")
        ax.plot(hours, table["mean_r"], "o-", ms=3, label="mean relative speed")
        ax.set_xlabel("time (h)")
        ax.set_ylabel("relative speed v / v_free")
        ax.set_ylim(0, 1.05)
        ax.legend(loc="lower left")
        return ax

    def cumulative(self, link):
        """Cumulative vehicles into and out of ``link`` (a user link id) after
        each step, as two arrays (run with ``record_cumulative=True``)."""
        if self.data["cumulative_in"].size == 0:
            raise ValueError("this run did not keep cumulative counts: simulate(..., record_cumulative=True)")
        ids = self.link_ids.tolist()
        if link not in ids:
            raise ValueError(f"argument 'link': {plain(link)!r} is not a link of the network")
        i = ids.index(link)
        steps = int(self.data["steps"][0])
        return (self.data["cumulative_in"].reshape(-1, steps)[i], self.data["cumulative_out"].reshape(-1, steps)[i])
