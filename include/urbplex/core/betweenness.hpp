// Betweenness centrality (U. Brandes, "A faster algorithm for betweenness
// centrality", J. Math. Sociol. 25, 163, 2001), unweighted (BFS), in
// parallel over sources.
//
// Sources are split into a fixed number of chunks whose partial sums are
// added in chunk order, so the result is bit-identical for any thread count.
// For undirected graphs each unordered pair is counted once (networkx's
// normalized=False convention).
#pragma once
#include <span>
#include <vector>

#include "urbplex/core/graph.hpp"
#include "urbplex/core/run_control.hpp"

namespace urbplex {

// alive: optional mask (one char per vertex); dead vertices are ignored as
// sources, targets and intermediaries. Dead vertices get 0.
// sources: when given, only these pivots are sources and the sums are scaled
// by n / sources.size(), an unbiased estimate of the exact values (Brandes &
// Pich, "Centrality estimation in large networks", IJBC 17, 2303, 2007).
std::vector<double> betweenness(const Graph& g, std::span<const char> alive = {},
                                RunControl& control = RunControl::none(),
                                std::span<const std::uint32_t> sources = {});

}  // namespace urbplex
