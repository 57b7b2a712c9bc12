// An agent rule of one's own as a C++ policy, run by urbplex's agents
// framework, next to a library model (d-EPR agents) through the same
// framework. Exits non-zero when a check fails.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <vector>

#include "urbplex/agents/stage.hpp"
#include "urbplex/core/rng.hpp"
#include "urbplex/mobility/epr.hpp"

namespace {

// A rule: each agent's wealth grows by a lognormal factor drawn from its own
// counter-based stream (seed, agent), so the result does not depend on threads.
struct Growth {
  std::span<const double> wealth;
  std::span<double> next;
  std::uint64_t seed;
  void operator()(std::int64_t i) const {
    urbplex::Rng rng(seed, static_cast<std::uint64_t>(i));
    const double u1 = rng.uniform(), u2 = rng.uniform();
    const double z = std::sqrt(-2.0 * std::log1p(-u1)) * std::cos(2.0 * M_PI * u2);
    next[static_cast<std::size_t>(i)] = wealth[static_cast<std::size_t>(i)] * std::exp(0.1 * z);
  }
};

}  // namespace

int main() {
  const std::size_t n = 200000;
  std::vector<double> wealth(n, 1.0), next(n);
  std::vector<std::int64_t> ids(n);
  std::iota(ids.begin(), ids.end(), 0);
  Growth rule{wealth, next, 7};
  urbplex::agents::apply_parallel(ids, rule);
  double mean_log = 0;
  for (double w : next) mean_log += std::log(w);
  mean_log /= static_cast<double>(n);
  std::printf("mean log-wealth after one step: %.5f (expected 0 +- %.5f)\n", mean_log, 3 * 0.1 / std::sqrt(n));
  if (std::abs(mean_log) > 3 * 0.1 / std::sqrt(static_cast<double>(n))) return 1;

  // d-EPR agents on 100 places of a 10 x 10 grid
  std::vector<double> x(100), y(100), mass(100, 1.0);
  for (int i = 0; i < 100; ++i) x[static_cast<std::size_t>(i)] = i % 10, y[static_cast<std::size_t>(i)] = i / 10;
  const urbplex::mobility::Locations places{x, y, mass};
  urbplex::mobility::EprOptions options;
  options.agents = 500;
  options.steps = 200;
  options.seed = 3;
  const auto result = urbplex::mobility::simulate_epr(places, urbplex::mobility::EprParams{}, options);
  const double mean_distinct =
      std::accumulate(result.distinct.begin(), result.distinct.end(), 0.0) / options.agents;
  std::printf("d-EPR: %u agents x %u jumps, %.1f distinct places each on average\n", result.agents, result.steps,
              mean_distinct);
  return mean_distinct > 2 && mean_distinct < 100 ? 0 : 1;
}
