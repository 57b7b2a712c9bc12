"""
Gravity and radiation flows
===========================

Commuting flows between 200 synthetic towns from the gravity model
(origin-constrained, power-law deterrence) and the radiation model (Simini
et al. 2012): the flow between two towns against their distance.
"""
import matplotlib.pyplot as plt
import numpy as np

import urbplex as ux

rng = np.random.default_rng(3)
towns = ux.mobility.Locations(rng.uniform(0, 100_000, 200), rng.uniform(0, 100_000, 200),
                              np.round(1000 * (1 - rng.random(200)) ** -1.2))
d = np.hypot(towns.x[:, None] - towns.x[None], towns.y[:, None] - towns.y[None])
fig, ax = plt.subplots(figsize=(6, 4))
for name, result in (("gravity", ux.mobility.gravity(towns, gamma=2.0)), ("radiation", ux.mobility.radiation(towns))):
    m = result.matrix if isinstance(result.matrix, np.ndarray) else result.matrix.toarray()
    keep = m > 0
    ax.loglog(d[keep] / 1000, m[keep], ".", ms=1, alpha=0.4, label=name)
ax.set_xlabel("distance (km)")
ax.set_ylabel("flow (commuters)")
ax.legend(markerscale=10)
plt.show()
