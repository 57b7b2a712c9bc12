#include <omp.h>

#include <cmath>
#include <random>
#include <string>

#include "row_builder.hpp"
#include "urbplex/core/parallel.hpp"
#include "urbplex/core/region_errors.hpp"
#include "urbplex/core/errors.hpp"
#include "urbplex/core/rng.hpp"
#include "urbplex/mobility/balancing.hpp"
#include "urbplex/mobility/flows.hpp"

namespace urbplex::mobility {

double Deterrence::covariate(double d) const { return kind == DeterrenceKind::power ? std::log(d) : d; }
double Deterrence::operator()(double d) const {
  if (kind == DeterrenceKind::exponential) return std::exp(-gamma * d);
  if (gamma == 2.0) return 1.0 / (d * d);  // the usual case, without pow
  if (gamma == 1.0) return 1.0 / d;
  return std::pow(d, -gamma);
}

namespace {

void check_totals(std::span<const double> t, std::uint32_t n, const char* name) {
  require(t.size() == n, name, "has " + std::to_string(t.size()) + " values, expected " + std::to_string(n));
  for (std::uint32_t i = 0; i < n; ++i)
    if (!std::isfinite(t[i]) || t[i] < 0)
      fail(name, "value at index " + std::to_string(i) + " is " + std::to_string(t[i]) + " (must be finite and >= 0)");
}

// f(d_ij) for i != j; coinciding locations have no finite power deterrence.
double deterrence_of(const DistanceKernel& dist, const Deterrence& f, std::uint32_t i, std::uint32_t j) {
  const double d = dist.distance(i, j);
  if (d <= 0 && f.kind == DeterrenceKind::power && f.gamma > 0)
    fail("coordinates", "locations " + std::to_string(i) + " and " + std::to_string(j) +
                            " coincide: the power-law deterrence d^-gamma is infinite");
  return f(d);
}

}  // namespace

FlowMatrix gravity_flows(const Locations& locs, GravityKind kind, const GravityParams& p,
                         std::span<const double> outflows, std::span<const double> inflows, double min_flow,
                         RunControl& control) {
  check_locations(locs);
  const std::uint32_t n = locs.size();
  for (double v : {p.k, p.alpha, p.beta, p.deterrence.gamma})
    require(std::isfinite(v), "parameters", "gravity parameters must be finite");
  require(p.k > 0, "k", "must be > 0, got " + std::to_string(p.k));
  require(std::isfinite(min_flow) && min_flow >= 0, "min_flow", "must be >= 0");
  const Deterrence f = p.deterrence;
  const DistanceKernel dist(locs);
  std::vector<double> pow_beta(n);
  for (std::uint32_t j = 0; j < n; ++j) pow_beta[j] = std::pow(locs.mass[j], p.beta);

  if (kind == GravityKind::unconstrained) {
    return detail::build_rows(n, min_flow, control, [&](std::uint32_t i, double* row) {
      const double oi = p.k * std::pow(locs.mass[i], p.alpha);
      for (std::uint32_t j = 0; j < n; ++j) row[j] = j == i ? 0.0 : oi * pow_beta[j] * deterrence_of(dist, f, i, j);
    });
  }
  check_totals(outflows, n, "outflows");
  if (kind == GravityKind::origin_constrained) {
    return detail::build_rows(n, min_flow, control, [&](std::uint32_t i, double* row) {
      double total = 0.0;
      for (std::uint32_t j = 0; j < n; ++j) {
        row[j] = j == i ? 0.0 : pow_beta[j] * deterrence_of(dist, f, i, j);
        total += row[j];
      }
      const double scale = total > 0 ? outflows[i] / total : 0.0;
      if (total <= 0 && outflows[i] > 0)
        fail("mass", "origin " + std::to_string(i) + " has outflow but every destination has zero attraction");
      for (std::uint32_t j = 0; j < n; ++j) row[j] *= scale;
    });
  }
  check_totals(inflows, n, "inflows");
  require(min_flow == 0.0, "min_flow", "the doubly constrained gravity model returns a dense matrix");
  FlowMatrix out = detail::build_rows(n, 0.0, control, [&](std::uint32_t i, double* row) {
    for (std::uint32_t j = 0; j < n; ++j) row[j] = j == i ? 0.0 : deterrence_of(dist, f, i, j);
  });
  furness(out.dense, n, outflows, inflows, 1e-12, 100000, control);
  return out;
}

int furness(std::vector<double>& m, std::uint32_t n, std::span<const double> rows, std::span<const double> cols,
            double tol, int max_sweeps, RunControl& control, std::vector<double>* column_scales) {
  check_totals(rows, n, "outflows");
  check_totals(cols, n, "inflows");
  require(m.size() == static_cast<std::size_t>(n) * n, "flows", "must be an n x n matrix");
  double sr = 0, sc = 0;
  for (std::uint32_t i = 0; i < n; ++i) sr += rows[i], sc += cols[i];
  require(std::abs(sr - sc) <= 1e-9 * std::max(sr, sc), "inflows",
          "total inflow " + std::to_string(sc) + " differs from total outflow " + std::to_string(sr));
  std::vector<double> A, own;
  std::vector<double>& B = column_scales ? *column_scales : own;
  const int sweeps = balance_scales(m, n, rows, cols, A, B, BalanceOptions{tol, max_sweeps}, control);
#pragma omp parallel for schedule(static) num_threads(parallel::threads_for(m.size()))
  for (std::int64_t s = 0; s < static_cast<std::int64_t>(n); ++s) {
    double* row = m.data() + static_cast<std::size_t>(s) * n;
    for (std::uint32_t j = 0; j < n; ++j) row[j] *= A[s] * B[j];
  }
  return sweeps;
}

Trips sample_trips(std::span<const double> flows, std::uint32_t n, std::span<const std::uint64_t> trips,
                   std::uint64_t seed) {
  require(flows.size() == static_cast<std::size_t>(n) * n, "flows", "must be an n x n matrix");
  require(trips.size() == n, "trips", "needs one count per origin");
  std::vector<Trips> per_row(n);
  parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel for schedule(dynamic, 16) num_threads(parallel::threads_for(flows.size() * 4))
  for (std::int64_t s = 0; s < static_cast<std::int64_t>(n); ++s) {
    if (errors.failed()) continue;
    errors.guard([&] {
    const double* row = flows.data() + static_cast<std::size_t>(s) * n;
    double total = 0;
    for (std::uint32_t j = 0; j < n; ++j) total += row[j];
    std::uint64_t left = trips[s];
    if (left == 0 || total <= 0) return;
    Rng rng(seed, static_cast<std::uint64_t>(s));
    // Multinomial as a chain of conditional binomials.
    for (std::uint32_t j = 0; j < n && left > 0; ++j) {
      if (row[j] <= 0) continue;
      const double p = std::min(1.0, row[j] / total);
      total -= row[j];
      std::uint64_t k = left;
      if (p < 1.0) {
        std::binomial_distribution<std::uint64_t> binom(left, p);
        k = binom(rng);
      }
      if (k > 0) {
        per_row[s].origin.push_back(static_cast<std::uint32_t>(s));
        per_row[s].destination.push_back(j);
        per_row[s].count.push_back(k);
        left -= k;
      }
    }
    });
  }
  errors.rethrow();
  Trips out;
  for (auto& r : per_row) {
    out.origin.insert(out.origin.end(), r.origin.begin(), r.origin.end());
    out.destination.insert(out.destination.end(), r.destination.begin(), r.destination.end());
    out.count.insert(out.count.end(), r.count.begin(), r.count.end());
  }
  return out;
}

}  // namespace urbplex::mobility
