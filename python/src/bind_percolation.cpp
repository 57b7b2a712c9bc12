// Bindings of percolation/.
#include <pybind11/stl.h>

#include "common.hpp"
#include "urbplex/percolation/cluster_sizes.hpp"
#include "urbplex/percolation/newman_ziff.hpp"

using namespace urbplex;
using namespace urbplex::bind;
namespace perc = urbplex::percolation;

namespace {

perc::Kind kind_of(const std::string& kind) {
  if (kind == "site") return perc::Kind::Site;
  if (kind == "bond") return perc::Kind::Bond;
  throw std::invalid_argument("argument 'kind': must be 'site' or 'bond', got '" + kind + "'");
}

py::dict ensemble_dict(perc::Ensemble&& e) {
  py::dict d;
  d["realizations"] = e.realizations;
  d["n"] = e.n;
  d["largest"] = to_numpy(std::move(e.largest));
  d["largest_sq"] = to_numpy(std::move(e.largest_sq));
  d["second"] = to_numpy(std::move(e.second));
  d["clusters"] = to_numpy(std::move(e.clusters));
  d["finite_sq"] = to_numpy(std::move(e.finite_sq));
  if (!e.wrap_h.empty()) {
    d["wrap_h"] = to_numpy(std::move(e.wrap_h));
    d["wrap_v"] = to_numpy(std::move(e.wrap_v));
    if (!e.wrap_d.empty()) d["wrap_d"] = to_numpy(std::move(e.wrap_d));
    d["wrap_either"] = to_numpy(std::move(e.wrap_either));
    d["wrap_both"] = to_numpy(std::move(e.wrap_both));
  }
  if (!e.largest_sums.empty()) d["largest_sums"] = to_numpy(std::move(e.largest_sums));
  if (e.grid) {
    const std::size_t R = e.per_realization.size() / (perc::Ensemble::kObservables * e.grid);
    py::array_t<double> all = to_numpy(std::move(e.per_realization));
    py::dict per;
    for (std::size_t o = 0; o < perc::Ensemble::kObservables; ++o) {
      // a (realizations x grid) view of observable o's rows
      py::array_t<double> view({R, e.grid}, {perc::Ensemble::kObservables * e.grid * sizeof(double), sizeof(double)},
                               all.data() + o * e.grid, all);
      per[perc::kObservableNames[o]] = view;
    }
    d["per_realization"] = per;
  }
  return d;
}

}  // namespace

void init_percolation(py::module_& m) {
  m.def(
      "cluster_size_distribution",
      [](const Graph& g, const std::string& kind, double p, std::uint64_t realizations, std::uint64_t seed,
         py::object progress) {
        const perc::Kind k = kind_of(kind);
        RunControl ctl = python_control(progress);
        perc::ClusterSizes c;
        {
          py::gil_scoped_release rel;
          c = perc::cluster_size_distribution(g, k, p, realizations, seed, ctl);
        }
        return to_numpy(std::move(c.count));
      },
      py::arg("graph"), py::arg("kind"), py::arg("p"), py::arg("realizations"), py::arg("seed"),
      py::arg("progress") = py::none());
  m.def(
      "percolation_ensemble",
      [](const Graph& g, const std::string& kind, std::uint64_t realizations, std::uint64_t seed, std::uint32_t width,
         std::uint32_t height, py::object progress, std::uint32_t depth, const carray<std::int32_t>& x,
         const carray<std::int32_t>& y, const carray<double>& grid, const carray<std::int32_t>& z, bool open) {
        const perc::Kind k = kind_of(kind);
        RunControl ctl = python_control(progress);
        perc::Ensemble e;
        {
          py::gil_scoped_release rel;
          e = perc::sweep_ensemble(g, k, realizations, seed, {width, height, depth, span_of(x), span_of(y), span_of(z), open}, ctl,
                                   span_of(grid));
        }
        return ensemble_dict(std::move(e));
      },
      py::arg("graph"), py::arg("kind"), py::arg("realizations"), py::arg("seed"), py::arg("width"), py::arg("height"),
      py::arg("progress") = py::none(), py::arg("depth") = 0, py::arg("x") = carray<std::int32_t>(0),
      py::arg("y") = carray<std::int32_t>(0), py::arg("grid") = carray<double>(0), py::arg("z") = carray<std::int32_t>(0),
      py::arg("open") = false);
  m.def(
      "percolation_order",
      [](const Graph& g, const std::string& kind, const carray<std::uint32_t>& order, std::uint32_t width,
         std::uint32_t height, std::uint32_t depth) {
        const perc::Kind k = kind_of(kind);
        perc::Ensemble e;
        {
          py::gil_scoped_release rel;
          e = perc::sweep_order(g, k, span_of(order), {width, height, depth});
        }
        return ensemble_dict(std::move(e));
      },
      py::arg("graph"), py::arg("kind"), py::arg("order"), py::arg("width"), py::arg("height"), py::arg("depth") = 0);
  m.def(
      "percolation_orders",
      [](const Graph& g, const std::string& kind, const carray<std::uint32_t>& orders, std::uint64_t count,
         std::uint32_t width, std::uint32_t height, py::object progress, std::uint32_t depth,
         const carray<std::int32_t>& x, const carray<std::int32_t>& y, const carray<std::int32_t>& z, bool open) {
        const perc::Kind k = kind_of(kind);
        RunControl ctl = python_control(progress);
        perc::Ensemble e;
        {
          py::gil_scoped_release rel;
          e = perc::sweep_orders(g, k, span_of(orders), count, {width, height, depth, span_of(x), span_of(y), span_of(z), open}, ctl);
        }
        return ensemble_dict(std::move(e));
      },
      py::arg("graph"), py::arg("kind"), py::arg("orders"), py::arg("count"), py::arg("width"), py::arg("height"),
      py::arg("progress") = py::none(), py::arg("depth") = 0, py::arg("x") = carray<std::int32_t>(0),
      py::arg("y") = carray<std::int32_t>(0), py::arg("z") = carray<std::int32_t>(0), py::arg("open") = false);
  m.def(
      "canonical",
      [](const carray<double>& micro, const carray<double>& p) {
        std::vector<double> out;
        {
          py::gil_scoped_release rel;
          out = perc::canonical(span_of(micro), span_of(p));
        }
        return to_numpy(std::move(out));
      },
      py::arg("micro"), py::arg("p"));
}
