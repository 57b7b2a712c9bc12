// Trip distribution laws and constrained models, after Lenormand, Bassolas &
// Ramasco, "Systematic comparison of trip distribution laws and models",
// J. Transp. Geogr. 51:158-169 (2016), and their TDLM package.
//
// A law gives weights w_ij (i != j) from masses m_i, m_j, distances d_ij or
// intervening opportunities s_ij (the opportunity within distance d_ij of i,
// i and j themselves excluded):
//   GravExp  m_i m_j exp(-b d)        NGravExp  m_j exp(-b d), then normalised
//   GravPow  m_i m_j d^-b             NGravPow  m_j d^-b, then normalised
//   Schneider  exp(-b s) - exp(-b (s + m_j))                (Schneider 1959)
//   Rad     m_i m_j / ((m_i + s)(m_i + m_j + s))           (Simini et al. 2012)
//   RadExt  ((m_i+m_j+s)^b - (m_i+s)^b)(m_i^b+1) / (((m_i+m_j+s)^b+1)((m_i+s)^b+1))
//                                                          (Yang et al. 2014)
//   Rand    1
// "Normalised" laws (all but GravExp, GravPow, Rand) rescale each row to sum
// to m_i. Non-finite weights (d = 0 in a power law) are 0, as in TDLM.
//
// A constrained model turns the weights into trips: unconstrained (total N),
// production (row sums O_i), attraction (column sums D_j) or doubly
// constrained (both, by iterative proportional fitting). The expected matrix
// is the model's mean; a replicate an integer draw (see TripConvention).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "urbplex/core/run_control.hpp"

namespace urbplex::mobility {

enum class TripLaw { grav_exp, ngrav_exp, grav_pow, ngrav_pow, schneider, rad, rad_ext, rand };
enum class TripModel { unconstrained, production, attraction, doubly };

// How the doubly constrained model balances, and how replicates are drawn.
//  exact: IPF (Anderson-accelerated Furness) to a relative margin error of
//    `tol`; zero margins give zero rows/columns. Replicates are multinomial
//    draws (Lenormand et al. 2016, Sect. 2.2) whose mean is the expected matrix.
//  tdlm: the R package (its Java core): columns then rows, zero margins set to
//    0.01, stop at 1% closure or after 51 sweeps. Replicates: the integer parts
//    of the expected counts plus a multinomial draw of the remainder from the
//    unrounded weights (so their mean is not quite the expected matrix); the
//    doubly constrained model draws over the whole matrix with total sum O_i.
//  pytdlm: the Python port: rows then columns, zero margins and zero weights
//    (the diagonal too) set to eps, the same stop; its draws as TDLM's, but
//    the doubly constrained model draws per origin (row sums O_i).
enum class TripConvention { exact, tdlm, pytdlm };

constexpr bool law_uses_distance(TripLaw law) {
  return law == TripLaw::grav_exp || law == TripLaw::ngrav_exp || law == TripLaw::grav_pow ||
         law == TripLaw::ngrav_pow;
}
constexpr bool law_uses_opportunities(TripLaw law) {
  return law == TripLaw::schneider || law == TripLaw::rad || law == TripLaw::rad_ext;
}

// s_ij for a row-major n x n distance matrix: the sum of opportunity[l] over
// l != i, j with d_il <= d_ij. One sort of each origin's distances.
std::vector<double> intervening_opportunities(std::span<const double> distance, std::span<const double> opportunity,
                                              std::uint32_t n, RunControl& control = RunControl::none());

// The law's weights for parameter `param` into `out` (n*n). `cost` is the
// distance matrix or s_ij, as the law needs (may be empty for Rand). Checks
// `control` between rows (one law on 10^8 cells takes about a second).
void trip_law_weights(TripLaw law, std::span<const double> cost, std::span<const double> mass_origin,
                      std::span<const double> mass_destination, double param, std::vector<double>& out,
                      RunControl& control = RunControl::none());

struct TripModelOptions {
  TripModel model = TripModel::doubly;
  TripConvention convention = TripConvention::exact;
  double tol = 1e-10;      // exact IPF: largest relative margin error
  int max_sweeps = 10000;  // exact IPF
  double eps = 1e-6;       // pytdlm: stands in for zero margins and weights
  double total = -1;       // unconstrained: trips to distribute (< 0: sum of out_trips)
};

// Turns weights (n*n, in place) into the model's expected matrix. For the
// doubly constrained model these are the balanced weights the replicates are
// drawn from. Returns the IPF sweeps (0 for the other models).
// column_scales: the exact balancing's column scales, read as a warm start
// and left with the solution (nullptr: start from 1).
int expected_trips(std::vector<double>& weights, std::uint32_t n, std::span<const double> out_trips,
                   std::span<const double> in_trips, const TripModelOptions& options,
                   RunControl& control = RunControl::none(), std::vector<double>* column_scales = nullptr);

// One replicate drawn from an expected matrix (n*n) on the streams keyed by
// (seed, stream * (n + 1) + row): the same counts on any thread count.
void draw_trips(std::span<const double> expected, std::uint32_t n, std::span<const double> out_trips,
                std::span<const double> in_trips, const TripModelOptions& options, std::uint64_t seed,
                std::uint64_t stream, std::span<std::uint32_t> counts);

// A law and model over parameter values: for each value (in order) either
// the expected matrix (average) or `replicates` draws, replicate r of value k
// on stream k * replicates + r. Small systems run one value per thread, large
// ones parallelise inside each value; the numbers are the same either way.
struct TripRun {
  std::vector<double> expected;       // params x n x n (average)
  std::vector<std::uint32_t> trips;   // params x replicates x n x n (draws)
  std::vector<int> sweeps;            // IPF sweeps per value
};
TripRun run_trip_distribution(TripLaw law, std::span<const double> cost, std::span<const double> mass_origin,
                              std::span<const double> mass_destination, std::span<const double> out_trips,
                              std::span<const double> in_trips, std::span<const double> params,
                              std::uint32_t replicates, bool average, std::uint64_t seed,
                              const TripModelOptions& options, RunControl& control = RunControl::none());

// Goodness of fit between an observed and a simulated n x n matrix, with
// TDLM's definitions (Lenormand et al. 2016, their Sect. 3.3):
//   CPC   = 2 sum min(T, S) / (N + N~)
//   NRMSE = sqrt(sum (T - S)^2 / N)
//   KL    = sum_{T>0, S>0} T/N log((T/N) / (S/N~))
//   CPL   = 2 #(T>0 and S>0) / (#(T>0) + #(S>0))
//   CPC_d = 2 sum_k min(N_k, N~_k) / (N + N~), N_k the flow at distance in bin k
//   KS    = max |F_T(d) - F_S(d)| of the flow-weighted distance distributions,
//           with its effective sample size (sum w)^2 / sum w^2 per side.
struct TripFit {
  double cpc = 0, nrmse = 0, kl = 0, cpl = 0, cpc_d = 0, ks = 0, ks_n_effective = 0;
};

// Precomputed per observed matrix and distances (sorted pairs, bins).
class TripFitReference {
 public:
  // distance may be empty: CPC_d and KS are then NaN.
  TripFitReference(std::span<const double> observed, std::uint32_t n, std::span<const double> distance,
                   double bin_size);
  TripFit measure(std::span<const double> simulated) const;
  TripFit measure(std::span<const std::uint32_t> simulated) const;  // draws, without a copy
  std::uint32_t n() const { return n_; }

 private:
  template <class T>
  TripFit measure_impl(std::span<const T> simulated) const;
  std::uint32_t n_;
  std::span<const double> observed_;
  double total_ = 0;
  std::vector<std::uint32_t> bin_;       // per cell (empty without distances)
  std::vector<double> observed_bins_;
  std::vector<std::uint64_t> by_distance_;  // cells sorted by distance
  std::vector<std::uint64_t> tie_end_;      // per position: end of its group of equal distances
  std::vector<double> observed_cdf_;        // at each group end
  double observed_n_effective_ = 0;
};

// measure() of `count` consecutive n x n matrices, in parallel.
std::vector<TripFit> measure_trips(const TripFitReference& reference, std::span<const double> simulated,
                                   std::size_t count);
std::vector<TripFit> measure_trips(const TripFitReference& reference, std::span<const std::uint32_t> simulated,
                                   std::size_t count);

}  // namespace urbplex::mobility
