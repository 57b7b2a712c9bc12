#include "urbplex/percolation/cluster_sizes.hpp"

#include <omp.h>

#include <cmath>
#include <memory>
#include <string>

#include "cluster_tracker.hpp"
#include "urbplex/core/errors.hpp"
#include "urbplex/core/parallel.hpp"
#include "urbplex/core/region_errors.hpp"
#include "urbplex/core/rng.hpp"

namespace urbplex::percolation {

ClusterSizes cluster_size_distribution(const Graph& g, Kind kind, double p, std::uint64_t realizations,
                                       std::uint64_t seed, RunControl& control) {
  require(std::isfinite(p) && p >= 0 && p <= 1, "p", "must be in [0, 1], got " + std::to_string(p));
  require(realizations >= 1, "realizations", "must be >= 1");
  require(g.num_vertices() > 0, "graph", "is empty (no vertices)");
  const std::uint32_t n = g.num_vertices();
  const auto src = g.edge_sources(), dst = g.edge_targets();
  const std::uint64_t m = g.num_edges();
  ClusterSizes out;
  out.n = n;
  out.realizations = realizations;
  out.count.assign(static_cast<std::size_t>(n) + 1, 0);
  control.set_total(realizations);
  const int threads = parallel::threads_for(realizations * (n + m) * 8);
  parallel::RegionErrors errors;
#pragma omp parallel num_threads(threads)
  {
    std::unique_ptr<ClusterTracker> tracker;
    std::vector<std::uint64_t> local;
    std::vector<char> occupied;
    errors.guard([&] {  // per-thread buffers: they may not fit
      tracker = std::make_unique<ClusterTracker>(n);
      local.assign(static_cast<std::size_t>(n) + 1, 0);
      occupied.assign(kind == Kind::Site ? n : 0, 0);
    });
    const bool controller = omp_get_thread_num() == 0;
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t r = 0; r < static_cast<std::int64_t>(realizations); ++r) {
      if (control.stop_requested() || errors.failed()) continue;
      ClusterTracker& t = *tracker;
      Rng rng(seed, static_cast<std::uint64_t>(r));
      if (kind == Kind::Site) {
        t.reset(false);
        for (std::uint32_t v = 0; v < n; ++v) {
          occupied[v] = rng.uniform() < p;
          if (occupied[v]) t.add_site(v);
        }
        for (std::uint64_t e = 0; e < m; ++e)
          if (occupied[src[e]] && occupied[dst[e]]) {
            const std::uint32_t a = t.find(src[e]), b = t.find(dst[e]);
            if (a != b) t.join_roots(a, b);
          }
      } else {
        t.reset(true);
        for (std::uint64_t e = 0; e < m; ++e)
          if (rng.uniform() < p) {
            const std::uint32_t a = t.find(src[e]), b = t.find(dst[e]);
            if (a != b) t.join_roots(a, b);
          }
      }
      const auto& c = t.cluster_counts();
      for (std::size_t s = 1; s <= n; ++s) local[s] += c[s];
      control.advance();
      if (controller) control.checkpoint();
    }
    if (!errors.failed()) {
#pragma omp critical(urbplex_cluster_sizes)
      for (std::size_t s = 1; s <= n; ++s) out.count[s] += local[s];  // integer sums: any order
    }
  }
  errors.rethrow();
  control.throw_if_stopped();
  control.finish();
  return out;
}

}  // namespace urbplex::percolation
