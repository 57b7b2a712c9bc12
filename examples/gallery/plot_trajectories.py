"""
From raw GPS to mobility measures
=================================

A synthetic GPS trace of 50 people (exploration-and-return walks sampled
every minute with noise) goes through filtering, stop detection and
compression, then the radius of gyration and the number of visited places
per person (González et al. 2008).
"""
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import urbplex as ux

rng = np.random.default_rng(4)
rows = []
for user in range(50):
    places = rng.normal(0, 0.02 * (1 + user % 5), size=(6, 2)) + [45.07, 7.68]
    t = 1.7e9
    for visit in range(40):
        lat, lon = places[rng.integers(0, 6) if rng.random() < 0.8 else 0]
        stay = int(rng.integers(10, 90))
        for k in range(stay):  # one point a minute, GPS noise of ~10 m
            rows.append((user, lat + rng.normal(0, 1e-4), lon + rng.normal(0, 1e-4), t))
            t += 60
        t += 600  # travel time between places
trace = pd.DataFrame(rows, columns=["uid", "lat", "lng", "datetime"])
traj = ux.mobility.trajectories(trace, time_unit="s")
stops = traj.filter(max_speed_kmh=150.0).stops(minutes=5, radius_km=0.2).compress(radius_km=0.2)
measures = pd.DataFrame({"radius of gyration (km)": stops.radius_of_gyration(),
                         "distinct places": stops.number_of_locations()})
fig, axes = plt.subplots(1, 2, figsize=(8, 3.5))
for ax, column in zip(axes, measures.columns):
    ax.hist(measures[column], bins=15)
    ax.set_xlabel(column)
axes[0].set_ylabel("people")
plt.show()
