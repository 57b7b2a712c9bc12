"""
Attacks on a street network
===========================

A street-like random geometric graph loses its giant component under random
failures and under targeted attacks (Albert, Jeong & Barabási 2000; Holme et
al. 2002's adaptive degree attack): the fraction of nodes in the largest
cluster against the fraction removed, and the robustness R (Schneider et al.
2011) of each.
"""
import matplotlib.pyplot as plt

import urbplex as ux
from urbplex.demo import synthetic_city

city = synthetic_city(5000, seed=2)
fig, ax = plt.subplots(figsize=(6, 4))
for strategy in ("random", "degree", "adaptive_degree"):
    att = ux.percolation.attack(city, strategy, seed=1)
    ax.plot(att.data["removed_fraction"], att.data["largest"], label=f"{strategy}: R = {att.robustness:.3f}")
ax.set_xlabel("fraction of nodes removed")
ax.set_ylabel("largest cluster (fraction of nodes)")
ax.legend()
plt.show()
