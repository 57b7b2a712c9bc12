#include "urbplex/scaling/tie_formation.hpp"
#include "urbplex/core/parallel.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "urbplex/core/errors.hpp"
#include "urbplex/core/region_errors.hpp"
#include "urbplex/core/rng.hpp"

namespace urbplex::scaling {

std::vector<std::uint64_t> rank_based_ties(std::span<const std::uint32_t> sizes, double c, std::uint64_t seed,
                                           RunControl& control) {
  require(std::isfinite(c) && c > 0, "c", "must be a positive number, got " + std::to_string(c));
  for (std::uint32_t n : sizes) require(n >= 2 && n <= 200000, "sizes", "city sizes must be in [2, 200000]");
  std::vector<std::uint64_t> ties(sizes.size(), 0);
  std::uint64_t total_agents = 0;
  for (auto n : sizes) total_agents += n;
  control.set_total(total_agents);
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    const std::uint32_t n = sizes[k];
    // Places: uniform in a disk of area n (unit density); point i from stream (seed, k<<32 | i, place).
    std::vector<double> x(n), y(n);
    const double radius = std::sqrt(n / M_PI);
    for (std::uint32_t i = 0; i < n; ++i) {
      Rng rng(seed ^ 0x9e3779b97f4a7c15ULL, (static_cast<std::uint64_t>(k) << 32) | i);
      const double r = radius * std::sqrt(rng.uniform()), a = 2 * M_PI * rng.uniform();
      x[i] = r * std::cos(a);
      y[i] = r * std::sin(a);
    }
    std::uint64_t city_ties = 0;
    // Every agent sorts its distances to the n - 1 others.
    parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel reduction(+ : city_ties) num_threads(parallel::threads_for(static_cast<std::uint64_t>(n) * n * 16))
    {
      std::vector<double> d2;
      errors.guard([&] { d2.resize(n); });
      const bool controller = omp_get_thread_num() == 0;
#pragma omp for schedule(dynamic, 16)
      for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i) {
        if (control.stop_requested() || errors.failed()) continue;
        Rng rng(seed, (static_cast<std::uint64_t>(k) << 32) | static_cast<std::uint64_t>(i));
        std::size_t m = 0;
        for (std::uint32_t j = 0; j < n; ++j)
          if (j != i) d2[m++] = (x[i] - x[j]) * (x[i] - x[j]) + (y[i] - y[j]) * (y[i] - y[j]);
        std::sort(d2.begin(), d2.begin() + m);
        // Ranks are ties-inclusive: a group of equidistant agents shares the largest rank.
        for (std::size_t r = 0; r < m;) {
          std::size_t e = r;
          while (e < m && d2[e] == d2[r]) ++e;
          const double p = std::min(1.0, c / static_cast<double>(e));
          for (std::size_t q = r; q < e; ++q) city_ties += rng.uniform() < p;
          r = e;
        }
        control.advance();
        if (controller) control.checkpoint();
      }
    }
    errors.rethrow();
    ties[k] = city_ties;
  }
  control.finish();
  return ties;
}

}  // namespace urbplex::scaling
