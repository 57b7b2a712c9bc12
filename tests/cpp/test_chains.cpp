// Chains of links through pass-through nodes are found as such (one-way and
// two-way streets, a loop back to its start, a ring with no stop) and
// assigning them as single links gives the equilibrium of the full network.
#include <gtest/gtest.h>

#include <vector>

#include "../../src/routing/chains.hpp"
#include "urbplex/routing/assignment.hpp"

namespace rt = urbplex::routing;

namespace {

// Zones 0 and 1 (first thru node 2). Route A: one-way street 0 -> 2 -> 3 -> 1.
// Route B: two-way street 0 - 4 - 5 - 1. Route C: 0 -> 6 -> 1 with node 6 also
// reaching 7 (not a pass-through node: three links). Elsewhere: a loop
// 8 -> 9 -> 10 -> 8 from node 8 (8 also linked both ways to 11), and a ring
// 12 -> 13 -> 14 -> 12 of pass-through nodes only.
struct Streets {
  std::vector<std::uint32_t> from{0, 2, 3, 0, 4, 4, 5, 5, 1, 0, 6, 6, 8, 9, 10, 8, 11, 12, 13, 14};
  std::vector<std::uint32_t> to{2, 3, 1, 4, 0, 5, 4, 1, 5, 6, 1, 7, 9, 10, 8, 11, 8, 13, 14, 12};
  std::vector<double> cap, fft, alpha, beta;
  std::vector<std::uint32_t> origin{0, 1}, destination{1, 0};
  std::vector<std::uint64_t> offsets{0, 1, 2};
  std::vector<double> trips{900, 400};
  Streets() : cap(from.size()), fft(from.size()), alpha(from.size(), 0.15), beta(from.size(), 4.0) {
    for (std::size_t l = 0; l < from.size(); ++l) cap[l] = 150.0 + 37.0 * (l % 5), fft[l] = 1.0 + 0.3 * (l % 7);
  }
  rt::Network net() const { return {15, 2, from, to, cap, fft, alpha, beta}; }
  rt::Demand demand() const { return {origin, offsets, destination, trips}; }
};

}  // namespace

TEST(Chains, OneWayTwoWayLoopAndRing) {
  const Streets s;
  const auto c = rt::detail::find_chains(s.net(), s.demand());
  // Pass-through: 2, 3 (one-way), 4, 5 (two-way), 9, 10 (loop), 12, 13, 14 (ring); not 6, 7, 8, 11.
  EXPECT_EQ(c.pass_through, 9u);
  auto chain = [&](std::uint32_t link) {
    const auto k = c.chain_of[link];
    return std::vector<std::uint32_t>(c.links.begin() + c.offset[k], c.links.begin() + c.offset[k + 1]);
  };
  EXPECT_EQ(chain(1), (std::vector<std::uint32_t>{0, 1, 2}));   // 0 -> 2 -> 3 -> 1
  EXPECT_EQ(chain(5), (std::vector<std::uint32_t>{3, 5, 7}));   // 0 -> 4 -> 5 -> 1
  EXPECT_EQ(chain(6), (std::vector<std::uint32_t>{8, 6, 4}));   // 1 -> 5 -> 4 -> 0
  EXPECT_EQ(chain(10), (std::vector<std::uint32_t>{10}));       // 6 -> 1: 6 is not a pass-through node
  EXPECT_EQ(chain(13), (std::vector<std::uint32_t>{13}));       // the loop's links stay links
  EXPECT_EQ(chain(18), (std::vector<std::uint32_t>{18}));       // so do the ring's
  for (std::uint32_t l = 0; l < s.from.size(); ++l) {  // every link in exactly one chain
    const auto k = c.chain_of[l];
    std::size_t hits = 0;
    for (auto i = c.offset[k]; i < c.offset[k + 1]; ++i) hits += c.links[i] == l;
    EXPECT_EQ(hits, 1u) << "link " << l;
  }
  EXPECT_EQ(c.links.size(), s.from.size());
}

TEST(Chains, ContractedAssignmentIsTheSameEquilibrium) {
  const Streets s;
  for (auto method : {rt::Method::algorithm_b, rt::Method::biconjugate}) {
    rt::AssignmentOptions o;
    o.method = method;
    o.gap = method == rt::Method::algorithm_b ? 1e-12 : 1e-9;
    o.max_iterations = 100000;
    o.contract_chains = false;
    const auto full = rt::assign(s.net(), s.demand(), o);
    o.contract_chains = true;
    const auto contracted = rt::assign(s.net(), s.demand(), o);
    ASSERT_EQ(contracted.flow.size(), s.from.size());
    for (std::size_t l = 0; l < s.from.size(); ++l) {
      EXPECT_NEAR(contracted.flow[l], full.flow[l], 1e-6 * 900) << "link " << l;
      EXPECT_NEAR(contracted.cost[l], full.cost[l], 1e-9 * full.cost[l] + 1e-9) << "link " << l;
    }
    for (auto l : {0, 1, 2}) EXPECT_EQ(contracted.flow[l], contracted.flow[0]);  // one chain, one flow
    EXPECT_NEAR(contracted.tstt, full.tstt, 1e-9 * full.tstt);
    EXPECT_NEAR(contracted.beckmann, full.beckmann, 1e-9 * full.beckmann);
    EXPECT_GT(full.flow[0], 100.0);  // all three routes used: a real split
    EXPECT_GT(full.flow[3], 100.0);
    EXPECT_GT(full.flow[9], 100.0);
  }
}
