// ShortestPathTree (Dijkstra with a radix heap on the bits of doubles) gives
// exactly Bellman-Ford's distances on random networks with ties, zero-cost
// arcs and costs over many orders of magnitude, never passes through a node
// that is not passable, and settles nodes in non-decreasing distance.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "urbplex/routing/shortest_path_tree.hpp"

namespace rt = urbplex::routing;

namespace {

// Bellman-Ford over the forward star's arcs, with the same passability rule.
std::vector<double> bellman_ford(const rt::ForwardStar& fs, const std::vector<double>& cost, std::uint32_t source) {
  std::vector<double> d(fs.n, std::numeric_limits<double>::infinity());
  d[source] = 0;
  for (bool changed = true; changed;) {
    changed = false;
    for (std::uint32_t v = 0; v < fs.n; ++v) {
      if (!std::isfinite(d[v]) || (v != source && !fs.passable[v])) continue;
      for (std::uint32_t e = fs.off[v]; e < fs.off[v + 1]; ++e)
        if (d[v] + cost[e] < d[fs.head[e]]) d[fs.head[e]] = d[v] + cost[e], changed = true;
    }
  }
  return d;
}

}  // namespace

TEST(ShortestPathTree, EqualsBellmanFordOnRandomNetworks) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 40; ++trial) {
    const std::uint32_t n = 50 + trial * 10, zones = trial % 3 == 0 ? 0 : 8;
    std::vector<std::uint32_t> from, to;
    std::uniform_int_distribution<std::uint32_t> node(0, n - 1);
    for (std::uint32_t k = 0; k < 4 * n; ++k) {
      const auto a = node(rng), b = node(rng);
      if (a != b) from.push_back(a), to.push_back(b);
    }
    const rt::ForwardStar fs(n, from, to, zones);
    std::vector<double> cost(fs.link.size());
    for (auto& c : cost) {
      switch (rng() % 4) {
        case 0: c = static_cast<double>(rng() % 4); break;              // small integers: ties, zeros
        case 1: c = std::ldexp(static_cast<double>(rng() % 1000), -40); break;  // tiny
        case 2: c = std::ldexp(static_cast<double>(rng() % 1000), 30); break;   // huge
        default: c = std::uniform_real_distribution<double>(0, 10)(rng);
      }
    }
    rt::ShortestPathTree tree;
    for (std::uint32_t s = 0; s < n; s += 7) {
      tree.grow(fs, cost, s);
      const auto expected = bellman_ford(fs, cost, s);
      for (std::uint32_t v = 0; v < n; ++v) {
        ASSERT_EQ(tree.dist[v], expected[v]) << "trial " << trial << " source " << s << " node " << v;
        if (v == s || !std::isfinite(tree.dist[v])) {
          EXPECT_EQ(tree.pred[v], rt::ShortestPathTree::kNone);
          continue;
        }
        const std::uint32_t e = tree.pred[v];
        ASSERT_NE(e, rt::ShortestPathTree::kNone);
        EXPECT_EQ(fs.head[e], v);
        EXPECT_EQ(tree.dist[fs.tail[e]] + cost[e], tree.dist[v]);
        EXPECT_TRUE(fs.tail[e] == s || fs.passable[fs.tail[e]]);
      }
      std::size_t reached = 0;
      for (std::uint32_t v = 0; v < n; ++v) reached += std::isfinite(tree.dist[v]);
      ASSERT_EQ(tree.order.size(), reached);  // each reached node settled once
      for (std::size_t i = 1; i < tree.order.size(); ++i)
        ASSERT_LE(tree.dist[tree.order[i - 1]], tree.dist[tree.order[i]]);
    }
  }
}
