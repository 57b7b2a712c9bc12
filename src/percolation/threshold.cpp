#include "urbplex/percolation/threshold.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "cluster_tracker.hpp"
#include "urbplex/core/errors.hpp"

namespace urbplex::percolation {

ThresholdSweep threshold_sweep(const Graph& g, std::span<const double> values) {
  require(g.num_vertices() > 0, "graph", "is empty");
  require(g.num_edges() > 0, "graph", "has no edges");
  require(values.size() == g.num_edges(), "values",
          "has " + std::to_string(values.size()) + " entries, expected one per edge (" + std::to_string(g.num_edges()) + ")");
  for (std::size_t e = 0; e < values.size(); ++e)
    if (!std::isfinite(values[e])) fail("values", "value at edge " + std::to_string(e) + " is not finite");
  std::vector<std::uint32_t> order(g.num_edges());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return values[a] > values[b]; });

  const auto src = g.edge_sources(), dst = g.edge_targets();
  ClusterTracker t(g.num_vertices());
  t.reset(true);
  ThresholdSweep out;
  auto join = [&](std::uint32_t e) {
    const std::uint32_t a = t.find(src[e]), b = t.find(dst[e]);
    if (a != b) t.join_roots(a, b);
  };
  std::size_t i = 0;
  while (i < order.size()) {  // one record per distinct value
    const double q = values[order[i]];
    while (i < order.size() && values[order[i]] == q) join(order[i++]);
    out.q.push_back(q);
    out.largest.push_back(t.largest());
    out.second.push_back(t.second());
  }
  out.critical = static_cast<std::size_t>(std::max_element(out.second.begin(), out.second.end()) - out.second.begin());
  const double qc = out.q[out.critical];

  // Replay up to q_c, find the two largest clusters, and the edges below q_c between them.
  t.reset(true);
  std::size_t k = 0;
  for (; k < order.size() && values[order[k]] >= qc; ++k) join(order[k]);
  std::uint32_t r1 = 0, r2 = 0, s1 = 0, s2 = 0;
  for (std::uint32_t v = 0; v < g.num_vertices(); ++v) {
    if (t.find(v) != v) continue;
    const std::uint32_t s = t.root_size(v);
    if (s > s1) {
      r2 = r1, s2 = s1;
      r1 = v, s1 = s;
    } else if (s > s2) {
      r2 = v, s2 = s;
    }
  }
  if (s2 == 0) return out;
  // Continue the sweep below q_c until the two clusters are one. The merging
  // value is q*: its edges that join the side of the largest cluster to the
  // side of the second as they stood just before q* each merge the two on
  // their own (the first one in sweep order is the link that did); edges that
  // merge them only through another edge of q* are not bottlenecks.
  while (k < order.size()) {
    const double q = values[order[k]];
    std::size_t end = k;
    while (end < order.size() && values[order[end]] == q) ++end;
    const std::uint32_t side1 = t.find(r1), side2 = t.find(r2);
    std::vector<std::uint32_t> direct;  // edges of q joining the two sides as they were before q
    for (std::size_t j = k; j < end; ++j) {
      const std::uint32_t e = order[j];
      const std::uint32_t a = t.find(src[e]), b = t.find(dst[e]);
      if ((a == side1 && b == side2) || (a == side2 && b == side1)) direct.push_back(e);
    }
    std::uint32_t merging = UINT32_MAX;
    for (std::size_t j = k; j < end; ++j) {
      join(order[j]);
      if (merging == UINT32_MAX && t.find(r1) == t.find(r2)) merging = order[j];
    }
    if (merging != UINT32_MAX) {
      out.bottlenecks.push_back(merging);
      for (std::uint32_t e : direct)
        if (e != merging) out.bottlenecks.push_back(e);
      break;
    }
    k = end;
  }
  return out;
}

}  // namespace urbplex::percolation
