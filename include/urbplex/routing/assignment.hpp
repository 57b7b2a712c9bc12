// Static user-equilibrium traffic assignment (Wardrop 1952; Beckmann,
// McGuire & Winsten 1956) with BPR link costs t = t0 (1 + alpha (x/c)^beta)
// (Bureau of Public Roads 1964).
//
// Methods: MSA (1/k steps); Frank-Wolfe with exact line search (LeBlanc,
// Morlok & Pierskalla, Transp. Res. 9, 309, 1975); conjugate and
// bi-conjugate Frank-Wolfe (Mitradjieva & Lindberg, Transp. Sci. 47, 280,
// 2013). Each iteration loads all-or-nothing shortest paths (Dijkstra per
// origin, OpenMP over origins, sums in origin order: results do not depend
// on the thread count). And Algorithm B (R. B. Dial, "A path-based
// user-equilibrium traffic assignment algorithm that obviates path storage
// and enumeration", Transp. Res. B 40, 917, 2006): origin-based, each
// origin's flow on an acyclic bush, shifted between the longest and the
// shortest bush path to each node by Newton steps; it reaches relative gaps
// of 1e-8 and below where Frank-Wolfe methods stall near 1e-5.
// Relative gap = (TSTT - SPTT) / TSTT.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "urbplex/core/run_control.hpp"
#include "urbplex/routing/link_cost.hpp"

namespace urbplex::routing {

// Directed links between nodes 0..n-1. Nodes below first_thru may start or
// end paths but not be passed through (TNTP zone centroids).
// Link costs: BPR from capacity, free_flow_time, alpha, beta plus the
// flow-independent `fixed` (optional: generalized cost), unless link_cost
// points to another LinkCost.
struct Network {
  std::uint32_t n = 0, first_thru = 0;
  std::span<const std::uint32_t> from, to;
  std::span<const double> capacity, free_flow_time, alpha, beta;
  std::span<const double> fixed = {};
  const LinkCost* link_cost = nullptr;
};

// Demand grouped by origin: origin[k] sends trips[offsets[k]..offsets[k+1]) to destination[...].
struct Demand {
  std::span<const std::uint32_t> origin;
  std::span<const std::uint64_t> offsets;
  std::span<const std::uint32_t> destination;
  std::span<const double> trips;
};

enum class Method { msa, frank_wolfe, conjugate, biconjugate, algorithm_b };

struct AssignmentOptions {
  Method method = Method::biconjugate;
  double gap = 1e-4;
  std::uint32_t max_iterations = 1000;
  // Algorithm B: at most this many sweeps over the fixed bushes after each
  // bush update (shifts only; stopped when a sweep gains less than half the last).
  int inner_iterations = 20;
  // Assign chains of links through pass-through nodes (no centroid, no trip
  // end, only the links of a one-way or two-way street) as single links:
  // the same equilibrium on a smaller network.
  bool contract_chains = true;
};

struct AssignmentResult {
  std::vector<double> flow, cost;
  std::vector<double> gaps;     // relative gap after each iteration
  std::vector<double> seconds;  // time since the call began at each gap (the convergence curve)
  double tstt = 0, sptt = 0, beckmann = 0;
  bool converged = false;
  std::size_t bush_bytes = 0;  // Algorithm B: memory held by its packed bushes at the end
};

// Checks the network and demand (throws std::invalid_argument naming the
// bad link, node or OD pair, including OD pairs with demand and no path).
AssignmentResult assign(const Network& net, const Demand& demand, const AssignmentOptions& options,
                        RunControl& control = RunControl::none());

// Algorithm B (called by assign for Method::algorithm_b; the network is checked there).
AssignmentResult assign_bushes(const Network& net, const Demand& demand, const AssignmentOptions& options,
                               RunControl& control);

std::vector<double> bpr_cost(const Network& net, std::span<const double> flow);

// All-or-nothing loading on the given link costs; returns link flows and
// writes the total shortest-path travel time to *sptt.
std::vector<double> all_or_nothing(const Network& net, const Demand& demand, std::span<const double> cost,
                                   double* sptt);

}  // namespace urbplex::routing
