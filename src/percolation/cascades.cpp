#include "urbplex/percolation/cascades.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "urbplex/core/betweenness.hpp"
#include "urbplex/core/errors.hpp"
#include "urbplex/core/union_find.hpp"

namespace urbplex::percolation {
namespace {

std::uint32_t largest_alive_component(const Graph& g, const std::vector<char>& alive) {
  UnionFind uf(g.num_vertices());
  const auto s = g.edge_sources(), t = g.edge_targets();
  for (std::uint64_t e = 0; e < s.size(); ++e)
    if (alive[s[e]] && alive[t[e]]) uf.unite(s[e], t[e]);
  std::uint32_t best = 0;
  for (std::uint32_t v = 0; v < g.num_vertices(); ++v)
    if (alive[v] && uf.find(v) == v) best = std::max(best, uf.root_size(v));
  return best;
}

}  // namespace

CascadeOutcome motter_lai(const Graph& g, std::span<const double> initial_load, double alpha,
                          std::span<const std::uint32_t> initial_failures, RunControl& control,
                          std::span<const std::uint32_t> sources) {
  const std::uint32_t n = g.num_vertices();
  require(n > 0, "graph", "is empty");
  require(initial_load.size() == n, "initial_load", "needs one value per vertex");
  require(std::isfinite(alpha) && alpha >= 0, "alpha", "must be finite and >= 0, got " + std::to_string(alpha));
  CascadeOutcome out;
  out.alive.assign(n, 1);
  const std::uint32_t before = largest_alive_component(g, out.alive);
  for (std::uint32_t v : initial_failures) {
    if (v >= n) fail("initial_failures", "vertex " + std::to_string(v) + " out of range");
    out.alive[v] = 0;
  }
  // Paths never leave a component, so after each stage only the components
  // that lost a vertex get new loads; the others keep theirs (and passed the
  // test already). Late stages, among small fragments, are then cheap.
  std::vector<double> load(initial_load.begin(), initial_load.end());
  std::vector<std::uint32_t> newly(initial_failures.begin(), initial_failures.end());
  const bool exact = sources.empty();
  std::vector<char> pivot(exact ? 0 : n, 0);
  for (std::uint32_t s : sources) {
    if (s >= n) fail("sources", "vertex " + std::to_string(s) + " out of range");
    pivot[s] = 1;
  }
  const auto off = g.offsets();
  const auto tgt = g.targets();
  const auto es = g.edge_sources(), et = g.edge_targets();
  // With no initial failure the first stage still recomputes everything.
  bool everything = newly.empty();
  while (everything || !newly.empty()) {
    UnionFind uf(n);
    for (std::uint64_t e = 0; e < es.size(); ++e)
      if (out.alive[es[e]] && out.alive[et[e]]) uf.unite(es[e], et[e]);
    std::vector<char> touched_root(n, 0);
    for (std::uint32_t f : newly)
      for (offset_t a = off[f]; a < off[f + 1]; ++a)
        if (out.alive[tgt[a]]) touched_root[uf.find(tgt[a])] = 1;
    std::vector<char> affected(n, 0);
    std::vector<std::uint32_t> from;
    for (std::uint32_t v = 0; v < n; ++v) {
      if (!out.alive[v]) {
        load[v] = 0;
        continue;
      }
      if (!everything && !touched_root[uf.find(v)]) continue;
      affected[v] = 1;
      if (exact || pivot[v]) from.push_back(v);
    }
    std::vector<double> fresh(n, 0.0);
    if (!from.empty()) {
      fresh = betweenness(g, affected, control, from);
      // betweenness scaled by n/|from|; the full estimate uses n/k (k pivots) or 1 (exact).
      const double rescale = static_cast<double>(from.size()) / (exact ? n : static_cast<double>(sources.size()));
      for (auto& x : fresh) x *= rescale;
    }
    ++out.stages;
    everything = false;
    newly.clear();
    for (std::uint32_t v = 0; v < n; ++v) {
      if (!affected[v]) continue;
      load[v] = fresh[v];
      // Relative slack: loads are floating-point sums whose order may change.
      const double capacity = (1.0 + alpha) * initial_load[v];
      if (load[v] > capacity * (1 + 1e-12) + 1e-9) {
        out.alive[v] = 0;
        newly.push_back(v);
      }
    }
  }
  out.failed = static_cast<std::uint32_t>(std::count(out.alive.begin(), out.alive.end(), 0));
  out.damage = before > 0 ? static_cast<double>(largest_alive_component(g, out.alive)) / before : 0.0;
  return out;
}

}  // namespace urbplex::percolation
