// The Achlioptas process; see include/urbplex/percolation/explosive.hpp.
#include "urbplex/percolation/explosive.hpp"

#include <omp.h>

#include <memory>
#include <numeric>

#include "cluster_tracker.hpp"
#include "urbplex/core/errors.hpp"
#include "urbplex/core/parallel.hpp"
#include "urbplex/core/region_errors.hpp"
#include "urbplex/core/rng.hpp"

namespace urbplex::percolation {

AchlioptasRule achlioptas_rule(const std::string& name) {
  if (name == "product") return AchlioptasRule::product;
  if (name == "sum") return AchlioptasRule::sum;
  if (name == "erdos_renyi") return AchlioptasRule::erdos_renyi;
  fail("rule", "must be 'product', 'sum' or 'erdos_renyi', got '" + name + "'");
}

namespace {

// The rule's score of joining the clusters of roots a and b (lower is kept).
std::uint64_t score(AchlioptasRule rule, ClusterTracker& t, std::uint32_t a, std::uint32_t b) {
  const std::uint64_t sa = t.root_size(a), sb = t.root_size(b);
  return rule == AchlioptasRule::product ? sa * sb : sa + sb;
}

// One realization: `pick(rng, which)` draws the endpoints of a candidate edge
// (which = 0 or 1); `take(which)` commits the chosen one (graph mode).
template <class Pick, class Take>
void run_process(ClusterTracker& t, std::uint64_t steps, AchlioptasRule rule, Rng& rng, Pick pick, Take take,
                 std::vector<std::uint64_t>& largest, std::vector<std::uint64_t>& largest_sq,
                 std::vector<std::uint64_t>& second, RunControl& control, bool controller) {
  t.reset(true);
  auto record = [&](std::uint64_t step) {
    const std::uint64_t s = t.largest();
    largest[step] += s;
    largest_sq[step] += s * s;
    second[step] += t.second();
  };
  record(0);
  for (std::uint64_t step = 1; step <= steps; ++step) {
    auto [u1, v1] = pick(rng, 0);
    std::uint32_t a = t.find(u1), b = t.find(v1), which = 0;
    if (rule != AchlioptasRule::erdos_renyi) {
      auto [u2, v2] = pick(rng, 1);
      const std::uint32_t c = t.find(u2), d = t.find(v2);
      if (score(rule, t, c, d) < score(rule, t, a, b)) a = c, b = d, which = 1;  // ties keep the first
    }
    take(which);
    if (a != b) t.join_roots(a, b);
    record(step);
    if ((step & 65535) == 0) {
      if (controller) control.checkpoint();
      if (control.stop_requested()) return;
    }
  }
}

template <class Realization>
ExplosiveEnsemble ensemble(std::uint32_t n, std::uint64_t steps, std::uint64_t realizations, std::uint64_t work,
                           RunControl& control, Realization realization) {
  ExplosiveEnsemble total;
  total.n = n;
  total.realizations = realizations;
  total.largest.assign(steps + 1, 0);
  total.largest_sq.assign(steps + 1, 0);
  total.second.assign(steps + 1, 0);
  control.set_total(realizations);
  parallel::RegionErrors errors;
#pragma omp parallel num_threads(parallel::threads_for(realizations * work))
  {
    std::vector<std::uint64_t> largest, largest_sq, second;
    std::unique_ptr<ClusterTracker> t;
    errors.guard([&] {  // 24 bytes a step and 12 a vertex per thread: may not fit
      largest.assign(steps + 1, 0), largest_sq.assign(steps + 1, 0), second.assign(steps + 1, 0);
      t = std::make_unique<ClusterTracker>(n);
    });
    const bool controller = omp_get_thread_num() == 0;
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t r = 0; r < static_cast<std::int64_t>(realizations); ++r) {
      if (control.stop_requested() || errors.failed()) continue;
      errors.guard([&] { realization(static_cast<std::uint64_t>(r), *t, largest, largest_sq, second, controller); });
      control.advance();
      if (controller) control.checkpoint();
    }
    if (!errors.failed()) {
#pragma omp critical(urbplex_explosive_reduce)
      for (std::size_t s = 0; s <= steps; ++s) {  // integer sums: any order of the threads
        total.largest[s] += largest[s];
        total.largest_sq[s] += largest_sq[s];
        total.second[s] += second[s];
      }
    }
  }
  errors.rethrow();
  control.finish();
  return total;
}

}  // namespace

ExplosiveEnsemble explosive_complete(std::uint32_t n, std::uint64_t steps, AchlioptasRule rule,
                                     std::uint64_t realizations, std::uint64_t seed, RunControl& control) {
  require(n >= 2, "n", "must be >= 2");
  require(realizations >= 1, "realizations", "must be >= 1");
  return ensemble(n, steps, realizations, (n + steps) * 16, control,
                  [&](std::uint64_t r, ClusterTracker& t, auto& largest, auto& largest_sq, auto& second,
                      bool controller) {
                    Rng rng(seed, r);
                    auto pick = [n](Rng& g, int) {
                      const auto u = static_cast<std::uint32_t>(g.below(n));
                      auto v = static_cast<std::uint32_t>(g.below(n - 1));
                      v += v >= u;  // distinct endpoints
                      return std::pair{u, v};
                    };
                    run_process(t, steps, rule, rng, pick, [](std::uint32_t) {}, largest, largest_sq, second, control,
                                controller);
                  });
}

ExplosiveEnsemble explosive_graph(const Graph& g, AchlioptasRule rule, std::uint64_t realizations,
                                  std::uint64_t seed, RunControl& control) {
  require(g.num_vertices() > 0, "graph", "is empty (no vertices)");
  require(g.num_edges() > 0, "graph", "has no edges to add");
  require(realizations >= 1, "realizations", "must be >= 1");
  const std::uint64_t m = g.num_edges();
  const auto src = g.edge_sources(), dst = g.edge_targets();
  return ensemble(g.num_vertices(), m, realizations, (g.num_vertices() + m) * 16, control,
                  [&](std::uint64_t r, ClusterTracker& t, auto& largest, auto& largest_sq, auto& second,
                      bool controller) {
                    Rng rng(seed, r);
                    // Edges not yet added are pool[0, left); a candidate is drawn
                    // from them, the second distinct from the first while two remain.
                    std::vector<std::uint32_t> pool(m);
                    std::iota(pool.begin(), pool.end(), 0u);
                    std::uint64_t left = m;
                    std::uint64_t slot[2] = {0, 0};
                    auto pick = [&](Rng& gen, int which) {
                      if (which == 0) {
                        slot[0] = gen.below(left);
                      } else if (left > 1) {
                        slot[1] = gen.below(left - 1);
                        slot[1] += slot[1] >= slot[0];
                      } else {
                        slot[1] = slot[0];
                      }
                      const std::uint32_t e = pool[slot[which]];
                      return std::pair{src[e], dst[e]};
                    };
                    auto take = [&](std::uint32_t which) { std::swap(pool[slot[which]], pool[--left]); };
                    run_process(t, m, rule, rng, pick, take, largest, largest_sq, second, control, controller);
                  });
}

}  // namespace urbplex::percolation
