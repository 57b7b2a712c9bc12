#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <cmath>
#include <set>
#include <vector>

#include "urbplex/core/components.hpp"
#include "urbplex/generators/lattice.hpp"
#include "urbplex/generators/random_graphs.hpp"
#include "urbplex/generators/spatial.hpp"

using namespace urbplex;
namespace gen = urbplex::generators;

TEST(Lattice, EdgeCounts) {
  EXPECT_EQ(gen::square_lattice(10, 7).num_edges(), 10u * 6 + 7u * 9);
  EXPECT_EQ(gen::square_lattice(10, 7, true).num_edges(), 2u * 70);
  EXPECT_EQ(gen::triangular_lattice(10, 10).num_edges(), 9u * 29);
  EXPECT_EQ(gen::triangular_lattice(10, 10, true).num_edges(), 300u);
  Graph t = gen::triangular_lattice(6, 6, true);
  for (vertex_t v = 0; v < t.num_vertices(); ++v) EXPECT_EQ(t.degree(v), 6u);
  EXPECT_THROW(gen::square_lattice(2, 5, true), std::invalid_argument);
}

TEST(Lattice, TriangularEdgesHaveUnitLength) {
  Graph t = gen::triangular_lattice(5, 5);
  const auto x = t.node_attribute("x"), y = t.node_attribute("y");
  for (std::uint64_t e = 0; e < t.num_edges(); ++e) {
    const auto u = t.edge_sources()[e], v = t.edge_targets()[e];
    EXPECT_NEAR(std::hypot(x[u] - x[v], y[u] - y[v]), 1.0, 1e-12);
  }
}

// Giant component of G(n, c/n): S = 1 - exp(-c S) (Erdos & Renyi 1960).
TEST(ErdosRenyi, GiantComponentMatchesTheory) {
  const std::uint32_t n = 1'000'000;
  for (const auto& [c, s_exact] : {std::pair{2.0, 0.796812}, std::pair{3.0, 0.940480}}) {
    Graph g = gen::erdos_renyi_gnp(n, c / (n - 1), 42);
    // Edge count: Binomial(n(n-1)/2, p), mean n c / 2, sd ~ sqrt(n c / 2).
    EXPECT_NEAR(static_cast<double>(g.num_edges()), n * c / 2, 5 * std::sqrt(n * c / 2));
    const Components comp = connected_components(g);
    EXPECT_NEAR(static_cast<double>(comp.size[comp.largest()]) / n, s_exact, 0.003);
  }
}

TEST(ErdosRenyi, GnmIsSimpleWithExactlyMEdges) {
  Graph g = gen::erdos_renyi_gnm(300, 20000, 5);
  EXPECT_EQ(g.num_edges(), 20000u);
  std::set<std::pair<vertex_t, vertex_t>> seen;
  for (std::uint64_t e = 0; e < g.num_edges(); ++e) {
    const auto u = g.edge_sources()[e], v = g.edge_targets()[e];
    EXPECT_LT(u, v);
    EXPECT_TRUE(seen.emplace(u, v).second);
  }
  EXPECT_EQ(gen::erdos_renyi_gnm(10, 45, 1).num_edges(), 45u);  // the complete graph
  EXPECT_THROW(gen::erdos_renyi_gnm(10, 46, 1), std::invalid_argument);
}

TEST(ConfigurationModel, KeepsTheDegreeSequence) {
  std::vector<std::uint32_t> deg(10000);
  for (std::size_t i = 0; i < deg.size(); ++i) deg[i] = 1 + static_cast<std::uint32_t>(i % 7);
  if (std::accumulate(deg.begin(), deg.end(), 0ull) % 2) ++deg[0];
  Graph g = gen::configuration_model(deg, 9);
  for (vertex_t v = 0; v < g.num_vertices(); ++v) EXPECT_EQ(g.degree(v), deg[v]);
  Graph s = gen::configuration_model(deg, 9, true);
  for (std::uint64_t e = 0; e < s.num_edges(); ++e) EXPECT_NE(s.edge_sources()[e], s.edge_targets()[e]);
  std::vector<std::uint32_t> odd{1, 2};
  EXPECT_THROW(gen::configuration_model(odd, 1), std::invalid_argument);
}

// BA degree distribution: P(k) = 2m(m+1) / (k(k+1)(k+2)), so P(m) = 2/(m+2)
// (Dorogovtsev, Mendes & Samukhin 2000; Bollobas et al. 2001).
TEST(BarabasiAlbert, DegreeDistribution) {
  const std::uint32_t n = 200000, m = 3;
  Graph g = gen::barabasi_albert(n, m, 4);
  EXPECT_EQ(g.num_edges(), 6u + (n - m - 1) * 3ull);
  std::uint64_t at_m = 0, at_m1 = 0;
  for (vertex_t v = 0; v < n; ++v) {
    at_m += g.degree(v) == m;
    at_m1 += g.degree(v) == m + 1;
  }
  EXPECT_NEAR(static_cast<double>(at_m) / n, 2.0 / (m + 2), 0.006);
  EXPECT_NEAR(static_cast<double>(at_m1) / n, 2.0 * m * (m + 1) / ((m + 1) * (m + 2) * (m + 3.0)), 0.006);
}

TEST(RandomGeometric, MatchesBruteForce) {
  const std::uint32_t n = 3000;
  const double r = 0.03;
  Graph g = gen::random_geometric(n, r, 17);
  const auto x = g.node_attribute("x"), y = g.node_attribute("y");
  std::set<std::pair<vertex_t, vertex_t>> brute, grid;
  for (vertex_t i = 0; i < n; ++i)
    for (vertex_t j = i + 1; j < n; ++j)
      if (std::hypot(x[i] - x[j], y[i] - y[j]) < r) brute.emplace(i, j);
  for (std::uint64_t e = 0; e < g.num_edges(); ++e) grid.emplace(g.edge_sources()[e], g.edge_targets()[e]);
  EXPECT_EQ(brute, grid);
  EXPECT_GT(brute.size(), 1000u);
}
