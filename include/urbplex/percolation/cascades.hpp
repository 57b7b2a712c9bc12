// Cascade-based attacks on complex networks (A. E. Motter & Y.-C. Lai,
// PRE 66, 065102(R), 2002).
//
// The load of a vertex is its betweenness; its capacity is (1 + alpha) times
// its initial load. After the initial failures, loads are recomputed on the
// surviving graph and every overloaded vertex fails, until none is. The
// damage is G = N'/N, the largest component after the cascade over the one
// before.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "urbplex/core/graph.hpp"
#include "urbplex/core/run_control.hpp"

namespace urbplex::percolation {

struct CascadeOutcome {
  double damage = 0.0;         // G = N' / N
  std::uint32_t failed = 0;    // vertices failed, the initial ones included
  std::uint32_t stages = 0;    // load recomputations
  std::vector<char> alive;     // survivors
};

// initial_load: betweenness of the intact graph (one value per vertex).
// sources: when not empty, loads are the pivot estimates of betweenness from
// these sources (the initial load must come from the same pivots).
CascadeOutcome motter_lai(const Graph& g, std::span<const double> initial_load, double alpha,
                          std::span<const std::uint32_t> initial_failures, RunControl& control = RunControl::none(),
                          std::span<const std::uint32_t> sources = {});

}  // namespace urbplex::percolation
