// Bindings of routing/.
#include <pybind11/stl.h>

#include <memory>

#include "common.hpp"
#include "urbplex/core/errors.hpp"
#include "urbplex/routing/assignment.hpp"

using namespace urbplex;
using namespace urbplex::bind;
namespace rt = urbplex::routing;

void init_routing(py::module_& m) {
  m.def(
      "assign",
      [](const carray<std::uint32_t>& from, const carray<std::uint32_t>& to, std::uint32_t n, std::uint32_t first_thru,
         const carray<double>& capacity, const carray<double>& fft, const carray<double>& alpha,
         const carray<double>& beta, const carray<std::uint32_t>& origin, const carray<std::uint64_t>& offsets,
         const carray<std::uint32_t>& destination, const carray<double>& trips, const std::string& method,
         double gap, std::uint32_t max_iterations, py::object progress, const carray<double>& fixed,
         const std::string& cost, double period, int inner_iterations) {
        rt::Network net{n, first_thru, span_of(from), span_of(to), span_of(capacity), span_of(fft), span_of(alpha),
                        span_of(beta), span_of(fixed)};
        // alpha holds Spiess's alpha (conical) or Akcelik's J (akcelik).
        std::unique_ptr<rt::LinkCost> custom;
        if (cost == "conical")
          custom = std::make_unique<rt::ConicalCost>(span_of(capacity), span_of(fft), span_of(alpha), span_of(fixed));
        else if (cost == "akcelik")
          custom = std::make_unique<rt::AkcelikCost>(span_of(capacity), span_of(fft), span_of(alpha), period,
                                                     span_of(fixed));
        else if (cost != "bpr")
          fail("cost", "must be 'bpr', 'conical' or 'akcelik', got '" + cost + "'");
        net.link_cost = custom.get();
        rt::Demand dem{span_of(origin), span_of(offsets), span_of(destination), span_of(trips)};
        rt::AssignmentOptions o;
        if (method == "msa") o.method = rt::Method::msa;
        else if (method == "fw") o.method = rt::Method::frank_wolfe;
        else if (method == "cfw") o.method = rt::Method::conjugate;
        else if (method == "bfw") o.method = rt::Method::biconjugate;
        else if (method == "algorithm_b") o.method = rt::Method::algorithm_b;
        else fail("method", "must be 'msa', 'fw', 'cfw', 'bfw' or 'algorithm_b', got '" + method + "'");
        o.gap = gap, o.max_iterations = max_iterations, o.inner_iterations = inner_iterations;
        RunControl ctl = python_control(progress);
        rt::AssignmentResult r;
        {
          py::gil_scoped_release rel;
          r = rt::assign(net, dem, o, ctl);
        }
        py::dict d;
        d["flow"] = to_numpy(std::move(r.flow));
        d["cost"] = to_numpy(std::move(r.cost));
        d["gaps"] = to_numpy(std::move(r.gaps));
        d["seconds"] = to_numpy(std::move(r.seconds));
        d["tstt"] = r.tstt, d["sptt"] = r.sptt, d["beckmann"] = r.beckmann, d["converged"] = r.converged;
        d["bush_bytes"] = r.bush_bytes;
        return d;
      },
      py::arg("from_"), py::arg("to"), py::arg("n"), py::arg("first_thru"), py::arg("capacity"),
      py::arg("free_flow_time"), py::arg("alpha"), py::arg("beta"), py::arg("origin"), py::arg("offsets"),
      py::arg("destination"), py::arg("trips"), py::arg("method"), py::arg("gap"), py::arg("max_iterations"),
      py::arg("progress") = py::none(), py::arg("fixed") = carray<double>(0), py::arg("cost") = "bpr",
      py::arg("period") = 0.0, py::arg("inner_iterations") = 20);
}
