// Bindings of mobility/trip_distribution.hpp (TDLM's laws, models and measures).
#include <cmath>
#include <memory>

#include "common.hpp"
#include "urbplex/core/errors.hpp"
#include "urbplex/mobility/trip_distribution.hpp"

using namespace urbplex;
using namespace urbplex::bind;
namespace mob = urbplex::mobility;

namespace {

mob::TripLaw law_of(const std::string& s) {
  if (s == "GravExp") return mob::TripLaw::grav_exp;
  if (s == "NGravExp") return mob::TripLaw::ngrav_exp;
  if (s == "GravPow") return mob::TripLaw::grav_pow;
  if (s == "NGravPow") return mob::TripLaw::ngrav_pow;
  if (s == "Schneider") return mob::TripLaw::schneider;
  if (s == "Rad") return mob::TripLaw::rad;
  if (s == "RadExt") return mob::TripLaw::rad_ext;
  if (s == "Rand") return mob::TripLaw::rand;
  fail("law", "unknown law '" + s + "'");
}
mob::TripModel model_of(const std::string& s) {
  if (s == "UM") return mob::TripModel::unconstrained;
  if (s == "PCM") return mob::TripModel::production;
  if (s == "ACM") return mob::TripModel::attraction;
  if (s == "DCM") return mob::TripModel::doubly;
  fail("model", "unknown model '" + s + "'");
}
mob::TripConvention convention_of(const std::string& s) {
  if (s == "exact") return mob::TripConvention::exact;
  if (s == "tdlm") return mob::TripConvention::tdlm;
  if (s == "pytdlm") return mob::TripConvention::pytdlm;
  fail("convention", "must be 'exact', 'tdlm' or 'pytdlm', got '" + s + "'");
}

}  // namespace

void init_trip_distribution(py::module_& m) {
  m.def(
      "intervening_opportunities",
      [](const carray<double>& distance, const carray<double>& opportunity, py::object progress) {
        RunControl ctl = python_control(progress);
        std::vector<double> s;
        {
          py::gil_scoped_release rel;
          s = mob::intervening_opportunities(span_of(distance), span_of(opportunity),
                                             static_cast<std::uint32_t>(opportunity.size()), ctl);
        }
        return to_numpy(std::move(s));
      },
      py::arg("distance"), py::arg("opportunity"), py::arg("progress") = py::none());

  m.def(
      "trip_distribution",
      [](const std::string& law, const std::string& model, const std::string& convention, const carray<double>& cost,
         const carray<double>& mi, const carray<double>& mj, const carray<double>& out_trips,
         const carray<double>& in_trips, const carray<double>& params, std::uint32_t replicates, bool average,
         std::uint64_t seed, double tol, int max_sweeps, double eps, double total, py::object progress) {
        mob::TripModelOptions o;
        o.model = model_of(model), o.convention = convention_of(convention), o.tol = tol, o.max_sweeps = max_sweeps, o.eps = eps;
        o.total = total;
        const auto l = law_of(law);
        RunControl ctl = python_control(progress);
        mob::TripRun r;
        {
          py::gil_scoped_release rel;
          r = mob::run_trip_distribution(l, span_of(cost), span_of(mi), span_of(mj), span_of(out_trips),
                                         span_of(in_trips), span_of(params), replicates, average, seed, o, ctl);
        }
        py::dict d;
        d["expected"] = to_numpy(std::move(r.expected));
        d["trips"] = to_numpy(std::move(r.trips));
        d["sweeps"] = to_numpy(std::move(r.sweeps));
        return d;
      },
      py::arg("law"), py::arg("model"), py::arg("convention"), py::arg("cost"), py::arg("mi"), py::arg("mj"),
      py::arg("out_trips"), py::arg("in_trips"), py::arg("params"), py::arg("replicates"), py::arg("average"),
      py::arg("seed"), py::arg("tol"), py::arg("max_sweeps"), py::arg("eps"), py::arg("total"),
      py::arg("progress") = py::none());

  // The observed matrix and distances prepared once (sorted pairs, bins), then
  // any number of simulated matrices measured against them.
  struct FitReference {
    carray<double> observed, distance;
    std::unique_ptr<mob::TripFitReference> ref;
  };
  py::class_<FitReference>(m, "TripFitReference")
      .def(py::init([](const carray<double>& observed, const carray<double>& distance, double bin_size) {
             auto r = std::make_unique<FitReference>();
             r->observed = observed, r->distance = distance;
             const auto n =
                 static_cast<std::uint32_t>(std::llround(std::sqrt(static_cast<double>(observed.size()))));
             py::gil_scoped_release rel;
             r->ref = std::make_unique<mob::TripFitReference>(span_of(r->observed), n, span_of(r->distance),
                                                              bin_size);
             return r;
           }),
           py::arg("observed"), py::arg("distance"), py::arg("bin_size"))
      .def(
          "measure",
          [](const FitReference& self, py::array simulated, std::size_t count) {
            std::vector<mob::TripFit> fits;
            // Draws (uint32) are measured as they are; anything else as float64.
            const bool draws = py::isinstance<py::array_t<std::uint32_t>>(simulated) &&
                               (simulated.flags() & py::array::c_style);
            carray<std::uint32_t> as_draws;
            carray<double> as_doubles;
            if (draws) as_draws = simulated.cast<carray<std::uint32_t>>();
            else as_doubles = simulated.cast<carray<double>>();
            {
              py::gil_scoped_release rel;
              fits = draws ? mob::measure_trips(*self.ref, span_of(as_draws), count)
                           : mob::measure_trips(*self.ref, span_of(as_doubles), count);
            }
            std::vector<double> cols[7];
            for (auto& c : cols) c.reserve(fits.size());
            for (const auto& f : fits) {
              cols[0].push_back(f.cpc), cols[1].push_back(f.nrmse), cols[2].push_back(f.kl);
              cols[3].push_back(f.cpl), cols[4].push_back(f.cpc_d), cols[5].push_back(f.ks);
              cols[6].push_back(f.ks_n_effective);
            }
            py::dict d;
            const char* names[7] = {"CPC", "NRMSE", "KL", "CPL", "CPC_d", "KS_stat", "KS_n_effective"};
            for (int i = 0; i < 7; ++i) d[names[i]] = to_numpy(std::move(cols[i]));
            return d;
          },
          py::arg("simulated"), py::arg("count"));
}
