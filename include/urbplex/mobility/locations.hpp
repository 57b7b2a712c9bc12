// Locations of the mobility models: points with a mass (population or
// relevance), usually the nodes of one Hierarchy level.
//
// Coordinates are planar (x, y in any length unit, Euclidean distances) or
// geographic (x = longitude, y = latitude in degrees, great-circle distances
// in km, as scikit-mobility uses).
#pragma once
#include <cstdint>
#include <span>

namespace urbplex::mobility {

enum class Metric { euclidean, haversine };

inline constexpr double kEarthRadiusKm = 6371.0088;  // mean Earth radius (IUGG)

struct Locations {
  std::span<const double> x, y, mass;
  Metric metric = Metric::euclidean;

  std::uint32_t size() const { return static_cast<std::uint32_t>(x.size()); }
  double distance(std::uint32_t i, std::uint32_t j) const;
};

// Throws std::invalid_argument naming the argument: fewer than 2 locations,
// mismatched lengths, non-finite coordinates, latitudes outside [-90, 90],
// negative or non-finite masses.
void check_locations(const Locations& locs);

}  // namespace urbplex::mobility
