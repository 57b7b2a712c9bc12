"""The store records units, lineage and environment versions, stores a graph
once when a hierarchy's level 0 equals it, and `python -m urbplex info`
summarises it all (issue 18)."""
import os
import subprocess
import sys

import numpy as np
import pytest

import urbplex as ux
from store_files import store_size


@pytest.fixture()
def city():
    g = ux.generators.random_geometric(4000, mean_degree=6, seed=3)
    g = g.with_node_attr("x", g.node("x") * 10_000).with_node_attr("y", g.node("y") * 10_000)
    return g.with_crs("EPSG:3857").with_units(length="m")


def test_graph_meta_has_units_fingerprint_and_versions(tmp_path, city):
    path = tmp_path / "s.h5"
    city.save(path, "streets")
    meta = ux.io.graph_meta(path, "streets")
    assert meta["units"] == {"length": "m"} and meta["crs"] == "EPSG:3857"
    assert meta["fingerprint"] == ux.provenance.fingerprint(city)
    env = meta["environment"]
    assert env["numpy"] == np.__version__ and env["hdf5"].count(".") == 2 and env["python"]
    back = ux.Graph.load(path, "streets")
    assert back.units["length"] == "m" and back.units["x"] in ("metre", "m")  # pyproj's name for it
    # A different graph has a different fingerprint (one length changed).
    lengths = np.array(city.edge("length"))
    lengths[0] += 1e-9
    assert ux.provenance.fingerprint(city.with_edge_attr("length", lengths)) != meta["fingerprint"]


def test_hierarchy_refers_to_the_stored_graph_instead_of_a_copy(tmp_path, city):
    h = ux.Hierarchy.from_grid(city, cell=1000, levels=3)
    once, twice = tmp_path / "once.h5", tmp_path / "twice.h5"
    for path, graph in ((once, "auto"), (twice, None)):
        city.save(path, "streets")
        h.save(path, "grid", graph=graph)
    assert ux.io.hierarchy_meta(once, "grid")["graph"] == "streets"
    assert ux.io.hierarchy_meta(twice, "grid")["graph"] is None
    assert store_size(once) < 0.7 * store_size(twice)
    back = ux.io.load_hierarchy(once, "grid")
    assert back.level(0) == city and back.level(2).n == h.level(2).n
    h5py = pytest.importorskip("h5py")
    with h5py.File(once, "r") as f:
        assert f["hierarchies/grid/level_0"].attrs["graph_ref"] == "streets"
        assert "offsets" not in f["hierarchies/grid/level_0"]
    # Naming a graph that is not level 0 is refused; replacing the graph is detected on load.
    other = ux.generators.random_geometric(100, mean_degree=4, seed=1)
    other.save(once, "other")
    with pytest.raises(ValueError, match="is not level 0"):
        h.save(once, "grid2", graph="other")
    other.save(once, "streets", overwrite=True)
    with pytest.raises(OSError, match="refers to graph 'streets'"):
        ux.io.load_hierarchy(once, "grid")


def test_runs_record_their_lineage_units_and_environment(tmp_path, city):
    path = tmp_path / "r.h5"
    city.save(path, "streets")
    ux.Hierarchy.from_grid(city, cell=1000, levels=3).save(path, "grid")
    h = ux.io.load_hierarchy(path, "grid")
    run = ux.percolation.bond(h, level=1, realizations=4, seed=2)
    [source] = run.lineage["inputs"]
    assert source["kind"] == "hierarchy level" and source["level"] == 1
    assert source["fingerprint"] == ux.provenance.fingerprint(h.level(1))
    assert source["base_fingerprint"] == ux.io.graph_meta(path, "streets")["fingerprint"]
    assert source["stored"] == f"{path}:/hierarchies/grid"
    run.save(path, "bond")
    back = ux.io.load_run(path, "bond")
    assert back.lineage == run.lineage
    assert back.units["largest"] == "fraction of vertices"
    assert back.meta["environment"]["numpy"] == np.__version__
    # Models fed Locations built from a graph, or a traffic network built from one, trace it too.
    agents = ux.mobility.epr(ux.mobility.locations_of(city.with_node_attr("population", np.ones(city.n))),
                             agents=10, steps=10, seed=1)
    assert agents.lineage["inputs"][0]["n"] == city.n


def test_info_summarises_sizes_parameters_units_and_lineage(tmp_path, city):
    path = tmp_path / "i.h5"
    city.save(path, "streets")
    h = ux.Hierarchy.from_grid(city, cell=1000, levels=2)
    h.save(path, "grid")
    ux.percolation.site(h, level=1, realizations=2, seed=1).save(path, "site")
    out = subprocess.run([sys.executable, "-m", "urbplex", "info", str(path)], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert f"n={city.n} m={city.m}" in text and "level 0 = graph 'streets' (stored once)" in text
    assert "model=percolation.site seed=1" in text and '"realizations": 2' in text
    assert "lineage=hierarchy level level 1" in text and "fraction of vertices" in text
    assert f"numpy {np.__version__}" in text
