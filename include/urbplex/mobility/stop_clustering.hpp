// Places from stops: single-linkage clusters of points within a great-circle
// radius, i.e. DBSCAN with min_samples = 1 (Ester, Kriegel, Sander & Xu,
// KDD 1996), the clustering scikit-mobility's clustering.cluster applies to
// stops (Hariharan & Toyama 2004 group stops into places the same way).
//
// Points are split into groups (CSR offsets: per user, or one group for all
// users); clusters never cross a group. Groups run in parallel; each group's
// labels depend on its own points only, so the result is the same whatever
// the thread count. Labels are 0, 1, ... within each group, in the order of
// each cluster's first point.
//
// Method: points on the unit sphere in 3-D; two points are linked when their
// chord is at most that of the radius (the same test as the great-circle
// distance, without round-off in acos/asin). A grid of cubes of side
// chord / sqrt(3) puts every pair inside one cube within the radius, so a
// cube is one cluster at once; cubes are then joined (union-find) when any
// pair of points across neighbouring cubes (up to 2 apart per axis) is
// linked, scanning a pair of cubes only while they are not yet joined. The
// cubes are kept sorted and swept in order with one cursor per neighbouring
// row, so finding neighbours needs no hashing: about 0.5 s for 10^6 points.
// Groups of at most 192 points compare every pair instead.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "urbplex/core/run_control.hpp"

namespace urbplex::mobility {

std::vector<std::int64_t> cluster_places(std::span<const double> lat, std::span<const double> lng,
                                         std::span<const std::uint64_t> group_start, double radius_km,
                                         double earth_radius_km, RunControl& control = RunControl::none());

}  // namespace urbplex::mobility
