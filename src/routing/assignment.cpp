#include "urbplex/routing/assignment.hpp"
#include "urbplex/core/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>
#include <queue>

#include "urbplex/core/errors.hpp"

namespace urbplex::routing {

namespace {

constexpr int kBlocks = 16;  // fixed origin blocks: sums independent of the thread count

void check(const Network& net, const Demand& dem) {
  const std::size_t m = net.from.size();
  require(net.n >= 1, "graph", "has no nodes");
  for (auto* col : {&net.capacity, &net.free_flow_time, &net.alpha, &net.beta})
    require(col->size() == m, "network", "every link needs capacity, free_flow_time, alpha and beta");
  require(net.to.size() == m, "network", "link ends differ in length");
  require(net.fixed.empty() || net.fixed.size() == m, "fixed", "needs one value per link");
  for (std::size_t l = 0; l < m; ++l) {
    const std::string link = "link " + std::to_string(l) + " (" + std::to_string(net.from[l]) + " -> " +
                             std::to_string(net.to[l]) + ")";
    if (net.from[l] >= net.n || net.to[l] >= net.n) fail("network", link + " refers to an unknown node");
    if (!(net.capacity[l] > 0) || !std::isfinite(net.capacity[l]))
      fail("capacity", link + " has capacity " + std::to_string(net.capacity[l]) + " (must be > 0)");
    if (!(net.free_flow_time[l] >= 0) || !std::isfinite(net.free_flow_time[l]))
      fail("free_flow_time", link + " has free-flow time " + std::to_string(net.free_flow_time[l]) + " (must be >= 0)");
    if (!(net.alpha[l] >= 0) || !std::isfinite(net.alpha[l])) fail("alpha", link + " has a negative or non-finite BPR alpha");
    // alpha = 0 or beta = 0: a constant-cost link (TNTP connectors); else beta >= 1.
    if (!std::isfinite(net.beta[l]) || net.beta[l] < 0 ||
        (net.alpha[l] != 0 && net.beta[l] != 0 && net.beta[l] < 1))
      fail("beta", link + " has BPR power " + std::to_string(net.beta[l]) +
                       " (must be >= 1, or 0 for a constant-cost link)");
    if (!net.fixed.empty() && (!std::isfinite(net.fixed[l]) || net.fixed[l] < 0))
      fail("fixed", link + " has a negative or non-finite flow-independent cost");
  }
  require(dem.offsets.size() == dem.origin.size() + 1, "demand", "offsets must have one more entry than origins");
  for (std::size_t k = 0; k < dem.origin.size(); ++k) {
    if (dem.origin[k] >= net.n) fail("demand", "origin " + std::to_string(dem.origin[k]) + " is not a node");
    for (std::uint64_t e = dem.offsets[k]; e < dem.offsets[k + 1]; ++e) {
      if (dem.destination[e] >= net.n) fail("demand", "destination " + std::to_string(dem.destination[e]) + " is not a node");
      if (!(dem.trips[e] >= 0) || !std::isfinite(dem.trips[e]))
        fail("demand", "trips from " + std::to_string(dem.origin[k]) + " to " + std::to_string(dem.destination[e]) +
                           " must be finite and >= 0");
    }
  }
}

struct ForwardStar {
  std::vector<std::uint64_t> off;
  std::vector<std::uint32_t> link;
  explicit ForwardStar(const Network& net) : off(net.n + 1, 0), link(net.from.size()) {
    for (auto f : net.from) ++off[f + 1];
    for (std::uint32_t v = 0; v < net.n; ++v) off[v + 1] += off[v];
    std::vector<std::uint64_t> fill(off.begin(), off.end() - 1);
    for (std::uint32_t l = 0; l < net.from.size(); ++l) link[fill[net.from[l]]++] = l;
  }
};

// The network's cost function: its own LinkCost, or BPR (+ fixed) from its columns.
class CostOf {
 public:
  explicit CostOf(const Network& net)
      : bpr_(net.capacity, net.free_flow_time, net.alpha, net.beta, net.fixed),
        f_(net.link_cost ? net.link_cost : &bpr_) {}
  const LinkCost& operator*() const { return *f_; }

 private:
  BprCost bpr_;
  const LinkCost* f_;
};


std::vector<double> load(const Network& net, const ForwardStar& fs, const Demand& dem, std::span<const double> cost,
                         double* sptt) {
  const std::size_t m = net.from.size();
  const std::size_t origins = dem.origin.size();
  std::vector<std::vector<double>> part(kBlocks);
  std::vector<double> part_sptt(kBlocks, 0.0);
  std::exception_ptr error;
  // One Dijkstra per origin: a heap operation (~30 ns) per link and node.
  const int threads = parallel::threads_for(origins * (m + net.n) * 32);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (int b = 0; b < kBlocks; ++b) {
    const std::size_t lo = origins * b / kBlocks, hi = origins * (b + 1) / kBlocks;
    if (lo == hi) continue;
    auto& flow = part[b];
    flow.assign(m, 0.0);
    std::vector<double> dist(net.n), node_load(net.n);
    std::vector<std::uint32_t> pred(net.n), order;
    using Item = std::pair<double, std::uint32_t>;
    for (std::size_t k = lo; k < hi; ++k) {
      const std::uint32_t o = dem.origin[k];
      std::fill(dist.begin(), dist.end(), std::numeric_limits<double>::infinity());
      std::fill(pred.begin(), pred.end(), UINT32_MAX);
      std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
      dist[o] = 0;
      heap.emplace(0.0, o);
      order.clear();
      while (!heap.empty()) {
        const auto [d, v] = heap.top();
        heap.pop();
        if (d > dist[v]) continue;
        order.push_back(v);
        if (v != o && v < net.first_thru) continue;  // centroids are not passed through
        for (std::uint64_t e = fs.off[v]; e < fs.off[v + 1]; ++e) {
          const std::uint32_t l = fs.link[e], w = net.to[l];
          const double nd = d + cost[l];
          if (nd < dist[w]) {
            dist[w] = nd;
            pred[w] = l;
            heap.emplace(nd, w);
          }
        }
      }
      for (std::uint32_t v : order) node_load[v] = 0;
      for (std::uint64_t e = dem.offsets[k]; e < dem.offsets[k + 1]; ++e) {
        const std::uint32_t d = dem.destination[e];
        if (dem.trips[e] <= 0 || d == o) continue;
        if (!std::isfinite(dist[d])) {
#pragma omp critical(urbplex_assign_error)
          if (!error)
            error = std::make_exception_ptr(std::invalid_argument(
                "argument 'demand': " + std::to_string(dem.trips[e]) + " trips from node " + std::to_string(o) +
                " to node " + std::to_string(d) + " cannot be routed: no path"));
          continue;
        }
        node_load[d] += dem.trips[e];
        part_sptt[b] += dem.trips[e] * dist[d];
      }
      // Push loads back along the tree, farthest nodes first.
      for (auto it = order.rbegin(); it != order.rend(); ++it) {
        const std::uint32_t v = *it;
        if (node_load[v] == 0 || pred[v] == UINT32_MAX) continue;
        flow[pred[v]] += node_load[v];
        node_load[net.from[pred[v]]] += node_load[v];
      }
    }
  }
  if (error) std::rethrow_exception(error);
  std::vector<double> total(m, 0.0);
  double s = 0;
  for (int b = 0; b < kBlocks; ++b) {
    if (!part[b].empty())
      for (std::size_t l = 0; l < m; ++l) total[l] += part[b][l];
    s += part_sptt[b];
  }
  if (sptt) *sptt = s;
  return total;
}

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
  check(net, demand);
  return load(net, ForwardStar(net), demand, cost, sptt);
}

AssignmentResult assign(const Network& net, const Demand& dem, const AssignmentOptions& o, RunControl& control) {
  check(net, dem);
  require(std::isfinite(o.gap) && o.gap >= 0, "gap", "must be >= 0");
  require(o.max_iterations >= 1, "max_iterations", "must be >= 1");
  const ForwardStar fs(net);
  const CostOf f(net);
  const std::size_t m = net.from.size();
  AssignmentResult r;
  std::vector<double> zero(m, 0.0);
  double sptt = 0;
  std::vector<double> x = load(net, fs, dem, bpr_cost(net, zero), &sptt);
  std::vector<double> s1, s2, s(m), d(m);  // previous target points (conjugate methods)
  double tau = 0;                          // previous step
  control.set_total(o.max_iterations);
  for (std::uint32_t k = 1; k <= o.max_iterations; ++k) {
    const std::vector<double> t = bpr_cost(net, x);
    const std::vector<double> y = load(net, fs, dem, t, &sptt);
    double tstt = 0;
    for (std::size_t l = 0; l < m; ++l) tstt += x[l] * t[l];
    const double gap = tstt > 0 ? (tstt - sptt) / tstt : 0.0;
    r.gaps.push_back(gap);
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
  load(net, fs, dem, r.cost, &r.sptt);
  r.flow = std::move(x);
  control.finish();
  return r;
}

}  // namespace urbplex::routing
