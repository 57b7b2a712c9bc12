// Internal to routing/: network checks, the network's cost function, and
// all-or-nothing loading shared by the Frank-Wolfe family and Algorithm B.
#pragma once
#include <span>
#include <vector>

#include "urbplex/routing/assignment.hpp"
#include "urbplex/routing/shortest_path_tree.hpp"

namespace urbplex::routing::detail {

// Throws std::invalid_argument naming the bad link, node or OD pair.
void check(const Network& net, const Demand& dem);

// The network's cost function: its own LinkCost, or BPR (+ fixed) from its columns.
class CostOf {
 public:
  explicit CostOf(const Network& net)
      : bpr_(net.capacity, net.free_flow_time, net.alpha, net.beta, net.fixed),
        f_(net.link_cost ? net.link_cost : &bpr_) {}
  const LinkCost& operator*() const { return *f_; }
  const LinkCost* operator->() const { return f_; }

 private:
  BprCost bpr_;
  const LinkCost* f_;
};

ForwardStar forward_star(const Network& net);

// All-or-nothing link flows on link costs `cost` (parallel over origins in
// fixed blocks: the sums do not depend on the thread count); writes the
// total shortest-path travel time to *sptt. With flow == nullptr only SPTT
// is computed (the relative gap's lower bound). Throws for demand without a
// path, and Cancelled when control is stopped (checked after each origin).
// cold: the call follows long serial work (see parallel::threads_for_cold).
void all_or_nothing(const Network& net, const ForwardStar& fs, const Demand& dem, std::span<const double> cost,
                    std::vector<double>* flow, double* sptt, RunControl& control = RunControl::none(),
                    bool cold = false);

// "trips from node o to node d cannot be routed: no path" (network node ids).
std::invalid_argument no_path(double trips, std::uint32_t o, std::uint32_t d);

}  // namespace urbplex::routing::detail
