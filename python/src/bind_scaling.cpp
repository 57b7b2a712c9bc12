// Bindings of scaling/.
#include <pybind11/stl.h>

#include "common.hpp"
#include "urbplex/scaling/power_law.hpp"
#include "urbplex/scaling/tie_formation.hpp"

using namespace urbplex;
using namespace urbplex::bind;
namespace sc = urbplex::scaling;

namespace {
sc::FitOptions options(bool discrete, double xmin, std::uint32_t max_candidates, std::uint32_t min_tail,
                       bool plfit_ks) {
  sc::FitOptions o;
  o.ks = plfit_ks ? sc::KsConvention::plfit : sc::KsConvention::two_sided;
  o.discrete = discrete;
  o.fixed_xmin = xmin;
  o.max_candidates = max_candidates;
  o.min_tail = min_tail;
  return o;
}
py::dict fit_dict(const sc::PowerLawFit& f) {
  py::dict d;
  d["alpha"] = f.alpha;
  d["xmin"] = f.xmin;
  d["ks"] = f.ks;
  d["loglik"] = f.loglik;
  d["n_tail"] = f.n_tail;
  d["n"] = f.n;
  d["discrete"] = f.discrete;
  return d;
}
}  // namespace

void init_scaling(py::module_& m) {
  m.def("hurwitz_zeta", &sc::hurwitz_zeta, py::arg("s"), py::arg("q"));
  m.def("log_hurwitz_zeta", &sc::log_hurwitz_zeta, py::arg("s"), py::arg("q"));
  m.def(
      "fit_power_law",
      [](const carray<double>& data, bool discrete, double xmin, std::uint32_t max_candidates, std::uint32_t min_tail,
         bool plfit_ks, py::object progress) {
        RunControl ctl = python_control(progress);
        sc::PowerLawFit f;
        {
          py::gil_scoped_release rel;
          f = sc::fit_power_law(span_of(data), options(discrete, xmin, max_candidates, min_tail, plfit_ks), ctl);
        }
        return fit_dict(f);
      },
      py::arg("data"), py::arg("discrete"), py::arg("xmin"), py::arg("max_candidates"), py::arg("min_tail"),
      py::arg("plfit_ks") = false, py::arg("progress") = py::none());
  m.def(
      "power_law_gof",
      [](const carray<double>& data, double alpha, double xmin, double ks, bool discrete, bool fixed_xmin,
         std::uint32_t max_candidates, std::uint32_t min_tail, std::uint32_t replicates, std::uint64_t seed,
         bool plfit_ks, py::object progress) {
        sc::PowerLawFit f;
        f.alpha = alpha;
        f.xmin = xmin;
        f.ks = ks;
        RunControl ctl = python_control(progress);
        std::vector<double> synthetic;
        double p;
        {
          py::gil_scoped_release rel;
          p = sc::power_law_gof(span_of(data), f, options(discrete, fixed_xmin ? xmin : 0.0, max_candidates, min_tail, plfit_ks),
                                replicates, seed, &synthetic, ctl);
        }
        return py::make_tuple(p, to_numpy(std::move(synthetic)));
      },
      py::arg("data"), py::arg("alpha"), py::arg("xmin"), py::arg("ks"), py::arg("discrete"), py::arg("fixed_xmin"),
      py::arg("max_candidates"), py::arg("min_tail"), py::arg("replicates"), py::arg("seed"),
      py::arg("plfit_ks") = false, py::arg("progress") = py::none());
  m.def(
      "sample_power_law",
      [](double alpha, double xmin, bool discrete, std::uint64_t n, std::uint64_t seed) {
        std::vector<double> s;
        {
          py::gil_scoped_release rel;
          s = sc::sample_power_law(alpha, xmin, discrete, n, seed);
        }
        return to_numpy(std::move(s));
      },
      py::arg("alpha"), py::arg("xmin"), py::arg("discrete"), py::arg("n"), py::arg("seed"));
}


void init_scaling_models(py::module_& m) {  // generative models
  m.def(
      "rank_based_ties",
      [](const carray<std::uint32_t>& sizes, double c, std::uint64_t seed, py::object progress) {
        RunControl ctl = python_control(progress);
        std::vector<std::uint64_t> t;
        {
          py::gil_scoped_release rel;
          t = urbplex::scaling::rank_based_ties(span_of(sizes), c, seed, ctl);
        }
        return to_numpy(std::move(t));
      },
      py::arg("sizes"), py::arg("c"), py::arg("seed"), py::arg("progress") = py::none());
}
