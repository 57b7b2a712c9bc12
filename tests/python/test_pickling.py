"""Pickle and copy round trips (process pools, Dask, joblib): graphs, hierarchies, results."""
import copy
import pickle

import numpy as np
import pandas as pd
import pytest

import urbplex as ux


def _same_graph(a, b):
    assert (a.n, a.m, a.directed) == (b.n, b.m, b.directed)
    for name in ("offsets", "targets", "edge_ids", "edge_sources", "edge_targets"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert a.node_attr_names == b.node_attr_names and a.edge_attr_names == b.edge_attr_names
    for k in a.node_attr_names:
        assert np.array_equal(a.node(k), b.node(k))
    for k in a.edge_attr_names:
        assert np.array_equal(a.edge(k), b.edge(k))


@pytest.mark.parametrize("directed", [False, True])
def test_graph_round_trips(directed):
    rng = np.random.default_rng(1)
    src, dst = rng.integers(0, 50, 300), rng.integers(0, 50, 300)  # self-loops and parallel edges included
    g = ux.Graph.from_arrays(src, dst, n=60, directed=directed, node_attrs={"x": rng.random(60)},
                             edge_attrs={"length": rng.random(300)})
    _same_graph(g, pickle.loads(pickle.dumps(g)))
    assert copy.deepcopy(g) is g and copy.copy(g) is g  # immutable


def test_hierarchy_round_trips():
    g = ux.generators.square_lattice(12)
    g = g.with_node_attr("population", np.arange(g.n, dtype=float))
    for h in (ux.Hierarchy.from_grid(g, cell=2.0, levels=3),
              ux.Hierarchy.from_labels(g, np.arange(g.n) // 7, method="blocks", scale=7.0, extensive=["population"])):
        back = pickle.loads(pickle.dumps(h))
        assert back.num_levels == h.num_levels
        for k in range(h.num_levels):
            _same_graph(h.level(k), back.level(k))
            assert back.info(k) == h.info(k)
        for k in range(h.num_levels - 1):
            assert np.array_equal(back.parent(k), h.parent(k))
        deep = copy.deepcopy(h)
        deep.add_level(np.zeros(deep.level(deep.num_levels - 1).n, dtype=np.int64))
        assert deep.num_levels == h.num_levels + 1  # the copy does not share the original


def test_results_and_trajectories_round_trip():
    fit = ux.scaling.power_law(ux.scaling.sample(2.5, 1.0, 500, seed=1))
    back = pickle.loads(pickle.dumps(fit))
    assert back.alpha == fit.alpha and np.array_equal(back.data["x"], fit.data["x"])
    perc = ux.percolation.site(ux.generators.square_lattice(8), realizations=2, seed=1)
    assert pickle.loads(pickle.dumps(perc)).parameters == perc.parameters
    df = pd.DataFrame({"uid": [1, 1, 2], "lat": [1.0, 2.0, 3.0], "lng": [0.0, 0.0, 0.0],
                       "datetime": pd.date_range("2024-01-01", periods=3, freq="1h", tz="UTC")})
    tr = ux.mobility.trajectories(df)
    t2 = pickle.loads(pickle.dumps(tr))
    assert t2.to_frame().equals(tr.to_frame())


def test_missing_optional_packages_name_their_extra(monkeypatch):
    import builtins

    from urbplex._optional import require

    real = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError("No module named 'matplotlib'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    import importlib
    monkeypatch.setattr(importlib, "import_module", lambda n: no_matplotlib(n))
    with pytest.raises(ImportError, match=r"pip install 'urbplex\[plot\]'"):
        require("matplotlib.pyplot")
    fit = ux.scaling.power_law(ux.scaling.sample(2.5, 1.0, 200, seed=1))
    with pytest.raises(ImportError, match="urbplex\\[plot\\]"):
        fit.plot()
