// Density-driven tie formation (W. Pan, G. Ghoshal, C. Krumme, M. Cebrian &
// A. Pentland, "Urban characteristics attributable to density-driven tie
// formation", Nat. Commun. 4, 1961, 2013).
//
// N agents live at random places in a city (uniform in a disk whose area
// grows with N at fixed density). Agent u forms a tie with agent v with
// probability min(1, c / rank_u(v)), rank_u(v) being the number of agents at
// least as close to u as v (rank-based friendship, Liben-Nowell et al. 2005).
// The expected number of ties per agent is sum_{r=1}^{N-1} min(1, c/r) ~ c ln N,
// so the total grows superlinearly, ~ N ln N.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "urbplex/core/run_control.hpp"

namespace urbplex::scaling {

// Total number of (directed) ties formed in a city of each size. City k and
// agent i draw from the stream (seed, k << 32 | i): the result does not
// depend on the thread count. O(N^2 log N) per city.
std::vector<std::uint64_t> rank_based_ties(std::span<const std::uint32_t> sizes, double c, std::uint64_t seed,
                                           RunControl& control = RunControl::none());

}  // namespace urbplex::scaling
