"""Multiscale analysis: Laplacian renormalization, multilayer graphs, per-level statistics.

- :func:`consolidate`, :func:`renormalize`: level builders (intersection consolidation, LRG).
- :func:`communities`: Louvain / Leiden levels (Blondel et al. 2008; Traag et al. 2019).
- :func:`entropy`, :func:`supernodes`: Laplacian RG (Villegas et al., Nat. Phys. 2023).
- :class:`Multilayer`, :func:`multiplex`: street + transit layers (Aleta et al. 2017),
  supra-Laplacian (Gómez et al. 2013), shortest paths with transfer costs.
- :func:`basic_stats`, :func:`meshedness`, :func:`level_stats`: street statistics per level.
- :func:`across_levels`: one model on every level of a Hierarchy, one table.
- :func:`nmi`, :func:`ari`, :func:`vi`: how alike two partitions are (Danon et al. 2005; Hubert & Arabie 1985; Meilă 2007).
"""
from .builders import consolidate, disconnected_groups, plot_hierarchy, renormalize
from .communities import CommunityResult, communities, modularity
from .cross_scale import across_levels
from .multilayer import Multilayer, multiplex
from .partition_similarity import ari, nmi, vi
from .renormalization import EntropyResult, entropy, laplacian, supernodes
from .stats import basic_stats, level_stats, meshedness

__all__ = ["consolidate", "renormalize", "disconnected_groups", "plot_hierarchy", "communities", "modularity", "CommunityResult", "entropy", "supernodes", "laplacian", "EntropyResult", "Multilayer", "multiplex", "basic_stats",
           "meshedness", "level_stats", "across_levels", "nmi", "ari", "vi"]
