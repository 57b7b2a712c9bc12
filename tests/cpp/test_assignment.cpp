// Static assignment from C++: Algorithm B and bi-conjugate Frank-Wolfe reach
// the analytic equilibrium of two parallel routes, also with a LinkCost
// plugged in by the user (the extension point of link_cost.hpp).
#include <gtest/gtest.h>

#include <vector>

#include "urbplex/routing/assignment.hpp"

namespace rt = urbplex::routing;

namespace {

// Linear cost t0 + s x: an exact equilibrium by hand.
class LinearCost final : public rt::LinkCost {
 public:
  LinearCost(std::vector<double> t0, std::vector<double> slope) : t0_(std::move(t0)), s_(std::move(slope)) {}
  double cost(std::size_t l, double x) const override { return t0_[l] + s_[l] * x; }
  double derivative(std::size_t l, double) const override { return s_[l]; }
  double integral(std::size_t l, double x) const override { return t0_[l] * x + s_[l] * x * x / 2; }

 private:
  std::vector<double> t0_, s_;
};

struct TwoRoutes {
  // 0 -> 1 directly, or 0 -> 2 -> 1.
  std::vector<std::uint32_t> from{0, 0, 2}, to{1, 2, 1};
  std::vector<double> cap{100, 200, 200}, fft{10, 5, 5}, alpha{1, 1, 1}, beta{1, 1, 1};
  std::vector<std::uint32_t> origin{0}, destination{1};
  std::vector<std::uint64_t> offsets{0, 1};
  std::vector<double> trips{300};
  rt::Network net() const { return {3, 0, from, to, cap, fft, alpha, beta}; }
  rt::Demand demand() const { return {origin, offsets, destination, trips}; }
};

}  // namespace

TEST(Assignment, AlgorithmBAndFrankWolfeReachTheAnalyticSplit) {
  // Direct: 10 (1 + x/100); via 2: 2 * 5 (1 + y/200). Equal at 10 + x/10 = 10 + y/20, x + y = 300.
  const TwoRoutes t;
  for (auto method : {rt::Method::algorithm_b, rt::Method::biconjugate}) {
    rt::AssignmentOptions o;
    o.method = method;
    o.gap = 1e-12;
    o.max_iterations = 10000;
    const auto r = rt::assign(t.net(), t.demand(), o);
    EXPECT_NEAR(r.flow[0], 100.0, 1e-6);
    EXPECT_NEAR(r.flow[1], 200.0, 1e-6);
    EXPECT_EQ(r.gaps.size(), r.seconds.size());
  }
}

TEST(Assignment, AUserLinkCostIsUsed) {
  const TwoRoutes t;
  const LinearCost linear({11, 1, 1}, {0.2, 0.05, 0.05});  // 11 + 0.2 x = 2 + 0.1 y, x + y = 300: x = 70
  rt::Network net = t.net();
  net.link_cost = &linear;
  rt::AssignmentOptions o;
  o.method = rt::Method::algorithm_b;
  o.gap = 1e-13;
  const auto r = rt::assign(net, t.demand(), o);
  EXPECT_NEAR(r.flow[0], 70.0, 1e-7);
  EXPECT_NEAR(r.flow[2], 230.0, 1e-7);
  EXPECT_NEAR(r.beckmann, 11 * 70 + 0.1 * 70 * 70 + 2 * (230 + 0.05 * 230 * 230 / 2), 1e-6);
}
