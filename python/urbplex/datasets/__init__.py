"""Small real datasets shipped with urbplex (see each folder's PROVENANCE.md)."""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent


def sioux_falls():
    """Sioux Falls (LeBlanc et al. 1975, TNTP): (graph, demand, meta, best_known_flows).

    graph: 24 nodes, 76 directed links with capacity, free_flow_time, b, power;
    demand: 24 x 24 trips (360,600); best_known_flows: the published
    user-equilibrium link flows (source, target, flow, cost).
    """
    from ..routing import tntp

    folder = HERE / "siouxfalls"
    g, meta = tntp.read_net(folder / "SiouxFalls_net.tntp")
    demand = tntp.read_trips(folder / "SiouxFalls_trips.tntp")
    return g, demand, meta, tntp.read_flow(folder / "SiouxFalls_flow.tntp")
