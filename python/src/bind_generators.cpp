// Bindings of generators/.
#include "common.hpp"
#include "urbplex/generators/lattice.hpp"
#include "urbplex/generators/random_graphs.hpp"
#include "urbplex/generators/spatial.hpp"

using namespace urbplex;
using namespace urbplex::bind;
namespace gen = urbplex::generators;

void init_generators(py::module_& m) {
  m.def("square_lattice", &gen::square_lattice, py::arg("width"), py::arg("height"), py::arg("periodic"),
        py::call_guard<py::gil_scoped_release>());
  m.def("triangular_lattice", &gen::triangular_lattice, py::arg("width"), py::arg("height"), py::arg("periodic"),
        py::call_guard<py::gil_scoped_release>());
  m.def(
      "erdos_renyi_gnp",
      [](std::uint32_t n, double p, std::uint64_t seed, py::object progress) {
        RunControl ctl = python_control(progress);
        py::gil_scoped_release rel;
        return gen::erdos_renyi_gnp(n, p, seed, ctl);
      },
      py::arg("n"), py::arg("p"), py::arg("seed"), py::arg("progress") = py::none());
  m.def("erdos_renyi_gnm", &gen::erdos_renyi_gnm, py::arg("n"), py::arg("m"), py::arg("seed"),
        py::call_guard<py::gil_scoped_release>());
  m.def(
      "configuration_model",
      [](const carray<std::uint32_t>& degrees, std::uint64_t seed, bool simple) {
        py::gil_scoped_release rel;
        return gen::configuration_model(span_of(degrees), seed, simple);
      },
      py::arg("degrees"), py::arg("seed"), py::arg("simple"));
  m.def("barabasi_albert", &gen::barabasi_albert, py::arg("n"), py::arg("m"), py::arg("seed"),
        py::call_guard<py::gil_scoped_release>());
  m.def(
      "random_geometric",
      [](std::uint32_t n, double radius, std::uint64_t seed, double side, py::object progress) {
        RunControl ctl = python_control(progress);
        py::gil_scoped_release rel;
        return gen::random_geometric(n, radius, seed, side, ctl);
      },
      py::arg("n"), py::arg("radius"), py::arg("seed"), py::arg("side"), py::arg("progress") = py::none());
}
