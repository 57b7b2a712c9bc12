"""
Static traffic assignment on Sioux Falls
========================================

User equilibrium on the TNTP Sioux Falls network (LeBlanc et al. 1975, 24
zones, 76 links, BPR costs) with bi-conjugate Frank-Wolfe: the relative gap
per iteration, and the link flows against the best-known equilibrium.
"""
import matplotlib.pyplot as plt

import urbplex as ux

g, demand, meta, best = ux.datasets.sioux_falls()
res = ux.routing.assign(g, demand, method="bfw", gap=1e-6)
flows = res.to_frame().merge(best, on=["source", "target"], suffixes=("", "_best"))
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.8))
res.plot(ax=left)
right.plot(flows["flow_best"], flows["flow"], ".")
right.set_xlabel("best-known flow")
right.set_ylabel("urbplex flow")
right.set_title(f"{res.gaps.size} iterations, gap {res.gaps[-1]:.1e}")
plt.show()
