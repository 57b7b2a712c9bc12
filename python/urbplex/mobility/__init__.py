"""Agent-based mobility and flow models on the locations of a graph.

- :func:`gravity`, :func:`radiation`, :func:`fit_gravity`, :func:`compare`,
  :func:`furness`: origin-destination flows (Zipf 1946; Wilson 1971;
  Simini et al. 2012), Poisson ML calibration, CPC/RMSE metrics.
- :func:`epr`: exploration and preferential return agents (Song et al. 2010;
  d-EPR, Pappalardo et al. 2015), parallel and thread-count invariant.
- :mod:`urbplex.mobility.measures`: radius of gyration, k-radius, jumps,
  waiting times, S(t), f_k, entropies, the visitation law (Schläpfer et al. 2021).
- :func:`trip_distribution`, :func:`gof`, :func:`calibrate`, :func:`calib_param`:
  TDLM's 8 trip distribution laws x 4 constrained models and its measures
  (Lenormand, Bassolas & Ramasco 2016).
- :func:`trajectories`: raw uid/lat/lng/datetime records from pandas, the
  speed filter, stop detection (Hariharan & Toyama 2004), compression, and
  the measures per user id.
"""
from . import measures
from .agents import AgentsResult, epr
from .flows import FlowResult, GravityFit, compare, fit_gravity, furness, gravity, radiation
from .locations import Locations, locations_of
from .metrics import cpc, flow_metrics, nrmse, pearson, rmse
from . import maps, tessellation
from .tessellation import flow_table, flows_on_tiles
from .trajectories import Trajectories, trajectories
from .trip_laws import TripDistributionResult, calib_param, calibrate, gof, trip_distribution

__all__ = ["Locations", "locations_of", "gravity", "radiation", "fit_gravity", "compare", "furness",
           "FlowResult", "GravityFit", "epr", "AgentsResult", "measures", "cpc", "rmse", "nrmse", "pearson",
           "flow_metrics", "trajectories", "Trajectories", "tessellation",
           "flows_on_tiles", "flow_table", "maps", "trip_distribution", "gof", "calibrate", "calib_param",
           "TripDistributionResult"]
