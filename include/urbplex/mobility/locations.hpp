// Locations of the mobility models: points with a mass (population or
// relevance), usually the nodes of one Hierarchy level.
//
// Coordinates are planar (x, y in any length unit, Euclidean distances) or
// geographic (x = longitude, y = latitude in degrees, great-circle distances
// in km, as scikit-mobility uses).
#pragma once
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

namespace urbplex::mobility {

enum class Metric { euclidean, haversine };

inline constexpr double kEarthRadiusKm = 6371.0088;  // mean Earth radius (IUGG)

// Haversine distance between two points in degrees, in the unit of `radius`.
double great_circle(double lat1, double lng1, double lat2, double lng2, double radius = kEarthRadiusKm);

struct Locations {
  std::span<const double> x, y, mass;
  Metric metric = Metric::euclidean;

  std::uint32_t size() const { return static_cast<std::uint32_t>(x.size()); }
  double distance(std::uint32_t i, std::uint32_t j) const;
};

// Fast pairwise distances for O(n^2) kernels: a key that grows with the
// distance (squared Euclidean distance, or squared chord of the unit sphere
// from precomputed 3-D unit vectors), so sorting needs no trigonometry, and
// its conversion to the distance (one sqrt, plus one asin on the sphere).
class DistanceKernel {
 public:
  explicit DistanceKernel(const Locations& locs);
  double key(std::uint32_t i, std::uint32_t j) const {
    const double dx = a_[i] - a_[j], dy = b_[i] - b_[j];
    if (!sphere_) return dx * dx + dy * dy;
    const double dz = c_[i] - c_[j];
    return dx * dx + dy * dy + dz * dz;
  }
  double distance_of_key(double key) const {
    if (!sphere_) return std::sqrt(key);
    return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(key) / 2));
  }
  double distance(std::uint32_t i, std::uint32_t j) const { return distance_of_key(key(i, j)); }

 private:
  bool sphere_;
  std::vector<double> a_, b_, c_;
};

// Throws std::invalid_argument naming the argument: fewer than 2 locations,
// mismatched lengths, non-finite coordinates, latitudes outside [-90, 90],
// negative or non-finite masses.
void check_locations(const Locations& locs);

}  // namespace urbplex::mobility
