"""
Percolation thresholds on lattices, with error bars
===================================================

Site percolation on square lattices of three sizes (Newman & Ziff 2001):
the wrapping probability against the occupation probability crosses near
the exact-in-the-limit threshold p_c = 0.592746 (Jacobsen 2015); the shaded
bands are one standard error over the realizations.
"""
import matplotlib.pyplot as plt
import numpy as np

import urbplex as ux

p = np.linspace(0.54, 0.64, 41)
fig, ax = plt.subplots(figsize=(6, 4))
for L in (16, 32, 64):
    g = ux.generators.square_lattice(L, periodic=True)
    run = ux.percolation.site(g, realizations=200, p=p, lattice=(L, L), seed=1)
    mean, err = run.data["p_wrap_either"], run.stderr["wrap_either"]  # on the grid p
    ax.plot(p, mean, label=f"L = {L}")
    ax.fill_between(p, mean - err, mean + err, alpha=0.3)
ax.axvline(0.592746, color="k", ls=":", label="p_c (square site)")
ax.set_xlabel("occupation probability p")
ax.set_ylabel("probability of a wrapping cluster")
ax.legend()
plt.show()
