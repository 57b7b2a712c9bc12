"""
A commuting day: rush hours in traffic percolation
==================================================

Commuters of a monocentric grid city go home -> work -> home at the default
profile's times (peaks 7-8 h and 16-17 h); dynamic traffic on the streets
and traffic percolation per half hour (Li et al., PNAS 112, 669, 2015): the
critical relative speed q_c and the mean relative speed fall at both peaks.
"""
import matplotlib.pyplot as plt
import numpy as np

import urbplex as ux

g = ux.generators.square_lattice(16)
x, y = np.asarray(g.node("x")) * 400.0, np.asarray(g.node("y")) * 400.0
r = np.hypot(x - x.mean(), y - y.mean())
jobs = np.exp(-r / 1200)
dist = np.hypot(x[:, None] - x[None], y[:, None] - y[None])
w = jobs[None, :] * np.exp(-dist / 2500)
np.fill_diagonal(w, 0)
flows = 1000 * np.exp(-r / 3000)[:, None] * w / w.sum(axis=1, keepdims=True)
trips = ux.traffic.commuting_demand(flows, seed=1)
streets = g.with_edge_attr("length", np.full(g.m, 400.0))
run = ux.traffic.simulate(ux.traffic.network_from_graph(streets, default_speed=13.9), trips,
                          horizon=26 * 3600, record_interval=1800, seed=1)
run.plot_percolation()
plt.title(f"{len(trips)} platoon trips, {run.completed:.0%} arrived")
plt.show()
