// Bindings of the percolation models beyond Newman-Ziff: attacks, interdependent
// networks, threshold and distance percolation, city clustering, cascades.
#include <pybind11/stl.h>

#include "common.hpp"
#include "urbplex/core/betweenness.hpp"
#include "urbplex/percolation/attacks.hpp"
#include "urbplex/percolation/cascades.hpp"
#include "urbplex/percolation/city_clustering.hpp"
#include "urbplex/percolation/distance.hpp"
#include "urbplex/percolation/interdependent.hpp"
#include "urbplex/percolation/threshold.hpp"

using namespace urbplex;
using namespace urbplex::bind;
namespace perc = urbplex::percolation;

namespace {
perc::Attack attack_of(const std::string& s) {
  if (s == "random") return perc::Attack::Random;
  if (s == "degree") return perc::Attack::Degree;
  if (s == "adaptive_degree") return perc::Attack::AdaptiveDegree;
  if (s == "betweenness") return perc::Attack::Betweenness;
  if (s == "adaptive_betweenness") return perc::Attack::AdaptiveBetweenness;
  throw std::invalid_argument("argument 'strategy': must be one of 'random', 'degree', 'adaptive_degree', "
                              "'betweenness', 'adaptive_betweenness'; got '" + s + "'");
}
std::span<const char> mask_of(const py::object& alive, std::vector<char>& store) {
  if (alive.is_none()) return {};
  auto a = alive.cast<carray<std::uint8_t>>();
  store.assign(a.data(), a.data() + a.size());
  return store;
}
}  // namespace

void init_percolation_models(py::module_& m) {
  m.def(
      "betweenness",
      [](const Graph& g, py::object alive, py::object progress, const carray<std::uint32_t>& sources,
         const carray<double>& weights) {
        std::vector<char> store;
        const auto mask = mask_of(alive, store);
        RunControl ctl = python_control(progress);
        std::vector<double> b;
        {
          py::gil_scoped_release rel;
          b = betweenness(g, mask, ctl, span_of(sources), span_of(weights));
        }
        return to_numpy(std::move(b));
      },
      py::arg("graph"), py::arg("alive") = py::none(), py::arg("progress") = py::none(),
      py::arg("sources") = carray<std::uint32_t>(0), py::arg("weights") = carray<double>(0));
  m.def(
      "removal_order",
      [](const Graph& g, const std::string& strategy, std::uint64_t seed, std::uint32_t every, py::object progress) {
        const auto a = attack_of(strategy);
        RunControl ctl = python_control(progress);
        std::vector<std::uint32_t> order;
        {
          py::gil_scoped_release rel;
          order = perc::removal_order(g, a, seed, every, ctl);
        }
        return to_numpy(std::move(order));
      },
      py::arg("graph"), py::arg("strategy"), py::arg("seed"), py::arg("recompute_every"), py::arg("progress") = py::none());
  m.def("largest_after_removal", [](const Graph& g, const carray<std::uint32_t>& order) {
    std::vector<std::uint32_t> s;
    {
      py::gil_scoped_release rel;
      s = perc::largest_after_removal(g, span_of(order));
    }
    return to_numpy(std::move(s));
  });
  m.def(
      "mutual_sweep",
      [](const Graph& a, const Graph& b, const carray<std::uint32_t>& dep, const carray<double>& p,
         std::uint32_t realizations, std::uint64_t seed, bool thresholds, double collapse, double tol,
         py::object progress) {
        RunControl ctl = python_control(progress);
        perc::MutualSweep s;
        {
          py::gil_scoped_release rel;
          s = perc::mutual_sweep(a, b, span_of(dep), span_of(p), realizations, seed, thresholds, collapse, tol, ctl);
        }
        return py::make_tuple(to_numpy(std::move(s.fraction)), to_numpy(std::move(s.thresholds)),
                              to_numpy(std::move(s.each)));
      },
      py::arg("a"), py::arg("b"), py::arg("dependency"), py::arg("p"), py::arg("realizations"), py::arg("seed"),
      py::arg("thresholds"), py::arg("collapse"), py::arg("tol"), py::arg("progress") = py::none());
  m.def("threshold_sweep", [](const Graph& g, const carray<double>& values) {
    perc::ThresholdSweep s;
    {
      py::gil_scoped_release rel;
      s = perc::threshold_sweep(g, span_of(values));
    }
    return py::make_tuple(to_numpy(std::move(s.q)), to_numpy(std::move(s.largest)), to_numpy(std::move(s.second)),
                          s.critical, to_numpy(std::move(s.bottlenecks)));
  });
  m.def("distance_sweep", [](const Graph& g, const carray<double>& length) {
    perc::DistanceSweep s;
    {
      py::gil_scoped_release rel;
      s = perc::distance_sweep(g, span_of(length));
    }
    return py::make_tuple(to_numpy(std::move(s.d)), to_numpy(std::move(s.largest)), to_numpy(std::move(s.clusters)));
  });
  m.def("distance_partitions", [](const Graph& g, const carray<double>& length, const carray<double>& thresholds) {
    std::vector<std::vector<std::uint32_t>> parts;
    {
      py::gil_scoped_release rel;
      parts = perc::distance_partitions(g, span_of(length), span_of(thresholds));
    }
    py::list out;
    for (auto& p : parts) out.append(to_numpy(std::move(p)));
    return out;
  });
  m.def("city_clustering", [](const carray<double>& x, const carray<double>& y, const carray<double>& pop,
                              double threshold, double ell) {
    std::vector<std::int64_t> labels;
    {
      py::gil_scoped_release rel;
      labels = perc::city_clustering(span_of(x), span_of(y), span_of(pop), threshold, ell);
    }
    return to_numpy(std::move(labels));
  });
  m.def(
      "motter_lai",
      [](const Graph& g, const carray<double>& load, double alpha, const carray<std::uint32_t>& initial,
         py::object progress, const carray<std::uint32_t>& sources) {
        RunControl ctl = python_control(progress);
        perc::CascadeOutcome o;
        {
          py::gil_scoped_release rel;
          o = perc::motter_lai(g, span_of(load), alpha, span_of(initial), ctl, span_of(sources));
        }
        std::vector<std::uint8_t> alive(o.alive.begin(), o.alive.end());
        return py::make_tuple(o.damage, o.failed, o.stages, to_numpy(std::move(alive)));
      },
      py::arg("graph"), py::arg("initial_load"), py::arg("alpha"), py::arg("initial_failures"),
      py::arg("progress") = py::none(), py::arg("sources") = carray<std::uint32_t>(0));
}
