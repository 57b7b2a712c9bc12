#include "all_or_nothing.hpp"

#include <cmath>
#include <exception>
#include <string>

#include <omp.h>

#include "urbplex/core/errors.hpp"
#include "urbplex/core/parallel.hpp"
#include "urbplex/core/region_errors.hpp"

namespace urbplex::routing::detail {

namespace {
constexpr int kBlocks = 16;  // fixed origin blocks: sums independent of the thread count
}

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

ForwardStar forward_star(const Network& net) { return ForwardStar(net.n, net.from, net.to, net.first_thru); }

std::invalid_argument no_path(double trips, std::uint32_t o, std::uint32_t d) {
  return std::invalid_argument("argument 'demand': " + std::to_string(trips) + " trips from node " + std::to_string(o) +
                               " to node " + std::to_string(d) + " cannot be routed: no path");
}

void all_or_nothing(const Network& net, const ForwardStar& fs, const Demand& dem, std::span<const double> cost,
                    std::vector<double>* flow, double* sptt, RunControl& control, bool cold) {
  const std::size_t m = net.from.size();
  const std::size_t origins = dem.origin.size();
  std::vector<double> arc_cost;
  fs.arc_costs(cost, arc_cost);
  std::vector<std::vector<double>> part(flow ? kBlocks : 0);
  std::vector<double> part_sptt(kBlocks, 0.0);
  std::exception_ptr error;
  // One Dijkstra per origin: about 25 ns per link and node (measured on Berlin-Center).
  const std::uint64_t work = origins * (m + net.n) * 25;
  const int threads = cold ? parallel::threads_for_cold(work) : parallel::threads_for(work);
  parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel num_threads(threads)
  {
    const bool controller = omp_get_thread_num() == 0;
    ShortestPathTree tree;
    std::vector<double> node_load;
    errors.guard([&] { node_load.assign(flow ? fs.n : 0, 0.0); });
#pragma omp for schedule(dynamic, 1)
    for (int b = 0; b < kBlocks; ++b) {
      if (errors.failed()) continue;
      errors.guard([&] {
      const std::size_t lo = origins * b / kBlocks, hi = origins * (b + 1) / kBlocks;
      std::vector<double>* out = flow ? &part[b] : nullptr;
      if (out) out->assign(m, 0.0);
      for (std::size_t k = lo; k < hi && !control.stop_requested(); ++k) {
        const std::uint32_t o = dem.origin[k];
        tree.grow(fs, arc_cost, fs.rank[o]);
        for (std::uint64_t e = dem.offsets[k]; e < dem.offsets[k + 1]; ++e) {
          const std::uint32_t d = fs.rank[dem.destination[e]];
          if (dem.trips[e] <= 0 || dem.destination[e] == o) continue;
          if (!std::isfinite(tree.dist[d])) {
#pragma omp critical(urbplex_assign_error)
            if (!error) error = std::make_exception_ptr(no_path(dem.trips[e], o, dem.destination[e]));
            continue;
          }
          part_sptt[b] += dem.trips[e] * tree.dist[d];
          if (out) node_load[d] += dem.trips[e];
        }
        if (out) tree.push_loads(fs, node_load, [&](std::uint32_t arc, double load) { (*out)[fs.link[arc]] += load; });
        if (controller) control.checkpoint();
      }
      });
    }
  }
  errors.rethrow();
  if (error) std::rethrow_exception(error);
  control.throw_if_stopped();
  double s = 0;
  for (int b = 0; b < kBlocks; ++b) s += part_sptt[b];
  if (sptt) *sptt = s;
  if (flow) {
    flow->assign(m, 0.0);
    for (int b = 0; b < kBlocks; ++b)
      for (std::size_t l = 0; l < m; ++l) (*flow)[l] += part[b][l];
  }
}

}  // namespace urbplex::routing::detail
