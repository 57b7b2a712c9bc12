"""Individual mobility: exploration and preferential return (EPR) agents.

- Song, Koren, Wang & Barabási, "Modelling the scaling properties of human
  mobility", Nat. Phys. 6, 818 (2010): ``exploration='spatial'``.
- Pappalardo, Simini, Rinzivillo, Pedreschi, Giannotti & Barabási,
  "Returners and explorers dichotomy in human mobility", Nat. Commun. 6, 8166
  (2015), d-EPR: ``exploration='density'`` (gravity choice of new places).
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from .. import _core
from .._progress import progress_callback
from .._validate import check_float, check_int, index_array, seed_value
from ..result import RunResult, register_result
from .locations import Locations, locations_of
from ..provenance import records_lineage


@register_result
class AgentsResult(RunResult):
    """Trajectories and summaries of EPR agents.

    ``location`` and ``time`` (hours) have shape (agents, steps + 1) when
    recorded; per agent: ``distinct`` (S), ``radius`` (r_g), ``radius_k``
    (k-radius), ``entropy`` (uncorrelated, bits); ``time_grid`` and
    ``mean_distinct`` give <S(t)>; ``visit_frequency`` gives f_k by rank and
    ``discovery_frequency`` by order of discovery; ``zipf_exponent`` fits either.
    """

    units = {"time": "h", "radius": "unit of the locations' x/y (km for haversine)",
             "radius_k": "unit of the locations' x/y (km for haversine)", "entropy": "bits", "time_grid": "h"}

    model = "epr"

    def to_frame(self):
        """Trajectories as a long DataFrame (agent, time, location, x, y)."""
        import pandas as pd

        if self.data["location"].size == 0:
            raise ValueError("this run did not record trajectories (record=False); see summaries()")
        a, s = self.data["location"].shape
        loc = self.data["location"].ravel()
        return pd.DataFrame({"agent": np.repeat(np.arange(a, dtype=np.uint32), s), "time": self.data["time"].ravel(),
                             "location": loc, "x": self.data["x"][loc], "y": self.data["y"][loc]})

    def summaries(self):
        """One row per agent: distinct locations, radius of gyration, k-radius, entropy, returner/explorer."""
        import pandas as pd

        rg, rk = self.data["radius"], self.data["radius_k"]
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(rg > 0, rk / rg, 1.0)
        return pd.DataFrame({"distinct": self.data["distinct"], "radius": rg, "radius_k": rk,
                             "entropy": self.data["entropy"], "returner": ratio >= 0.5})

    def od(self):
        """Trips between locations: the L x L matrix aggregated over agents (scipy.sparse)."""
        import scipy.sparse as sp

        n = self.data["x"].size
        if self.data["od"].size:
            return sp.csr_array(self.data["od"].reshape(n, n))
        if self.data["location"].size == 0:
            raise ValueError("this run recorded neither trajectories nor an OD matrix (use od=True)")
        loc = self.data["location"]
        o, d = loc[:, :-1].ravel(), loc[:, 1:].ravel()
        return sp.csr_array((np.ones(o.size, dtype=np.int64), (o, d)), shape=(n, n))

    def visit_frequency(self) -> np.ndarray:
        """f_k: the mean fraction of visits to each agent's k-th most visited location (k = 1, 2, ...)."""
        return self._mean_fraction("rank_visits")

    def discovery_frequency(self) -> np.ndarray:
        """The mean fraction of visits to the j-th location each agent discovered (j = 1 is the start)."""
        return self._mean_fraction("discovery_visits")

    def _mean_fraction(self, key):
        counts = self.data[key].astype(np.float64)
        f = counts / (self.data["distinct"].size * (self.parameters["steps"] + 1))
        return f[: int(np.flatnonzero(counts).max()) + 1] if counts.any() else f[:0]

    def zipf_exponent(self, k_min: int = 2, k_max: Optional[float] = None, *, by: str = "discovery") -> float:
        """Exponent zeta of the visitation frequency f_k ~ k^-zeta, fitted over k in [k_min, k_max].

        Song et al. 2010 predict zeta = 1 + gamma: preferential return gives the
        place found at step n_j about n/n_j visits, and the j-th place is found at
        n_j ~ j^(1+gamma). That holds as j -> infinity. Integrating the same
        mean-field equation, dn_j/dn = (1 - rho S^-gamma) n_j / n, at finite j gives

            n_j ~ j^-(1+gamma) exp(-rho (1+gamma)/gamma j^-gamma),

        whose local slope (1+gamma)(1 - rho j^-gamma) is only ~0.9 at j = 100.
        ``by='discovery'`` (default) fits that curve to the mean visits of the
        j-th discovered place with the run's rho and gamma, so it estimates the
        asymptotic exponent 1 + gamma. ``by='rank'`` is the plain log-log slope of
        f_k by visit rank (the empirical measure of Song et al.); no closed form
        corrects it. For gamma = 0.21 it is 0.93 over k = 2..S/4 at 10^3 steps,
        and 0.99 / 1.04 / 1.10 over k = 2..S/2 at 10^3 / 10^4 / 10^5 steps.
        ``k_max`` defaults to a quarter of the mean S, below which every agent
        has found about that many places.
        """
        if by not in ("discovery", "rank"):
            raise ValueError(f"argument 'by': must be 'discovery' or 'rank', got {by!r}")
        f = self.discovery_frequency() if by == "discovery" else self.visit_frequency()
        if k_max is None:
            k_max = self.data["distinct"].mean() / 4
        k = np.arange(1, f.size + 1, dtype=np.float64)
        sel = (k >= k_min) & (k <= k_max) & (f > 0)
        if sel.sum() < 3:
            raise ValueError(f"fewer than 3 ranks with visits in [k_min, k_max] = [{k_min}, {k_max:g}]")
        y = np.log(f[sel])
        if by == "discovery":
            rho, gamma = self.parameters["rho"], self.parameters["gamma"]
            if gamma <= 0:
                raise ValueError("by='discovery' needs gamma > 0 (the finite-size factor is exp(-rho(1+gamma)/gamma j^-gamma))")
            y = y + rho * (1 + gamma) / gamma * k[sel] ** -gamma
        return float(-np.polyfit(np.log(k[sel]), y, 1)[0])

    def distinct_exponent(self, t_min: float, t_max: float) -> float:
        """mu of <S(t)> ~ t^mu fitted on log-log axes over [t_min, t_max] hours."""
        t, s = self.data["time_grid"], self.data["mean_distinct"]
        m = (t >= t_min) & (t <= t_max) & (s > 0)
        if m.sum() < 3:
            raise ValueError("fewer than 3 grid times in [t_min, t_max]")
        return float(np.polyfit(np.log(t[m]), np.log(s[m]), 1)[0])

    def plot(self, axes=None):
        """<S(t)>, f_k and the distribution of r_g, on log axes."""
        from urbplex._optional import require
        plt = require("matplotlib.pyplot")

        if axes is None:
            _, axes = plt.subplots(1, 3, figsize=(12, 3.5))
        axes[0].loglog(self.data["time_grid"], self.data["mean_distinct"])
        axes[0].set_xlabel("t (h)")
        axes[0].set_ylabel("<S(t)>")
        f = self.visit_frequency()
        axes[1].loglog(np.arange(1, f.size + 1), f, ".", label="by visit rank")
        fd = self.discovery_frequency()
        axes[1].loglog(np.arange(1, fd.size + 1), fd, ".", label="by discovery")
        gamma = self.parameters["gamma"]
        if gamma > 0 and fd.size > 2:  # Song's asymptote k^-(1+gamma) times the mean-field finite-k factor
            k = np.arange(2, fd.size + 1, dtype=np.float64)
            curve = k ** -(1 + gamma) * np.exp(-self.parameters["rho"] * (1 + gamma) / gamma * k ** -gamma)
            axes[1].loglog(k, curve * fd[1] / curve[0], "-", lw=1, label="mean field")
        axes[1].set_xlabel("k")
        axes[1].set_ylabel("f_k")
        axes[1].legend(fontsize="small")
        rg = self.data["radius"][self.data["radius"] > 0]
        if rg.size:
            bins = np.logspace(np.log10(rg.min()), np.log10(rg.max()) + 1e-9, 30)
            axes[2].hist(rg, bins=bins, density=True, histtype="step")
            axes[2].set_xscale("log")
            axes[2].set_yscale("log")
        axes[2].set_xlabel("r_g")
        return axes


@records_lineage
def epr(locations, *, agents: int = 1000, steps: int = 1000, exploration: str = "density", rho: float = 0.6,
        gamma: float = 0.21, wait_beta: float = 0.8, wait_tau: float = 17.0, wait_min: float = 1 / 3,
        jump_alpha: float = 0.55, jump_r0: float = 1.5, jump_kappa: float = 100.0, gravity_exponent: float = 2.0,
        start=None, seed: int = 0, record: bool = True, od: bool = False, time_grid=None, k: int = 2,
        mass: str = "population", level: Optional[int] = None, metric: Optional[str] = None,
        progress: bool = False) -> AgentsResult:
    """Simulate EPR agents for ``steps`` jumps each.

    After a waiting time dt ~ dt^(-1-wait_beta) exp(-dt/wait_tau), dt >=
    wait_min (hours; Song et al. 2010: beta = 0.8, tau = 17 h), an agent that
    has seen S places explores a new one with probability rho S^-gamma
    (rho = 0.6, gamma = 0.21), else returns to a visited place in proportion
    to its visits (never to where it is). Exploration 'density' (d-EPR,
    Pappalardo et al. 2015) picks a new place j with probability ~ m_j d^-2;
    'spatial' (Song et al. 2010) jumps dr ~ (dr + r0)^(-1-alpha) exp(-dr/kappa)
    (alpha = 0.55, r0 = 1.5 km, kappa = 100 km) in a uniform direction to the
    nearest unvisited place (planar km, or lon/lat with metric='haversine').
    Agents start at ``start`` or at places drawn in proportion to mass.

    Song's S(t) ~ t^(beta/(1+gamma)) (~0.6) needs uncut waits, ``wait_tau=np.inf``;
    with the default tau = 17 h (Pappalardo et al.; scikit-mobility) jumps come at
    a constant rate for t >> tau and S(t) ~ t^(1/(1+gamma)). ``zipf_exponent``
    estimates the visitation exponent 1 + gamma.

    ``record=False`` keeps only the summaries (S, r_g, k-radius, entropy,
    <S(t)> on ``time_grid``, f_k; ``od=True`` adds the L x L trip counts),
    which is how 10^6 agents x 1000 steps fit in memory. Agent a draws from
    its own Philox stream: the result is the same for any thread count.
    """
    locs = locations_of(locations, mass=mass, level=level, metric=metric)
    if exploration not in ("density", "spatial"):
        raise ValueError(f"argument 'exploration': must be 'density' or 'spatial', got {exploration!r}")
    agents = check_int("agents", agents, minimum=1, maximum=2**32 - 1)
    steps = check_int("steps", steps, minimum=1, maximum=2**31)
    rho = check_float("rho", rho, minimum=0.0, maximum=1.0, strict_min=True)
    gamma = check_float("gamma", gamma, minimum=0.0)
    params = {"rho": rho, "gamma": gamma,
              "wait_beta": check_float("wait_beta", wait_beta, minimum=0.0, strict_min=True),
              "wait_tau": _positive_or_inf("wait_tau", wait_tau),
              "wait_min": check_float("wait_min", wait_min, minimum=0.0, strict_min=True),
              "jump_alpha": check_float("jump_alpha", jump_alpha, minimum=0.0, strict_min=True),
              "jump_r0": check_float("jump_r0", jump_r0, minimum=0.0, strict_min=True),
              "jump_kappa": _positive_or_inf("jump_kappa", jump_kappa),
              "gravity_exponent": check_float("gravity_exponent", gravity_exponent, minimum=0.0)}
    k = check_int("k", k, minimum=1)
    start_arr = np.zeros(0, dtype=np.uint32) if start is None else index_array("start", start, n=locs.n)
    if start is not None and start_arr.size != agents:
        raise ValueError(f"argument 'start': needs one location per agent ({agents}), got {start_arr.size}")
    if time_grid is None:
        time_grid = np.logspace(0, 5, 51)
    grid = np.ascontiguousarray(time_grid, dtype=np.float64)
    if grid.ndim != 1 or not np.all(np.isfinite(grid)) or np.any(np.diff(grid) < 0):
        raise ValueError("argument 'time_grid': expected finite, non-decreasing times (hours)")
    with progress_callback(progress, "EPR agents") as cb:
        raw = _core.simulate_epr(*locs._args(), exploration, params, agents, steps, seed_value(seed), start_arr,
                                 bool(record), bool(od), grid, k, cb)
    data = {"location": raw["location"].reshape(agents, steps + 1) if record else raw["location"],
            "time": raw["time"].reshape(agents, steps + 1) if record else raw["time"],
            "distinct": raw["distinct"], "radius": raw["radius"], "radius_k": raw["radius_k"],
            "entropy": raw["entropy"], "time_grid": grid, "mean_distinct": raw["distinct_at"] / agents,
            "rank_visits": raw["rank_visits"], "discovery_visits": raw["discovery_visits"], "od": raw["od"], "x": locs.x, "y": locs.y,
            "explorations": np.array([raw["explorations"]]), "returns": np.array([raw["returns"]])}
    parameters = dict(params, exploration=exploration, agents=agents, steps=steps, k=k, metric=locs.metric,
                      record=bool(record), od=bool(od))
    return AgentsResult(data, model=f"epr.{exploration}", parameters=parameters, seed=seed)


def _positive_or_inf(name, value) -> float:
    v = float(value) if not isinstance(value, bool) else value
    if v == np.inf:
        return v
    return check_float(name, value, minimum=0.0, strict_min=True)
