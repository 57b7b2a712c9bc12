// Cascading failures in interdependent networks (S. V. Buldyrev, R. Parshani,
// G. Paul, H. E. Stanley & S. Havlin, "Catastrophic cascade of failures in
// interdependent networks", Nature 464, 1025, 2010).
//
// Two graphs A and B on the same n vertices with one-to-one dependencies
// (vertex i of A depends on vertex dep[i] of B and vice versa). After a
// random fraction 1 - p of A fails, vertices outside the giant component of
// their own network fail, and so do their partners, until nothing changes;
// what is left is the mutually connected giant component (MCGC).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "urbplex/core/graph.hpp"
#include "urbplex/core/run_control.hpp"

namespace urbplex::percolation {

struct MutualOutcome {
  std::uint32_t size = 0;        // vertices in the MCGC
  std::uint32_t iterations = 0;  // cascade stages until stable
};

// The MCGC when the vertices of A with rank[i] < p * n survive the attack.
// dep: B-vertex of each A-vertex (a permutation; empty = identity).
MutualOutcome mutual_giant(const Graph& a, const Graph& b, std::span<const std::uint32_t> dep,
                           std::span<const std::uint32_t> rank, double p);

// For each p of the grid, the MCGC fraction averaged over realizations
// (realization r ranks vertices with the stream (seed, r)); and, for each
// realization, the threshold p_c: the smallest p (to within tol) where the
// MCGC holds more than `collapse` of the vertices (bisection; the MCGC is
// monotone in p for nested attacks).
struct MutualSweep {
  std::vector<double> p, fraction;
  std::vector<double> thresholds;  // one per realization
  std::vector<double> each;        // each realization's MCGC fraction at each p (realizations x p)
};
MutualSweep mutual_sweep(const Graph& a, const Graph& b, std::span<const std::uint32_t> dep,
                         std::span<const double> p, std::uint32_t realizations, std::uint64_t seed,
                         bool thresholds, double collapse = 0.01, double tol = 1e-4,
                         RunControl& control = RunControl::none());

}  // namespace urbplex::percolation
