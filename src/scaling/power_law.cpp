#include "urbplex/scaling/power_law.hpp"
#include "urbplex/core/parallel.hpp"

#include <omp.h>

#include <boost/math/tools/minima.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "urbplex/core/errors.hpp"
#include "urbplex/core/region_errors.hpp"
#include "urbplex/core/rng.hpp"

namespace urbplex::scaling {

namespace {
// Euler-Maclaurin coefficients B_2j / (2j)! of the Hurwitz zeta sums below.
constexpr double kB[] = {1.0 / 12.0, -1.0 / 720.0, 1.0 / 30240.0, -1.0 / 1209600.0, 1.0 / 47900160.0,
                         -691.0 / 1307674368000.0, 1.0 / 74724249600.0};
constexpr int kHead = 12;  // terms summed before the Euler-Maclaurin remainder
}  // namespace

double hurwitz_zeta(double s, double q) {
  // Euler-Maclaurin: sum of the first N terms, the integral of the rest, and
  // Bernoulli corrections B_2j / (2j)! (s)_{2j-1} (q+N)^{-(s+2j-1)}.
  constexpr int N = kHead;
  double sum = 0.0;
  for (int k = 0; k < N; ++k) sum += std::pow(q + k, -s);
  const double a = q + N;
  sum += std::pow(a, 1.0 - s) / (s - 1.0) + 0.5 * std::pow(a, -s);
  double rising = s;                    // (s)_{2j-1}
  double power = std::pow(a, -s - 1.0); // a^{-(s+2j-1)}
  for (int j = 0; j < 7; ++j) {
    sum += kB[j] * rising * power;
    rising *= (s + 2 * j + 1) * (s + 2 * j + 2);
    power /= a * a;
  }
  return sum;
}

namespace {

// log zeta(s, q) for one q and many s (the exponent searches of a discrete
// fit): the head's logs log(1 + k/q) do not depend on s, so each evaluation
// costs exponentials instead of powers.
class LogZetaAt {
 public:
  explicit LogZetaAt(double q) : q_(q), log_q_(std::log(q)), log_tail_(std::log1p(kHead / q)) {
    for (int k = 0; k < kHead; ++k) log_head_[k] = std::log1p(k / q);
  }

  // The Euler-Maclaurin sum of hurwitz_zeta, scaled by q^s.
  double operator()(double s) const {
    double sum = 0.0;
    for (int k = 0; k < kHead; ++k) sum += std::exp(-s * log_head_[k]);
    const double a = q_ + kHead;
    const double r = std::exp(-s * log_tail_);  // (a / q)^-s
    sum += a * r / (s - 1.0) + 0.5 * r;
    double rising = s;
    double power = r / a;  // a^{-(2j+1)} (a / q)^-s
    for (int j = 0; j < 7; ++j) {
      sum += kB[j] * rising * power;
      rising *= (s + 2 * j + 1) * (s + 2 * j + 2);
      power /= a * a;
    }
    return -s * log_q_ + std::log(sum);
  }

 private:
  double q_, log_q_, log_tail_;
  std::array<double, kHead> log_head_{};
};

}  // namespace

double log_hurwitz_zeta(double s, double q) { return LogZetaAt(q)(s); }

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Sorted {
  std::vector<double> x, logx, suffix_log;  // suffix_log[i] = sum_{j >= i} log x_j
  explicit Sorted(std::vector<double> v) : x(std::move(v)) {
    std::sort(x.begin(), x.end());
    logx.resize(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) logx[i] = std::log(x[i]);
    suffix_log.assign(x.size() + 1, 0.0);
    for (std::size_t i = x.size(); i-- > 0;) suffix_log[i] = suffix_log[i + 1] + logx[i];
  }
};

std::string shortest(double v) {  // 20, not std::to_string's 20.000000
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// Candidate tails: the first index of each distinct value below the largest
// leaving >= min_tail points.
std::vector<std::size_t> candidates(const Sorted& d, const FitOptions& o) {
  std::vector<std::size_t> c;
  const std::size_t n = d.x.size();
  if (o.fixed_xmin > 0) {
    const auto i = static_cast<std::size_t>(std::lower_bound(d.x.begin(), d.x.end(), o.fixed_xmin) - d.x.begin());
    require(i < n, "xmin", "is " + shortest(o.fixed_xmin) + ", above every value (the largest is " +
                                shortest(d.x[n - 1]) + ")");
    require(d.x[i] != d.x[n - 1], "xmin",
            "leaves a tail of one distinct value (" + std::to_string(n - i) + " copies of " + shortest(d.x[i]) +
                "): its power-law exponent is unbounded");
    c.push_back(i);
    return c;
  }
  // A tail of one repeated value (top-coded counts, a cluster of equal
  // outliers) fits any distribution with all its mass there: a discrete power
  // law with alpha -> inf and a KS distance of 0, which would win the scan.
  // As plfit.m does, the largest distinct value is no candidate.
  for (std::size_t i = 0; i + std::max<std::uint32_t>(o.min_tail, 1) <= n && d.x[i] != d.x[n - 1]; ++i)
    if (i == 0 || d.x[i] != d.x[i - 1]) c.push_back(i);
  if (o.max_candidates > 0 && c.size() > o.max_candidates) {
    std::vector<std::size_t> thin(o.max_candidates);
    for (std::uint32_t k = 0; k < o.max_candidates; ++k)
      thin[k] = c[static_cast<std::size_t>(static_cast<double>(k) * (c.size() - 1) / (o.max_candidates - 1 + 1e-300))];
    thin.erase(std::unique(thin.begin(), thin.end()), thin.end());
    c.swap(thin);
  }
  return c;
}

// `bound`: the smallest KS distance found so far. A candidate whose running
// distance exceeds it cannot be the minimiser, so its scan stops (ks = inf).
PowerLawFit fit_continuous_tail(const Sorted& d, std::size_t i, double bound, KsConvention ks) {
  PowerLawFit f;
  const std::size_t n = d.x.size(), m = n - i;
  f.xmin = d.x[i];
  f.n_tail = m;
  f.n = n;
  const double lxmin = d.logx[i];
  const double L = d.suffix_log[i] - m * lxmin;
  if (!(L > 0)) {
    f.alpha = kNaN;
    f.ks = std::numeric_limits<double>::infinity();
    return f;
  }
  f.alpha = 1.0 + m / L;
  f.loglik = m * std::log(f.alpha - 1.0) - m * lxmin - f.alpha * L;
  const double e = 1.0 - f.alpha;
  const double inv_m = 1.0 / m;
  auto deviation = [&](std::size_t k) {
    const double F = 1.0 - std::exp(e * (d.logx[i + k] - lxmin));
    return ks == KsConvention::plfit ? std::abs(F - k * inv_m) : std::max((k + 1) * inv_m - F, F - k * inv_m);
  };
  // D is the largest deviation, so any one deviation above the bound rules the
  // candidate out. A coarse look at evenly spaced points first finds most of
  // the losers at a cost independent of the tail size: without it the scan is
  // quadratic in the number of distinct values when most candidates fit about
  // equally well (a long clean power-law tail).
  constexpr std::size_t kProbes = 128;
  if (m > 4 * kProbes && std::isfinite(bound))
    for (std::size_t p = 0; p < kProbes; ++p)
      if (deviation(p * (m - 1) / (kProbes - 1)) > bound) {
        f.ks = std::numeric_limits<double>::infinity();
        return f;
      }
  double D = 0.0;
  for (std::size_t k = 0; k < m; ++k) {
    D = std::max(D, deviation(k));
    if (D > bound) {
      f.ks = std::numeric_limits<double>::infinity();
      return f;
    }
  }
  f.ks = D;
  return f;
}

// Discrete MLE: maximise -m log zeta(alpha, xmin) - alpha S by golden section
// (the log-likelihood is concave in alpha).
PowerLawFit fit_discrete_tail(const Sorted& d, std::size_t i, double bound) {
  PowerLawFit f;
  f.discrete = true;
  const std::size_t n = d.x.size(), m = n - i;
  f.xmin = d.x[i];
  f.n_tail = m;
  f.n = n;
  const double S = d.suffix_log[i];
  const LogZetaAt log_zeta(f.xmin);
  auto nll = [&](double a) { return m * log_zeta(a) + a * S; };
  // The log-likelihood is concave in alpha: widen the bracket until it falls
  // again (steep tails, e.g. alpha = 14, lie beyond any fixed bound).
  double lo = 1.0 + 1e-6, hi = 12.0;
  while (hi < 1e4 && nll(hi * 1.01) < nll(hi)) lo = hi, hi *= 2.0;
  // Brent's parabolic steps: 13-19 evaluations where golden section took 51,
  // to a relative tolerance of 2^-25 ~ 3e-8 in alpha (about the square root of
  // the double precision, what a search on function values can resolve; the
  // two searches agree within 3e-7, against a standard error of ~0.1).
  f.alpha = boost::math::tools::brent_find_minima(nll, lo, hi, 26).first;
  const double log_z = log_zeta(f.alpha);
  f.loglik = -m * log_z - f.alpha * S;
  // KS over the distinct values of the tail: CDF(u) = 1 - zeta(alpha, u + 1) / zeta(alpha, xmin).
  double D = 0.0;
  std::size_t k = i;
  // log zeta(alpha, u + 1) of the last value: the next value's log zeta(alpha, u)
  // when the two are consecutive integers (most of a tail of small counts).
  double after_prev = kNaN, log_after = 0.0;
  while (k < n) {
    std::size_t j = k;
    while (j < n && d.x[j] == d.x[k]) ++j;
    const double emp_below = static_cast<double>(k - i) / m, emp = static_cast<double>(j - i) / m;
    const double log_at = d.x[k] == after_prev ? log_after : log_hurwitz_zeta(f.alpha, d.x[k]);
    after_prev = d.x[k] + 1.0;
    log_after = log_hurwitz_zeta(f.alpha, after_prev);
    const double model_below = 1.0 - std::exp(log_at - log_z);     // P(X < u)
    const double model = 1.0 - std::exp(log_after - log_z);        // P(X <= u)
    D = std::max({D, std::abs(emp - model), std::abs(emp_below - model_below)});
    if (D > bound) {
      f.ks = std::numeric_limits<double>::infinity();
      return f;
    }
    k = j;
  }
  f.ks = D;
  return f;
}

PowerLawFit fit_sorted(const Sorted& d, const FitOptions& o, RunControl& control) {
  const auto cand = candidates(d, o);
  require(!cand.empty(), "data",
          "has no x_min candidate leaving at least min_tail=" + std::to_string(o.min_tail) +
              " points and two distinct values in the tail");
  std::vector<PowerLawFit> fits(cand.size());
  control.set_total(cand.size());
  // Shared bound for pruning. The minimiser is never pruned (its running
  // distance never exceeds its final one), so the result does not depend on
  // the order in which threads meet the candidates.
  std::atomic<double> bound{std::numeric_limits<double>::infinity()};
  auto evaluate = [&](std::size_t c) {
    const double b = bound.load(std::memory_order_relaxed);
    fits[c] = o.discrete ? fit_discrete_tail(d, cand[c], b) : fit_continuous_tail(d, cand[c], b, o.ks);
    double cur = bound.load(std::memory_order_relaxed);
    while (fits[c].ks < cur && !bound.compare_exchange_weak(cur, fits[c].ks, std::memory_order_relaxed)) {
    }
    control.advance();
    if (omp_get_thread_num() == 0) control.checkpoint();
  };
  // A coarse pass over every stride-th candidate first finds a tight bound,
  // so that the full pass prunes most candidates early.
  const std::size_t stride = std::max<std::size_t>(1, cand.size() / 64);
  const auto coarse = static_cast<std::int64_t>((cand.size() + stride - 1) / stride);
  // Pruning makes the cost of a candidate unpredictable: the coarse pass
  // estimates it at the tail size, the full pass from the coarse pass's time.
  const auto t0 = std::chrono::steady_clock::now();
  parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel for schedule(dynamic, 1) num_threads(parallel::threads_for(coarse * d.x.size()))
  for (std::int64_t k = 0; k < coarse; ++k)
    if (!control.stop_requested() && !errors.failed()) errors.guard([&] { evaluate(static_cast<std::size_t>(k) * stride); });
  errors.rethrow();
  if (stride > 1) {
    const double ns_per_candidate =
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() / coarse;
    const auto full_work = static_cast<std::uint64_t>(ns_per_candidate * static_cast<double>(cand.size()));
#pragma omp parallel for schedule(dynamic, 16) num_threads(parallel::threads_for(full_work))
    for (std::int64_t c = 0; c < static_cast<std::int64_t>(cand.size()); ++c)
      if (c % static_cast<std::int64_t>(stride) != 0 && !control.stop_requested() && !errors.failed())
        errors.guard([&] { evaluate(static_cast<std::size_t>(c)); });
    errors.rethrow();
  }
  control.throw_if_stopped();
  std::size_t best = 0;
  for (std::size_t c = 1; c < fits.size(); ++c)
    if (fits[c].ks < fits[best].ks) best = c;
  return fits[best];
}

void check_data(std::span<const double> data, bool discrete) {
  require(data.size() >= 2, "data", "needs at least 2 values");
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (!(std::isfinite(data[i]) && data[i] > 0))
      fail("data", "value at index " + std::to_string(i) + " must be finite and > 0, got " + std::to_string(data[i]));
    if (discrete && data[i] != std::floor(data[i]))
      fail("data", "discrete data must be integers; value at index " + std::to_string(i) + " is " + std::to_string(data[i]));
  }
}

constexpr double kExactDrawLimit = 1e12;

double draw(Rng& rng, double alpha, double xmin, bool discrete) {
  const double u = rng.uniform();
  const double tail = std::pow(1.0 - u, -1.0 / (alpha - 1.0));
  // Tails with alpha near 1 can overflow: the largest double stands in for infinity.
  constexpr double kLargest = std::numeric_limits<double>::max();
  if (!discrete) return std::min(xmin * tail, kLargest);
  // CSN's approximation (Eq. D.6) is usually exact or one off. Its relative
  // error falls like 1/x, and beyond ~1e12 the zeta values of neighbouring
  // integers differ by less than their rounding: there it is the draw (an
  // exact search would only chase rounding, and capping draws there, as this
  // did at 1e15, made counts in the trillions look less like a power law).
  const double guess = std::min(std::max(std::floor((xmin - 0.5) * tail + 0.5), xmin), kLargest);
  if (!(guess < kExactDrawLimit)) return guess;
  // Exact inverse CDF: the smallest x >= xmin with zeta(alpha, x + 1) <= (1 - u) zeta(alpha, xmin).
  const double target = (1.0 - u) * hurwitz_zeta(alpha, xmin);
  auto ok = [&](double x) { return hurwitz_zeta(alpha, x + 1.0) <= target; };
  if (ok(guess) && (guess == xmin || !ok(guess - 1.0))) return guess;
  double lo = xmin - 1.0, hi = guess;  // invariant: ok(hi), !ok(lo) (lo = xmin - 1 by convention)
  if (!ok(hi)) {
    lo = hi;
    while (!ok(hi) && hi < kExactDrawLimit) {
      lo = hi;
      hi = std::min(kExactDrawLimit, hi * 2.0);
    }
  }
  while (hi - lo > 1.0) {
    const double mid = std::floor((lo + hi) / 2.0);
    (ok(mid) ? hi : lo) = mid;
  }
  return hi;
}

}  // namespace

PowerLawFit fit_power_law(std::span<const double> data, const FitOptions& options, RunControl& control) {
  check_data(data, options.discrete);
  require(options.fixed_xmin >= 0 && std::isfinite(options.fixed_xmin), "xmin", "must be finite and > 0");
  Sorted d(std::vector<double>(data.begin(), data.end()));
  return fit_sorted(d, options, control);
}

double power_law_gof(std::span<const double> data, const PowerLawFit& fit, const FitOptions& options,
                     std::uint32_t replicates, std::uint64_t seed, std::vector<double>* synthetic,
                     RunControl& control) {
  check_data(data, options.discrete);
  require(replicates >= 1, "replicates", "must be >= 1");
  require(fit.alpha > 1 && fit.xmin > 0, "fit", "must be a fitted power law (alpha > 1)");
  std::vector<double> below;
  for (double x : data)
    if (x < fit.xmin) below.push_back(x);
  const std::uint64_t n = data.size();
  const double p_tail = static_cast<double>(n - below.size()) / n;
  std::vector<double> ks(replicates, 0.0);
  control.set_total(replicates);
  // Each replicate draws n values and fits them (a sort and a candidate scan).
  parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel for schedule(dynamic, 1) num_threads(parallel::threads_for(replicates * n * 64))
  for (std::int64_t r = 0; r < static_cast<std::int64_t>(replicates); ++r) {
    if (control.stop_requested() || errors.failed()) continue;
    bool stopped = false;
    errors.guard([&] {
    // A replicate's fit of a large sample takes seconds: it watches the run's
    // stop flag (and thread 0 keeps polling for Ctrl-C) through its own control.
    const bool controller = omp_get_thread_num() == 0;
    RunControl watch([&control, controller](std::uint64_t, std::uint64_t) {
      if (controller) control.checkpoint();
      return !control.stop_requested();
    });
    Rng rng(seed, static_cast<std::uint64_t>(r));
    std::vector<double> sample(n);
    for (auto& x : sample)
      x = (below.empty() || rng.uniform() < p_tail) ? draw(rng, fit.alpha, fit.xmin, options.discrete)
                                                     : below[rng.below(below.size())];
    Sorted d(std::move(sample));
    try {
      ks[r] = fit_sorted(d, options, watch).ks;
    } catch (const std::invalid_argument&) {
      ks[r] = std::numeric_limits<double>::infinity();  // a degenerate sample fits worse than any
    } catch (const Cancelled&) {
      stopped = true;  // the run stops: control.finish() below throws
    }
    });
    if (stopped) continue;
    control.advance();
    if (omp_get_thread_num() == 0) control.checkpoint();
  }
  errors.rethrow();
  control.finish();
  const auto worse = std::count_if(ks.begin(), ks.end(), [&](double k) { return k >= fit.ks; });
  if (synthetic) *synthetic = ks;
  return static_cast<double>(worse) / replicates;
}

std::vector<double> sample_power_law(double alpha, double xmin, bool discrete, std::uint64_t n, std::uint64_t seed) {
  require(std::isfinite(alpha) && alpha > 1, "alpha", "must be > 1, got " + std::to_string(alpha));
  require(std::isfinite(xmin) && xmin > 0, "xmin", "must be > 0");
  if (discrete) require(xmin == std::floor(xmin), "xmin", "must be an integer for discrete samples");
  std::vector<double> out(n);
  constexpr std::uint64_t kBlock = 4096;
  const std::int64_t blocks = static_cast<std::int64_t>((n + kBlock - 1) / kBlock);
#pragma omp parallel for schedule(dynamic, 1) num_threads(parallel::threads_for(n * 32))
  for (std::int64_t b = 0; b < blocks; ++b) {
    Rng rng(seed, static_cast<std::uint64_t>(b));
    for (std::uint64_t i = b * kBlock; i < std::min<std::uint64_t>(n, (b + 1) * kBlock); ++i)
      out[i] = draw(rng, alpha, xmin, discrete);
  }
  return out;
}

}  // namespace urbplex::scaling
