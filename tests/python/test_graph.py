import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import urbplex as ux


def small():
    return ux.Graph.from_arrays([0, 1, 2, 2], [1, 2, 0, 3], edge_attrs={"length": [1.0, 2.0, 5.0, 1.5]},
                                node_attrs={"population": [10, 20, 30, 40]})


def test_csr_structure():
    g = small()
    assert (g.n, g.m, g.directed) == (4, 4, False)
    np.testing.assert_array_equal(g.offsets, [0, 2, 4, 7, 8])
    np.testing.assert_array_equal(g.degree(), [2, 2, 3, 1])
    np.testing.assert_array_equal(g.neighbors(2), [1, 0, 3])
    assert g.memory_bytes() == 5 * 8 + 8 * 4 + 8 * 4 + 4 * 8
    with pytest.raises(ValueError, match="read-only"):
        g.offsets[0] = 3


def test_attribute_copies_share_topology():
    g = small()
    h = g.with_edge_attr("capacity", [1, 2, 3, 4])
    assert "capacity" in h.edge_attr_names and "capacity" not in g.edge_attr_names
    assert h._g.shares_topology_with(g._g)


@pytest.mark.parametrize("kwargs, match", [
    (dict(source=[0, 5], target=[1, 2], n=3), "argument 'source': vertex id 5"),
    (dict(source=[0, 1], target=[1, -2]), "argument 'target': vertex id -2"),
    (dict(source=[0, 1], target=[1]), "argument 'target': has shape"),
    (dict(source=[0.5], target=[1]), "argument 'source': vertex ids must be whole"),
    (dict(source=[0], target=[1], edge_attrs={"length": [float("inf")]}), "length.*not finite"),
    (dict(source=[0], target=[1], edge_attrs={"length": [-1.0]}), "length.*negative"),
    (dict(source=[0], target=[1], edge_attrs={"length": [1.0, 2.0]}), "has 2 values, expected 1"),
    (dict(source=[0], target=[1], node_attrs={"population": [1.0]}), "has 1 values, expected 2"),
])
def test_bad_input_raises_value_error(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ux.Graph.from_arrays(**kwargs)


def test_bad_types_raise_type_error():
    with pytest.raises(TypeError, match="argument 'source'"):
        ux.Graph.from_arrays(["a"], ["b"])
    with pytest.raises(TypeError, match="argument 'n'"):
        ux.Graph.from_arrays([0], [1], n=2.5)


def test_empty_graph_and_missing_attribute():
    g = ux.Graph.from_arrays([], [], n=5)
    assert (g.n, g.m) == (5, 0)
    assert g.components().count == 5
    with pytest.raises(ValueError, match="attribute 'length' does not exist"):
        g.edge("length")


def test_components_match_networkx():
    g = ux.generators.erdos_renyi(5000, mean_degree=1.2, seed=3)
    comps = g.components()
    G = nx.Graph()
    G.add_nodes_from(range(g.n))
    G.add_edges_from(zip(g.edge_sources.tolist(), g.edge_targets.tolist()))
    expected = sorted((len(c) for c in nx.connected_components(G)), reverse=True)
    assert sorted(comps.sizes.tolist(), reverse=True) == expected
    assert comps.giant_fraction == expected[0] / g.n


def test_dijkstra_matches_networkx():
    g = ux.generators.random_geometric(2000, mean_degree=8, seed=5)
    dist, pred = g.shortest_paths(0)
    G = nx.Graph()
    G.add_weighted_edges_from(zip(g.edge_sources.tolist(), g.edge_targets.tolist(), g.edge("length").tolist()))
    ref = nx.single_source_dijkstra_path_length(G, 0)
    for v in range(g.n):
        if v in ref:
            assert dist[v] == pytest.approx(ref[v], rel=1e-12)
        else:
            assert math.isinf(dist[v]) and pred[v] == -1
    dm = g.distance_matrix([0, 7], weight="length")
    np.testing.assert_array_equal(dm[0], dist)
    with pytest.raises(ValueError, match="argument 'weight'"):
        g.shortest_paths(0, weight=-np.ones(g.m))


def canonical_edges(g):
    """The edges as a sorted list of (min end, max end, length): independent of edge ids."""
    s, t = g.edge_sources, g.edge_targets
    return sorted(zip(np.minimum(s, t).tolist(), np.maximum(s, t).tolist(), g.edge("length").tolist()))


def test_networkx_round_trip():
    g = small()
    G = g.to_networkx()
    assert G.nodes[3]["population"] == 40.0
    back = ux.Graph.from_networkx(G)
    assert canonical_edges(back) == canonical_edges(g)
    np.testing.assert_array_equal(back.node("population"), g.node("population"))
    H = nx.karate_club_graph()
    kg, keys = ux.Graph.from_networkx(H, return_mapping=True)
    assert (kg.n, kg.m) == (34, 78) and keys == list(H.nodes)
    assert "weight" in kg.edge_attr_names


def test_igraph_round_trip():
    g = small()
    ig = g.to_igraph()
    assert ig.vcount() == 4 and ig.ecount() == 4 and ig.es["length"] == [1.0, 2.0, 5.0, 1.5]
    assert ux.Graph.from_igraph(ig) == g


def test_pandas_round_trip_and_labels():
    g = small()
    df = g.to_pandas()
    assert list(df.columns) == ["source", "target", "length"]
    back = ux.Graph.from_pandas(df, nodes=g.nodes_frame().drop(columns="degree"))
    assert back == g
    named = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "length": [1.0, 2.0]})
    h, keys = ux.Graph.from_pandas(named, return_mapping=True)
    assert keys == ["a", "b", "c"] and h.m == 2
    with pytest.raises(ValueError, match="no column 'from'"):
        ux.Graph.from_pandas(named, source="from")


def test_osmnx_style_multidigraph():
    G = nx.MultiDiGraph()
    G.add_node(101, x=0.0, y=0.0)
    G.add_node(202, x=100.0, y=0.0)
    G.add_node(303, x=100.0, y=50.0)
    G.add_edge(101, 202, length=100.0, highway="primary")
    G.add_edge(202, 101, length=100.0)
    G.add_edge(202, 303, length=50.0)
    G.add_edge(202, 303, length=70.0)  # a parallel edge
    g, keys = ux.Graph.from_osmnx(G, return_mapping=True)
    assert g.directed and (g.n, g.m) == (3, 4)
    np.testing.assert_array_equal(g.node("osmid"), [101, 202, 303])
    dist, _ = g.shortest_paths(0)
    np.testing.assert_allclose(dist, [0.0, 100.0, 150.0])
    G.add_node(404)
    with pytest.raises(ValueError, match="node 404 has no 'x'/'y'"):
        ux.Graph.from_osmnx(G)


def test_node_attribute_series_align_by_node_key():
    # A Series keyed by node keys in another order (a groupby result, a sorted column) is
    # aligned as pandas aligns; it used to be taken row by row: c's population on a.
    g = ux.Graph.from_arrays([0, 1, 2], [1, 2, 0], n=3, directed=True).with_labels(["a", "b", "c"])
    assert list(g.with_node_attr("pop", pd.Series({"c": 3.0, "a": 1.0, "b": 2.0})).node("pop")) == [1, 2, 3]
    plain = ux.Graph.from_arrays([0, 1, 2], [1, 2, 0], n=3, directed=True)
    ranked = pd.Series([10.0, 20.0, 30.0]).sort_values(ascending=False)
    assert list(plain.with_node_attr("pop", ranked).node("pop")) == [10, 20, 30]
    # An index that is not the node keys (rows of a filtered frame) stays in vertex order.
    assert list(plain.with_node_attr("pop", pd.Series([1.0, 2.0, 3.0], index=[5, 9, 12])).node("pop")) == [1, 2, 3]


def test_two_way_streets_merge_into_one_bond():
    # issue 35 item 15: a street read as two arcs is two bonds; merged, the
    # square grid's bond threshold is back at 1/2 (unmerged: 1 - sqrt(1/2))
    L = 100
    sq = ux.generators.square_lattice(L, periodic=True)
    s, t = np.asarray(sq.edge_sources), np.asarray(sq.edge_targets)
    two_way = ux.Graph.from_arrays(np.r_[s, t], np.r_[t, s], n=sq.n, directed=True,
                                   edge_attrs={"length": np.r_[np.ones(s.size), 2 * np.ones(s.size)],
                                               "capacity": np.full(2 * s.size, 900.0)})
    doubled = two_way.to_undirected()
    merged = doubled.merge_parallel_edges()
    assert (doubled.m, merged.m) == (2 * sq.m, sq.m)
    assert set(np.asarray(merged.edge("length"))) == {1.0} and set(np.asarray(merged.edge("capacity"))) == {1800.0}
    assert set(np.asarray(merged.edge("multiplicity"))) == {2}
    assert merged.edge_attr_types["multiplicity"] == "int64"
    # (the second-largest cluster peaks a little below p_c on a finite torus)
    p_merged = ux.percolation.bond(merged, realizations=20, seed=1).peak_second()
    p_doubled = ux.percolation.bond(doubled, realizations=20, seed=1).peak_second()
    assert abs(p_merged - 0.5) < 0.03 and abs(p_doubled - (1 - np.sqrt(0.5))) < 0.03
    assert np.asarray(doubled.merge_parallel_edges(how="first").edge("length")).max() == 1.0
    assert np.asarray(doubled.merge_parallel_edges(how={"length": "mean"}).edge("length")).max() == 1.5
    with pytest.raises(ValueError, match="argument 'how'"):
        doubled.merge_parallel_edges(how={"length": "median"})


def test_subgraphs_keep_keys_types_and_crs():
    df = pd.DataFrame({"source": ["a", "b", "c", "x"], "target": ["b", "c", "a", "y"],
                       "length": [1.0, 2.0, 3.0, 4.0], "kind": pd.Categorical(["r", "s", "r", "s"])})
    g = ux.Graph.from_pandas(df).with_crs("EPSG:32633")
    sub = g.subgraph(["c", "a"])
    assert sub.labels == ["c", "a"] and sub.m == 1 and list(sub.edge("kind")) == ["r"]
    assert sub.crs == g.crs and sub.edge_attr_types == g.edge_attr_types
    big = g.largest_component()
    assert sorted(big.labels) == ["a", "b", "c"] and big.m == 3
    e = g.edge_subgraph([3])
    assert e.labels == ["x", "y"] and float(e.edge("length")[0]) == 4.0
    # unlabelled graphs: the original vertex ids become the keys
    part = ux.generators.square_lattice(4).subgraph(np.arange(4, 8))
    assert part.labels == [4, 5, 6, 7] and part.m == 3
    # the tables use the keys and round-trip through from_pandas
    back = ux.Graph.from_pandas(g.to_pandas(), nodes=g.nodes_frame().drop(columns="degree"))
    assert back.labels == g.labels and back.m == g.m
    with pytest.raises(ValueError, match="no node 'q'"):
        g.subgraph(["a", "q"])
    with pytest.raises(ValueError, match="listed twice"):
        g.subgraph(["a", "a"])
