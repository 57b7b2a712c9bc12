// Bindings of multiscale/.
#include <pybind11/stl.h>

#include "common.hpp"
#include "urbplex/core/graph.hpp"
#include "urbplex/multiscale/louvain.hpp"

using namespace urbplex;
using namespace urbplex::bind;
namespace msc = urbplex::multiscale;

void init_multiscale(py::module_& m) {
  m.def(
      "louvain",
      [](const Graph& g, const carray<double>& weights, double resolution, bool leiden, double theta,
         std::uint64_t seed, std::uint32_t max_levels, py::object progress, std::uint32_t iterations, bool cpm,
         const carray<std::uint32_t>& initial) {
        msc::CommunityOptions o;
        o.resolution = resolution, o.leiden = leiden, o.theta = theta, o.seed = seed, o.max_levels = max_levels;
        o.iterations = iterations;
        o.cpm = cpm;
        o.initial.assign(initial.data(), initial.data() + initial.size());
        RunControl ctl = python_control(progress);
        msc::CommunityLevels r;
        {
          py::gil_scoped_release rel;
          r = msc::louvain(g, span_of(weights), o, ctl);
        }
        py::list levels;
        for (auto& lv : r.membership) levels.append(to_numpy(std::move(lv)));
        return py::make_tuple(levels, r.modularity, r.disconnected);
      },
      py::arg("graph"), py::arg("weights"), py::arg("resolution"), py::arg("leiden"), py::arg("theta"),
      py::arg("seed"), py::arg("max_levels"), py::arg("progress") = py::none(), py::arg("iterations") = 1,
      py::arg("cpm") = false, py::arg("initial") = carray<std::uint32_t>(0));
  m.def(
      "modularity",
      [](const Graph& g, const carray<double>& weights, const carray<std::uint32_t>& labels, double resolution) {
        return msc::modularity(g, span_of(weights), span_of(labels), resolution);
      },
      py::arg("graph"), py::arg("weights"), py::arg("labels"), py::arg("resolution"));
}
