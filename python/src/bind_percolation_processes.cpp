// Bindings of the percolation processes beyond Newman-Ziff: k-core pruning
// and the Achlioptas (explosive) process.
#include "common.hpp"
#include "urbplex/percolation/explosive.hpp"
#include "urbplex/percolation/k_core.hpp"

using namespace urbplex;
using namespace urbplex::bind;
namespace perc = urbplex::percolation;

namespace {

py::dict explosive_dict(perc::ExplosiveEnsemble&& e) {
  py::dict d;
  d["n"] = e.n;
  d["realizations"] = e.realizations;
  d["largest"] = to_numpy(std::move(e.largest));
  d["largest_sq"] = to_numpy(std::move(e.largest_sq));
  d["second"] = to_numpy(std::move(e.second));
  return d;
}

}  // namespace

void init_percolation_processes(py::module_& m) {
  m.def(
      "k_core_ensemble",
      [](const Graph& g, std::uint32_t k, std::uint64_t realizations, std::uint64_t seed, const carray<double>& p,
         py::object progress) {
        RunControl ctl = python_control(progress);
        perc::KCoreEnsemble e;
        {
          py::gil_scoped_release rel;
          e = perc::k_core_ensemble(g, k, realizations, seed, span_of(p), ctl);
        }
        py::dict d;
        d["n"] = e.n;
        d["realizations"] = e.realizations;
        d["core"] = to_numpy(std::move(e.core));
        d["core_sq"] = to_numpy(std::move(e.core_sq));
        d["canonical_core"] = to_numpy(std::move(e.canonical_core));
        d["jump"] = to_numpy(std::move(e.jump));
        d["jump_at"] = to_numpy(std::move(e.jump_at));
        return d;
      },
      py::arg("graph"), py::arg("k"), py::arg("realizations"), py::arg("seed"), py::arg("p"),
      py::arg("progress") = py::none());
  m.def(
      "k_core_members",
      [](const Graph& g, std::uint32_t k) {
        std::vector<std::uint8_t> out;
        {
          py::gil_scoped_release rel;
          out = perc::k_core_members(g, k);
        }
        return to_numpy(std::move(out));
      },
      py::arg("graph"), py::arg("k"));
  m.def(
      "explosive_complete",
      [](std::uint32_t n, std::uint64_t steps, const std::string& rule, std::uint64_t realizations,
         std::uint64_t seed, py::object progress) {
        const auto r = perc::achlioptas_rule(rule);
        RunControl ctl = python_control(progress);
        perc::ExplosiveEnsemble e;
        {
          py::gil_scoped_release rel;
          e = perc::explosive_complete(n, steps, r, realizations, seed, ctl);
        }
        return explosive_dict(std::move(e));
      },
      py::arg("n"), py::arg("steps"), py::arg("rule"), py::arg("realizations"), py::arg("seed"),
      py::arg("progress") = py::none());
  m.def(
      "explosive_graph",
      [](const Graph& g, const std::string& rule, std::uint64_t realizations, std::uint64_t seed,
         py::object progress) {
        const auto r = perc::achlioptas_rule(rule);
        RunControl ctl = python_control(progress);
        perc::ExplosiveEnsemble e;
        {
          py::gil_scoped_release rel;
          e = perc::explosive_graph(g, r, realizations, seed, ctl);
        }
        return explosive_dict(std::move(e));
      },
      py::arg("graph"), py::arg("rule"), py::arg("realizations"), py::arg("seed"), py::arg("progress") = py::none());
}
