"""
Power laws, the CSN way
=======================

City sizes drawn from a power law with alpha = 2.1 above x_min = 5 000 and a
lognormal body below: the Clauset-Shalizi-Newman (2009) workflow finds x_min
by the KS distance, fits alpha by maximum likelihood, gives the bootstrap
p-value of the fit and compares it with a lognormal tail.
"""
import matplotlib.pyplot as plt
import numpy as np

import urbplex as ux

rng = np.random.default_rng(6)
tail = ux.scaling.sample(2.1, 5000.0, 1500, seed=6)
body = rng.lognormal(7.0, 0.8, 3000)
sizes = np.concatenate([tail, body[body < 5000]])
fit = ux.scaling.power_law(sizes)
p = fit.gof(replicates=100, seed=1)
R, p_vs = fit.compare("lognormal")
ax = fit.plot()
ax.set_title(f"x_min = {fit.xmin:.0f}, alpha = {fit.alpha:.2f}, gof p = {p:.2f}, vs lognormal R = {R:.2f}")
plt.show()
