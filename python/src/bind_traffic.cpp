// Bindings of traffic/network_loading: mesoscopic dynamic network loading.
#include "common.hpp"
#include "urbplex/traffic/network_loading.hpp"

using namespace urbplex;
using namespace urbplex::bind;
namespace tr = urbplex::traffic;

void init_traffic(py::module_& m) {
  m.def(
      "simulate_traffic",
      [](std::uint32_t nodes, const carray<std::uint32_t>& from, const carray<std::uint32_t>& to,
         const carray<double>& length, const carray<double>& free_speed, const carray<double>& jam_density,
         const carray<double>& merge_priority, const carray<double>& capacity_out, const carray<double>& capacity_in,
         const carray<std::uint32_t>& origin, const carray<std::uint32_t>& destination,
         const carray<double>& departure, double reaction_time, std::uint32_t platoon, double horizon,
         const std::string& route_choice, double route_interval, double duo_weight, double record_interval,
         std::uint64_t seed, bool record_cumulative, py::object progress) {
        tr::Scenario sc;
        sc.nodes = nodes;
        const std::size_t L = static_cast<std::size_t>(from.size());
        for (const auto* a : {&length, &free_speed, &jam_density, &merge_priority, &capacity_out, &capacity_in})
          require(static_cast<std::size_t>(a->size()) == L, "links", "every link attribute needs one value per link");
        require(static_cast<std::size_t>(to.size()) == L, "links", "from and to must have one length");
        sc.links.resize(L);
        for (std::size_t l = 0; l < L; ++l)
          sc.links[l] = {from.at(l), to.at(l), length.at(l), free_speed.at(l), jam_density.at(l), merge_priority.at(l),
                         capacity_out.at(l), capacity_in.at(l)};
        auto o = span_of(origin), d = span_of(destination);
        auto t = span_of(departure);
        sc.origin.assign(o.begin(), o.end());
        sc.destination.assign(d.begin(), d.end());
        sc.departure.assign(t.begin(), t.end());
        sc.reaction_time = reaction_time;
        sc.platoon = platoon;
        sc.horizon = horizon;
        require(route_choice == "duo" || route_choice == "fixed", "route_choice", "must be 'duo' or 'fixed'");
        sc.route_choice = route_choice == "duo" ? tr::RouteChoice::duo : tr::RouteChoice::fixed;
        sc.route_interval = route_interval;
        sc.duo_weight = duo_weight;
        sc.record_interval = record_interval;
        sc.seed = seed;
        RunControl ctl = python_control(progress);
        tr::Result r;
        {
          py::gil_scoped_release rel;
          r = tr::simulate(sc, record_cumulative, ctl);
        }
        py::dict out;
        out["dt"] = r.dt;
        out["steps"] = r.steps;
        out["bins"] = r.bins;
        out["entered"] = to_numpy(std::move(r.entered));
        out["arrived"] = to_numpy(std::move(r.arrived));
        out["route_start"] = to_numpy(std::move(r.route_start));
        out["route_links"] = to_numpy(std::move(r.route_links));
        out["inflow"] = to_numpy(std::move(r.inflow));
        out["outflow"] = to_numpy(std::move(r.outflow));
        out["vehicle_seconds"] = to_numpy(std::move(r.vehicle_seconds));
        out["vehicle_metres"] = to_numpy(std::move(r.vehicle_metres));
        out["cumulative_in"] = to_numpy(std::move(r.cumulative_in));
        out["cumulative_out"] = to_numpy(std::move(r.cumulative_out));
        return out;
      },
      py::arg("nodes"), py::arg("from_"), py::arg("to"), py::arg("length"), py::arg("free_speed"),
      py::arg("jam_density"), py::arg("merge_priority"), py::arg("capacity_out"), py::arg("capacity_in"),
      py::arg("origin"), py::arg("destination"), py::arg("departure"), py::arg("reaction_time"), py::arg("platoon"),
      py::arg("horizon"), py::arg("route_choice"), py::arg("route_interval"), py::arg("duo_weight"),
      py::arg("record_interval"), py::arg("seed"), py::arg("record_cumulative"), py::arg("progress") = py::none());
}
