#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "urbplex/core/hierarchy.hpp"
#include "urbplex/generators/lattice.hpp"

using namespace urbplex;

namespace {
Graph lattice_with_population(std::uint32_t L) {
  Graph g = generators::square_lattice(L, L);
  std::vector<double> pop(g.num_vertices());
  std::iota(pop.begin(), pop.end(), 1.0);
  g.set_node_attribute("population", pop);
  g.set_edge_attribute("capacity", std::vector<double>(g.num_edges(), 100.0));
  return g;
}
}  // namespace

TEST(Hierarchy, GridPyramidOnLattice) {
  Graph g = lattice_with_population(8);
  Hierarchy h = Hierarchy::grid_pyramid(g, 2.0, 2);
  ASSERT_EQ(h.num_levels(), 3u);
  EXPECT_EQ(h.level(1).num_vertices(), 16u);  // 4 x 4 blocks of 2 x 2 sites
  EXPECT_EQ(h.level(2).num_vertices(), 4u);
  EXPECT_EQ(h.level(1).num_edges(), 24u);      // a 4 x 4 lattice
  EXPECT_EQ(h.level(2).num_edges(), 4u);       // a 2 x 2 lattice
  // Two 2x2 blocks side by side are joined by 2 lattice edges; 4x4 blocks by 4.
  for (double mult : h.level(1).edge_attribute("multiplicity")) EXPECT_DOUBLE_EQ(mult, 2.0);
  for (double mult : h.level(2).edge_attribute("multiplicity")) EXPECT_DOUBLE_EQ(mult, 4.0);
  for (double cap : h.level(2).edge_attribute("capacity")) EXPECT_DOUBLE_EQ(cap, 400.0);
  for (double mem : h.level(2).node_attribute("members")) EXPECT_DOUBLE_EQ(mem, 16.0);
  h.check();
  const auto p1 = h.level(1).node_attribute("population");
  EXPECT_DOUBLE_EQ(std::accumulate(p1.begin(), p1.end(), 0.0), 64.0 * 65 / 2);
  // Block (0,0) holds sites 0, 1, 8, 9 with populations 1, 2, 9, 10:
  // total 22 and population-weighted centroid x = (0*1+1*2+0*9+1*10)/22.
  EXPECT_DOUBLE_EQ(p1[0], 22.0);
  EXPECT_DOUBLE_EQ(h.level(1).node_attribute("x")[0], 12.0 / 22.0);
}

TEST(Hierarchy, LiftProjectAndLabels) {
  Graph g = lattice_with_population(4);
  Hierarchy h(g);
  std::vector<std::uint64_t> labels(16);
  for (std::uint32_t v = 0; v < 16; ++v) labels[v] = (v % 4 < 2) ? 70 : 10;  // left / right halves
  h.add_level(labels);
  ASSERT_EQ(h.level(1).num_vertices(), 2u);
  EXPECT_EQ(h.parent(0)[0], 1u);  // label 70 sorts after 10
  std::vector<double> ones(16, 1.0);
  const auto up = h.lift(ones, 0, 1);
  EXPECT_EQ(up, (std::vector<double>{8.0, 8.0}));
  const auto mean = h.lift(ones, 0, 1, Aggregate::Mean);
  EXPECT_EQ(mean, (std::vector<double>{1.0, 1.0}));
  const std::vector<double> top{3.0, 5.0};
  const auto down = h.project(top, 1, 0);
  EXPECT_DOUBLE_EQ(down[0], 5.0);
  EXPECT_DOUBLE_EQ(down[3], 3.0);
  std::vector<std::uint64_t> wrong(3);
  EXPECT_THROW(h.add_level(wrong), std::invalid_argument);
  EXPECT_THROW(h.level(5), std::invalid_argument);
}

TEST(Hierarchy, FromPartsRejectsBrokenMaps) {
  Graph g = lattice_with_population(2);
  Graph c = Graph::from_edges(2, std::vector<vertex_t>{0}, std::vector<vertex_t>{1}, false);
  std::vector<std::vector<std::uint32_t>> parents{{0, 0, 0, 0}};  // node 1 of the top has no members
  EXPECT_THROW(Hierarchy::from_parts({g, c}, parents, {{"base", 0}, {"labels", 0}}), std::invalid_argument);
}
