// k-core percolation by removal sweeps; see include/urbplex/percolation/k_core.hpp.
#include "urbplex/percolation/k_core.hpp"

#include <omp.h>

#include <memory>
#include <numeric>
#include <string>

#include "urbplex/core/errors.hpp"
#include "urbplex/core/parallel.hpp"
#include "urbplex/core/region_errors.hpp"
#include "urbplex/core/rng.hpp"
#include "urbplex/percolation/binomial_windows.hpp"

namespace urbplex::percolation {

namespace {

// The k-core of the kept vertices, kept up to date as vertices are removed.
class CorePruner {
 public:
  CorePruner(const Graph& g, std::uint32_t k) : g_(g), k_(k), degree_(g.num_vertices()), in_(g.num_vertices()) {}

  // Every vertex kept, pruned to the k-core.
  void reset() {
    const std::uint32_t n = g_.num_vertices();
    size_ = n;
    stack_.clear();
    for (std::uint32_t v = 0; v < n; ++v) {
      std::uint32_t d = 0;
      for (const std::uint32_t w : g_.neighbors(v)) d += w != v;
      degree_[v] = d;
      in_[v] = 1;
    }
    for (std::uint32_t v = 0; v < n; ++v)
      if (degree_[v] < k_) drop(v);
    drain();
  }
  // Removes v (if still in the core) and prunes what no longer has k neighbours.
  void remove(std::uint32_t v) {
    if (!in_[v]) return;  // outside the core: the core does not change
    drop(v);
    drain();
  }
  std::uint64_t size() const { return size_; }
  bool member(std::uint32_t v) const { return in_[v] != 0; }

 private:
  void drop(std::uint32_t v) {
    in_[v] = 0;
    --size_;
    stack_.push_back(v);
  }
  void drain() {
    while (!stack_.empty()) {
      const std::uint32_t u = stack_.back();
      stack_.pop_back();
      for (const std::uint32_t w : g_.neighbors(u))
        if (w != u && in_[w] && --degree_[w] < k_) drop(w);
    }
  }

  const Graph& g_;
  std::uint32_t k_;
  std::vector<std::uint32_t> degree_;  // neighbours still in the core
  std::vector<std::uint8_t> in_;
  std::vector<std::uint32_t> stack_;
  std::uint64_t size_ = 0;
};

}  // namespace

KCoreEnsemble k_core_ensemble(const Graph& g, std::uint32_t k, std::uint64_t realizations, std::uint64_t seed,
                              std::span<const double> p, RunControl& control) {
  require(realizations >= 1, "realizations", "must be >= 1");
  require(g.num_vertices() > 0, "graph", "is empty (no vertices)");
  require(!g.directed(), "graph", "k-cores are defined here for undirected graphs");
  const std::uint32_t n = g.num_vertices();
  KCoreEnsemble total;
  total.k = k;
  total.n = n;
  total.realizations = realizations;
  total.core.assign(static_cast<std::size_t>(n) + 1, 0);
  total.core_sq.assign(static_cast<std::size_t>(n) + 1, 0);
  const BinomialWindows windows(n, p);
  total.canonical_core.assign(realizations * windows.size(), 0.0);
  total.jump.assign(realizations, 0);
  total.jump_at.assign(realizations, 0);
  control.set_total(realizations);
  parallel::RegionErrors errors;
#pragma omp parallel num_threads(parallel::threads_for(realizations * (n + g.num_arcs()) * 8))
  {
    std::vector<std::uint64_t> core, core_sq;
    std::vector<std::uint32_t> this_core;  // one realization's, by kept vertices
    std::unique_ptr<CorePruner> kept_core;
    std::vector<std::uint32_t> order;
    errors.guard([&] {  // 40 bytes a vertex per thread: may not fit
      core.assign(total.core.size(), 0), core_sq.assign(total.core.size(), 0), this_core.resize(total.core.size());
      kept_core = std::make_unique<CorePruner>(g, k);
      order.resize(n);
    });
    const bool controller = omp_get_thread_num() == 0;
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t r = 0; r < static_cast<std::int64_t>(realizations); ++r) {
      if (control.stop_requested() || errors.failed()) continue;
      CorePruner& pruner = *kept_core;
      Rng rng(seed, static_cast<std::uint64_t>(r));
      std::iota(order.begin(), order.end(), 0u);
      for (std::uint64_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
      pruner.reset();
      auto record = [&](std::size_t kept) {
        const std::uint64_t s = pruner.size();
        core[kept] += s;
        core_sq[kept] += s * s;
        this_core[kept] = static_cast<std::uint32_t>(s);
      };
      record(n);
      std::uint32_t jump = 0, jump_at = n;
      for (std::uint32_t i = 0; i < n; ++i) {
        const std::uint64_t before = pruner.size();
        pruner.remove(order[i]);
        record(n - i - 1);
        if (before - pruner.size() > jump) jump = static_cast<std::uint32_t>(before - pruner.size()), jump_at = n - i;
        if ((i & 65535) == 65535) {
          if (controller) control.checkpoint();
          if (control.stop_requested()) break;
        }
      }
      if (control.stop_requested()) continue;
      total.jump[r] = jump;
      total.jump_at[r] = jump_at;
      windows.add(std::span<const std::uint32_t>(this_core), total.canonical_core.data() + r * windows.size());
      control.advance();
      if (controller) control.checkpoint();
    }
    if (!errors.failed()) {
#pragma omp critical(urbplex_k_core_reduce)
      for (std::size_t j = 0; j < core.size(); ++j) {  // integer sums: any order of the threads
        total.core[j] += core[j];
        total.core_sq[j] += core_sq[j];
      }
    }
  }
  errors.rethrow();
  control.finish();
  return total;
}

std::vector<std::uint8_t> k_core_members(const Graph& g, std::uint32_t k) {
  require(!g.directed(), "graph", "k-cores are defined here for undirected graphs");
  CorePruner pruner(g, k);
  pruner.reset();
  std::vector<std::uint8_t> out(g.num_vertices());
  for (std::uint32_t v = 0; v < g.num_vertices(); ++v) out[v] = pruner.member(v);
  return out;
}

}  // namespace urbplex::percolation
