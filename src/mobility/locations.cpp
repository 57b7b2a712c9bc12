#include "urbplex/mobility/locations.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "urbplex/core/errors.hpp"

namespace urbplex::mobility {

double great_circle(double lat1, double lng1, double lat2, double lng2, double radius) {
  constexpr double rad = M_PI / 180.0;
  const double p1 = lat1 * rad, p2 = lat2 * rad;
  const double s1 = std::sin((p2 - p1) / 2), s2 = std::sin((lng2 - lng1) * rad / 2);
  const double h = s1 * s1 + std::cos(p1) * std::cos(p2) * s2 * s2;
  return 2 * radius * std::asin(std::min(1.0, std::sqrt(h)));
}

double Locations::distance(std::uint32_t i, std::uint32_t j) const {
  if (metric == Metric::euclidean) return std::hypot(x[i] - x[j], y[i] - y[j]);
  return great_circle(y[i], x[i], y[j], x[j]);
}

DistanceKernel::DistanceKernel(const Locations& locs) : sphere_(locs.metric == Metric::haversine) {
  const std::size_t n = locs.x.size();
  if (!sphere_) {
    a_.assign(locs.x.begin(), locs.x.end());
    b_.assign(locs.y.begin(), locs.y.end());
    return;
  }
  a_.resize(n), b_.resize(n), c_.resize(n);
  constexpr double rad = M_PI / 180.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double lat = locs.y[i] * rad, lon = locs.x[i] * rad;
    a_[i] = std::cos(lat) * std::cos(lon);
    b_[i] = std::cos(lat) * std::sin(lon);
    c_[i] = std::sin(lat);
  }
}

void check_locations(const Locations& locs) {
  const std::size_t n = locs.x.size();
  require(n >= 2, "locations", "need at least 2 locations, got " + std::to_string(n));
  require(locs.y.size() == n, "y", "has " + std::to_string(locs.y.size()) + " values, expected " + std::to_string(n));
  require(locs.mass.size() == n, "mass",
          "has " + std::to_string(locs.mass.size()) + " values, expected " + std::to_string(n));
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(locs.x[i]) || !std::isfinite(locs.y[i]))
      fail("coordinates", "location " + std::to_string(i) + " has a non-finite coordinate");
    if (locs.metric == Metric::haversine && std::abs(locs.y[i]) > 90.0)
      fail("coordinates", "location " + std::to_string(i) + " has latitude " + std::to_string(locs.y[i]) +
                              " outside [-90, 90]");
    if (!std::isfinite(locs.mass[i]) || locs.mass[i] < 0)
      fail("mass", "location " + std::to_string(i) + " has mass " + std::to_string(locs.mass[i]) +
                       " (must be finite and >= 0)");
  }
}

}  // namespace urbplex::mobility
