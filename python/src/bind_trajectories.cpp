// Bindings of mobility/trajectory_preprocessing (speed filter, stops,
// compression) and mobility/stop_clustering.
#include "common.hpp"
#include "urbplex/mobility/stop_clustering.hpp"
#include "urbplex/mobility/trajectory_preprocessing.hpp"

using namespace urbplex;
using namespace urbplex::bind;
namespace mob = urbplex::mobility;

namespace {
mob::TrajectoryPoints points(const carray<double>& lat, const carray<double>& lng, const carray<double>& time,
                             const carray<std::uint64_t>& user_start) {
  return {span_of(lat), span_of(lng), span_of(time), span_of(user_start)};
}
}  // namespace

void init_trajectories(py::module_& m) {
  m.def(
      "filter_by_speed",
      [](const carray<double>& lat, const carray<double>& lng, const carray<double>& time,
         const carray<std::uint64_t>& user_start, double max_speed_kmh, double earth_radius_km, py::object progress) {
        RunControl ctl = python_control(progress);
        std::vector<std::uint64_t> kept;
        {
          py::gil_scoped_release rel;
          kept = mob::filter_by_speed(points(lat, lng, time, user_start), max_speed_kmh, earth_radius_km, ctl);
        }
        return to_numpy(std::move(kept));
      },
      py::arg("lat"), py::arg("lng"), py::arg("time"), py::arg("user_start"), py::arg("max_speed_kmh"),
      py::arg("earth_radius_km"), py::arg("progress") = py::none());
  m.def(
      "detect_stops",
      [](const carray<double>& lat, const carray<double>& lng, const carray<double>& time,
         const carray<std::uint64_t>& user_start, double radius_km, double minutes, double max_gap_minutes,
         double earth_radius_km, py::object progress) {
        RunControl ctl = python_control(progress);
        mob::Stops s;
        {
          py::gil_scoped_release rel;
          s = mob::detect_stops(points(lat, lng, time, user_start),
                                mob::StopOptions{radius_km, minutes, max_gap_minutes, earth_radius_km}, ctl);
        }
        py::dict d;
        d["lat"] = to_numpy(std::move(s.lat));
        d["lng"] = to_numpy(std::move(s.lng));
        d["start"] = to_numpy(std::move(s.start));
        d["leave"] = to_numpy(std::move(s.leave));
        d["user"] = to_numpy(std::move(s.user));
        d["first"] = to_numpy(std::move(s.first));
        d["last"] = to_numpy(std::move(s.last));
        return d;
      },
      py::arg("lat"), py::arg("lng"), py::arg("time"), py::arg("user_start"), py::arg("radius_km"), py::arg("minutes"),
      py::arg("max_gap_minutes"), py::arg("earth_radius_km"), py::arg("progress") = py::none());
  m.def(
      "compress_trajectories",
      [](const carray<double>& lat, const carray<double>& lng, const carray<double>& time,
         const carray<std::uint64_t>& user_start, double radius_km, double earth_radius_km, py::object progress) {
        RunControl ctl = python_control(progress);
        mob::Compressed c;
        {
          py::gil_scoped_release rel;
          c = mob::compress(points(lat, lng, time, user_start), radius_km, earth_radius_km, ctl);
        }
        py::dict d;
        d["lat"] = to_numpy(std::move(c.lat));
        d["lng"] = to_numpy(std::move(c.lng));
        d["time"] = to_numpy(std::move(c.time));
        d["user"] = to_numpy(std::move(c.user));
        return d;
      },
      py::arg("lat"), py::arg("lng"), py::arg("time"), py::arg("user_start"), py::arg("radius_km"),
      py::arg("earth_radius_km"), py::arg("progress") = py::none());
  m.def(
      "cluster_places",
      [](const carray<double>& lat, const carray<double>& lng, const carray<std::uint64_t>& group_start,
         double radius_km, double earth_radius_km, py::object progress) {
        RunControl ctl = python_control(progress);
        std::vector<std::int64_t> labels;
        {
          py::gil_scoped_release rel;
          labels = mob::cluster_places(span_of(lat), span_of(lng), span_of(group_start), radius_km, earth_radius_km,
                                       ctl);
        }
        return to_numpy(std::move(labels));
      },
      py::arg("lat"), py::arg("lng"), py::arg("group_start"), py::arg("radius_km"), py::arg("earth_radius_km"),
      py::arg("progress") = py::none());
}
