"""
Comparing trip distribution laws
=================================

Observed commuting between 120 synthetic towns (drawn from a doubly
constrained exponential gravity law, then Poisson noise), and three laws of
Lenormand, Bassolas & Ramasco (2016) fitted and ranked on held-out origins
by ``ux.compare``: the leaderboard of the common part of commuters (CPC).
"""
import matplotlib.pyplot as plt
import numpy as np

import urbplex as ux

rng = np.random.default_rng(9)
towns = ux.mobility.Locations(rng.uniform(0, 60_000, 120), rng.uniform(0, 60_000, 120),
                              np.round(2000 * (1 - rng.random(120)) ** -1.0))
d = towns.distance_matrix() / 1000  # km
truth = ux.mobility.trip_distribution(law="NGravExp", model="DCM", mass_origin=towns.mass, distance=d,
                                      out_trips=towns.mass * 0.3, in_trips=towns.mass * 0.3, param=[0.1],
                                      average=True)
od = rng.poisson(truth.matrix())
data = ux.compare.FlowData(od, mass_origin=towns.mass, distance=d, holdout="origins")
board = ux.compare.run(data, ux.compare.laws(models=["DCM"], laws=["NGravExp", "NGravPow", "Rad"]), folds=3)
print(board.table)
board.plot("ranking")
plt.show()
