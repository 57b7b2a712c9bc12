// Bindings of core/hierarchy.
#include <pybind11/stl.h>

#include "common.hpp"
#include "urbplex/core/hierarchy.hpp"

using namespace urbplex;
using namespace urbplex::bind;

namespace {
CoarsenRules rules_from(py::object extensive, py::object intensive, py::object weight) {
  CoarsenRules r;
  if (!extensive.is_none()) r.extensive_nodes = extensive.cast<std::vector<std::string>>();
  if (!intensive.is_none()) r.intensive_edges = intensive.cast<std::vector<std::string>>();
  if (!weight.is_none()) r.weight = weight.cast<std::string>();
  return r;
}
}  // namespace

void init_hierarchy(py::module_& m) {
  py::class_<Hierarchy>(m, "Hierarchy")
      .def(py::init([](const Graph& g, py::object extensive, py::object intensive, py::object weight) {
             return Hierarchy(g, rules_from(extensive, intensive, weight));
           }),
           py::arg("graph"), py::arg("extensive_nodes") = py::none(), py::arg("intensive_edges") = py::none(),
           py::arg("weight") = py::none())
      .def_static(
          "grid_pyramid",
          [](const Graph& g, double cell, std::uint32_t levels, std::uint32_t factor, py::object extensive,
             py::object intensive, py::object weight) {
            auto rules = rules_from(extensive, intensive, weight);
            py::gil_scoped_release rel;
            return Hierarchy::grid_pyramid(g, cell, levels, factor, rules);
          },
          py::arg("graph"), py::arg("cell"), py::arg("levels"), py::arg("factor"), py::arg("extensive_nodes") = py::none(),
          py::arg("intensive_edges") = py::none(), py::arg("weight") = py::none())
      .def_property_readonly("num_levels", &Hierarchy::num_levels)
      .def("level", &Hierarchy::level, py::return_value_policy::copy)
      .def("parent", [](py::object self, std::size_t k) { return view(self.cast<const Hierarchy&>().parent(k), self); })
      .def("info", [](const Hierarchy& h, std::size_t k) { return py::make_tuple(h.info(k).method, h.info(k).scale); })
      .def_property_readonly("extensive_nodes", [](const Hierarchy& h) { return h.rules().extensive_nodes; })
      .def_property_readonly("intensive_edges", [](const Hierarchy& h) { return h.rules().intensive_edges; })
      .def_property_readonly("weight", [](const Hierarchy& h) { return h.rules().weight; })
      .def(
          "add_level",
          [](Hierarchy& h, const carray<std::uint64_t>& labels, const std::string& method, double scale) {
            py::gil_scoped_release rel;
            h.add_level(span_of(labels), method, scale);
          },
          py::arg("labels"), py::arg("method"), py::arg("scale"))
      .def("membership", [](const Hierarchy& h, std::size_t from, std::size_t to) { return to_numpy(h.membership(from, to)); })
      .def("lift",
           [](const Hierarchy& h, const carray<double>& v, std::size_t from, std::size_t to, bool mean) {
             return to_numpy(h.lift(span_of(v), from, to, mean ? Aggregate::Mean : Aggregate::Sum));
           })
      .def("project",
           [](const Hierarchy& h, const carray<double>& v, std::size_t from, std::size_t to) {
             return to_numpy(h.project(span_of(v), from, to));
           })
      .def("check", &Hierarchy::check);
}
