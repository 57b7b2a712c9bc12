"""Your own agent-based models, compiled: typed agent columns, spaces
(grids, networks, places, continuous), staged schedules, counter-based
random streams and reporters, with rules written in Python and compiled by
numba (the ``agents`` extra).

>>> import urbplex.agents as ua
>>> r = ua.examples.schelling(width=20, height=20, steps=10, seed=1)
>>> r.data["segregation"].shape
(11,)
"""
from . import examples, random, spaces
from .columns import Agents
from .errors import AgentRuleError
from .model import Model
from .schedule import Stage
from .spaces import Continuous, Grid, Network, Places, agents_at, move, move_to_random_empty, neighbours

__all__ = ["Agents", "AgentRuleError", "Continuous", "Grid", "Model", "Network", "Places", "Stage",
           "agents_at", "examples", "move", "move_to_random_empty", "neighbours", "random", "spaces"]
