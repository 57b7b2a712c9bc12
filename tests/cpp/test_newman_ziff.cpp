#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <vector>

#include "urbplex/generators/lattice.hpp"
#include "urbplex/generators/random_graphs.hpp"
#include "urbplex/percolation/newman_ziff.hpp"

using namespace urbplex;
using namespace urbplex::percolation;
using V = std::vector<std::uint64_t>;

TEST(NewmanZiff, TriangleBondsByHand) {
  Graph k3 = Graph::from_edges(3, std::vector<vertex_t>{0, 1, 2}, std::vector<vertex_t>{1, 2, 0}, false);
  const std::vector<std::uint32_t> order{0, 1, 2};
  const Ensemble e = sweep_order(k3, Kind::Bond, order);
  EXPECT_EQ(e.largest, (V{1, 2, 3, 3}));
  EXPECT_EQ(e.second, (V{1, 1, 0, 0}));
  EXPECT_EQ(e.clusters, (V{3, 2, 1, 1}));
  EXPECT_EQ(e.finite_sq, (V{2, 1, 0, 0}));  // sum of s^2 over all but the largest
}

TEST(NewmanZiff, SquareSitesByHand) {
  // Cycle 0-1-2-3-0, sites added in the order 0, 2, 1, 3.
  Graph c4 = Graph::from_edges(4, std::vector<vertex_t>{0, 1, 2, 3}, std::vector<vertex_t>{1, 2, 3, 0}, false);
  const std::vector<std::uint32_t> order{0, 2, 1, 3};
  const Ensemble e = sweep_order(c4, Kind::Site, order);
  EXPECT_EQ(e.largest, (V{0, 1, 1, 3, 4}));
  EXPECT_EQ(e.second, (V{0, 0, 1, 0, 0}));
  EXPECT_EQ(e.clusters, (V{0, 1, 2, 1, 1}));
  EXPECT_EQ(e.finite_sq, (V{0, 0, 1, 0, 0}));
  const std::vector<std::uint32_t> bad{0, 0};
  EXPECT_THROW(sweep_order(c4, Kind::Site, bad), std::invalid_argument);
}

TEST(NewmanZiff, WrappingOnATorus) {
  Graph t = generators::square_lattice(3, 3, true);
  // Horizontal edge of (x, y) has id 2(y*3 + x): the three of row 0 close a horizontal loop.
  const std::vector<std::uint32_t> order{0, 2, 4};
  const Ensemble e = sweep_order(t, Kind::Bond, order, {3, 3});
  EXPECT_EQ(e.wrap_h, (V{0, 0, 0, 1}));
  EXPECT_EQ(e.wrap_v, (V{0, 0, 0, 0}));
  // A closed loop that does not wrap: the square 0-1-4-3.
  const std::vector<std::uint32_t> square{0, 3, 1, 6};  // (0,1) (1,4) (0,3) (3,4)
  const Ensemble f = sweep_order(t, Kind::Bond, square, {3, 3});
  EXPECT_EQ(f.wrap_h, (V{0, 0, 0, 0, 0}));
  EXPECT_EQ(f.largest.back(), 4u);
}

TEST(NewmanZiff, EnsembleIsThreadCountInvariant) {
  Graph g = generators::erdos_renyi_gnp(20000, 3.0 / 20000, 5);
  omp_set_num_threads(1);
  const Ensemble a = sweep_ensemble(g, Kind::Site, 16, 99);
  omp_set_num_threads(2);
  const Ensemble b = sweep_ensemble(g, Kind::Site, 16, 99);
  EXPECT_EQ(a.largest, b.largest);
  EXPECT_EQ(a.second, b.second);
  EXPECT_EQ(a.finite_sq, b.finite_sq);
  EXPECT_EQ(a.realizations, 16u);
}

TEST(NewmanZiff, CanonicalConvolution) {
  // Q_k = k: the canonical mean is N p exactly.
  std::vector<double> q(1001);
  for (std::size_t k = 0; k < q.size(); ++k) q[k] = static_cast<double>(k);
  const std::vector<double> p{0.0, 0.001, 0.3, 0.5, 0.999, 1.0};
  const auto c = canonical(q, p);
  for (std::size_t i = 0; i < p.size(); ++i) EXPECT_NEAR(c[i], 1000 * p[i], 1e-9 * 1000);
  // Q_k = k^2: N p (1 - p) + (N p)^2.
  for (std::size_t k = 0; k < q.size(); ++k) q[k] = static_cast<double>(k) * k;
  const auto c2 = canonical(q, std::vector<double>{0.3});
  EXPECT_NEAR(c2[0], 1000 * 0.3 * 0.7 + 300.0 * 300.0, 1e-6);
}
