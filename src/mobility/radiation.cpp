#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "row_builder.hpp"
#include "urbplex/core/errors.hpp"
#include "urbplex/mobility/flows.hpp"

namespace urbplex::mobility {

FlowMatrix radiation_flows(const Locations& locs, std::span<const double> outflows, bool finite_size_correction,
                           double min_flow, RunControl& control) {
  check_locations(locs);
  const std::uint32_t n = locs.size();
  require(outflows.size() == n, "outflows",
          "has " + std::to_string(outflows.size()) + " values, expected " + std::to_string(n));
  for (std::uint32_t i = 0; i < n; ++i)
    if (!std::isfinite(outflows[i]) || outflows[i] < 0)
      fail("outflows", "value at index " + std::to_string(i) + " must be finite and >= 0");
  require(std::isfinite(min_flow) && min_flow >= 0, "min_flow", "must be >= 0");
  double total_mass = 0;
  for (double m : locs.mass) total_mass += m;
  require(total_mass > 0, "mass", "all masses are zero");

  const DistanceKernel dist(locs);
  return detail::build_rows(n, min_flow, control, [&](std::uint32_t i, double* row) {
    thread_local std::vector<std::pair<double, std::uint32_t>> order;
    order.clear();
    for (std::uint32_t j = 0; j < n; ++j)
      if (j != i) order.emplace_back(dist.key(i, j), j);
    std::sort(order.begin(), order.end());  // by distance, then index (the key is monotone in distance)
    std::fill(row, row + n, 0.0);
    const double mi = locs.mass[i];
    double norm = outflows[i];
    if (finite_size_correction) {
      const double rest = 1.0 - mi / total_mass;
      if (rest <= 0) return;  // all mass at i: nowhere to go
      norm /= rest;
    }
    if (mi <= 0 || norm == 0) return;
    double s = 0;  // mass strictly inside the circle, excluding i and j
    for (const auto& [d, j] : order) {
      const double mj = locs.mass[j];
      row[j] = norm * mi * mj / ((mi + s) * (mi + mj + s));
      s += mj;
    }
  });
}

}  // namespace urbplex::mobility
