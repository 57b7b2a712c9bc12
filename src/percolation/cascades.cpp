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
                          std::span<const std::uint32_t> initial_failures, RunControl& control) {
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
  for (;;) {
    const auto load = betweenness(g, out.alive, control);
    ++out.stages;
    bool any = false;
    for (std::uint32_t v = 0; v < n; ++v) {
      // Relative slack: loads are floating-point sums whose order may change.
      const double capacity = (1.0 + alpha) * initial_load[v];
      if (out.alive[v] && load[v] > capacity * (1 + 1e-12) + 1e-9) {
        out.alive[v] = 0;
        any = true;
      }
    }
    if (!any) break;
  }
  out.failed = static_cast<std::uint32_t>(std::count(out.alive.begin(), out.alive.end(), 0));
  out.damage = before > 0 ? static_cast<double>(largest_alive_component(g, out.alive)) / before : 0.0;
  return out;
}

}  // namespace urbplex::percolation
