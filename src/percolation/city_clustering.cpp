#include "urbplex/percolation/city_clustering.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "urbplex/core/errors.hpp"
#include "urbplex/core/union_find.hpp"

namespace urbplex::percolation {

std::vector<std::int64_t> city_clustering(std::span<const double> x, std::span<const double> y,
                                          std::span<const double> population, double threshold, double ell) {
  const std::size_t n = x.size();
  require(y.size() == n, "y", "must have as many values as x");
  require(population.size() == n, "population", "must have as many values as x");
  require(n < (1ull << 32) - 1, "x", "too many cells");
  require(std::isfinite(ell) && ell > 0, "ell", "must be a positive distance, got " + std::to_string(ell));
  require(std::isfinite(threshold) && threshold >= 0, "threshold", "must be finite and >= 0");
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) fail("x", "coordinates of cell " + std::to_string(i) + " are not finite");
    if (!std::isfinite(population[i]) || population[i] < 0)
      fail("population", "value of cell " + std::to_string(i) + " must be finite and >= 0");
  }
  // Spatial hash with buckets of side ell: neighbours lie in the 3x3 block.
  const double reach = ell * (1 + 1e-9);  // grid neighbours at exactly ell count
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> buckets;
  auto key = [](std::int64_t bx, std::int64_t by) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(bx)) << 32) | static_cast<std::uint32_t>(by);
  };
  std::vector<std::uint32_t> populated;
  for (std::uint32_t i = 0; i < n; ++i)
    if (population[i] > 0 && population[i] >= threshold) {
      populated.push_back(i);
      buckets[key(static_cast<std::int64_t>(std::floor(x[i] / ell)), static_cast<std::int64_t>(std::floor(y[i] / ell)))]
          .push_back(i);
    }
  UnionFind uf(static_cast<std::uint32_t>(n));
  for (std::uint32_t i : populated) {
    const auto bx = static_cast<std::int64_t>(std::floor(x[i] / ell)), by = static_cast<std::int64_t>(std::floor(y[i] / ell));
    for (std::int64_t dx = -1; dx <= 1; ++dx)
      for (std::int64_t dy = -1; dy <= 1; ++dy) {
        const auto it = buckets.find(key(bx + dx, by + dy));
        if (it == buckets.end()) continue;
        for (std::uint32_t j : it->second)
          if (j > i && std::hypot(x[i] - x[j], y[i] - y[j]) <= reach) uf.unite(i, j);
      }
  }
  std::vector<std::int64_t> label(n, -1), root_label(n, -1);
  std::int64_t next = 0;
  for (std::uint32_t i : populated) {
    const std::uint32_t r = uf.find(i);
    if (root_label[r] < 0) root_label[r] = next++;
    label[i] = root_label[r];
  }
  return label;
}

}  // namespace urbplex::percolation
