"""Network percolation and resilience.

- :func:`site`, :func:`bond`, :func:`sweep`: Newman–Ziff percolation with
  canonical averages and wrapping probabilities (PRE 64, 016706, 2001).
- :func:`attack`, :func:`removal_order`: random and targeted attacks, robustness R.
- :func:`threshold`: traffic percolation (Li et al., PNAS 2015).
- :func:`distance`, :func:`distance_hierarchy`: hierarchical percolation (Arcaute et al. 2016).
- :func:`city_clustering`: the City Clustering Algorithm (Rozenfeld et al., PNAS 2008).
- :func:`cascade`: Motter–Lai load cascades (PRE 2002).
- :func:`mutual_giant_component`: interdependent networks (Buldyrev et al., Nature 2010).
- :func:`k_core`: k-core percolation, a hybrid transition (Dorogovtsev, Goltsev & Mendes, PRL 2006).
- :func:`explosive`: the Achlioptas process (Achlioptas, D'Souza & Spencer, Science 2009).
- :func:`continuum`: overlapping disks, eta_c = 1.12808737 (Mertens & Moore 2012).
- :func:`crossing`, :func:`collapse_quality`, :func:`fit_collapse`, :func:`fit_cluster_sizes`:
  finite-size scaling with error bars.
- :mod:`theory`: generating-function predictions (Callaway et al., PRL 2000).
"""
from . import theory
from .attacks import AttackResult, attack, removal_order
from .cascades import CascadeResult, cascade
from .cities import city_clustering
from .finite_size import Crossing, collapse_quality, crossing, fit_cluster_sizes, fit_collapse
from .continuum import ContinuumResult, continuum
from .explosive import ExplosiveResult, explosive
from .k_core import KCoreResult, k_core, k_core_members
from .distance import DistanceResult, distance, distance_hierarchy
from .interdependent import MutualResult, mutual_giant_component
from .newman_ziff import PercolationResult, bond, cluster_sizes, site, sweep
from .threshold import ThresholdResult, threshold

__all__ = ["PercolationResult", "site", "bond", "sweep", "cluster_sizes", "AttackResult", "attack", "removal_order",
           "ThresholdResult", "threshold", "DistanceResult", "distance", "distance_hierarchy", "city_clustering",
           "CascadeResult", "cascade", "MutualResult", "mutual_giant_component", "theory",
           "KCoreResult", "k_core", "k_core_members", "ExplosiveResult", "explosive",
           "ContinuumResult", "continuum", "Crossing", "crossing", "collapse_quality", "fit_collapse", "fit_cluster_sizes"]
