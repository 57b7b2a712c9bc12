// Power-law fits to empirical data (A. Clauset, C. R. Shalizi & M. E. J.
// Newman, "Power-law distributions in empirical data", SIAM Rev. 51, 661,
// 2009; "CSN" below).
//
// For each candidate x_min the tail x >= x_min gets its maximum-likelihood
// exponent (closed form for continuous data, CSN Eq. 3.1; numerical for
// discrete data, CSN Eq. 3.5 with the Hurwitz zeta function) and its
// Kolmogorov-Smirnov distance to the fitted law; x_min is the candidate with
// the smallest distance (CSN Sec. 3.3). Candidates run in parallel.
// The goodness-of-fit p-value is CSN's semi-parametric bootstrap (Sec. 4.1),
// in parallel over replicates with a Philox stream per replicate.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "urbplex/core/run_control.hpp"

namespace urbplex::scaling {

struct PowerLawFit {
  double alpha = 0.0;
  double xmin = 0.0;
  double ks = 0.0;            // KS distance of the tail to the fit
  double loglik = 0.0;        // log-likelihood of the tail
  std::uint64_t n_tail = 0;   // data points >= xmin
  std::uint64_t n = 0;        // all data points
  bool discrete = false;
};

// How the Kolmogorov-Smirnov distance of a continuous tail is taken.
//  two_sided: sup |S(x) - P(x)| over both sides of every step of the
//             empirical CDF S (CSN Eq. 3.9, the exact supremum).
//  plfit:     max |P(x_k) - (k-1)/m| at the sorted tail points, the one-sided
//             convention of Clauset's plfit.m, behind the published x_min of
//             CSN Table 6.1 for some continuous data (blackouts, cities).
// Discrete tails are compared at every integer, which is both at once.
enum class KsConvention { two_sided, plfit };

struct FitOptions {
  bool discrete = false;
  KsConvention ks = KsConvention::two_sided;
  double fixed_xmin = 0.0;          // > 0: use this x_min, no search
  std::uint32_t max_candidates = 0; // > 0: at most this many x_min candidates (quantile-spaced); 0: all distinct values
  std::uint32_t min_tail = 10;      // candidates must leave at least this many points in the tail
};

PowerLawFit fit_power_law(std::span<const double> data, const FitOptions& options = {},
                          RunControl& control = RunControl::none());

// Fraction of bootstrap replicates whose KS distance (after refitting x_min and
// alpha) is at least the observed one; ks of every replicate in `synthetic`.
double power_law_gof(std::span<const double> data, const PowerLawFit& fit, const FitOptions& options,
                     std::uint32_t replicates, std::uint64_t seed, std::vector<double>* synthetic = nullptr,
                     RunControl& control = RunControl::none());

// Hurwitz zeta function zeta(s, q) = sum_{k>=0} (k + q)^-s, s > 1, q > 0
// (Euler-Maclaurin summation, relative error ~1e-15).
double hurwitz_zeta(double s, double q);

// log zeta(s, q), without under- or overflow when q^-s does not fit a double
// (large exponents or large q).
double log_hurwitz_zeta(double s, double q);

// n draws from a power law with exponent alpha above xmin (discrete: integers, exact inverse CDF).
std::vector<double> sample_power_law(double alpha, double xmin, bool discrete, std::uint64_t n, std::uint64_t seed);

}  // namespace urbplex::scaling
