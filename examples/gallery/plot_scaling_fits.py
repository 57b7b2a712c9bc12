"""
Urban scaling: fits and model choice
====================================

An indicator Y that grows superlinearly with population N (Bettencourt et
al. 2007), simulated for 300 cities with lognormal fluctuations, fitted as
Y = Y0 N^beta with four fluctuation models (Leitão et al. 2016) and ranked
by BIC; the figure shows the data and the best model's fit with its
confidence interval on beta.
"""
import matplotlib.pyplot as plt
import numpy as np

import urbplex as ux

rng = np.random.default_rng(5)
N = np.round(20_000 * (1 - rng.random(300)) ** (-1 / 1.1))
Y = 3.0 * N ** 1.15 * rng.lognormal(0.0, 0.3, N.size)
table = ux.scaling.compare(N, Y)
print(table[["bic", "beta"]].round(3).to_string())
best = ux.scaling.fit(N, Y, model="lognormal")
ax = best.plot()
ax.set_title(f"beta = {best.beta:.3f}, 95% CI [{best.ci[0]:.3f}, {best.ci[1]:.3f}]")
plt.show()
