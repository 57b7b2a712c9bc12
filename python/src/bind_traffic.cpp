// Bindings of traffic/network_loading and traffic/day_to_day.
#include "common.hpp"
#include "urbplex/traffic/day_to_day.hpp"
#include "urbplex/traffic/network_loading.hpp"

using namespace urbplex;
using namespace urbplex::bind;
namespace tr = urbplex::traffic;

namespace {

// The scenario from the Python side's arrays (checked by the kernel).
tr::Scenario scenario_of(const py::dict& links, const py::dict& platoons, const py::dict& options) {
  tr::Scenario sc;
  sc.nodes = options["nodes"].cast<std::uint32_t>();
  const auto from = links["from_"].cast<carray<std::uint32_t>>(), to = links["to"].cast<carray<std::uint32_t>>();
  const std::size_t L = static_cast<std::size_t>(from.size());
  std::vector<carray<double>> attr;
  for (const char* k : {"length", "free_speed", "jam_density", "merge_priority", "capacity_out", "capacity_in"}) {
    attr.push_back(links[k].cast<carray<double>>());
    require(static_cast<std::size_t>(attr.back().size()) == L, "links", std::string(k) + " needs one value per link");
  }
  require(static_cast<std::size_t>(to.size()) == L, "links", "from and to must have one length");
  sc.links.resize(L);
  for (std::size_t l = 0; l < L; ++l)
    sc.links[l] = {from.at(l), to.at(l), attr[0].at(l), attr[1].at(l), attr[2].at(l), attr[3].at(l), attr[4].at(l),
                   attr[5].at(l)};
  if (links.contains("lanes")) {
    const auto lanes = links["lanes"].cast<carray<std::uint32_t>>();
    require(static_cast<std::size_t>(lanes.size()) == L, "links", "lanes needs one value per link");
    for (std::size_t l = 0; l < L; ++l) sc.links[l].lanes = lanes.at(l);
  }
  if (links.contains("green_phases")) {
    const auto phases = links["green_phases"].cast<carray<std::uint64_t>>();
    require(static_cast<std::size_t>(phases.size()) == L, "links", "green_phases needs one value per link");
    for (std::size_t l = 0; l < L; ++l) sc.links[l].green_phases = phases.at(l);
  }
  if (options.contains("node_capacity") && !options["node_capacity"].is_none()) {
    const auto c = options["node_capacity"].cast<carray<double>>();
    sc.node_capacity.assign(span_of(c).begin(), span_of(c).end());
  }
  if (options.contains("signal_start") && !options["signal_start"].is_none()) {
    const auto st = options["signal_start"].cast<carray<std::uint64_t>>();
    const auto g = options["signal_green"].cast<carray<double>>();
    const auto off = options["signal_offset"].cast<carray<double>>();
    sc.signal_start.assign(span_of(st).begin(), span_of(st).end());
    sc.signal_green.assign(span_of(g).begin(), span_of(g).end());
    sc.signal_offset.assign(span_of(off).begin(), span_of(off).end());
  }
  // Arrays held in locals: spans into temporaries would dangle.
  const auto o = platoons["origin"].cast<carray<std::uint32_t>>();
  const auto d = platoons["destination"].cast<carray<std::uint32_t>>();
  const auto t = platoons["departure"].cast<carray<double>>();
  sc.origin.assign(span_of(o).begin(), span_of(o).end());
  sc.destination.assign(span_of(d).begin(), span_of(d).end());
  sc.departure.assign(span_of(t).begin(), span_of(t).end());
  sc.reaction_time = options["reaction_time"].cast<double>();
  sc.platoon = options["platoon"].cast<std::uint32_t>();
  sc.horizon = options["horizon"].cast<double>();
  const auto choice = options["route_choice"].cast<std::string>();
  require(choice == "duo" || choice == "fixed" || choice == "given", "route_choice", "must be 'duo', 'fixed' or 'given'");
  sc.route_choice = choice == "duo" ? tr::RouteChoice::duo : choice == "fixed" ? tr::RouteChoice::fixed : tr::RouteChoice::given;
  if (!options["route_cost"].is_none()) {
    const auto c = options["route_cost"].cast<carray<double>>();
    sc.route_cost.assign(span_of(c).begin(), span_of(c).end());
  }
  if (platoons.contains("route_start")) {
    const auto s = platoons["route_start"].cast<carray<std::uint64_t>>();
    const auto r = platoons["route_links"].cast<carray<std::uint32_t>>();
    sc.given_start.assign(span_of(s).begin(), span_of(s).end());
    sc.given_links.assign(span_of(r).begin(), span_of(r).end());
  }
  sc.route_interval = options["route_interval"].cast<double>();
  sc.duo_weight = options["duo_weight"].cast<double>();
  sc.record_interval = options["record_interval"].cast<double>();
  sc.seed = options["seed"].cast<std::uint64_t>();
  return sc;
}

py::dict arrays_of(tr::Result&& r) {
  py::dict out;
  out["dt"] = r.dt;
  out["steps"] = r.steps;
  out["bins"] = r.bins;
  out["entered"] = to_numpy(std::move(r.entered));
  out["arrived"] = to_numpy(std::move(r.arrived));
  out["route_searches"] = r.route_searches;
  out["route_nodes_settled"] = r.route_nodes_settled;
  out["free_flow_time"] = to_numpy(std::move(r.free_flow_time));
  out["route_start"] = to_numpy(std::move(r.route_start));
  out["route_links"] = to_numpy(std::move(r.route_links));
  out["route_entry"] = to_numpy(std::move(r.route_entry));
  out["inflow"] = to_numpy(std::move(r.inflow));
  out["outflow"] = to_numpy(std::move(r.outflow));
  out["vehicle_seconds"] = to_numpy(std::move(r.vehicle_seconds));
  out["vehicle_metres"] = to_numpy(std::move(r.vehicle_metres));
  out["cumulative_in"] = to_numpy(std::move(r.cumulative_in));
  out["cumulative_out"] = to_numpy(std::move(r.cumulative_out));
  return out;
}

}  // namespace

void init_traffic(py::module_& m) {
  m.def(
      "simulate_traffic",
      [](const py::dict& links, const py::dict& platoons, const py::dict& options, bool record_cumulative,
         py::object progress) {
        const tr::Scenario sc = scenario_of(links, platoons, options);
        RunControl ctl = python_control(progress);
        tr::Result r;
        {
          py::gil_scoped_release rel;
          r = tr::simulate(sc, record_cumulative, ctl);
        }
        return arrays_of(std::move(r));
      },
      py::arg("links"), py::arg("platoons"), py::arg("options"), py::arg("record_cumulative"),
      py::arg("progress") = py::none());
  m.def(
      "day_to_day_traffic",
      [](const py::dict& links, const py::dict& platoons, const py::dict& options, std::uint32_t days,
         bool record_cumulative, py::object progress) {
        const tr::Scenario sc = scenario_of(links, platoons, options);
        RunControl ctl = python_control(progress);
        tr::DayToDayResult r;
        {
          py::gil_scoped_release rel;
          r = tr::day_to_day(sc, days, record_cumulative, ctl);
        }
        py::dict out = arrays_of(std::move(r.last));
        out["day_total_travel_time"] = to_numpy(std::move(r.total_travel_time));
        out["day_completed"] = to_numpy(std::move(r.completed));
        out["day_relative_gap"] = to_numpy(std::move(r.relative_gap));
        out["day_switched"] = to_numpy(std::move(r.switched));
        return out;
      },
      py::arg("links"), py::arg("platoons"), py::arg("options"), py::arg("days"), py::arg("record_cumulative"),
      py::arg("progress") = py::none());
}
