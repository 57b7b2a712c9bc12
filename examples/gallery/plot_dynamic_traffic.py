"""
Dynamic traffic: a queue behind a bottleneck
============================================

Platoons on a 3 km corridor whose last link has half the jam density (a
bottleneck of 2/3 veh/s against 0.8 upstream); demand of 0.75 veh/s for 20
minutes. Newell's kinematic waves make the queue grow back from the
bottleneck and dissolve: the time-space diagram of the platoons, and the
macroscopic fundamental diagram of the corridor.
"""
import matplotlib.pyplot as plt
import pandas as pd

import urbplex as ux

links = pd.DataFrame({"from": ["A", "B", "C"], "to": ["B", "C", "D"], "length": [1000.0, 1000.0, 1000.0],
                      "jam_density": [0.2, 0.2, 0.1]}, index=["ab", "bc", "cd"])
net = ux.traffic.network(links)
run = ux.traffic.simulate(net, ux.traffic.demand("A", "D", 0, 1200, 0.75), horizon=3600, route_choice="fixed",
                          record_interval=60)
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.8))
run.plot_time_space(["ab", "bc", "cd"], ax=left)
run.plot_mfd(ax=right)
left.set_title(f"mean delay {run.mean_delay:.0f} s")
plt.show()
