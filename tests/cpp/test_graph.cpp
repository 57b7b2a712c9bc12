#include <gtest/gtest.h>

#include <boost/graph/connected_components.hpp>
#include <boost/graph/dijkstra_shortest_paths_no_color_map.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "urbplex/core/bgl.hpp"
#include "urbplex/core/components.hpp"
#include "urbplex/core/graph.hpp"
#include "urbplex/core/paths.hpp"
#include "urbplex/generators/random_graphs.hpp"
#include "urbplex/generators/spatial.hpp"

using namespace urbplex;

TEST(Graph, CsrOfUndirectedTriangleWithTail) {
  const std::vector<vertex_t> s{0, 1, 2, 2}, t{1, 2, 0, 3};
  Graph g = Graph::from_edges(4, s, t, false);
  EXPECT_EQ(g.num_vertices(), 4u);
  EXPECT_EQ(g.num_edges(), 4u);
  EXPECT_EQ(g.num_arcs(), 8u);
  EXPECT_EQ(g.degree(2), 3u);
  // Arcs of vertex 2 in edge order: edge 1 (2-1), edge 2 (2-0), edge 3 (2-3).
  const auto nb = g.neighbors(2);
  EXPECT_EQ(std::vector<vertex_t>(nb.begin(), nb.end()), (std::vector<vertex_t>{1, 0, 3}));
  const auto ie = g.incident_edges(2);
  EXPECT_EQ(std::vector<edge_t>(ie.begin(), ie.end()), (std::vector<edge_t>{1, 2, 3}));
  EXPECT_EQ(g.topology_bytes(), 5 * 8 + 8 * 4 + 8 * 4 + 4 * 8);
}

TEST(Graph, DirectedStoresOneArcPerEdge) {
  const std::vector<vertex_t> s{0, 1}, t{1, 2};
  Graph g = Graph::from_edges(3, s, t, true);
  EXPECT_EQ(g.num_arcs(), 2u);
  EXPECT_EQ(g.degree(2), 0u);
}

TEST(Graph, RejectsBadInput) {
  const std::vector<vertex_t> s{0, 5}, t{1, 2};
  EXPECT_THROW(Graph::from_edges(3, s, t, false), std::invalid_argument);
  const std::vector<vertex_t> s2{0};
  EXPECT_THROW(Graph::from_edges(3, s2, t, false), std::invalid_argument);
  Graph g = Graph::from_edges(3, std::vector<vertex_t>{0}, std::vector<vertex_t>{1}, false);
  EXPECT_THROW(g.set_edge_attribute("length", {-1.0}), std::invalid_argument);
  EXPECT_THROW(g.set_edge_attribute("speed", {std::numeric_limits<double>::infinity()}), std::invalid_argument);
  EXPECT_THROW(g.set_node_attribute("x", {1.0, 2.0}), std::invalid_argument);
  EXPECT_THROW(g.node_attribute("population"), std::invalid_argument);
}

// NaN is a missing value: stored, but refused by what models read (get()).
TEST(Graph, MissingValuesAndTypedColumns) {
  Graph g = Graph::from_edges(3, std::vector<vertex_t>{0, 1}, std::vector<vertex_t>{1, 2}, false);
  g.set_edge_attribute("speed", {13.9, std::nan("")});
  EXPECT_EQ(g.edge_attributes().missing("speed"), 1u);
  EXPECT_TRUE(std::isnan(g.edge_attributes().values("speed")[1]));
  try {
    g.edge_attribute("speed");
    FAIL() << "a column with a missing value reached a model";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'speed' has 1 missing values (NaN), the first at edge 1"), std::string::npos);
  }
  Graph h = g.with_edge_attribute("highway", {1.0, 0.0}, AttributeType::category, {"primary", "residential"});
  EXPECT_EQ(h.edge_attributes().categories("highway")[1], "residential");
  EXPECT_THROW(h.edge_attribute("highway"), std::invalid_argument);  // strings are not numbers
  EXPECT_THROW(g.with_edge_attribute("highway", {2.0, 0.0}, AttributeType::category, {"a", "b"}),
               std::invalid_argument);  // code 2 of 2 categories
  EXPECT_THROW(g.with_node_attribute("floors", {1.0, 2.5, 3.0}, AttributeType::int64), std::invalid_argument);
  EXPECT_THROW(g.with_node_attribute("lit", {1.0, 2.0, 0.0}, AttributeType::boolean), std::invalid_argument);
}

TEST(Graph, AttributeCopiesShareTopology) {
  Graph g = Graph::from_edges(2, std::vector<vertex_t>{0}, std::vector<vertex_t>{1}, false);
  Graph h = g.with_edge_attribute("length", {2.5});
  EXPECT_TRUE(h.shares_topology_with(g));
  EXPECT_FALSE(g.edge_attributes().has("length"));
  EXPECT_DOUBLE_EQ(h.edge_attribute("length")[0], 2.5);
}

TEST(Components, MatchBoostOnRandomGraph) {
  Graph g = generators::erdos_renyi_gnp(20000, 0.9 / 20000, 3);
  const Components c = connected_components(g);
  std::vector<vertex_t> boost_label(g.num_vertices());
  const bgl::UndirectedView view(g);
  const int count = boost::connected_components(view, boost_label.data());
  ASSERT_EQ(static_cast<std::uint32_t>(count), c.count);
  // Same partition: the label maps must be a bijection.
  std::vector<std::int64_t> map(c.count, -1);
  for (vertex_t v = 0; v < g.num_vertices(); ++v) {
    if (map[c.label[v]] < 0) map[c.label[v]] = boost_label[v];
    ASSERT_EQ(map[c.label[v]], boost_label[v]);
  }
  std::uint64_t total = 0;
  for (auto s : c.size) total += s;
  EXPECT_EQ(total, g.num_vertices());
}

TEST(Paths, DijkstraByHand) {
  // 0 -1- 1 -1- 2, plus a heavy shortcut 0 -5- 2, and an isolated vertex 3.
  Graph g = Graph::from_edges(4, std::vector<vertex_t>{0, 1, 0}, std::vector<vertex_t>{1, 2, 2}, false);
  const std::vector<double> w{1.0, 1.0, 5.0};
  const ShortestPaths sp = dijkstra(g, 0, w);
  EXPECT_DOUBLE_EQ(sp.distance[2], 2.0);
  EXPECT_EQ(sp.predecessor[2], 1);
  EXPECT_EQ(sp.predecessor[0], -1);
  EXPECT_TRUE(std::isinf(sp.distance[3]));
  EXPECT_EQ(sp.predecessor[3], -1);
  const std::vector<vertex_t> sources{2, 0};
  const auto d = distance_matrix(g, sources, w);
  EXPECT_DOUBLE_EQ(d[0 * 4 + 0], 2.0);
  EXPECT_DOUBLE_EQ(d[1 * 4 + 2], 2.0);
  const std::vector<double> bad{1.0, -1.0, 1.0};
  EXPECT_THROW(dijkstra(g, 0, bad), std::invalid_argument);
}

TEST(Paths, ApiMatchesDirectBoostCallOnRandomGeometricGraph) {
  Graph g = generators::random_geometric(20000, 0.012, 8);
  const auto w = g.edge_attribute("length");
  const ShortestPaths ours = dijkstra(g, 17, w);
  std::vector<double> dist(g.num_vertices());
  std::vector<vertex_t> pred(g.num_vertices());
  boost::dijkstra_shortest_paths_no_color_map(
      bgl::DirectedView(g), vertex_t{17},
      boost::weight_map(bgl::EdgeMap{w.data()}).distance_map(dist.data()).predecessor_map(pred.data())
          .vertex_index_map(boost::typed_identity_property_map<vertex_t>())
          .distance_inf(std::numeric_limits<double>::infinity()));
  for (vertex_t v = 0; v < g.num_vertices(); ++v) ASSERT_EQ(ours.distance[v], dist[v]) << v;
}
