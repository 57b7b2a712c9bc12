"""
Multiscale: street, neighbourhood, city
=======================================

A synthetic city's streets coarse-grained on a grid of cells (a Hierarchy:
streets -> 500 m cells -> 1 km -> 2 km), and Leiden communities of the
streets (Traag, Waltman & van Eck 2019) for comparison.
"""
import matplotlib.pyplot as plt
import numpy as np

import urbplex as ux
from urbplex.demo import synthetic_city

city = synthetic_city(5000, seed=7)
h = ux.Hierarchy.from_grid(city, cell=1000.0, levels=3)
print(h.summary())
comm = ux.multiscale.communities(city, method="leiden", seed=1)
fig, axes = plt.subplots(1, 4, figsize=(12, 3.2))
ux.multiscale.plot_hierarchy(h, axes=axes[:3])
labels = np.asarray(comm.final)  # each street node's community at the top level
axes[3].scatter(city.node("x"), city.node("y"), c=labels % 20, cmap="tab20", s=2)
axes[3].set_title(f"Leiden, modularity {comm.modularity[-1]:.3f}")
axes[3].set_axis_off()
plt.show()
