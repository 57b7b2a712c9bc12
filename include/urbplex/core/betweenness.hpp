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
std::vector<double> betweenness(const Graph& g, std::span<const char> alive = {},
                                RunControl& control = RunControl::none());

}  // namespace urbplex
