// A uniform-grid index of planar points for nearest-neighbour queries with a
// filter ("the nearest location not yet visited"): rings of cells are scanned
// outwards from the query until no closer point can exist.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

namespace urbplex::mobility {

class GridIndex {
 public:
  GridIndex(std::span<const double> x, std::span<const double> y);

  // Nearest point to (qx, qy) for which accept(id) is true; UINT32_MAX if none.
  template <class Accept>
  std::uint32_t nearest(double qx, double qy, Accept&& accept) const {
    const long cx = static_cast<long>(std::floor((qx - x0_) / h_)), cy = static_cast<long>(std::floor((qy - y0_) / h_));
    // First ring that can touch the grid.
    long r = std::max({0L, -cx, cx - (nx_ - 1), -cy, cy - (ny_ - 1)});
    const long r_max = std::max({cx, nx_ - 1 - cx, cy, ny_ - 1 - cy, r});
    std::uint32_t best = UINT32_MAX;
    double best_d2 = INFINITY;
    for (; r <= r_max; ++r) {
      // Every point in ring r lies at least (r - 1) h from the query.
      if (best != UINT32_MAX && (r - 1) * h_ > 0 && (r - 1) * h_ * (r - 1) * h_ > best_d2) break;
      for (long j = cy - r; j <= cy + r; ++j) {
        if (j < 0 || j >= ny_) continue;
        const bool edge_row = j == cy - r || j == cy + r;
        for (long i = cx - r; i <= cx + r; i += (edge_row ? 1 : 2 * r)) {
          if (i >= 0 && i < nx_) {
            const std::size_t c = static_cast<std::size_t>(j) * nx_ + i;
            for (std::uint32_t k = start_[c]; k < start_[c + 1]; ++k) {
              const std::uint32_t id = items_[k];
              const double dx = x_[id] - qx, dy = y_[id] - qy, d2 = dx * dx + dy * dy;
              if (d2 < best_d2 && accept(id)) best_d2 = d2, best = id;
            }
          }
          if (r == 0) break;
        }
      }
    }
    return best;
  }

 private:
  std::span<const double> x_, y_;
  double x0_ = 0, y0_ = 0, h_ = 1;
  long nx_ = 1, ny_ = 1;
  std::vector<std::uint32_t> start_, items_;
};

}  // namespace urbplex::mobility
