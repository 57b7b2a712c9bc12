#include "urbplex/mobility/spatial_index.hpp"

#include <algorithm>

namespace urbplex::mobility {

GridIndex::GridIndex(std::span<const double> x, std::span<const double> y) : x_(x), y_(y) {
  const std::size_t n = x.size();
  const auto [xmin, xmax] = std::minmax_element(x.begin(), x.end());
  const auto [ymin, ymax] = std::minmax_element(y.begin(), y.end());
  x0_ = *xmin;
  y0_ = *ymin;
  const double w = *xmax - x0_, hgt = *ymax - y0_;
  // About one point per cell.
  h_ = std::sqrt(std::max(w * hgt, 1e-300) / static_cast<double>(n));
  h_ = std::max({h_, w / 4096.0, hgt / 4096.0, 1e-12});
  nx_ = static_cast<long>(w / h_) + 1;
  ny_ = static_cast<long>(hgt / h_) + 1;
  start_.assign(static_cast<std::size_t>(nx_) * ny_ + 1, 0);
  std::vector<std::size_t> cell(n);
  for (std::size_t i = 0; i < n; ++i) {
    const long cx = std::min(nx_ - 1, static_cast<long>((x[i] - x0_) / h_));
    const long cy = std::min(ny_ - 1, static_cast<long>((y[i] - y0_) / h_));
    cell[i] = static_cast<std::size_t>(cy) * nx_ + cx;
    ++start_[cell[i] + 1];
  }
  for (std::size_t c = 1; c < start_.size(); ++c) start_[c] += start_[c - 1];
  items_.resize(n);
  std::vector<std::uint32_t> fill(start_.begin(), start_.end() - 1);
  for (std::size_t i = 0; i < n; ++i) items_[fill[cell[i]]++] = static_cast<std::uint32_t>(i);
}

}  // namespace urbplex::mobility
