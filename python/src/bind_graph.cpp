// Bindings of core/graph, components and shortest paths.
#include <pybind11/stl.h>

#include "common.hpp"
#include "urbplex/core/components.hpp"
#include "urbplex/core/graph.hpp"
#include "urbplex/core/paths.hpp"

using namespace urbplex;
using namespace urbplex::bind;

namespace {

// Graph.with_node_attribute / with_edge_attribute from numpy values and a type name.
template <class WithAttribute>
auto attribute_setter(WithAttribute with) {
  return [with](const Graph& g, const std::string& name, const carray<double>& v, const std::string& type,
                std::vector<std::string> categories) {
    auto s = span_of(v);
    return (g.*with)(name, std::vector<double>(s.begin(), s.end()), attribute_type_from_name(type),
                     std::move(categories));
  };
}

}  // namespace

void init_graph(py::module_& m) {
  py::class_<Graph>(m, "Graph")
      .def(py::init<>())
      .def_static(
          "from_edges",
          [](std::uint32_t n, const carray<vertex_t>& src, const carray<vertex_t>& dst, bool directed) {
            py::gil_scoped_release rel;
            return Graph::from_edges(n, span_of(src), span_of(dst), directed);
          },
          py::arg("n"), py::arg("source"), py::arg("target"), py::arg("directed"))
      .def_property_readonly("n", &Graph::num_vertices)
      .def_property_readonly("m", &Graph::num_edges)
      .def_property_readonly("num_arcs", &Graph::num_arcs)
      .def_property_readonly("directed", &Graph::directed)
      .def_property_readonly("offsets", [](py::object self) { return view(self.cast<const Graph&>().offsets(), self); })
      .def_property_readonly("targets", [](py::object self) { return view(self.cast<const Graph&>().targets(), self); })
      .def_property_readonly("edge_ids", [](py::object self) { return view(self.cast<const Graph&>().arc_edges(), self); })
      .def_property_readonly("edge_sources",
                             [](py::object self) { return view(self.cast<const Graph&>().edge_sources(), self); })
      .def_property_readonly("edge_targets",
                             [](py::object self) { return view(self.cast<const Graph&>().edge_targets(), self); })
      .def("degrees", [](const Graph& g) { return to_numpy(g.degrees()); })
      .def_property_readonly("node_attribute_names", [](const Graph& g) { return g.node_attributes().names(); })
      .def_property_readonly("edge_attribute_names", [](const Graph& g) { return g.edge_attributes().names(); })
      // Raw columns (NaN = missing, categories as codes); the Python Graph
      // turns them into typed arrays.
      .def("node_attribute",
           [](py::object self, const std::string& name) {
             return view(self.cast<const Graph&>().node_attributes().values(name), self);
           })
      .def("edge_attribute",
           [](py::object self, const std::string& name) {
             return view(self.cast<const Graph&>().edge_attributes().values(name), self);
           })
      .def("node_attribute_type",
           [](const Graph& g, const std::string& name) {
             const auto& t = g.node_attributes();
             return py::make_tuple(attribute_type_name(t.type(name)), t.categories(name), t.missing(name));
           })
      .def("edge_attribute_type",
           [](const Graph& g, const std::string& name) {
             const auto& t = g.edge_attributes();
             return py::make_tuple(attribute_type_name(t.type(name)), t.categories(name), t.missing(name));
           })
      .def("numeric_node_attribute",  // as models read it: refuses NaN and categories
           [](py::object self, const std::string& name) { return view(self.cast<const Graph&>().node_attribute(name), self); })
      .def("numeric_edge_attribute",
           [](py::object self, const std::string& name) { return view(self.cast<const Graph&>().edge_attribute(name), self); })
      .def("with_node_attribute", attribute_setter(&Graph::with_node_attribute), py::arg("name"), py::arg("values"),
           py::arg("type") = "float64", py::arg("categories") = std::vector<std::string>{})
      .def("with_edge_attribute", attribute_setter(&Graph::with_edge_attribute), py::arg("name"), py::arg("values"),
           py::arg("type") = "float64", py::arg("categories") = std::vector<std::string>{})
      .def("without_node_attribute", &Graph::without_node_attribute)
      .def("topology_bytes", &Graph::topology_bytes)
      .def("shares_topology_with", &Graph::shares_topology_with);

  m.def("connected_components", [](const Graph& g) {
    Components c;
    {
      py::gil_scoped_release rel;
      c = connected_components(g);
    }
    return py::make_tuple(to_numpy(std::move(c.label)), to_numpy(std::move(c.size)));
  });

  m.def(
      "dijkstra",
      [](const Graph& g, vertex_t source, const carray<double>& weight) {
        ShortestPaths sp;
        {
          py::gil_scoped_release rel;
          sp = dijkstra(g, source, span_of(weight));
        }
        return py::make_tuple(to_numpy(std::move(sp.distance)), to_numpy(std::move(sp.predecessor)));
      },
      py::arg("graph"), py::arg("source"), py::arg("weight"));

  m.def(
      "distance_matrix",
      [](const Graph& g, const carray<vertex_t>& sources, const carray<double>& weight, py::object progress) {
        RunControl ctl = python_control(progress);
        std::vector<double> d;
        {
          py::gil_scoped_release rel;
          d = distance_matrix(g, span_of(sources), span_of(weight), ctl);
        }
        auto a = to_numpy(std::move(d));
        return a.reshape({static_cast<py::ssize_t>(sources.size()), static_cast<py::ssize_t>(g.num_vertices())});
      },
      py::arg("graph"), py::arg("sources"), py::arg("weight"), py::arg("progress") = py::none());
}
