#include "urbplex/percolation/distance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "cluster_tracker.hpp"
#include "urbplex/core/errors.hpp"

namespace urbplex::percolation {
namespace {

std::vector<std::uint32_t> sorted_edges(const Graph& g, std::span<const double> length) {
  require(g.num_vertices() > 0, "graph", "is empty");
  require(length.size() == g.num_edges(), "length",
          "has " + std::to_string(length.size()) + " entries, expected one per edge (" + std::to_string(g.num_edges()) + ")");
  for (std::size_t e = 0; e < length.size(); ++e)
    if (!(std::isfinite(length[e]) && length[e] >= 0))
      fail("length", "value at edge " + std::to_string(e) + " must be finite and >= 0");
  std::vector<std::uint32_t> order(g.num_edges());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return length[a] < length[b]; });
  return order;
}

}  // namespace

DistanceSweep distance_sweep(const Graph& g, std::span<const double> length) {
  const auto order = sorted_edges(g, length);
  const auto src = g.edge_sources(), dst = g.edge_targets();
  ClusterTracker t(g.num_vertices());
  t.reset(true);
  DistanceSweep out;
  std::size_t i = 0;
  while (i < order.size()) {
    const double d = length[order[i]];
    for (; i < order.size() && length[order[i]] == d; ++i) {
      const std::uint32_t a = t.find(src[order[i]]), b = t.find(dst[order[i]]);
      if (a != b) t.join_roots(a, b);
    }
    out.d.push_back(d);
    out.largest.push_back(t.largest());
    out.clusters.push_back(t.clusters());
  }
  return out;
}

std::vector<std::vector<std::uint32_t>> distance_partitions(const Graph& g, std::span<const double> length,
                                                            std::span<const double> thresholds) {
  for (std::size_t j = 0; j < thresholds.size(); ++j) {
    require(std::isfinite(thresholds[j]), "thresholds", "values must be finite");
    if (j > 0) require(thresholds[j] > thresholds[j - 1], "thresholds", "must be strictly increasing");
  }
  const auto order = sorted_edges(g, length);
  const auto src = g.edge_sources(), dst = g.edge_targets();
  const std::uint32_t n = g.num_vertices();
  ClusterTracker t(n);
  t.reset(true);
  std::vector<std::vector<std::uint32_t>> out;
  std::size_t i = 0;
  for (double d : thresholds) {
    for (; i < order.size() && length[order[i]] <= d; ++i) {
      const std::uint32_t a = t.find(src[order[i]]), b = t.find(dst[order[i]]);
      if (a != b) t.join_roots(a, b);
    }
    std::vector<std::uint32_t> label(n), root_label(n, std::numeric_limits<std::uint32_t>::max());
    std::uint32_t next = 0;
    for (std::uint32_t v = 0; v < n; ++v) {
      const std::uint32_t r = t.find(v);
      if (root_label[r] == std::numeric_limits<std::uint32_t>::max()) root_label[r] = next++;
      label[v] = root_label[r];
    }
    out.push_back(std::move(label));
  }
  return out;
}

}  // namespace urbplex::percolation
