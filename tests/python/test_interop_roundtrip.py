"""Round trips through networkx give back what went in (issue 35 item 14):
OSMnx's merged osmid lists, boolean 'reversed' lists, tuple positions and
graph-level attributes."""
import numpy as np
import pytest

import urbplex as ux

nx = pytest.importorskip("networkx")


def _osmnx_like():
    G = nx.MultiDiGraph(crs="EPSG:4326", name="toy city", created_date="2026-12-07", simplified=True)
    for k, (x, y) in enumerate([(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]):
        G.add_node(100 + k, x=x, y=y, pos=(x, y))
    G.add_edge(100, 101, osmid=[5, 7], reversed=[False, True], length=10.0, oneway=False)
    G.add_edge(101, 102, osmid=9, reversed=False, length=12.5, oneway=True)
    G.add_edge(102, 100, osmid=[11, 12, 13], reversed=True, length=3.0, oneway=True)
    return G


def test_lists_tuples_and_booleans_come_back_as_they_went_in():
    G = _osmnx_like()
    g = ux.interop.from_networkx(G)
    # inside urbplex: ';'-joined text (OSM's way of writing several values), a category
    assert list(g.edge("osmid")) == ["5;7", "9", "11;12;13"]
    back = ux.interop.to_networkx(g)
    for (u, v, d), (u2, v2, d2) in zip(G.edges(data=True), back.edges(data=True)):
        assert (u, v) == (u2, v2)
        assert d2["osmid"] == d["osmid"] and type(d2["osmid"]) is type(d["osmid"])
        assert d2["reversed"] == d["reversed"] and type(d2["reversed"]) is type(d["reversed"])
        assert d2["oneway"] is d["oneway"]
    assert back.nodes[100]["pos"] == (0.0, 0.0) and isinstance(back.nodes[100]["pos"], tuple)
    assert back.edges[101, 102, 0]["reversed"] is False  # not the truthy string 'False'
    # graph-level attributes travel too (and through the store)
    assert back.graph == {"name": "toy city", "created_date": "2026-12-07", "simplified": True, "crs": "EPSG:4326"}
    assert g.attrs["name"] == "toy city"


def test_graph_attributes_survive_the_store_and_pickling(tmp_path):
    import pickle

    g = ux.interop.from_networkx(_osmnx_like())
    g.save(tmp_path / "g.h5", "toy")
    loaded = ux.Graph.load(tmp_path / "g.h5", "toy")
    for h in (loaded, pickle.loads(pickle.dumps(g))):
        back = ux.interop.to_networkx(h)
        assert back.graph["name"] == "toy city"
        assert [d["osmid"] for _, _, d in back.edges(data=True)] == [[5, 7], 9, [11, 12, 13]]


def test_a_changed_column_is_not_decoded_and_objects_are_named():
    g = ux.interop.from_networkx(_osmnx_like())
    g2 = g.with_edge_attr("osmid", ["a", "b", "c"])  # replaced: its old record no longer applies
    assert [d["osmid"] for _, _, d in ux.interop.to_networkx(g2).edges(data=True)] == ["a", "b", "c"]
    G = nx.Graph(handler=object())
    G.add_edge(0, 1)
    with pytest.warns(UserWarning, match=r"graph attribute 'handler' \(a object, not a JSON value\)"):
        ux.interop.from_networkx(G)
    with pytest.raises(TypeError, match="a graph attribute must be a JSON value"):
        g.with_attrs(when=object())
    assert g.with_attrs(city="Berlin").attrs["city"] == "Berlin"


def test_absurd_counts_get_an_estimate_or_a_refusal():
    # issue 35 item 20: gof(10**12) gave a raw pybind11 message; site(realizations=10**12) started silently
    import warnings

    from urbplex.percolation.newman_ziff import _warn_if_long

    fit = ux.scaling.power_law(np.random.default_rng(0).pareto(1.5, 2000) + 1)
    with pytest.raises(ValueError, match=r"argument 'replicates': must be <= 4294967295"):
        fit.gof(10**12)
    g = ux.generators.square_lattice(50)
    with pytest.warns(UserWarning, match=r"10{12} realizations of 2500 nodes and 4900 edges: roughly [\d.e+]+ hours"):
        _warn_if_long(10**12, g)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _warn_if_long(100, g)  # an ordinary ensemble: no warning


def test_geodataframes_of_a_street_graph():
    # issue 35 item 15: export to GeoDataFrames (nodes as points, edges as lines, the CRS kept)
    gpd = pytest.importorskip("geopandas")
    g = ux.Graph.from_arrays([0, 1], [1, 2], n=3, node_attrs={"x": [0.0, 100.0, 100.0], "y": [0.0, 0.0, 50.0],
                                                                "population": [5.0, 0.0, 2.0]},
                             edge_attrs={"length": [100.0, 50.0]}).with_crs("EPSG:32633").with_labels(["a", "b", "c"])
    nodes, edges = g.to_geopandas()
    assert isinstance(nodes, gpd.GeoDataFrame) and isinstance(edges, gpd.GeoDataFrame)
    assert list(nodes.index) == ["a", "b", "c"] and nodes.crs.to_epsg() == 32633
    assert nodes.loc["c", "geometry"].x == 100.0 and nodes.loc["a", "population"] == 5.0
    assert list(edges["source"]) == ["a", "b"] and np.allclose(edges.geometry.length, edges["length"])
    with pytest.raises(ValueError, match="need the node attributes 'x' and 'y'"):
        ux.Graph.from_arrays([0], [1]).to_geopandas()


def test_a_long_power_law_scan_says_so():
    # issue 35 item 13: a continuous fit on 10^6 values ran over a minute without a word
    import warnings

    import importlib

    module = importlib.import_module("urbplex.scaling.power_law")

    x = np.random.default_rng(0).pareto(1.5, 3000) + 1
    old = module.LARGE_SCAN
    try:
        module.LARGE_SCAN = 1000  # the same rule on a small sample
        with pytest.warns(UserWarning, match=r"3000 candidate x_min values.*max_candidates=1000"):
            ux.scaling.power_law(x)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            ux.scaling.power_law(x, max_candidates=500)  # bounded: no warning
            ux.scaling.power_law(x, xmin=2.0)  # fixed x_min: no scan
    finally:
        module.LARGE_SCAN = old
