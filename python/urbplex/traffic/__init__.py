"""Agents on the street network: mesoscopic dynamic traffic.

Platoons of vehicles travel a directed street network through the day:
Newell's simplified car-following model on links (the kinematic-wave model
with a triangular fundamental diagram), an incremental node model for merges
and diverges with spillback, and fixed or dynamic user-optimal route choice.
The semantics are UXsim's (Seo 2025), so one scenario gives the same traffic
in both; see ``include/urbplex/traffic/network_loading.hpp`` for the models
and their references.

    net = ux.traffic.network(links)                       # from, to, length [, free_speed, ...]
    trips = ux.traffic.demand("A", "B", 0, 3600, flow=0.5)  # platoons, UXsim's adddemand rule
    trips = ux.traffic.od_demand([am, pm], [0, 3600, 7200], zones=ids)  # time-dependent OD matrices
    run = ux.traffic.simulate(net, trips, horizon=7200)
    run.total_travel_time, run.mean_delay, run.trips, run.link_series()

A commuting day with rush hours, from any OD flows (a flow model's result,
a matrix, an observed table): ``commuting_demand(flows, zones=nodes)``
(home -> work -> home, departure times from a cited default profile or
your own). Lanes, node capacities and fixed-time signals:
``network(links, nodes=..., signals=...)``.

Day-to-day dynamic user equilibrium (MSA route swapping):
``day_to_day(net, trips, horizon=..., days=20)`` and ``run.days``.

From EPR agents on a street graph: ``network_from_graph(g)`` and
``trips_from_agents(agents)``, then ``simulate`` and ``run.percolation()``.
"""
from .from_agents import drivable_nodes, network_from_graph, trips_from_agents, zone_nodes
from .commuting import commuting_demand, departure_profile
from .demand import demand, od_demand
from .network import TrafficNetwork, network
from .network_loading import day_to_day, simulate
from .run import TrafficRun

__all__ = ["TrafficNetwork", "TrafficRun", "commuting_demand", "day_to_day", "demand", "departure_profile",
           "drivable_nodes", "network", "network_from_graph", "od_demand", "simulate", "trips_from_agents",
           "zone_nodes"]
