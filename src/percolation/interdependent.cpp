#include "urbplex/percolation/interdependent.hpp"
#include "urbplex/core/parallel.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>

#include "urbplex/core/errors.hpp"
#include "urbplex/core/region_errors.hpp"
#include "urbplex/core/rng.hpp"
#include "urbplex/core/union_find.hpp"

namespace urbplex::percolation {
namespace {

// Keeps in `alive` only the vertices of the largest component of g restricted
// to alive vertices (ids mapped through `map`, identity if empty). Returns
// how many vertices it removed.
std::uint32_t keep_giant(const Graph& g, std::vector<char>& alive, std::span<const std::uint32_t> map, UnionFind& uf,
                         std::vector<char>& alive_g) {
  const std::uint32_t n = g.num_vertices();
  for (std::uint32_t v = 0; v < n; ++v) alive_g[map.empty() ? v : map[v]] = alive[v];
  uf.reset(n);
  const auto s = g.edge_sources(), t = g.edge_targets();
  for (std::uint64_t e = 0; e < s.size(); ++e)
    if (alive_g[s[e]] && alive_g[t[e]]) uf.unite(s[e], t[e]);
  std::uint32_t best = 0, best_size = 0;
  for (std::uint32_t v = 0; v < n; ++v)
    if (alive_g[v] && uf.find(v) == v && uf.root_size(v) > best_size) {
      best = v;
      best_size = uf.root_size(v);
    }
  std::uint32_t removed = 0;
  for (std::uint32_t v = 0; v < n; ++v) {
    const std::uint32_t gv = map.empty() ? v : map[v];
    if (alive[v] && (best_size == 0 || uf.find(gv) != best)) {
      alive[v] = 0;
      ++removed;
    }
  }
  return removed;
}

void check_pair(const Graph& a, const Graph& b, std::span<const std::uint32_t> dep) {
  require(a.num_vertices() == b.num_vertices(), "b",
          "must have as many vertices as a (" + std::to_string(a.num_vertices()) + "), has " +
              std::to_string(b.num_vertices()));
  require(a.num_vertices() > 0, "a", "is empty");
  if (dep.empty()) return;
  require(dep.size() == a.num_vertices(), "dependency", "needs one entry per vertex");
  std::vector<char> seen(dep.size(), 0);
  for (std::size_t i = 0; i < dep.size(); ++i) {
    if (dep[i] >= dep.size() || seen[dep[i]]) fail("dependency", "must be a permutation of the vertices");
    seen[dep[i]] = 1;
  }
}

struct Workspace {
  std::vector<char> alive, alive_g;
  UnionFind uf;
  explicit Workspace(std::uint32_t n) : alive(n), alive_g(n), uf(n) {}
};

MutualOutcome run(const Graph& a, const Graph& b, std::span<const std::uint32_t> dep,
                  std::span<const std::uint32_t> rank, double p, Workspace& w) {
  const std::uint32_t n = a.num_vertices();
  const double cut = p * n;
  for (std::uint32_t v = 0; v < n; ++v) w.alive[v] = rank[v] < cut;
  MutualOutcome out;
  // Alternate: giant of A, then giant of B (through the dependency map), until stable.
  for (;;) {
    ++out.iterations;
    keep_giant(a, w.alive, {}, w.uf, w.alive_g);
    const std::uint32_t rb = keep_giant(b, w.alive, dep, w.uf, w.alive_g);
    if (rb == 0) break;  // alive is now connected in A (last pass) and in B
  }
  out.size = static_cast<std::uint32_t>(std::count(w.alive.begin(), w.alive.end(), 1));
  return out;
}

}  // namespace

MutualOutcome mutual_giant(const Graph& a, const Graph& b, std::span<const std::uint32_t> dep,
                           std::span<const std::uint32_t> rank, double p) {
  check_pair(a, b, dep);
  require(rank.size() == a.num_vertices(), "rank", "needs one entry per vertex");
  Workspace w(a.num_vertices());
  return run(a, b, dep, rank, p, w);
}

MutualSweep mutual_sweep(const Graph& a, const Graph& b, std::span<const std::uint32_t> dep,
                         std::span<const double> p, std::uint32_t realizations, std::uint64_t seed, bool thresholds,
                         double collapse, double tol, RunControl& control) {
  check_pair(a, b, dep);
  require(realizations >= 1, "realizations", "must be >= 1");
  for (double q : p) require(q >= 0 && q <= 1, "p", "values must be in [0, 1]");
  require(collapse > 0 && collapse < 1, "collapse", "must be in (0, 1)");
  const std::uint32_t n = a.num_vertices();
  MutualSweep out;
  out.p.assign(p.begin(), p.end());
  // sizes[r][i]: integers, summed in realization order below (deterministic).
  std::vector<std::vector<std::uint32_t>> sizes(realizations, std::vector<std::uint32_t>(p.size()));
  out.thresholds.assign(thresholds ? realizations : 0, 0.0);
  control.set_total(realizations);
  parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel num_threads(parallel::threads_for(realizations * (static_cast<std::uint64_t>(n) + a.num_arcs() + b.num_arcs()) * 16))
  {
    std::optional<Workspace> workspace;
    std::vector<std::uint32_t> rank, perm;
    errors.guard([&] { workspace.emplace(n), rank.resize(n), perm.resize(n); });
    const bool controller = omp_get_thread_num() == 0;
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t r = 0; r < static_cast<std::int64_t>(realizations); ++r) {
      if (control.stop_requested() || errors.failed()) continue;
      errors.guard([&] {
      Workspace& w = *workspace;
      Rng rng(seed, static_cast<std::uint64_t>(r));
      std::iota(perm.begin(), perm.end(), 0u);
      for (std::uint64_t i = n; i > 1; --i) std::swap(perm[i - 1], perm[rng.below(i)]);
      for (std::uint32_t i = 0; i < n; ++i) rank[perm[i]] = i;
      for (std::size_t i = 0; i < p.size(); ++i) {
        sizes[r][i] = run(a, b, dep, rank, p[i], w).size;
        if (controller) control.checkpoint();
      }
      if (thresholds) {
        double lo = 0.0, hi = 1.0;
        while (hi - lo > tol && !control.stop_requested()) {
          const double mid = 0.5 * (lo + hi);
          (run(a, b, dep, rank, mid, w).size > collapse * n ? hi : lo) = mid;
          if (controller) control.checkpoint();
        }
        out.thresholds[r] = 0.5 * (lo + hi);
      }
      });
      control.advance();
    }
  }
  errors.rethrow();
  control.finish();
  out.fraction.assign(p.size(), 0.0);
  out.each.resize(static_cast<std::size_t>(realizations) * p.size());
  for (std::uint32_t r = 0; r < realizations; ++r)
    for (std::size_t i = 0; i < p.size(); ++i)
      out.each[r * p.size() + i] = static_cast<double>(sizes[r][i]) / n;
  for (std::size_t i = 0; i < p.size(); ++i) {
    std::uint64_t total = 0;
    for (std::uint32_t r = 0; r < realizations; ++r) total += sizes[r][i];
    out.fraction[i] = static_cast<double>(total) / (static_cast<double>(n) * realizations);
  }
  return out;
}

}  // namespace urbplex::percolation
