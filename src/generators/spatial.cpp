#include "urbplex/generators/spatial.hpp"
#include "urbplex/core/memory.hpp"
#include "urbplex/core/parallel.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <string>
#include <vector>

#include "urbplex/core/errors.hpp"
#include "urbplex/core/rng.hpp"

namespace urbplex::generators {

Graph random_geometric(std::uint32_t n, double radius, std::uint64_t seed, double side, RunControl& control) {
  require(std::isfinite(side) && side > 0, "side", "must be a positive number, got " + std::to_string(side));
  require(std::isfinite(radius) && radius > 0, "radius", "must be a positive number, got " + std::to_string(radius));
  // Expected edges ignoring the border; peak about 56 B per edge (lists with
  // lengths twice, then the graph) and 40 B per point.
  const double fraction = std::min(1.0, M_PI * radius * radius / (side * side));
  const double expected_edges = fraction * static_cast<double>(n) * (static_cast<double>(n) - 1) / 2;
  require(expected_edges < 4.2e9, "radius", "gives about " + std::to_string(static_cast<long long>(expected_edges)) +
                                                " edges, more than the 2^32 edge ids of a Graph");
  memory::require_available(expected_edges * 56 + static_cast<double>(n) * 40,
                            "random_geometric(n=" + std::to_string(n) + ", radius=" + std::to_string(radius) + ")");
  std::vector<double> xs(n), ys(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    Rng rng(seed, i);
    xs[i] = rng.uniform() * side;
    ys[i] = rng.uniform() * side;
  }
  // Grid of cells at least `radius` wide: neighbours lie in the 3x3 block.
  const auto cells_per_side = static_cast<std::uint32_t>(
      std::clamp(std::floor(side / radius), 1.0, std::max(1.0, std::floor(std::sqrt(static_cast<double>(n)) * 2))));
  const double cell = side / cells_per_side;
  const std::uint64_t ncell = static_cast<std::uint64_t>(cells_per_side) * cells_per_side;
  auto cell_of = [&](std::uint32_t i) {
    const auto cx = std::min<std::uint32_t>(cells_per_side - 1, static_cast<std::uint32_t>(xs[i] / cell));
    const auto cy = std::min<std::uint32_t>(cells_per_side - 1, static_cast<std::uint32_t>(ys[i] / cell));
    return static_cast<std::uint64_t>(cy) * cells_per_side + cx;
  };
  std::vector<std::uint64_t> start(ncell + 1, 0);
  for (std::uint32_t i = 0; i < n; ++i) ++start[cell_of(i) + 1];
  for (std::uint64_t c = 0; c < ncell; ++c) start[c + 1] += start[c];
  std::vector<vertex_t> members(n);
  {
    std::vector<std::uint64_t> next(start.begin(), start.end() - 1);
    for (std::uint32_t i = 0; i < n; ++i) members[next[cell_of(i)]++] = i;
  }

  // Each point i finds its neighbours j > i; blocks of points are concatenated
  // in order, so edge ids do not depend on the thread count.
  constexpr std::uint32_t kBlock = 4096;
  const std::uint32_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<std::vector<vertex_t>> bsrc(blocks), bdst(blocks);
  std::vector<std::vector<double>> blen(blocks);
  const double r2 = radius * radius;
  control.set_total(n);
  std::atomic<bool> out_of_memory{false};
#pragma omp parallel for schedule(dynamic, 1) num_threads(parallel::threads_for(static_cast<std::uint64_t>(n) * 64))
  for (std::int64_t b = 0; b < static_cast<std::int64_t>(blocks); ++b) {
    if (control.stop_requested()) continue;
    const std::uint32_t lo = static_cast<std::uint32_t>(b) * kBlock;
    const std::uint32_t hi = std::min<std::uint32_t>(n, lo + kBlock);
    try {  // an exception must not leave the OpenMP region
    std::vector<vertex_t> found;
    for (std::uint32_t i = lo; i < hi; ++i) {
      const std::uint64_t c = cell_of(i);
      const auto cx = static_cast<std::int64_t>(c % cells_per_side), cy = static_cast<std::int64_t>(c / cells_per_side);
      found.clear();
      for (std::int64_t dy = -1; dy <= 1; ++dy)
        for (std::int64_t dx = -1; dx <= 1; ++dx) {
          const std::int64_t x = cx + dx, y = cy + dy;
          if (x < 0 || y < 0 || x >= cells_per_side || y >= cells_per_side) continue;
          const std::uint64_t cc = static_cast<std::uint64_t>(y) * cells_per_side + static_cast<std::uint64_t>(x);
          for (std::uint64_t k = start[cc]; k < start[cc + 1]; ++k) {
            const vertex_t j = members[k];
            if (j <= i) continue;
            const double ddx = xs[i] - xs[j], ddy = ys[i] - ys[j];
            if (ddx * ddx + ddy * ddy < r2) found.push_back(j);
          }
        }
      std::sort(found.begin(), found.end());
      for (vertex_t j : found) {
        bsrc[b].push_back(i);
        bdst[b].push_back(j);
        blen[b].push_back(std::hypot(xs[i] - xs[j], ys[i] - ys[j]));
      }
    }
    } catch (const std::bad_alloc&) {
      out_of_memory = true;
      control.request_stop();
      continue;
    }
    control.advance(hi - lo);
    if (omp_get_thread_num() == 0) control.checkpoint();
  }
  if (out_of_memory) throw OutOfMemory("random_geometric: ran out of memory while finding the edges");
  control.finish();
  std::vector<vertex_t> src, dst;
  std::vector<double> len;
  for (std::uint32_t b = 0; b < blocks; ++b) {
    src.insert(src.end(), bsrc[b].begin(), bsrc[b].end());
    dst.insert(dst.end(), bdst[b].begin(), bdst[b].end());
    len.insert(len.end(), blen[b].begin(), blen[b].end());
  }
  Graph g = Graph::from_edges(n, src, dst, false);
  g.set_node_attribute("x", std::move(xs));
  g.set_node_attribute("y", std::move(ys));
  g.set_edge_attribute("length", std::move(len));
  return g;
}

}  // namespace urbplex::generators
