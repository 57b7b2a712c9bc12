#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "urbplex/core/rng.hpp"
#include "urbplex/percolation/binomial_windows.hpp"
#include "urbplex/percolation/explosive.hpp"
#include "urbplex/percolation/k_core.hpp"
#include "urbplex/percolation/newman_ziff.hpp"

using namespace urbplex;
using namespace urbplex::percolation;

TEST(KCore, PrunesAPathAndKeepsACycle) {
  // Triangle 0-1-2 with a tail 2-3-4: the 2-core is the triangle.
  Graph g = Graph::from_edges(5, std::vector<vertex_t>{0, 1, 2, 2, 3}, std::vector<vertex_t>{1, 2, 0, 3, 4}, false);
  EXPECT_EQ(k_core_members(g, 2), (std::vector<std::uint8_t>{1, 1, 1, 0, 0}));
  EXPECT_EQ(k_core_members(g, 3), (std::vector<std::uint8_t>{0, 0, 0, 0, 0}));
  // Removing any triangle vertex destroys the 2-core; removing a tail vertex does not.
  const std::vector<double> p{0.0, 1.0};
  const KCoreEnsemble e = k_core_ensemble(g, 2, 50, 7, p);
  EXPECT_EQ(e.core[5], 50u * 3);
  EXPECT_EQ(e.core[0], 0u);
  EXPECT_EQ(e.core[2], 0u);  // two vertices cannot hold a 2-core
  for (std::uint64_t r = 0; r < 50; ++r) {
    EXPECT_EQ(e.jump[r], 3u);
    EXPECT_DOUBLE_EQ(e.canonical_core[r * 2 + 1], 3.0);
    EXPECT_DOUBLE_EQ(e.canonical_core[r * 2 + 0], 0.0);
  }
}

TEST(KCore, SelfLoopsDoNotCountParallelEdgesDo) {
  Graph loop = Graph::from_edges(2, std::vector<vertex_t>{0, 0}, std::vector<vertex_t>{0, 1}, false);
  EXPECT_EQ(k_core_members(loop, 2), (std::vector<std::uint8_t>{0, 0}));
  Graph twice = Graph::from_edges(2, std::vector<vertex_t>{0, 0}, std::vector<vertex_t>{1, 1}, false);
  EXPECT_EQ(k_core_members(twice, 2), (std::vector<std::uint8_t>{1, 1}));
}

TEST(BinomialWindows, EqualTheCanonicalTransform) {
  Rng rng(3, 0);
  std::vector<double> micro(5001);
  for (double& x : micro) x = rng.uniform();
  const std::vector<double> p{0.0, 1e-4, 0.3, 0.5, 0.77, 0.9999, 1.0};
  const std::vector<double> want = canonical(micro, p);
  std::vector<double> got(p.size(), 0.0);
  BinomialWindows(5000, p).add(std::span<const double>(micro), got.data());
  for (std::size_t i = 0; i < p.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12) << "p = " << p[i];
}

TEST(Explosive, EveryRuleEndsInOneClusterOnAConnectedGraph) {
  Graph c = Graph::from_edges(6, std::vector<vertex_t>{0, 1, 2, 3, 4, 5}, std::vector<vertex_t>{1, 2, 3, 4, 5, 0}, false);
  for (auto rule : {AchlioptasRule::product, AchlioptasRule::sum, AchlioptasRule::erdos_renyi}) {
    const ExplosiveEnsemble e = explosive_graph(c, rule, 20, 1);
    ASSERT_EQ(e.largest.size(), 7u);
    EXPECT_EQ(e.largest[0], 20u);
    EXPECT_EQ(e.largest[1], 40u);  // the first edge always joins two singletons
    EXPECT_EQ(e.largest[5], 120u);  // five edges of a 6-cycle span it
    EXPECT_EQ(e.largest[6], 120u);
  }
}

TEST(Explosive, ProductRuleDelaysTheGiantCluster) {
  // At t = 0.6 edges per vertex Erdos-Renyi's giant holds ~31% of the
  // vertices (S = 1 - exp(-1.2 S)); the product rule has none yet (t_c = 0.888).
  const ExplosiveEnsemble pr = explosive_complete(20000, 12000, AchlioptasRule::product, 4, 11);
  const ExplosiveEnsemble er = explosive_complete(20000, 12000, AchlioptasRule::erdos_renyi, 4, 11);
  EXPECT_NEAR(er.largest[12000] / (4.0 * 20000), 0.3137, 0.03);
  EXPECT_LT(pr.largest[12000] / (4.0 * 20000), 0.01);
}
