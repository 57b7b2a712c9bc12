// Bindings of mobility/.
#include <pybind11/stl.h>

#include "common.hpp"
#include "urbplex/core/errors.hpp"
#include "urbplex/mobility/epr.hpp"
#include "urbplex/mobility/flows.hpp"
#include "urbplex/mobility/gravity_fit.hpp"

using namespace urbplex;
using namespace urbplex::bind;
namespace mob = urbplex::mobility;

namespace {

mob::Metric metric_of(const std::string& m) {
  if (m == "euclidean") return mob::Metric::euclidean;
  if (m == "haversine") return mob::Metric::haversine;
  fail("metric", "must be 'euclidean' or 'haversine', got '" + m + "'");
}
mob::DeterrenceKind deterrence_of(const std::string& d) {
  if (d == "power") return mob::DeterrenceKind::power;
  if (d == "exponential") return mob::DeterrenceKind::exponential;
  fail("deterrence", "must be 'power' or 'exponential', got '" + d + "'");
}
mob::GravityKind gravity_kind_of(const std::string& k) {
  if (k == "unconstrained") return mob::GravityKind::unconstrained;
  if (k == "origin") return mob::GravityKind::origin_constrained;
  if (k == "doubly") return mob::GravityKind::doubly_constrained;
  fail("constraint", "must be 'unconstrained', 'origin' or 'doubly', got '" + k + "'");
}

py::object flows_out(mob::FlowMatrix&& f) {
  if (!f.sparse) return to_numpy(std::move(f.dense));
  return py::make_tuple(to_numpy(std::move(f.indptr)), to_numpy(std::move(f.indices)), to_numpy(std::move(f.values)));
}

}  // namespace

void init_mobility(py::module_& m) {
  m.def(
      "gravity_flows",
      [](const carray<double>& x, const carray<double>& y, const carray<double>& mass, const std::string& metric,
         const std::string& constraint, double k, double alpha, double beta, const std::string& deterrence,
         double gamma, const carray<double>& outflows, const carray<double>& inflows, double min_flow,
         py::object progress) {
        const mob::Locations locs{span_of(x), span_of(y), span_of(mass), metric_of(metric)};
        mob::GravityParams p;
        p.k = k, p.alpha = alpha, p.beta = beta;
        p.deterrence = {deterrence_of(deterrence), gamma};
        const auto kind = gravity_kind_of(constraint);
        RunControl ctl = python_control(progress);
        mob::FlowMatrix f;
        {
          py::gil_scoped_release rel;
          f = mob::gravity_flows(locs, kind, p, span_of(outflows), span_of(inflows), min_flow, ctl);
        }
        return flows_out(std::move(f));
      },
      py::arg("x"), py::arg("y"), py::arg("mass"), py::arg("metric"), py::arg("constraint"), py::arg("k"),
      py::arg("alpha"), py::arg("beta"), py::arg("deterrence"), py::arg("gamma"), py::arg("outflows"),
      py::arg("inflows"), py::arg("min_flow"), py::arg("progress") = py::none());

  m.def(
      "radiation_flows",
      [](const carray<double>& x, const carray<double>& y, const carray<double>& mass, const std::string& metric,
         const carray<double>& outflows, bool finite_size, double min_flow, py::object progress) {
        const mob::Locations locs{span_of(x), span_of(y), span_of(mass), metric_of(metric)};
        RunControl ctl = python_control(progress);
        mob::FlowMatrix f;
        {
          py::gil_scoped_release rel;
          f = mob::radiation_flows(locs, span_of(outflows), finite_size, min_flow, ctl);
        }
        return flows_out(std::move(f));
      },
      py::arg("x"), py::arg("y"), py::arg("mass"), py::arg("metric"), py::arg("outflows"), py::arg("finite_size"),
      py::arg("min_flow"), py::arg("progress") = py::none());

  m.def(
      "furness",
      [](const carray<double>& weights, std::uint32_t n, const carray<double>& rows, const carray<double>& cols,
         double tol, int max_sweeps) {
        std::vector<double> w(weights.data(), weights.data() + weights.size());
        int sweeps = 0;
        {
          py::gil_scoped_release rel;
          sweeps = mob::furness(w, n, span_of(rows), span_of(cols), tol, max_sweeps);
        }
        return py::make_tuple(to_numpy(std::move(w)), sweeps);
      },
      py::arg("weights"), py::arg("n"), py::arg("rows"), py::arg("cols"), py::arg("tol"), py::arg("max_sweeps"));

  m.def(
      "fit_gravity",
      [](const carray<double>& x, const carray<double>& y, const carray<double>& mass, const std::string& metric,
         const carray<double>& observed, const std::string& constraint, const std::string& deterrence,
         py::object progress) {
        const mob::Locations locs{span_of(x), span_of(y), span_of(mass), metric_of(metric)};
        const auto kind = gravity_kind_of(constraint);
        const auto det = deterrence_of(deterrence);
        RunControl ctl = python_control(progress);
        mob::GravityFit f;
        {
          py::gil_scoped_release rel;
          f = mob::fit_gravity(locs, span_of(observed), kind, det, ctl);
        }
        py::dict d;
        d["log_k"] = f.log_k, d["alpha"] = f.alpha, d["beta"] = f.beta, d["gamma"] = f.gamma;
        d["loglik"] = f.loglik, d["iterations"] = f.iterations;
        return d;
      },
      py::arg("x"), py::arg("y"), py::arg("mass"), py::arg("metric"), py::arg("observed"), py::arg("constraint"),
      py::arg("deterrence"), py::arg("progress") = py::none());

  m.def(
      "sample_trips",
      [](const carray<double>& flows, std::uint32_t n, const carray<std::uint64_t>& trips, std::uint64_t seed) {
        mob::Trips t;
        {
          py::gil_scoped_release rel;
          t = mob::sample_trips(span_of(flows), n, span_of(trips), seed);
        }
        return py::make_tuple(to_numpy(std::move(t.origin)), to_numpy(std::move(t.destination)),
                              to_numpy(std::move(t.count)));
      },
      py::arg("flows"), py::arg("n"), py::arg("trips"), py::arg("seed"));

  m.def(
      "simulate_epr",
      [](const carray<double>& x, const carray<double>& y, const carray<double>& mass, const std::string& metric,
         const std::string& exploration, py::dict params, std::uint32_t agents, std::uint32_t steps,
         std::uint64_t seed, const carray<std::uint32_t>& start, bool record, bool od,
         const carray<double>& time_grid, std::uint32_t k, py::object progress) {
        const mob::Locations locs{span_of(x), span_of(y), span_of(mass), metric_of(metric)};
        mob::EprParams p;
        if (exploration == "spatial") p.exploration = mob::Exploration::spatial;
        else if (exploration == "density") p.exploration = mob::Exploration::density;
        else fail("exploration", "must be 'spatial' or 'density', got '" + exploration + "'");
        p.rho = params["rho"].cast<double>(), p.gamma = params["gamma"].cast<double>();
        p.wait_beta = params["wait_beta"].cast<double>(), p.wait_tau = params["wait_tau"].cast<double>();
        p.wait_min = params["wait_min"].cast<double>();
        p.jump_alpha = params["jump_alpha"].cast<double>(), p.jump_r0 = params["jump_r0"].cast<double>();
        p.jump_kappa = params["jump_kappa"].cast<double>();
        p.gravity_exponent = params["gravity_exponent"].cast<double>();
        mob::EprOptions o;
        o.agents = agents, o.steps = steps, o.seed = seed, o.start = span_of(start), o.record = record, o.od = od;
        o.time_grid = span_of(time_grid), o.k = k;
        RunControl ctl = python_control(progress);
        mob::EprResult r;
        {
          py::gil_scoped_release rel;
          r = mob::simulate_epr(locs, p, o, ctl);
        }
        py::dict d;
        d["location"] = to_numpy(std::move(r.location));
        d["time"] = to_numpy(std::move(r.time));
        d["distinct"] = to_numpy(std::move(r.distinct));
        d["radius"] = to_numpy(std::move(r.radius));
        d["radius_k"] = to_numpy(std::move(r.radius_k));
        d["entropy"] = to_numpy(std::move(r.entropy));
        d["distinct_at"] = to_numpy(std::move(r.distinct_at));
        d["rank_visits"] = to_numpy(std::move(r.rank_visits));
        d["discovery_visits"] = to_numpy(std::move(r.discovery_visits));
        d["od"] = to_numpy(std::move(r.od));
        d["explorations"] = r.explorations, d["returns"] = r.returns;
        return d;
      },
      py::arg("x"), py::arg("y"), py::arg("mass"), py::arg("metric"), py::arg("exploration"), py::arg("params"),
      py::arg("agents"), py::arg("steps"), py::arg("seed"), py::arg("start"), py::arg("record"), py::arg("od"),
      py::arg("time_grid"), py::arg("k"), py::arg("progress") = py::none());

  m.def(
      "draw_truncated_power_law",
      [](const std::string& which, std::uint64_t n, double exponent, double scale, double cutoff, std::uint64_t seed) {
        require(which == "wait" || which == "jump", "which", "must be 'wait' or 'jump', got '" + which + "'");
        std::vector<double> out(n);
        {
          py::gil_scoped_release rel;
          Rng rng(seed, 0);
          for (auto& v : out)
            v = which == "wait" ? mob::draw_waiting_time(rng, exponent, cutoff, scale)
                                : mob::draw_jump_length(rng, exponent, scale, cutoff);
        }
        return to_numpy(std::move(out));
      },
      py::arg("which"), py::arg("n"), py::arg("exponent"), py::arg("scale"), py::arg("cutoff"), py::arg("seed"));
}
