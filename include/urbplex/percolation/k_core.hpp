// k-core percolation (bootstrap-type pruning) under random site removal.
//
// The k-core of a graph is its largest subgraph in which every vertex has at
// least k neighbours; it is found by pruning vertices of degree < k until
// none is left. With each vertex kept with probability p, the k-core of a
// random graph appears at p_c with a jump for k >= 3: a hybrid transition
// (S. N. Dorogovtsev, A. V. Goltsev & J. F. F. Mendes, "k-core organization
// of complex networks", Phys. Rev. Lett. 96, 040601, 2006; on random
// 4-regular graphs with k = 3, p_c = 8/9 and the core jumps to 189/256 of the
// kept vertices, i.e. 21/32 of all vertices).
//
// Microcanonical sweep, the removal analogue of Newman & Ziff (PRE 64,
// 016706, 2001): each realization removes the vertices one by one in a random
// order and keeps the k-core up to date (removing a vertex that is not in the
// core leaves the core unchanged; removing a core vertex prunes a cascade), so
// the core size is known for every number of kept vertices at the cost of one
// pruning, O(n + m) per realization. Realizations run in parallel on Philox
// streams keyed by (seed, realization); the sums are integers, so the result
// does not depend on the thread count.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "urbplex/core/graph.hpp"
#include "urbplex/core/run_control.hpp"

namespace urbplex::percolation {

struct KCoreEnsemble {
  std::uint32_t k = 0;
  std::uint32_t n = 0;
  std::uint64_t realizations = 0;
  // Index j = number of kept vertices (0..n): sums over realizations of the
  // k-core size and of its square.
  std::vector<std::uint64_t> core, core_sq;
  // Each realization's canonical core size at each p of the grid (row-major,
  // realizations x grid): the spread of these gives the error bars.
  std::vector<double> canonical_core;
  // Each realization's largest collapse: the most vertices the core lost in
  // the removal of one vertex, and the number of kept vertices before it.
  std::vector<std::uint32_t> jump, jump_at;
};

// Degrees count the edges to other vertices: a self-loop adds nothing, each
// of parallel edges counts (the multigraph degree of the configuration model
// the theory describes).
KCoreEnsemble k_core_ensemble(const Graph& g, std::uint32_t k, std::uint64_t realizations, std::uint64_t seed,
                              std::span<const double> p, RunControl& control = RunControl::none());

// The k-core of the whole graph: 1 for the vertices in it, 0 for the others.
std::vector<std::uint8_t> k_core_members(const Graph& g, std::uint32_t k);

}  // namespace urbplex::percolation
