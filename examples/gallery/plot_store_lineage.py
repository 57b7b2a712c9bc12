"""
The store and its lineage
=========================

Every graph and run saves to one HDF5 file with its parameters, seed,
environment and lineage: which graph (by content fingerprint) a run was
made from. Here a percolation run on a saved street graph, reloaded, and
its lineage printed; the figure is the reloaded run.
"""
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt

import urbplex as ux
from urbplex.demo import synthetic_city

store = Path(tempfile.mkdtemp()) / "lab.h5"
city = synthetic_city(3000, seed=8)
city.save(store, "city")
run = ux.percolation.bond(ux.Graph.load(store, "city"), realizations=50, seed=1)
run.save(store, "bond-city")
again = ux.io.load_run(store, "bond-city")
for row in ux.io.summary(store):  # what the file holds
    print(row["kind"], row["name"], row["size"][:50])
print("lineage:", again.lineage)
fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(again.data["p"], again.data["p_largest"], label="largest cluster")
ax.plot(again.data["p"], again.data["p_second"] * 10, label="second largest x 10")
ax.set_xlabel("bond occupation probability p")
ax.set_ylabel("fraction of nodes")
ax.legend()
plt.show()
