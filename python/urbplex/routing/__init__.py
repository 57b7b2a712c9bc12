"""Routing on the network: TNTP readers, user-equilibrium traffic assignment
(MSA, Frank-Wolfe, conjugate and bi-conjugate Frank-Wolfe, Algorithm B; BPR,
conical or Akcelik costs), and the pipeline from agents' trips to congestion
to traffic percolation."""
from . import tntp
from .assignment import AssignmentResult, assign, demand_by_origin
from .pipeline import congestion_percolation, directed, trips_from_agents

__all__ = ["tntp", "assign", "AssignmentResult", "demand_by_origin", "congestion_percolation", "directed",
           "trips_from_agents"]
