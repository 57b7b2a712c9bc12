#include "urbplex/mobility/stop_clustering.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <string>

#include "urbplex/core/errors.hpp"
#include "urbplex/core/region_errors.hpp"
#include "urbplex/core/parallel.hpp"

namespace urbplex::mobility {
namespace {

using Cell = std::array<std::int64_t, 3>;  // a cube of the grid

struct UnionFind {
  std::vector<std::uint32_t> parent;
  explicit UnionFind(std::size_t n) : parent(n) {
    for (std::size_t i = 0; i < n; ++i) parent[i] = static_cast<std::uint32_t>(i);
  }
  std::uint32_t find(std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void join(std::uint32_t a, std::uint32_t b) {
    a = find(a), b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

// Groups this small compare every pair: cheaper than sorting them into cubes.
constexpr std::size_t kBruteForce = 192;

// Renumbers component ids by first point into out[lo, lo + m).
template <class RootOf>
void label_by_first(std::size_t m, RootOf root_of, std::uint64_t lo, std::int64_t* out) {
  std::vector<std::int64_t> label(m, -1);  // by root (roots are < m)
  std::int64_t next = 0;
  for (std::size_t i = 0; i < m; ++i) {
    std::int64_t& l = label[root_of(i)];
    if (l < 0) l = next++;
    out[lo + i] = l;
  }
}

// Labels of one group's points [lo, hi) into out[lo, hi).
void cluster_group(std::span<const double> lat, std::span<const double> lng, std::uint64_t lo, std::uint64_t hi,
                   double chord, std::int64_t* out) {
  const std::size_t m = hi - lo;
  std::vector<std::array<double, 3>> xyz(m);
  for (std::size_t i = 0; i < m; ++i) {
    const double phi = lat[lo + i] * std::numbers::pi / 180, lam = lng[lo + i] * std::numbers::pi / 180;
    xyz[i] = {std::cos(phi) * std::cos(lam), std::cos(phi) * std::sin(lam), std::sin(phi)};
  }
  const double limit = chord * chord * (1 + 2e-12);
  auto linked = [&](std::uint32_t a, std::uint32_t b) {
    double d2 = 0;
    for (int k = 0; k < 3; ++k) d2 += (xyz[a][k] - xyz[b][k]) * (xyz[a][k] - xyz[b][k]);
    return d2 <= limit;
  };
  if (m <= kBruteForce) {
    UnionFind uf(m);
    for (std::uint32_t a = 0; a < m; ++a)
      for (std::uint32_t b = a + 1; b < m; ++b)
        if (linked(a, b)) uf.join(a, b);
    label_by_first(m, [&](std::size_t i) { return uf.find(static_cast<std::uint32_t>(i)); }, lo, out);
    return;
  }
  const double side = chord / std::numbers::sqrt3;
  // Points sorted by cube (lexicographic), cubes numbered in that order.
  std::vector<Cell> key(m);
  for (std::size_t i = 0; i < m; ++i)
    for (int k = 0; k < 3; ++k) key[i][k] = static_cast<std::int64_t>(std::floor(xyz[i][k] / side));
  std::vector<std::uint32_t> members(m);
  for (std::size_t i = 0; i < m; ++i) members[i] = static_cast<std::uint32_t>(i);
  std::sort(members.begin(), members.end(), [&](std::uint32_t a, std::uint32_t b) { return key[a] < key[b]; });
  std::vector<Cell> cells;
  std::vector<std::uint32_t> start, cell_of(m);
  for (std::size_t j = 0; j < m; ++j) {
    if (j == 0 || key[members[j]] != cells.back()) {
      cells.push_back(key[members[j]]);
      start.push_back(static_cast<std::uint32_t>(j));
    }
    cell_of[members[j]] = static_cast<std::uint32_t>(cells.size() - 1);
  }
  start.push_back(static_cast<std::uint32_t>(m));
  const auto n_cells = static_cast<std::uint32_t>(cells.size());

  // Sweep the cubes in order. For each forward (dx, dy) row, the cubes
  // (x+dx, y+dy, z-2..z+2) form one run of the sorted list whose start only
  // moves forward as the sweep does: one cursor per row, no hashing.
  UnionFind uf(n_cells);
  auto try_join = [&](std::uint32_t c, std::uint32_t d) {
    for (std::uint32_t a = start[c]; a < start[c + 1] && uf.find(c) != uf.find(d); ++a)
      for (std::uint32_t b = start[d]; b < start[d + 1]; ++b)
        if (linked(members[a], members[b])) {
          uf.join(c, d);
          break;
        }
  };
  std::vector<std::array<std::int64_t, 2>> rows;
  for (std::int64_t dx = 0; dx <= 2; ++dx)
    for (std::int64_t dy = -2; dy <= 2; ++dy)
      if (dx > 0 || dy > 0) rows.push_back({dx, dy});
  std::vector<std::uint32_t> cursor(rows.size(), 0);
  for (std::uint32_t c = 0; c < n_cells; ++c) {
    const Cell& here = cells[c];
    for (std::uint32_t d = c + 1; d < n_cells && cells[d][0] == here[0] && cells[d][1] == here[1] &&
                                  cells[d][2] <= here[2] + 2;
         ++d)
      try_join(c, d);  // the same row, z+1 and z+2
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const Cell lo_key{here[0] + rows[r][0], here[1] + rows[r][1], here[2] - 2};
      const Cell hi_key{here[0] + rows[r][0], here[1] + rows[r][1], here[2] + 2};
      std::uint32_t& q = cursor[r];
      while (q < n_cells && cells[q] < lo_key) ++q;
      for (std::uint32_t d = q; d < n_cells && cells[d] <= hi_key; ++d) try_join(c, d);
    }
  }
  label_by_first(m, [&](std::size_t i) { return uf.find(cell_of[i]); }, lo, out);
}

}  // namespace

std::vector<std::int64_t> cluster_places(std::span<const double> lat, std::span<const double> lng,
                                         std::span<const std::uint64_t> group_start, double radius_km,
                                         double earth_radius_km, RunControl& control) {
  const std::size_t n = lat.size();
  require(lng.size() == n, "lng", "must have the length of lat");
  require(!group_start.empty() && group_start.front() == 0 && group_start.back() == n, "group_start",
          "must be offsets from 0 to the number of points");
  for (std::size_t g = 1; g < group_start.size(); ++g)
    require(group_start[g] >= group_start[g - 1], "group_start", "must be non-decreasing");
  require(std::isfinite(radius_km) && radius_km > 0, "radius_km", "must be finite and > 0");
  require(std::isfinite(earth_radius_km) && earth_radius_km > 0, "earth_radius_km", "must be finite and > 0");
  for (std::size_t i = 0; i < n; ++i)
    if (!(std::isfinite(lat[i]) && std::abs(lat[i]) <= 90 && std::isfinite(lng[i])))
      fail("points", "point " + std::to_string(i) + " has no valid latitude/longitude");
  require(n < (std::uint64_t{1} << 32), "points", "at most 2^32 - 1 points per call");
  // The great-circle radius as a chord of the unit sphere (a half-turn at most).
  const double chord = 2 * std::sin(std::min(radius_km / earth_radius_km, std::numbers::pi) / 2);

  std::vector<std::int64_t> labels(n);
  const auto groups = static_cast<std::int64_t>(group_start.size() - 1);
  control.set_total(groups);
  const int threads = groups > 1 ? parallel::threads_for(n * 200) : 1;  // ~200 ns a point (hashing, trig)
  parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::int64_t g = 0; g < groups; ++g) {
    if (control.stop_requested() || errors.failed()) continue;
    errors.guard([&] { cluster_group(lat, lng, group_start[g], group_start[g + 1], chord, labels.data()); });
    control.advance();
    if (omp_get_thread_num() == 0) control.checkpoint();
  }
  errors.rethrow();
  control.throw_if_stopped();
  control.finish();
  return labels;
}

}  // namespace urbplex::mobility
