// Removal orders for attacks on networks (Albert, Jeong & Barabasi, Nature
// 406, 378, 2000; Holme, Kim, Yoon & Han, PRE 65, 056109, 2002): random,
// by initial degree, by adaptive (recomputed) degree, by initial betweenness
// and by adaptive betweenness. Ties are broken by a seeded random priority.
//
// The size of the largest component after each removal comes from one
// Newman-Ziff site sweep over the reversed order; the robustness index
// R = (1/N) sum_{Q=1..N} s(Q) follows (Schneider, Moreira, Andrade, Havlin &
// Herrmann, PNAS 108, 3838, 2011).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "urbplex/core/graph.hpp"
#include "urbplex/core/run_control.hpp"

namespace urbplex::percolation {

enum class Attack { Random, Degree, AdaptiveDegree, Betweenness, AdaptiveBetweenness };

// The order in which vertices are removed. AdaptiveDegree runs in O(N + E)
// with a bucket queue; AdaptiveBetweenness recomputes betweenness on the
// remaining graph after every `recompute_every` removals (O(N M) each time).
std::vector<std::uint32_t> removal_order(const Graph& g, Attack attack, std::uint64_t seed,
                                         std::uint32_t recompute_every = 1, RunControl& control = RunControl::none());

// Largest-component size after removing order[0..Q), for Q = 0..N.
std::vector<std::uint32_t> largest_after_removal(const Graph& g, std::span<const std::uint32_t> order);

}  // namespace urbplex::percolation
