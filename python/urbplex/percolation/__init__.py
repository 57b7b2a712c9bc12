"""Network percolation and resilience.

- :func:`site`, :func:`bond`, :func:`sweep`: Newman–Ziff percolation
  (PRE 64, 016706, 2001) with canonical averages and wrapping probabilities.
"""
from .newman_ziff import PercolationResult, bond, site, sweep

__all__ = ["PercolationResult", "site", "bond", "sweep"]
from . import theory  # noqa: E402

__all__ += ["theory"]
