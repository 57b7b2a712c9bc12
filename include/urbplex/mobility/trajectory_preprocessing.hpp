// Preprocessing of raw GPS trajectories: noise filtering by speed, stop
// (stay-point) detection and compression. All run over users in parallel;
// each user's output depends on that user's points only, so results do not
// depend on the thread count.
//
// Input: points sorted by user, then time; `user_start` holds the first
// point of each user plus the total (CSR offsets). Coordinates are degrees
// (lat, lng), times seconds; distances are great-circle km on a sphere of
// radius `earth_radius_km`.
//
// Models:
//  * Speed filter: a point is dropped when the speed from the last kept point
//    exceeds max_speed_kmh (Zheng, "Trajectory data mining: an overview",
//    ACM TIST 6, 29, 2015, Sec. 3.1; the rule of scikit-mobility's
//    filtering.filter).
//  * Stops: Hariharan & Toyama, "Project Lachesis", GIScience 2004 (LNCS 3234):
//    an anchor point; the following points within `radius_km` of it form a
//    candidate; when a point leaves the radius (or the trajectory ends) and
//    the time from the anchor to that point exceeds `min_minutes`, the
//    candidate is a stop at the median latitude and longitude of its points,
//    starting at the anchor's time and left at the time of the point that
//    left. A gap longer than `max_gap_minutes` restarts the anchor. These are
//    the semantics of scikit-mobility's detection.stay_locations (1.3), so the
//    same parameters give the same stops.
//  * Compression: consecutive points within `radius_km` of the first point of
//    their run become one point at the run's median coordinates with the
//    run's first time (scikit-mobility's compression.compress).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "urbplex/core/run_control.hpp"

namespace urbplex::mobility {

struct TrajectoryPoints {
  std::span<const double> lat, lng, time;         // degrees, degrees, seconds
  std::span<const std::uint64_t> user_start;      // users + 1 offsets
};

// Indices (into the input) of the points kept by the speed filter.
std::vector<std::uint64_t> filter_by_speed(const TrajectoryPoints& pts, double max_speed_kmh, double earth_radius_km,
                                           RunControl& control = RunControl::none());

struct StopOptions {
  double radius_km = 0.2;
  double min_minutes = 20.0;
  double max_gap_minutes = 1e12;
  double earth_radius_km = 6371.0088;
};

struct Stops {
  std::vector<double> lat, lng, start, leave;  // median coordinates, anchor time, leaving time
  std::vector<std::uint64_t> user;             // user index (0-based, in input order)
  std::vector<std::uint64_t> first, last;      // input indices of the first and last point of the stop
};

Stops detect_stops(const TrajectoryPoints& pts, const StopOptions& options, RunControl& control = RunControl::none());

struct Compressed {
  std::vector<double> lat, lng, time;
  std::vector<std::uint64_t> user;
};

Compressed compress(const TrajectoryPoints& pts, double radius_km, double earth_radius_km,
                    RunControl& control = RunControl::none());

}  // namespace urbplex::mobility
