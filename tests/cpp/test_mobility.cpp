#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "urbplex/core/rng.hpp"
#include "urbplex/mobility/alias.hpp"
#include "urbplex/mobility/epr.hpp"
#include "urbplex/mobility/flows.hpp"
#include "urbplex/mobility/locations.hpp"
#include "urbplex/mobility/spatial_index.hpp"

using namespace urbplex;
using namespace urbplex::mobility;

TEST(Mobility, HaversineAndDistanceKernel) {
  // Paris (Notre-Dame) to London (Charing Cross): 343.5 km on the mean-radius sphere.
  const std::vector<double> x{2.3499, -0.1247}, y{48.8530, 51.5080}, m{1, 1};
  const Locations geo{x, y, m, Metric::haversine};
  EXPECT_NEAR(geo.distance(0, 1), 343.5, 1.0);
  const DistanceKernel k(geo);
  EXPECT_NEAR(k.distance(0, 1), geo.distance(0, 1), 1e-9);
  const std::vector<double> px{0, 3}, py{0, 4};
  const Locations plane{px, py, m, Metric::euclidean};
  EXPECT_DOUBLE_EQ(plane.distance(0, 1), 5.0);
  EXPECT_DOUBLE_EQ(DistanceKernel(plane).distance(0, 1), 5.0);
}

TEST(Mobility, GridNearestWithFilterMatchesBruteForce) {
  Rng rng(11, 0);
  const int n = 2000;
  std::vector<double> x(n), y(n);
  for (int i = 0; i < n; ++i) x[i] = 100 * rng.uniform(), y[i] = 40 * rng.uniform();
  const GridIndex grid(x, y);
  for (int q = 0; q < 500; ++q) {
    const double qx = -50 + 200 * rng.uniform(), qy = -30 + 100 * rng.uniform();  // also outside the box
    auto accept = [&](std::uint32_t id) { return id % 3 != 0; };
    std::uint32_t best = UINT32_MAX;
    double bd = INFINITY;
    for (int i = 0; i < n; ++i) {
      const double d = std::hypot(x[i] - qx, y[i] - qy);
      if (accept(i) && d < bd) bd = d, best = i;
    }
    ASSERT_EQ(grid.nearest(qx, qy, accept), best) << "query " << q;
  }
  EXPECT_EQ(grid.nearest(1, 1, [](std::uint32_t) { return false; }), UINT32_MAX);
}

TEST(Mobility, AliasTableFrequencies) {
  const std::vector<double> w{1, 0, 3, 6};
  std::vector<float> prob(4);
  std::vector<std::uint32_t> alias(4);
  ASSERT_TRUE(build_alias(w, prob, alias));
  Rng rng(5, 0);
  std::vector<int> hits(4, 0);
  const int draws = 1'000'000;
  for (int i = 0; i < draws; ++i) ++hits[draw_alias(prob, alias, rng)];
  EXPECT_EQ(hits[1], 0);
  for (int i : {0, 2, 3}) EXPECT_NEAR(hits[i] / double(draws), w[i] / 10.0, 0.002);
  const std::vector<double> zero{0, 0};
  std::vector<float> p2(2);
  std::vector<std::uint32_t> a2(2);
  EXPECT_FALSE(build_alias(zero, p2, a2));
}

TEST(Mobility, RadiationRowsSumToOutflowsAndFurnessMeetsMargins) {
  Rng rng(3, 0);
  const int n = 60;
  std::vector<double> x(n), y(n), m(n), out(n);
  for (int i = 0; i < n; ++i) x[i] = rng.uniform(), y[i] = rng.uniform(), m[i] = 1 + 99 * rng.uniform(), out[i] = 2 * m[i];
  const Locations locs{x, y, m, Metric::euclidean};
  const FlowMatrix f = radiation_flows(locs, out, true);
  for (int i = 0; i < n; ++i) {
    double s = 0;
    for (int j = 0; j < n; ++j) s += f.dense[i * n + j];
    EXPECT_NEAR(s, out[i], 1e-10 * out[i]);
  }
  std::vector<double> w(f.dense);
  std::vector<double> cols(out.rbegin(), out.rend());
  furness(w, n, out, cols);
  for (int j = 0; j < n; ++j) {
    double s = 0;
    for (int i = 0; i < n; ++i) s += w[i * n + j];
    EXPECT_NEAR(s, cols[j], 1e-9 * cols[j]);
  }
  std::vector<double> neg(m);
  neg[4] = -1;
  EXPECT_THROW(radiation_flows(Locations{x, y, neg, Metric::euclidean}, out, true), std::invalid_argument);
}

TEST(Mobility, EprVisitCountsAddUpByRankAndByDiscovery) {
  Rng rng(5, 0);
  const int n = 400;
  std::vector<double> x(n), y(n), m(n, 1.0);
  for (int i = 0; i < n; ++i) x[i] = 50 * rng.uniform(), y[i] = 50 * rng.uniform();
  const Locations locs{x, y, m, Metric::euclidean};
  for (Exploration e : {Exploration::spatial, Exploration::density}) {
    EprParams p;
    p.exploration = e;
    EprOptions o;
    o.agents = 300, o.steps = 200, o.seed = 7, o.record = false;
    const EprResult r = simulate_epr(locs, p, o);
    std::uint64_t by_rank = 0, by_discovery = 0, distinct = 0;
    for (std::size_t k = 0; k < r.rank_visits.size(); ++k) {
      by_rank += r.rank_visits[k], by_discovery += r.discovery_visits[k];
      if (k > 0) {
        EXPECT_LE(r.rank_visits[k], r.rank_visits[k - 1]);  // sorted per agent, so summed too
      }
    }
    for (auto s : r.distinct) distinct += s;
    EXPECT_EQ(by_rank, std::uint64_t{300} * 201);
    EXPECT_EQ(by_discovery, by_rank);
    EXPECT_EQ(r.explorations + 300, distinct);  // every exploration finds a new place
    EXPECT_EQ(r.explorations + r.returns, std::uint64_t{300} * 200);
    // The most visited place collects at least the visits of the first one found.
    EXPECT_GE(r.rank_visits[0], r.discovery_visits[0]);
  }
}
