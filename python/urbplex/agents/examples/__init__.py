"""Worked models built on :mod:`urbplex.agents` (each cites its paper)."""
from .commuters import commuters, street_trips
from .schelling import schelling, schelling_on
from .sir import sir_epr, sir_on
from .vicsek import vicsek

__all__ = ["commuters", "street_trips", "schelling", "schelling_on", "sir_epr", "sir_on", "vicsek"]
