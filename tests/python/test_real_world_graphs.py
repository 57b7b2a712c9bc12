"""Real-world graphs: typed attributes, missing values, node keys, CRS, OSMnx
round trips and weighted directed betweenness (issue 18)."""
import copy
import os
import pickle
import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import urbplex as ux

# A small OpenStreetMap extract written by the test: a one-way street, a
# two-way street, a node with a `highway` tag, integer `lanes`, string `name`.
OSM_XML = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="urbplex-test">
  <node id="101" lat="48.2000" lon="16.3700" version="1"/>
  <node id="102" lat="48.2000" lon="16.3715" version="1"><tag k="highway" v="traffic_signals"/></node>
  <node id="103" lat="48.2000" lon="16.3730" version="1"/>
  <node id="104" lat="48.2010" lon="16.3715" version="1"/>
  <node id="105" lat="48.2010" lon="16.3730" version="1"/>
  <node id="106" lat="48.1990" lon="16.3715" version="1"/>
  <way id="201" version="1">
    <nd ref="101"/><nd ref="102"/><nd ref="103"/>
    <tag k="highway" v="primary"/><tag k="name" v="Ringstrasse"/><tag k="lanes" v="2"/>
    <tag k="maxspeed" v="50"/>
  </way>
  <way id="202" version="1">
    <nd ref="102"/><nd ref="104"/><nd ref="105"/><nd ref="103"/>
    <tag k="highway" v="residential"/><tag k="oneway" v="yes"/><tag k="name" v="Gasse"/>
  </way>
  <way id="203" version="1">
    <nd ref="106"/><nd ref="102"/>
    <tag k="highway" v="service"/>
  </way>
</osm>
"""


@pytest.fixture(scope="module")
def osm_graph(tmp_path_factory):
    ox = pytest.importorskip("osmnx")
    path = tmp_path_factory.mktemp("osm") / "tiny.osm"
    path.write_text(OSM_XML)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ox.graph_from_xml(path, simplify=False, retain_all=True)


def test_typed_attributes_keep_their_types_and_missing_values():
    g = ux.Graph.from_arrays([0, 1, 2], [1, 2, 0])
    g = (g.with_node_attr("floors", [3, 5, None])
          .with_node_attr("lit", [True, False, True])
          .with_edge_attr("highway", ["primary", "residential", None])
          .with_edge_attr("speed", [13.9, np.nan, 8.3]))
    assert g.node_attr_types == {"floors": "int64", "lit": "bool"}
    assert g.edge_attr_types == {"highway": "category", "speed": "float64"}
    floors = g.node("floors")
    assert list(floors[:2]) == [3, 5] and pd.isna(floors[2])
    assert g.node("lit").dtype == bool and list(g.node("lit")) == [True, False, True]
    hw = g.edge("highway")
    assert isinstance(hw, pd.Categorical) and list(hw[:2]) == ["primary", "residential"] and pd.isna(hw[2])
    assert np.isnan(g.edge("speed")[1])
    # Models refuse what they cannot use, naming the attribute and the row.
    with pytest.raises(ValueError, match=r"'speed' has 1 missing values.*edge 1"):
        g.shortest_paths(0, weight="speed")
    with pytest.raises(ValueError, match=r"'highway' is categorical"):
        g.betweenness(weight="highway")
    with pytest.raises(ValueError, match=r"not finite"):
        g.with_edge_attr("speed", [1.0, np.inf, 2.0])
    with pytest.raises(ValueError, match=r"beyond 2\*\*53"):
        g.with_node_attr("id", [2**60, 1, 2])


def test_typed_graph_pickles_copies_and_stores(tmp_path):
    g = ux.Graph.from_arrays([0, 1], [1, 2], directed=True)
    g = (g.with_labels(["a", "b", "c"]).with_crs("EPSG:32633")
          .with_node_attr("floors", [1, None, 3]).with_edge_attr("name", ["Main St", "Côte-des-Neiges"]))
    for back in (pickle.loads(pickle.dumps(g)), copy.deepcopy(g)):
        assert back == g and back.labels == ["a", "b", "c"] and back.crs == "EPSG:32633"
    path = tmp_path / "typed.h5"
    g.save(path, "city")
    back = ux.Graph.load(path, "city")
    assert back == g
    assert list(back.edge("name")) == ["Main St", "Côte-des-Neiges"]
    assert back.node_attr_names == ["floors"]  # the labels' column stays hidden
    h5py = pytest.importorskip("h5py")
    with h5py.File(path, "r") as f:  # what another tool sees
        assert f["graphs/city/node"].attrs["type:floors"] == "int64"


def test_networkx_round_trip_keeps_keys_type_and_attribute_types():
    G = nx.DiGraph(crs="EPSG:3857")
    G.add_node("home", floors=3, lit=True)
    G.add_node("work", floors=12, lit=False)
    G.add_node("park")  # no attributes: missing values
    G.add_edge("home", "work", length=120.5, lanes=2, name="Main St")
    G.add_edge("work", "park", length=80.0, lanes=1)
    g = ux.Graph.from_networkx(G)
    assert g.labels == ["home", "work", "park"] and g.crs == "EPSG:3857"
    assert g.node_attr_types == {"floors": "int64", "lit": "bool"}
    H = g.to_networkx()
    assert type(H) is nx.DiGraph
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert {(u, v): d for u, v, d in H.edges(data=True)} == {(u, v): d for u, v, d in G.edges(data=True)}
    assert isinstance(H.nodes["home"]["floors"], int) and isinstance(H.edges["home", "work"]["lanes"], int)
    assert H.graph["crs"] == "EPSG:3857"


def test_from_pandas_takes_a_nodes_table_with_gaps_and_string_columns():
    edges = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "kind": ["tram", "bus"]})
    nodes = pd.DataFrame({"population": [10, 20]}, index=["a", "d"])  # 'b', 'c' unlisted; 'd' isolated
    g = ux.Graph.from_pandas(edges, nodes=nodes)
    assert g.labels == ["a", "b", "c", "d"] and g.n == 4
    pop = g.node("population")
    assert pop[0] == 10 and pop[3] == 20 and pd.isna(pop[1]) and pd.isna(pop[2])
    assert list(g.edge("kind")) == ["tram", "bus"]


def test_sparse_integer_ids_are_labels_not_vertex_indices():
    # OSM / GMNS node ids run to billions: taken for vertex indices they asked for 3e9 vertices
    # (48 GB), and the process was killed. from_pandas keeps them as labels, with a warning.
    osm = [3_000_000_001, 3_000_000_002, 3_000_000_003, 3_000_000_004]
    links = pd.DataFrame({"a": [osm[0], osm[1], osm[0], osm[2]], "b": [osm[1], osm[3], osm[2], osm[3]],
                          "capacity": [100.0, 100.0, 200.0, 200.0], "free_flow_time": [5.0, 5.0, 10.0, 10.0]})
    with pytest.warns(UserWarning, match="node ids run to 3000000004 for 4 edges; they are kept as labels"):
        g = ux.Graph.from_pandas(links, source="a", target="b", directed=True)
    assert g.n == 4 and g.labels == osm
    # Demand in the same ids; the results carry them. The analytic two-route split: t_A = 10 + x/10,
    # t_B = 20 + y/10, 300 trips: 200 / 100, both at 30.
    demand = pd.DataFrame({"origin": [osm[0]], "destination": [osm[3]], "trips": [300.0]})
    r = ux.routing.assign(g, demand, gap=1e-10, alpha=1.0, beta=1.0, method="algorithm_b")
    frame = r.to_frame()
    assert list(frame["source_label"]) == list(links["a"]) and list(frame["target_label"]) == list(links["b"])
    np.testing.assert_allclose(frame["flow"], [200, 200, 100, 100], rtol=1e-8)
    with pytest.raises(ValueError, match=r"destination 7 in row 0 is not a node of the graph"):
        ux.routing.assign(g, pd.DataFrame({"origin": [osm[0]], "destination": [7], "trips": [1.0]}))
    with pytest.raises(ValueError, match=r"from node 3000000004 to node 3000000001 cannot be routed"):
        ux.routing.assign(g, pd.DataFrame({"origin": [osm[3]], "destination": [osm[0]], "trips": [1.0]}))
    # Dense integer ids stay vertex ids, and so do sparse ones when n says so.
    assert ux.Graph.from_pandas(pd.DataFrame({"source": [0, 5], "target": [5, 9]})).labels is None
    # from_arrays takes ids as indices: the sparse ones are an error pointing to from_pandas,
    # and a graph that cannot fit in memory a MemoryError before it allocates.
    with pytest.raises(ValueError, match="vertex ids run to 3000000002 .* Graph.from_pandas keeps them as labels"):
        ux.Graph.from_arrays([osm[0]], [osm[1]])
    available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    if available < 48e9:  # a larger machine would build it
        with pytest.raises(MemoryError, match="a graph of 4000000000 vertices and 1 edges needs about 64 GB"):
            ux.Graph.from_arrays([0], [1], n=4_000_000_000)


def test_geometries_are_dropped_with_a_warning():
    shapely = pytest.importorskip("shapely.geometry")
    G = nx.Graph()
    G.add_edge(0, 1, length=1.0, geometry=shapely.LineString([(0, 0), (1, 1)]))
    G.add_edge(1, 2, length=2.0, highway=["residential", "tertiary"])  # OSMnx's merged edges
    with pytest.warns(UserWarning, match=r"edge attribute 'geometry' \(holds LineString values\)"):
        g = ux.Graph.from_networkx(G)
    assert g.edge_attr_names == ["length", "highway"]
    assert pd.isna(g.edge("highway")[0]) and g.edge("highway")[1] == "residential;tertiary"


def test_assignment_results_keep_text_node_ids_through_a_store(tmp_path):
    # MATSim / SUMO networks name their nodes ("n12", "joint_3"). The result table showed only
    # urbplex's vertex numbers for them, and a run could not hold text at all.
    links = pd.DataFrame({"a": ["west", "mid_ä", "west", "north"], "b": ["mid_ä", "east", "north", "east"],
                          "capacity": [100.0, 100.0, 200.0, 200.0], "free_flow_time": [5.0, 5.0, 10.0, 10.0]})
    g = ux.Graph.from_pandas(links, source="a", target="b", directed=True)
    demand = pd.DataFrame({"origin": ["west"], "destination": ["east"], "trips": [300.0]})
    r = ux.routing.assign(g, demand, gap=1e-10, alpha=1.0, beta=1.0, method="algorithm_b")
    frame = r.to_frame()
    assert list(frame["source_label"]) == list(links["a"]) and list(frame["target_label"]) == list(links["b"])
    np.testing.assert_allclose(frame["flow"], [200, 200, 100, 100], rtol=1e-8)  # t_A = t_B = 30
    r.save(tmp_path / "runs.h5", "text_ids")
    back = ux.RunResult.load(tmp_path / "runs.h5", "text_ids")
    assert list(back.to_frame()["source_label"]) == list(links["a"])
    assert sorted(back.data) == sorted(r.data)  # the stored bytes and offsets do not show
    # A run of any model keeps a 1-D array of text; anything else that is not a number is refused.
    run = ux.RunResult({"x": np.arange(3.0), "city": np.array(["Zürich", "", "São Paulo"])})
    run.save(tmp_path / "runs.h5", "cities")
    assert list(ux.RunResult.load(tmp_path / "runs.h5", "cities")["city"]) == ["Zürich", "", "São Paulo"]
    with pytest.raises(TypeError, match=r"data 'mixed': element 1 is int, not str"):
        ux.RunResult({"mixed": np.array(["a", 1], dtype=object)}).save(tmp_path / "runs.h5", "mixed")


def test_osmnx_graph_round_trips_with_string_and_integer_attributes(osm_graph):
    G = osm_graph
    with pytest.warns(UserWarning, match="geometry") if any("geometry" in d for *_, d in G.edges(data=True)) \
            else warnings.catch_warnings():
        g = ux.Graph.from_osmnx(G)
    assert g.directed and g.n == G.number_of_nodes() and g.m == G.number_of_edges()
    assert g.labels == list(G.nodes) and g.crs == str(G.graph["crs"]) and g.is_geographic
    assert g.node_attr_types["osmid"] == "int64" and g.edge_attr_types["osmid"] == "int64"
    assert g.node_attr_types["highway"] == "category"  # on one node only: missing elsewhere
    assert g.edge_attr_types["highway"] == "category" and g.edge_attr_types["name"] == "category"
    assert g.edge_attr_types["oneway"] == "bool" and g.edge_attr_types["length"] == "float64"
    H = g.to_networkx()
    assert type(H) is nx.MultiDiGraph
    assert set(H.nodes) == set(G.nodes)
    for k, d in G.nodes(data=True):
        assert H.nodes[k] == {**d, "osmid": k}
    want = sorted((u, v, tuple(sorted(d.items()))) for u, v, d in G.edges(data=True))
    got = sorted((u, v, tuple(sorted(d.items()))) for u, v, d in H.edges(data=True))
    assert got == want  # lanes '2' and maxspeed '50' stay strings, as OSMnx reads them


def test_simplified_osmnx_graph_keeps_merged_values_and_warns_on_geometry(tmp_path):
    ox = pytest.importorskip("osmnx")
    path = tmp_path / "tiny.osm"
    path.write_text(OSM_XML)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        G = ox.graph_from_xml(path, simplify=True, retain_all=True)
    with pytest.warns(UserWarning, match="geometry"):
        g = ux.Graph.from_osmnx(G)
    assert "geometry" not in g.edge_attr_names and g.m == G.number_of_edges()
    assert np.allclose(g.edge("length"), [d["length"] for *_, d in G.edges(data=True)])


def test_weighted_directed_betweenness_equals_networkx_on_osmnx(osm_graph):
    g = ux.Graph.from_osmnx(osm_graph)
    ours = g.betweenness(weight="length")
    theirs = nx.betweenness_centrality(osm_graph, weight="length", normalized=False)
    assert np.allclose(ours, [theirs[k] for k in g.labels], rtol=1e-12, atol=1e-12)
    hops = nx.betweenness_centrality(nx.DiGraph(osm_graph), normalized=False)
    assert np.allclose(g.betweenness(), [hops[k] for k in g.labels])


@pytest.mark.parametrize("directed", [False, True])
def test_weighted_betweenness_equals_networkx_with_ties(directed):
    # Integer weights on a random graph make many equal-length shortest paths.
    gen = np.random.default_rng(7)
    G = nx.gnm_random_graph(300, 1200, seed=7, directed=directed)
    for u, v in G.edges:
        G.edges[u, v]["w"] = int(gen.integers(1, 4))
    g = ux.Graph.from_networkx(G)
    ours = g.betweenness(weight="w")
    theirs = nx.betweenness_centrality(G, weight="w", normalized=False)
    assert np.allclose(ours, [theirs[k] for k in g.labels], rtol=1e-9)
    # A wrong model (ignoring weights) would miss by far more than the tolerance.
    assert not np.allclose(g.betweenness(), ours, rtol=1e-2)


def test_zero_weights_warn_that_betweenness_may_miscount():
    # 0 -> 1 -> 2 -> 3 costs 1 as does 0 -> 3; the zero-weight edges make Brandes' counting unreliable.
    g = ux.Graph.from_arrays([0, 1, 2, 0], [1, 2, 3, 3], n=4, directed=True, edge_attrs={"w": [0.0, 1.0, 0.0, 1.0]})
    with pytest.warns(UserWarning, match=r"2 edges have weight 0 \(the first: edge 0, 0 -> 1\)"):
        g.betweenness(weight="w")
    with pytest.warns(UserWarning, match=r"the first: edge 0, a -> b\)"):
        g.with_labels(["a", "b", "c", "d"]).betweenness(weight="w")  # the user's node keys
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g.betweenness(weight=[1.0, 1.0, 1.0, 3.0])  # positive weights: no warning


def test_to_undirected_keeps_edges_ids_and_attributes(osm_graph):
    g = ux.Graph.from_osmnx(osm_graph)
    u = g.to_undirected()
    assert not u.directed and u.m == g.m and u.labels == g.labels
    assert np.array_equal(u.edge("length"), g.edge("length"))
    assert list(u.edge("highway")) == list(g.edge("highway"))
    assert u.components().count == 1


def test_lon_lat_graphs_are_refused_by_metric_methods(osm_graph):
    g = ux.Graph.from_osmnx(osm_graph)
    with pytest.raises(ValueError, match=r"longitude/latitude.*to_crs"):
        ux.Hierarchy.from_grid(g, cell=200)
    with pytest.warns(UserWarning, match="look like longitude/latitude"):
        ux.Hierarchy.from_grid(g.with_crs(None), cell=200)
    pytest.importorskip("pyproj")
    projected = g.to_crs("EPSG:32633")
    assert not projected.is_geographic
    # 0.0015 degrees of longitude at 48.2 N is 111.3 km * cos(48.2) * 0.0015 = 111 m.
    x = projected.node("x")
    assert abs((x[1] - x[0]) - 111.2) < 1.0
    h = ux.Hierarchy.from_grid(projected, cell=200, levels=2)
    assert h.level(1).n > 1 and h.level(0).labels == g.labels
