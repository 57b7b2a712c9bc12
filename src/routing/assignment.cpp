#include "urbplex/routing/assignment.hpp"
#include "urbplex/core/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>
#include <chrono>

#include "all_or_nothing.hpp"
#include "chains.hpp"
#include "urbplex/core/errors.hpp"

namespace urbplex::routing {

namespace {

using detail::CostOf;

// Exact line search: the Beckmann derivative sum t(x + lambda d) d is increasing in lambda.
double line_search(const Network& net, const std::vector<double>& x, const std::vector<double>& d) {
  const CostOf f(net);
  auto slope = [&](double lam) {
    double s = 0;
    for (std::size_t l = 0; l < x.size(); ++l)
      if (d[l] != 0) s += (*f).cost(l, x[l] + lam * d[l]) * d[l];
    return s;
  };
  if (slope(0.0) >= 0) return 0.0;
  if (slope(1.0) <= 0) return 1.0;
  double lo = 0, hi = 1;
  for (int it = 0; it < 64 && hi - lo > 1e-15; ++it) {
    const double mid = 0.5 * (lo + hi);
    (slope(mid) < 0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

std::vector<double> bpr_cost(const Network& net, std::span<const double> flow) {
  const CostOf f(net);
  std::vector<double> c(flow.size());
  for (std::size_t l = 0; l < flow.size(); ++l) c[l] = (*f).cost(l, flow[l]);
  return c;
}

std::vector<double> all_or_nothing(const Network& net, const Demand& demand, std::span<const double> cost,
                                   double* sptt) {
  detail::check(net, demand);
  std::vector<double> flow;
  detail::all_or_nothing(net, detail::forward_star(net), demand, cost, &flow, sptt);
  return flow;
}

namespace {

// The equilibrium on a checked network.
AssignmentResult solve(const Network& net, const Demand& dem, const AssignmentOptions& o, RunControl& control) {
  if (o.method == Method::algorithm_b) return assign_bushes(net, dem, o, control);
  const auto start = std::chrono::steady_clock::now();
  const ForwardStar fs = detail::forward_star(net);
  const CostOf f(net);
  const std::size_t m = net.from.size();
  AssignmentResult r;
  std::vector<double> zero(m, 0.0);
  double sptt = 0;
  std::vector<double> x, y;
  detail::all_or_nothing(net, fs, dem, bpr_cost(net, zero), &x, &sptt, control);
  std::vector<double> s1, s2, s(m), d(m);  // previous target points (conjugate methods)
  double tau = 0;                          // previous step
  control.set_total(o.max_iterations);
  for (std::uint32_t k = 1; k <= o.max_iterations; ++k) {
    const std::vector<double> t = bpr_cost(net, x);
    detail::all_or_nothing(net, fs, dem, t, &y, &sptt, control);
    double tstt = 0;
    for (std::size_t l = 0; l < m; ++l) tstt += x[l] * t[l];
    const double gap = tstt > 0 ? (tstt - sptt) / tstt : 0.0;
    r.gaps.push_back(gap);
    r.seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (gap <= o.gap) {
      r.converged = true;
      break;
    }
    if (k == o.max_iterations) break;
    std::vector<double> h(m);
    for (std::size_t l = 0; l < m; ++l) h[l] = (*f).derivative(l, x[l]);
    s = y;
    const bool near_one = tau > 1 - 1e-12;
    if (o.method == Method::conjugate && !s1.empty() && !near_one) {
      double num = 0, den = 0;
      for (std::size_t l = 0; l < m; ++l) {
        num += (s1[l] - x[l]) * h[l] * (y[l] - x[l]);
        den += (s1[l] - x[l]) * h[l] * (y[l] - s1[l]);
      }
      double a = den != 0 ? num / den : 0.0;
      a = std::clamp(std::isfinite(a) ? a : 0.0, 0.0, 1.0 - 1e-6);
      for (std::size_t l = 0; l < m; ++l) s[l] = a * s1[l] + (1 - a) * y[l];
    } else if (o.method == Method::biconjugate && !s2.empty() && !near_one && tau > 0) {
      double n1 = 0, d1 = 0, n2 = 0, d2 = 0;
      for (std::size_t l = 0; l < m; ++l) {
        const double dk1 = s1[l] - x[l], dk2 = tau * s1[l] + (1 - tau) * s2[l] - x[l];
        n2 += dk2 * h[l] * (y[l] - x[l]);
        d2 += dk2 * h[l] * (s2[l] - s1[l]);
        n1 += dk1 * h[l] * (y[l] - x[l]);
        d1 += dk1 * h[l] * dk1;
      }
      double mu = d2 != 0 ? -n2 / d2 : 0.0;
      double nu = (d1 != 0 ? -n1 / d1 : 0.0) + mu * tau / (1 - tau);
      mu = std::isfinite(mu) ? std::max(0.0, mu) : 0.0;
      nu = std::isfinite(nu) ? std::max(0.0, nu) : 0.0;
      const double b0 = 1 / (1 + mu + nu), b1 = nu * b0, b2 = mu * b0;
      for (std::size_t l = 0; l < m; ++l) s[l] = b0 * y[l] + b1 * s1[l] + b2 * s2[l];
    }
    // Keep a descent direction; else fall back to Frank-Wolfe.
    double descent = 0;
    for (std::size_t l = 0; l < m; ++l) descent += t[l] * (s[l] - x[l]);
    if (!(descent < 0)) s = y;
    for (std::size_t l = 0; l < m; ++l) d[l] = s[l] - x[l];
    const double lam = o.method == Method::msa ? 1.0 / (k + 1) : line_search(net, x, d);
    for (std::size_t l = 0; l < m; ++l) x[l] += lam * d[l];
    s2 = std::move(s1);
    s1 = s;
    tau = lam;
    control.advance();
    control.checkpoint();
    control.throw_if_stopped();
  }
  r.cost = bpr_cost(net, x);
  for (std::size_t l = 0; l < m; ++l) {
    r.tstt += x[l] * r.cost[l];
    r.beckmann += (*f).integral(l, x[l]);
  }
  detail::all_or_nothing(net, fs, dem, r.cost, nullptr, &r.sptt, control);
  r.flow = std::move(x);
  control.finish();
  return r;
}

}  // namespace

AssignmentResult assign(const Network& net, const Demand& dem, const AssignmentOptions& o, RunControl& control) {
  detail::check(net, dem);
  require(std::isfinite(o.gap) && o.gap >= 0, "gap", "must be >= 0");
  require(o.max_iterations >= 1, "max_iterations", "must be >= 1");
  const detail::Chains chains = o.contract_chains ? detail::find_chains(net, dem) : detail::Chains{};
  if (chains.pass_through == 0) return solve(net, dem, o, control);
  // The same equilibrium on the network of chains, then each link gets its chain's flow.
  const CostOf links(net);
  const detail::ChainCost chain_cost(*links, chains);
  Network contracted;
  contracted.n = net.n;
  contracted.first_thru = net.first_thru;
  contracted.from = chains.from;
  contracted.to = chains.to;
  contracted.link_cost = &chain_cost;
  AssignmentResult r = solve(contracted, dem, o, control);
  std::vector<double> flow(net.from.size()), cost(net.from.size());
  for (std::size_t l = 0; l < flow.size(); ++l) {
    flow[l] = r.flow[chains.chain_of[l]];
    cost[l] = links->cost(l, flow[l]);
  }
  r.flow = std::move(flow);
  r.cost = std::move(cost);
  return r;
}

}  // namespace urbplex::routing
