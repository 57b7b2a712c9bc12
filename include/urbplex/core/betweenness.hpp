// Betweenness centrality (U. Brandes, "A faster algorithm for betweenness
// centrality", J. Math. Sociol. 25, 163, 2001), in parallel over sources:
// breadth-first when unweighted, Dijkstra when given one non-negative weight
// per edge (Brandes 2001, section 5). Directed graphs follow arc directions.
//
// Sources are split into a fixed number of chunks whose partial sums are
// added in chunk order, so the result is bit-identical for any thread count.
// For undirected graphs each unordered pair is counted once, for directed
// graphs each ordered pair (networkx's normalized=False convention).
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
// weights: empty for hop counts, else one finite value >= 0 per edge id.
// Shortest paths are counted as equal when their summed weights are equal in
// floating point (as networkx does).
std::vector<double> betweenness(const Graph& g, std::span<const char> alive = {},
                                RunControl& control = RunControl::none(),
                                std::span<const std::uint32_t> sources = {},
                                std::span<const double> weights = {});

}  // namespace urbplex
