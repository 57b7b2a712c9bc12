#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <vector>

#include "urbplex/core/binomial.hpp"
#include "urbplex/core/rng.hpp"
#include "urbplex/generators/random_graphs.hpp"
#include "urbplex/generators/spatial.hpp"

using namespace urbplex;

TEST(Rng, StreamsAreKeyedBySeedAndEntity) {
  Rng a(7, 3), b(7, 3), c(7, 4), d(8, 3);
  const auto x = a();
  EXPECT_EQ(x, b());
  EXPECT_NE(x, c());
  EXPECT_NE(x, d());
}

TEST(Rng, UniformMomentsAndBounded) {
  Rng r(1, 0);
  const int n = 1'000'000;
  double s = 0, s2 = 0;
  for (int i = 0; i < n; ++i) {
    const double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    s += u;
    s2 += u * u;
  }
  EXPECT_NEAR(s / n, 0.5, 0.002);                 // sd of the mean ~ 0.0003
  EXPECT_NEAR(s2 / n - 0.25, 1.0 / 12, 0.001);
  std::vector<int> counts(7, 0);
  for (int i = 0; i < 700'000; ++i) ++counts[r.below(7)];
  for (int c : counts) EXPECT_NEAR(c, 100'000, 1500);  // ~ 5 sd
}

TEST(Rng, GeometricMean) {
  Rng r(2, 0);
  const double p = 0.1;
  double s = 0;
  const int n = 200'000;
  for (int i = 0; i < n; ++i) s += static_cast<double>(r.geometric(p));
  EXPECT_NEAR(s / n, (1 - p) / p, 0.1);  // sd of the mean ~ 0.021
}

// The point of counter-based streams: output independent of the thread count.
TEST(Rng, GeneratorsAreThreadCountInvariant) {
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  Graph a = generators::erdos_renyi_gnp(100000, 5e-5, 11);
  Graph ga = generators::random_geometric(50000, 0.01, 11);
  omp_set_num_threads(2);
  Graph b = generators::erdos_renyi_gnp(100000, 5e-5, 11);
  Graph gb = generators::random_geometric(50000, 0.01, 11);
  omp_set_num_threads(saved);
  ASSERT_EQ(a.num_edges(), b.num_edges());
  EXPECT_TRUE(std::equal(a.edge_sources().begin(), a.edge_sources().end(), b.edge_sources().begin()));
  EXPECT_TRUE(std::equal(a.edge_targets().begin(), a.edge_targets().end(), b.edge_targets().begin()));
  ASSERT_EQ(ga.num_edges(), gb.num_edges());
  EXPECT_TRUE(std::equal(ga.edge_targets().begin(), ga.edge_targets().end(), gb.edge_targets().begin()));
}

// draw_binomial against the exact pmf: inversion (small means) and the
// library's rejection method (large means), and the flip for p > 1/2.
TEST(Binomial, MatchesThePmfForSmallAndLargeMeans) {
  for (auto [n, p] : {std::pair<std::uint64_t, double>{40, 0.05}, {200, 0.002}, {5000, 0.00002}, {1000, 0.009}, {1000, 0.012}, {30, 0.9}, {5000, 0.3},
                      {60, 0.5}, {100000, 0.999}}) {
    urbplex::Rng rng(11, n);
    const int draws = 200000;
    std::vector<double> hist(n + 1, 0.0);
    double sum = 0, squares = 0;
    for (int d = 0; d < draws; ++d) {
      const auto k = urbplex::draw_binomial(rng, n, p);
      ASSERT_LE(k, n);
      hist[k] += 1, sum += k, squares += double(k) * k;
    }
    const double mean = sum / draws, var = squares / draws - mean * mean;
    EXPECT_NEAR(mean, n * p, 5 * std::sqrt(n * p * (1 - p) / draws));
    EXPECT_NEAR(var / (n * p * (1 - p)), 1.0, 0.02);
    // chi-square over the cells with expected count >= 20
    double chi2 = 0;
    int cells = 0;
    for (std::uint64_t k = 0; k <= n; ++k) {
      const double logp = std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) +
                          k * std::log(p) + (n - k) * std::log1p(-p);
      const double e = draws * std::exp(logp);
      if (e < 20) continue;
      chi2 += (hist[k] - e) * (hist[k] - e) / e, ++cells;
    }
    EXPECT_LT(chi2, cells + 5 * std::sqrt(2.0 * cells)) << n << " " << p;
  }
}
