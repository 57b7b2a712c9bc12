"""Comparing models on the same data, one API across fields.

A model is a named object that keeps its fit (:class:`Fitted`: parameters,
standard errors, log-likelihood where defined, AIC/BIC, predictions); a
measure is a function (observed, predicted) -> number (:class:`Measure`);
:func:`run` fits every model to the same data over replicates and
cross-validation folds, on any ``concurrent.futures`` executor, and returns a
:class:`Leaderboard`: a ranked DataFrame whose fits stay retrievable, with
``plot()`` and ``save()``/``load()`` through the HDF5 store.

Fields:

- flows (:class:`FlowData`): :class:`TripLawModel` (TDLM's 8 laws x 4
  constrained models; Lenormand, Bassolas & Ramasco 2016), :class:`GravityModel`
  (Poisson-fitted gravity), :class:`RadiationModel`; measures CPC, NRMSE, KL,
  CPL, CPC_d and a multinomial log-likelihood that every flow model has;
- urban scaling (:class:`ScalingData`): :class:`ScalingModel`, every
  fluctuation model with fixed and free variance exponents as distinct models
  (:func:`leitao_models`); measures BIC, AIC, log-likelihood;
- robustness (:class:`NetworkData`): :class:`AttackModel` per removal strategy;
  measures R and f_c;
- power laws (:class:`PowerLawData`): :class:`PowerLawModel` and
  :class:`AlternativeModel` (CSN's alternatives on the same tail, each with its
  fitted parameters, likelihood, and Vuong's R and p);
- static assignment (:class:`AssignmentData`): :class:`AssignmentModel` per
  method; measures the time to a target gap, the gap reached, iterations, and
  the gap-versus-time curve of each fit (``plot("curve")``).

Example::

    data = ux.compare.FlowData(od, mass_origin=mass, distance=dist)
    board = ux.compare.run(data, ux.compare.laws(models=["DCM"]))
    board.table            # ranked by CPC
    board.fitted["NGravExp+DCM"][0].params
    board.save("runs.h5", "kansas-laws")
"""
from .core import Fitted, FitValue, Measure, Model, run
from .flows import FlowData, GravityModel, RadiationModel, TripLawModel, laws
from .leaderboard import Leaderboard
from .assignment import AssignmentData, AssignmentModel
from .percolation import AttackModel, NetworkData
from .power_law import AlternativeModel, PowerLawData, PowerLawModel, csn_models
from .scaling import ScalingData, ScalingModel, leitao_models

__all__ = ["Fitted", "FitValue", "Measure", "Model", "run", "Leaderboard", "FlowData", "TripLawModel", "GravityModel",
           "RadiationModel", "laws", "ScalingData", "ScalingModel", "leitao_models", "NetworkData", "AttackModel",
           "PowerLawData", "PowerLawModel", "AlternativeModel", "csn_models", "AssignmentData", "AssignmentModel"]
