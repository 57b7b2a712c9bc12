// Trip distribution laws and constrained models (Lenormand, Bassolas & Ramasco
// 2016); see include/urbplex/mobility/trip_distribution.hpp.
#include "urbplex/mobility/trip_distribution.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>
#include <random>
#include <string>

#include <omp.h>

#include "urbplex/core/binomial.hpp"
#include "urbplex/core/errors.hpp"
#include "urbplex/core/region_errors.hpp"
#include "urbplex/core/parallel.hpp"
#include "urbplex/core/rng.hpp"
#include "urbplex/mobility/flows.hpp"

namespace urbplex::mobility {

namespace {

std::size_t cells(std::uint32_t n) { return static_cast<std::size_t>(n) * n; }

// Row blocks whose column sums are added in a fixed order: the sums depend on n
// only, never on the thread count (as in balancing.cpp).
int column_blocks(std::uint32_t n) {
  return static_cast<int>(std::clamp<std::uint64_t>((static_cast<std::uint64_t>(n) * n) >> 16, 1, 64));
}

// One pass over the rows: row i scaled by row_factor[i] (if given) and each
// entry by col_factor[j] (if given); the new row sums, and the column sums when
// asked, by fixed blocks of rows.
void scale_pass(std::vector<double>& w, std::uint32_t n, const std::vector<double>* row_factor,
                const std::vector<double>* col_factor, std::vector<double>& row_sum, std::vector<double>* col_sum,
                std::vector<std::vector<double>>& parts, int threads) {
  const int blocks = static_cast<int>(parts.size());
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (int blk = 0; blk < blocks; ++blk) {
    auto& part = parts[blk];
    if (col_sum) std::fill(part.begin(), part.end(), 0.0);
    const std::uint64_t lo = static_cast<std::uint64_t>(n) * blk / blocks;
    const std::uint64_t hi = static_cast<std::uint64_t>(n) * (blk + 1) / blocks;
    for (std::uint64_t i = lo; i < hi; ++i) {
      double* row = w.data() + i * n;
      const double f = row_factor ? (*row_factor)[i] : 1.0;
      double sum = 0;
      if (col_factor) {
        const double* g = col_factor->data();
        for (std::uint32_t j = 0; j < n; ++j) sum += (row[j] = row[j] * f * g[j]);
      } else {
        for (std::uint32_t j = 0; j < n; ++j) sum += (row[j] *= f);
      }
      row_sum[i] = sum;
      if (col_sum)
        for (std::uint32_t j = 0; j < n; ++j) part[j] += row[j];
    }
  }
  if (col_sum) {
    std::fill(col_sum->begin(), col_sum->end(), 0.0);
    for (int blk = 0; blk < blocks; ++blk)
      for (std::uint32_t j = 0; j < n; ++j) (*col_sum)[j] += parts[blk][j];
  }
}

// The packages' IPF (TDLM: columns then rows; pytdlm: rows then columns):
// sweeps until every margin is within 1% or 51 sweeps ran (their loop tests
// iter <= 50 before each sweep). Each sweep is two passes over the matrix:
// the first scales one axis by the sums the previous pass left (and sums the
// other), the second scales that axis and sums both for the closure test,
// which the next sweep's first scaling reuses.
int ipf_like_packages(std::vector<double>& w, std::uint32_t n, std::span<const double> out_trips,
                      std::span<const double> in_trips, const TripModelOptions& opt, RunControl& control) {
  const bool r_package = opt.convention == TripConvention::tdlm;
  const double zero = r_package ? 0.01 : opt.eps;
  std::vector<double> rows(n), cols(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    rows[i] = out_trips[i] != 0 ? out_trips[i] : zero;
    cols[i] = in_trips[i] != 0 ? in_trips[i] : zero;
  }
  if (!r_package)
    for (double& x : w)
      if (x == 0) x = opt.eps;
  const int threads = parallel::threads_for(static_cast<std::uint64_t>(n) * n * 2);
  std::vector<std::vector<double>> parts(column_blocks(n), std::vector<double>(n));
  std::vector<double> row_sum(n, 0.0), col_sum(n, 0.0), row_factor(n), col_factor(n);
  scale_pass(w, n, nullptr, nullptr, row_sum, &col_sum, parts, threads);
  // A zero sum leaves its row or column as it is (TDLM would divide by zero).
  auto ratio = [](double target, double sum) { return sum > 0 ? target / sum : 1.0; };
  int sweeps = 0;
  double crit = 1.0;
  while (crit > 0.01 && sweeps <= 50) {
    if (r_package) {  // columns by the current column sums, then rows
      for (std::uint32_t j = 0; j < n; ++j) col_factor[j] = ratio(cols[j], col_sum[j]);
      scale_pass(w, n, nullptr, &col_factor, row_sum, nullptr, parts, threads);
      for (std::uint32_t i = 0; i < n; ++i) row_factor[i] = ratio(rows[i], row_sum[i]);
      scale_pass(w, n, &row_factor, nullptr, row_sum, &col_sum, parts, threads);
    } else {  // rows by the current row sums, then columns
      for (std::uint32_t i = 0; i < n; ++i) row_factor[i] = ratio(rows[i], row_sum[i]);
      scale_pass(w, n, &row_factor, nullptr, row_sum, &col_sum, parts, threads);
      for (std::uint32_t j = 0; j < n; ++j) col_factor[j] = ratio(cols[j], col_sum[j]);
      scale_pass(w, n, nullptr, &col_factor, row_sum, &col_sum, parts, threads);
    }
    crit = 0;
    for (std::uint32_t i = 0; i < n; ++i)
      crit = std::max({crit, std::abs(1 - row_sum[i] / rows[i]), std::abs(1 - col_sum[i] / cols[i])});
    ++sweeps;
    control.checkpoint();
    control.throw_if_stopped();
  }
  return sweeps;
}

// k draws from weights[0..n) (total `sum` > 0), added to counts.
void draw_into(const double* weights, std::uint32_t n, std::uint64_t k, Rng& rng, std::uint32_t* counts,
               std::size_t stride, std::vector<double>& cumulative) {
  if (k == 0) return;
  cumulative.resize(n);
  double acc = 0;
  for (std::uint32_t j = 0; j < n; ++j) cumulative[j] = (acc += weights[j * stride]);
  for (std::uint64_t d = 0; d < k; ++d) {
    const double u = rng.uniform() * acc;
    // First cell whose cumulative weight exceeds u; never a zero-weight cell.
    auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
    if (it == cumulative.end()) --it;
    std::size_t j = static_cast<std::size_t>(it - cumulative.begin());
    while (weights[j * stride] <= 0 && j > 0) --j;
    counts[j * stride] += 1;
  }
}

// An exact multinomial draw of k trips over weights[0..n) (stride apart).
// Cells split into heavy ones (expected count >= 1) and light ones: the light
// group's total is one binomial, its trips are categorical draws on the light
// cells' cumulative weights, and the heavy cells take the rest by conditional
// binomials. Exact (a multinomial's groups are multinomial given their
// totals), and a row of n cells costs O(n) additions plus a binomial per heavy
// cell and a search per light trip, instead of a binomial per cell: most pairs
// of an OD matrix expect far less than one trip.
void multinomial_into(const double* weights, std::uint32_t n, std::size_t stride, std::uint64_t k, Rng& rng,
                      std::uint32_t* counts, std::vector<double>& cumulative) {
  if (k == 0) return;
  double total = 0;
  for (std::uint32_t j = 0; j < n; ++j) total += weights[j * stride];
  if (!(total > 0)) return;
  const double heavy_weight = total / static_cast<double>(k);  // expected count >= 1
  cumulative.resize(n);
  double light = 0, heavy = 0;
  for (std::uint32_t j = 0; j < n; ++j) {
    const double w = weights[j * stride];
    if (w >= heavy_weight) heavy += w;
    else light += w;
    cumulative[j] = light;  // flat across heavy cells: a search never lands on them
  }
  const std::uint64_t light_trips = heavy > 0 ? draw_binomial(rng, k, light / (light + heavy)) : k;
  for (std::uint64_t d = 0; d < light_trips; ++d) {
    const double u = rng.uniform() * light;
    auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
    if (it == cumulative.end()) it = std::lower_bound(cumulative.begin(), cumulative.end(), light);
    counts[static_cast<std::size_t>(it - cumulative.begin()) * stride] += 1;
  }
  std::uint64_t left = k - light_trips;
  double rest = heavy;
  for (std::uint32_t j = 0; j < n && left > 0; ++j) {
    const double w = weights[j * stride];
    if (w < heavy_weight) continue;
    const double p = std::min(1.0, w / rest);
    rest -= w;
    const std::uint64_t c = p < 1.0 ? draw_binomial(rng, left, p) : left;
    counts[j * stride] += static_cast<std::uint32_t>(c);
    left -= c;
  }
}

// Integer parts of total * weights / sum over `len` cells, the remainder
// drawn multinomially from the same weights (TDLM's Multinomial_i).
void floor_and_draw(const double* weights, std::uint32_t len, std::size_t stride, double total, Rng& rng,
                    std::uint32_t* counts, std::vector<double>& cumulative) {
  double sum = 0;
  for (std::uint32_t j = 0; j < len; ++j) sum += weights[j * stride];
  if (!(sum > 0) || !(total > 0)) return;
  const auto want = static_cast<std::uint64_t>(total);
  std::uint64_t placed = 0;
  for (std::uint32_t j = 0; j < len; ++j) {
    const auto c = static_cast<std::uint64_t>(std::floor(total * weights[j * stride] / sum));
    counts[j * stride] = static_cast<std::uint32_t>(c);
    placed += c;
  }
  if (placed < want) draw_into(weights, len, want - placed, rng, counts, stride, cumulative);
}

// v.resize(count), zero-filled in chunks of 32 MB with a Ctrl-C check after each.
template <class T>
void grow_checked(std::vector<T>& v, std::size_t count, RunControl& control) {
  v.reserve(count);  // one allocation; its pages are touched chunk by chunk below
  constexpr std::size_t chunk = (std::size_t{32} << 20) / sizeof(T);
  while (v.size() < count) {
    v.resize(std::min(count, v.size() + chunk));
    control.checkpoint();
    control.throw_if_stopped();
  }
}

std::uint64_t entity(std::uint64_t stream, std::uint32_t n, std::uint64_t row) { return stream * (n + 1ull) + row; }

}  // namespace

std::vector<double> intervening_opportunities(std::span<const double> distance, std::span<const double> opportunity,
                                              std::uint32_t n, RunControl& control) {
  require(distance.size() == cells(n), "distance", "must be an n x n matrix");
  require(opportunity.size() == n, "opportunity", "needs one value per zone");
  // A NaN would break the sort's ordering (undefined behaviour): refuse it first.
  for (std::size_t c = 0; c < distance.size(); ++c)
    if (std::isnan(distance[c]))
      fail("distance", "the pair of zone #" + std::to_string(c / n) + " and zone #" + std::to_string(c % n) +
                           " is NaN");
  std::vector<double> s(cells(n), 0.0);
  control.set_total(n);
  const std::uint64_t work = static_cast<std::uint64_t>(cells(n)) * 16;
  parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel for schedule(dynamic, 8) num_threads(parallel::threads_for(work))
  for (std::int64_t ii = 0; ii < static_cast<std::int64_t>(n); ++ii) {
    if (control.stop_requested() || errors.failed()) continue;
    errors.guard([&] {
    const auto i = static_cast<std::uint32_t>(ii);
    thread_local std::vector<std::pair<double, std::uint32_t>> order;
    order.clear();
    const double* d = distance.data() + static_cast<std::size_t>(i) * n;
    for (std::uint32_t l = 0; l < n; ++l)
      if (l != i) order.emplace_back(d[l], l);
    std::sort(order.begin(), order.end());
    double* row = s.data() + static_cast<std::size_t>(i) * n;
    double below = 0;  // opportunity strictly closer than the current group
    for (std::size_t a = 0; a < order.size();) {
      std::size_t b = a;
      double group = 0;
      while (b < order.size() && order[b].first == order[a].first) group += opportunity[order[b++].second];
      const double within = below + group;  // d_il <= d_ij, l != i
      for (std::size_t c = a; c < b; ++c) row[order[c].second] = within - opportunity[order[c].second];
      below = within;
      a = b;
    }
    });
    control.advance();
    if (omp_get_thread_num() == 0) control.checkpoint();
  }
  errors.rethrow();
  control.throw_if_stopped();
  return s;
}

void trip_law_weights(TripLaw law, std::span<const double> cost, std::span<const double> mi,
                      std::span<const double> mj, double b, std::vector<double>& out, RunControl& control) {
  const auto n = static_cast<std::uint32_t>(mi.size());
  require(mj.size() == n, "mass_destination", "needs one value per zone");
  if (law != TripLaw::rand) require(cost.size() == cells(n), "distance", "must be an n x n matrix");
  out.assign(cells(n), 0.0);
  const bool normalised = !(law == TripLaw::grav_exp || law == TripLaw::grav_pow || law == TripLaw::rand);
  // x^y as exp(y ln x): 3-4x faster than std::pow here, within 1e-14 relative.
  auto power = [](double x, double y) { return x > 0 ? std::exp(y * std::log(x)) : std::pow(x, y); };
  // Schneider's exp(-b s) - exp(-b (s + m_j)) = exp(-b s) (1 - exp(-b m_j)):
  // one exponential per pair, and no cancellation when b m_j is small.
  std::vector<double> keep;
  if (law == TripLaw::schneider) {
    keep.resize(n);
    for (std::uint32_t j = 0; j < n; ++j) keep[j] = -std::expm1(-b * mj[j]);
  }
#pragma omp parallel for schedule(static) num_threads(parallel::threads_for(cells(n) * 8))
  for (std::int64_t ii = 0; ii < static_cast<std::int64_t>(n); ++ii) {
    if (control.stop_requested()) continue;
    if (omp_get_thread_num() == 0) control.checkpoint();
    const auto i = static_cast<std::size_t>(ii);
    double* w = out.data() + i * n;
    const double* c = law == TripLaw::rand ? nullptr : cost.data() + i * n;
    const double origin_term = law == TripLaw::rad_ext ? power(mi[i], b) + 1 : 0.0;
    for (std::uint32_t j = 0; j < n; ++j) {
      if (j == i) continue;
      double x = 0;
      switch (law) {
        case TripLaw::grav_exp: x = mi[i] * mj[j] * std::exp(-b * c[j]); break;
        case TripLaw::ngrav_exp: x = mj[j] * std::exp(-b * c[j]); break;
        case TripLaw::grav_pow: x = mi[i] * mj[j] * power(c[j], -b); break;
        case TripLaw::ngrav_pow: x = mj[j] * power(c[j], -b); break;
        case TripLaw::schneider: x = std::exp(-b * c[j]) * keep[j]; break;
        case TripLaw::rad: x = mi[i] * mj[j] / ((mi[i] + c[j]) * (mi[i] + mj[j] + c[j])); break;
        case TripLaw::rad_ext: {
          const double outer = power(mi[i] + mj[j] + c[j], b), inner = power(mi[i] + c[j], b);
          x = (outer - inner) * origin_term / ((outer + 1) * (inner + 1));
          break;
        }
        case TripLaw::rand: x = 1.0; break;
      }
      w[j] = std::isfinite(x) ? x : 0.0;
    }
    if (normalised) {
      double sum = 0;
      for (std::uint32_t j = 0; j < n; ++j) sum += w[j];
      if (sum != 0)
        for (std::uint32_t j = 0; j < n; ++j) w[j] = mi[i] * w[j] / sum;
    }
  }
  control.throw_if_stopped();
}

int expected_trips(std::vector<double>& w, std::uint32_t n, std::span<const double> out_trips,
                   std::span<const double> in_trips, const TripModelOptions& opt, RunControl& control,
                   std::vector<double>* column_scales) {
  require(w.size() == cells(n), "weights", "must be an n x n matrix");
  switch (opt.model) {
    case TripModel::unconstrained: {
      double total = opt.total;
      if (total < 0) total = std::accumulate(out_trips.begin(), out_trips.end(), 0.0);
      const double sum = std::accumulate(w.begin(), w.end(), 0.0);
      require(sum > 0, "law", "gives zero weight to every pair of zones");
      for (double& x : w) x = total * x / sum;
      return 0;
    }
    case TripModel::production:
      for (std::uint32_t i = 0; i < n; ++i) {
        double* row = w.data() + static_cast<std::size_t>(i) * n;
        const double sum = std::accumulate(row, row + n, 0.0);
        if (sum > 0)
          for (std::uint32_t j = 0; j < n; ++j) row[j] = out_trips[i] * row[j] / sum;
      }
      return 0;
    case TripModel::attraction: {
      std::vector<double> sum(n, 0.0);
      for (std::size_t c = 0; c < w.size(); ++c) sum[c % n] += w[c];
      for (std::size_t c = 0; c < w.size(); ++c) w[c] = sum[c % n] > 0 ? in_trips[c % n] * w[c] / sum[c % n] : 0.0;
      return 0;
    }
    case TripModel::doubly:
      if (opt.convention == TripConvention::exact)
        return furness(w, n, out_trips, in_trips, opt.tol, opt.max_sweeps, control, column_scales);
      return ipf_like_packages(w, n, out_trips, in_trips, opt, control);
  }
  return 0;
}

void draw_trips(std::span<const double> expected, std::uint32_t n, std::span<const double> out_trips,
                std::span<const double> in_trips, const TripModelOptions& opt, std::uint64_t seed,
                std::uint64_t stream, std::span<std::uint32_t> counts) {
  require(expected.size() == cells(n) && counts.size() == cells(n), "expected", "must be an n x n matrix");
  std::fill(counts.begin(), counts.end(), 0u);
  const std::uint64_t work = static_cast<std::uint64_t>(cells(n)) * 4;
  const bool whole_matrix = opt.model == TripModel::unconstrained ||
                            (opt.model == TripModel::doubly && opt.convention == TripConvention::tdlm);
  if (whole_matrix) {
    // TDLM's UM: integer parts of N p_ij, the remainder drawn over all cells
    // (a row by its total weight, then a column in it: one multinomial).
    double total = opt.model == TripModel::unconstrained ? opt.total : -1;
    if (total < 0) total = std::accumulate(out_trips.begin(), out_trips.end(), 0.0);
    const auto want = static_cast<std::uint64_t>(total);
    double sum = 0;
    std::vector<double> row_sum(n, 0.0);
    for (std::uint32_t i = 0; i < n; ++i) {
      const double* row = expected.data() + static_cast<std::size_t>(i) * n;
      for (std::uint32_t j = 0; j < n; ++j) row_sum[i] += row[j];
      sum += row_sum[i];
    }
    if (!(sum > 0)) return;
    const bool exact = opt.convention == TripConvention::exact;
    std::uint64_t placed = 0;
    if (!exact)
      for (std::size_t c = 0; c < expected.size(); ++c) {
        const auto k = static_cast<std::uint64_t>(std::floor(total * expected[c] / sum));
        counts[c] = static_cast<std::uint32_t>(k);
        placed += k;
      }
    if (placed >= want) return;
    // Rows of the remainder: conditional binomials on the stream of row n.
    std::vector<std::uint64_t> extra(n, 0);
    Rng rows_rng(seed, entity(stream, n, n));
    std::uint64_t left = want - placed;
    double rest = sum;
    for (std::uint32_t i = 0; i < n && left > 0; ++i) {
      if (row_sum[i] <= 0) continue;
      const double p = std::min(1.0, row_sum[i] / rest);
      rest -= row_sum[i];
      std::uint64_t k = left;
      if (p < 1.0) k = draw_binomial(rows_rng, left, p);
      extra[i] = k;
      left -= k;
    }
    parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel for schedule(dynamic, 16) num_threads(parallel::threads_for(work))
    for (std::int64_t ii = 0; ii < static_cast<std::int64_t>(n); ++ii) {
      if (errors.failed()) continue;
      errors.guard([&] {
        thread_local std::vector<double> cumulative;
        Rng rng(seed, entity(stream, n, static_cast<std::uint64_t>(ii)));
        multinomial_into(expected.data() + static_cast<std::size_t>(ii) * n, n, 1, extra[ii], rng,
                         counts.data() + static_cast<std::size_t>(ii) * n, cumulative);
      });
    }
    errors.rethrow();
    return;
  }
  const bool by_column = opt.model == TripModel::attraction;
  std::span<const double> margin = by_column ? in_trips : out_trips;
  parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel for schedule(dynamic, 16) num_threads(parallel::threads_for(work))
  for (std::int64_t ii = 0; ii < static_cast<std::int64_t>(n); ++ii) {
    if (errors.failed()) continue;
    errors.guard([&] {
    thread_local std::vector<double> cumulative;
    Rng rng(seed, entity(stream, n, static_cast<std::uint64_t>(ii)));
    const std::size_t first = by_column ? static_cast<std::size_t>(ii) : static_cast<std::size_t>(ii) * n;
    const std::size_t stride = by_column ? n : 1;
    if (opt.convention == TripConvention::exact)
      multinomial_into(expected.data() + first, n, stride, static_cast<std::uint64_t>(margin[ii]), rng,
                       counts.data() + first, cumulative);
    else
      floor_and_draw(expected.data() + first, n, stride, margin[ii], rng, counts.data() + first, cumulative);
    });
  }
  errors.rethrow();
}

TripFitReference::TripFitReference(std::span<const double> observed, std::uint32_t n,
                                   std::span<const double> distance, double bin_size)
    : n_(n), observed_(observed) {
  require(observed.size() == cells(n), "obs", "must be an n x n matrix");
  total_ = std::accumulate(observed.begin(), observed.end(), 0.0);
  if (distance.empty()) return;
  require(distance.size() == cells(n), "distance", "must be an n x n matrix");
  require(bin_size > 0 && std::isfinite(bin_size), "bin_size", "must be > 0");
  bin_.resize(cells(n));
  std::uint32_t bins = 0;
  for (std::size_t c = 0; c < bin_.size(); ++c) {
    const double k = std::floor(distance[c] / bin_size);
    if (!(k >= 0 && k < 4e9)) fail("distance", "must be finite and >= 0");
    bin_[c] = static_cast<std::uint32_t>(k);
    bins = std::max(bins, bin_[c] + 1);
  }
  observed_bins_.assign(bins, 0.0);
  for (std::size_t c = 0; c < bin_.size(); ++c) observed_bins_[bin_[c]] += observed[c];

  // Cells by distance (ties in any order: they are compared as groups). Sorting
  // (distance, cell) pairs in place is 2-3x faster than an indirect sort.
  {
    std::vector<std::pair<double, std::uint64_t>> keyed(cells(n));
    for (std::size_t c = 0; c < keyed.size(); ++c) keyed[c] = {distance[c], c};
    std::sort(keyed.begin(), keyed.end());
    by_distance_.resize(keyed.size());
    for (std::size_t p = 0; p < keyed.size(); ++p) by_distance_[p] = keyed[p].second;
  }
  // The empirical CDFs are compared after each group of equal distances.
  double acc = 0, squares = 0;
  for (std::size_t p = 0; p < by_distance_.size(); ++p) {
    const double v = observed[by_distance_[p]];
    acc += v, squares += v * v;
    if (p + 1 == by_distance_.size() || distance[by_distance_[p + 1]] != distance[by_distance_[p]]) {
      tie_end_.push_back(p + 1);
      observed_cdf_.push_back(total_ > 0 ? acc / total_ : 0.0);
    }
  }
  observed_n_effective_ = squares > 0 ? total_ * total_ / squares : 0.0;
}

TripFit TripFitReference::measure(std::span<const double> sim) const { return measure_impl(sim); }
TripFit TripFitReference::measure(std::span<const std::uint32_t> sim) const { return measure_impl(sim); }

template <class T>
TripFit TripFitReference::measure_impl(std::span<const T> sim) const {
  require(sim.size() == cells(n_), "sim", "must be an n x n matrix");
  TripFit f;
  // One pass for everything but KS. KL = sum_both (t/N) (ln t - ln s) + T_both/N ln(N~/N),
  // T_both the observed flow on the pairs where both are positive (N~ is only known at the end).
  double sim_total = 0, common = 0, squared = 0, sim_squares = 0, t_log_ratio = 0, t_both = 0;
  std::uint64_t links_obs = 0, links_sim = 0, links_both = 0;
  const bool binned = !bin_.empty();
  std::vector<double> sim_bins(binned ? observed_bins_.size() : 0, 0.0);
  for (std::size_t c = 0; c < sim.size(); ++c) {
    const double t = observed_[c], s = static_cast<double>(sim[c]);
    sim_total += s;
    common += std::min(t, s);
    squared += (t - s) * (t - s);
    sim_squares += s * s;
    links_obs += t > 0, links_sim += s > 0;
    if (t > 0 && s > 0) {
      ++links_both;
      t_both += t;
      t_log_ratio += t * std::log(t / s);
    }
    if (binned) sim_bins[bin_[c]] += s;
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  f.cpc = 2 * common / (total_ + sim_total);
  f.nrmse = total_ > 0 ? std::sqrt(squared / total_) : nan;
  f.kl = total_ > 0 && sim_total > 0 ? t_log_ratio / total_ + t_both / total_ * std::log(sim_total / total_) : nan;
  f.cpl = links_obs + links_sim > 0 ? 2.0 * static_cast<double>(links_both) / static_cast<double>(links_obs + links_sim)
                                    : nan;
  if (!binned) {
    f.cpc_d = f.ks = f.ks_n_effective = nan;
    return f;
  }
  double common_bins = 0;
  for (std::size_t k = 0; k < sim_bins.size(); ++k) common_bins += std::min(sim_bins[k], observed_bins_[k]);
  f.cpc_d = 2 * common_bins / (total_ + sim_total);
  double acc = 0, worst = 0;
  std::size_t p = 0;
  for (std::size_t g = 0; g < tie_end_.size(); ++g) {
    for (; p < tie_end_[g]; ++p) acc += sim[by_distance_[p]];
    worst = std::max(worst, std::abs(observed_cdf_[g] - (sim_total > 0 ? acc / sim_total : 0.0)));
  }
  f.ks = worst;
  const double sim_eff = sim_squares > 0 ? sim_total * sim_total / sim_squares : 0.0;
  f.ks_n_effective =
      observed_n_effective_ > 0 && sim_eff > 0 ? observed_n_effective_ * sim_eff / (observed_n_effective_ + sim_eff) : 0.0;
  return f;
}

TripRun run_trip_distribution(TripLaw law, std::span<const double> cost, std::span<const double> mi,
                              std::span<const double> mj, std::span<const double> out_trips,
                              std::span<const double> in_trips, std::span<const double> params,
                              std::uint32_t replicates, bool average, std::uint64_t seed,
                              const TripModelOptions& options, RunControl& control) {
  const auto n = static_cast<std::uint32_t>(mi.size());
  require(out_trips.size() == n && in_trips.size() == n, "out_trips", "needs one value per zone");
  const std::size_t nn = cells(n), k = params.size();
  TripRun run;
  run.sweeps.assign(k, 0);
  control.set_total(k);
  // Filling gigabytes of output takes seconds: it checks for Ctrl-C as it goes.
  if (average) grow_checked(run.expected, k * nn, control);
  else grow_checked(run.trips, k * replicates * nn, control);
  // One value per thread while a value is small work: its inner loops would
  // run serially anyway (they are below the parallel cut-off).
  const bool outer = k > 1 && nn * 64 < parallel::kMinParallelWorkBusy;
  std::exception_ptr error;
  // One value after another (large systems), the exact balancing starts from
  // the previous value's column scales: neighbouring parameters have nearby
  // fixed points (Kansas-size systems run their values in parallel instead).
  std::vector<double> warm;
#pragma omp parallel for schedule(dynamic, 1) num_threads(outer ? parallel::threads_for(nn * 64 * k) : 1)
  for (std::int64_t v = 0; v < static_cast<std::int64_t>(k); ++v) {
    if (control.stop_requested()) continue;
    try {
      std::vector<double> w;
      // One value at a time (large systems), the loop runs on the calling
      // thread: the law, the balancing and the draws check for Ctrl-C themselves.
      RunControl& inner = outer ? RunControl::none() : control;
      trip_law_weights(law, cost, mi, mj, params[v], w, inner);
      run.sweeps[v] = expected_trips(w, n, out_trips, in_trips, options, inner, outer ? nullptr : &warm);
      if (average) {
        std::copy(w.begin(), w.end(), run.expected.begin() + static_cast<std::ptrdiff_t>(v * nn));
      } else {
        for (std::uint32_t r = 0; r < replicates; ++r) {
          std::span<std::uint32_t> counts(run.trips.data() + (v * replicates + r) * nn, nn);
          draw_trips(w, n, out_trips, in_trips, options, seed, static_cast<std::uint64_t>(v) * replicates + r,
                     counts);
          inner.checkpoint();
          inner.throw_if_stopped();
        }
      }
    } catch (...) {
#pragma omp critical(urbplex_trip_distribution_error)
      if (!error) error = std::current_exception();
      control.request_stop();
    }
    control.advance();
    if (omp_get_thread_num() == 0) control.checkpoint();
  }
  if (error) std::rethrow_exception(error);
  control.finish();
  return run;
}

namespace {
template <class T>
std::vector<TripFit> measure_all(const TripFitReference& reference, std::span<const T> simulated, std::size_t count) {
  const std::size_t nn = cells(reference.n());
  require(simulated.size() == count * nn, "sim", "must hold n x n matrices");
  std::vector<TripFit> out(count);
  std::exception_ptr error;
#pragma omp parallel for schedule(dynamic, 1) num_threads(parallel::threads_for(nn * 8 * count))
  for (std::int64_t m = 0; m < static_cast<std::int64_t>(count); ++m) {
    try {
      out[m] = reference.measure(simulated.subspan(m * nn, nn));
    } catch (...) {
#pragma omp critical(urbplex_trip_measure_error)
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
  return out;
}

}  // namespace

std::vector<TripFit> measure_trips(const TripFitReference& reference, std::span<const double> simulated,
                                   std::size_t count) {
  return measure_all(reference, simulated, count);
}
std::vector<TripFit> measure_trips(const TripFitReference& reference, std::span<const std::uint32_t> simulated,
                                   std::size_t count) {
  return measure_all(reference, simulated, count);
}

}  // namespace urbplex::mobility
