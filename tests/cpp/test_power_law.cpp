#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "urbplex/scaling/power_law.hpp"

using namespace urbplex::scaling;

TEST(PowerLaw, HurwitzZetaKnownValues) {
  EXPECT_NEAR(hurwitz_zeta(2.0, 1.0), M_PI * M_PI / 6, 1e-14);
  EXPECT_NEAR(hurwitz_zeta(4.0, 1.0), std::pow(M_PI, 4) / 90, 1e-14);
  EXPECT_NEAR(hurwitz_zeta(2.0, 0.5), M_PI * M_PI / 2, 1e-13);           // (2^s - 1) zeta(s)
  EXPECT_NEAR(hurwitz_zeta(3.0, 2.0), 1.2020569031595942 - 1.0, 1e-14);  // zeta(3) - 1
  // Euler-Maclaurin: q^{1-s}/(s-1) + q^{-s}/2 + s q^{-s-1}/12 + O(q^{-s-3})
  EXPECT_NEAR(hurwitz_zeta(1.5, 1e6), 2.0 / std::sqrt(1e6) + 0.5e-9 + 1.25e-16, 1e-15);
}

TEST(PowerLaw, ContinuousFitOnExactSample) {
  const auto x = sample_power_law(3.0, 2.0, false, 50000, 7);
  for (double v : x) ASSERT_GE(v, 2.0);
  FitOptions o;
  o.fixed_xmin = 2.0;
  const PowerLawFit f = fit_power_law(x, o);
  EXPECT_NEAR(f.alpha, 3.0, 4 * 2.0 / std::sqrt(50000.0));  // sd (alpha-1)/sqrt(n)
  EXPECT_EQ(f.n_tail, 50000u);
  EXPECT_LT(f.ks, 1.63 / std::sqrt(50000.0));  // KS 99% critical value
}

TEST(PowerLaw, DiscreteSamplesFollowThePmf) {
  const auto d = sample_power_law(2.2, 3.0, true, 200000, 9);
  std::uint64_t at3 = 0, at4 = 0;
  for (double v : d) {
    ASSERT_EQ(v, std::floor(v));
    ASSERT_GE(v, 3.0);
    at3 += v == 3.0;
    at4 += v == 4.0;
  }
  const double z = hurwitz_zeta(2.2, 3.0);
  EXPECT_NEAR(at3 / 200000.0, std::pow(3.0, -2.2) / z, 0.004);
  EXPECT_NEAR(at4 / 200000.0, std::pow(4.0, -2.2) / z, 0.004);
}

TEST(PowerLaw, BadInput) {
  const std::vector<double> neg{1.0, -2.0, 3.0};
  EXPECT_THROW(fit_power_law(neg), std::invalid_argument);
  const std::vector<double> frac{1.0, 2.5, 3.0};
  FitOptions o;
  o.discrete = true;
  EXPECT_THROW(fit_power_law(frac, o), std::invalid_argument);
  EXPECT_THROW(sample_power_law(1.0, 1.0, false, 10, 1), std::invalid_argument);
}
