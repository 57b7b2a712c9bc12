"""Urban scaling: scaling-law fits with fluctuation models, SAMIs, power laws, city definitions, theory.

- :func:`fit`, :func:`compare`, :func:`sami`: Y = Y0 N^beta by OLS
  (Bettencourt et al. 2007) or maximum likelihood with Gaussian, lognormal
  or Poisson fluctuations (Leitão et al. 2016); SAMIs (Bettencourt et al. 2010).
- :func:`power_law`, :func:`sample`, :func:`zipf`: Clauset, Shalizi & Newman (2009).
- :func:`beta_vs_threshold`: beta against the city definition (Arcaute et al. 2015).
- :func:`bettencourt_exponents`: Bettencourt (2013); :func:`tie_formation`: Pan et al. (2013).
"""
from .definitions import beta_vs_threshold
from .fits import ScalingFit, UnidentifiableModel, compare, fit, plot_sami, sami
from .generative import TieFormationResult, expected_ties, tie_formation
from .power_law import PowerLawResult, power_law, sample, zipf
from .theory import bettencourt_exponents

__all__ = ["ScalingFit", "UnidentifiableModel", "fit", "compare", "sami", "plot_sami", "PowerLawResult", "power_law", "sample", "zipf",
           "beta_vs_threshold", "bettencourt_exponents", "TieFormationResult", "tie_formation", "expected_ties"]
