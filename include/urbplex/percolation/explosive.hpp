// Explosive percolation: the Achlioptas process (D. Achlioptas, R. M.
// D'Souza & J. Spencer, "Explosive percolation in random networks", Science
// 323, 1453, 2009). Edges are added one at a time; at each step two candidate
// edges are drawn at random and the rule keeps one:
//   product      the one with the smaller product of its endpoints' cluster sizes
//   sum          the smaller sum
//   erdos_renyi  the first (plain random percolation, the control)
// On n isolated vertices the candidates are random pairs of distinct vertices
// (the Erdős–Rényi process); the product rule's largest cluster then jumps
// near t = 0.888 edges per vertex (t_c = 0.888449, R. M. Ziff, PRE 82,
// 051105, 2010; the transition is continuous in the limit, O. Riordan & L.
// Warnke, Science 333, 322, 2011, but with a tiny exponent beta ~ 0.06). On a
// given graph the candidates are two of its edges not yet added (Ziff, PRL
// 103, 045701, 2009, on the square lattice).
//
// Realizations run in parallel on Philox streams keyed by (seed,
// realization); the sums are integers, so the result does not depend on the
// thread count.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "urbplex/core/graph.hpp"
#include "urbplex/core/run_control.hpp"

namespace urbplex::percolation {

enum class AchlioptasRule { product, sum, erdos_renyi };
AchlioptasRule achlioptas_rule(const std::string& name);

struct ExplosiveEnsemble {
  std::uint32_t n = 0;
  std::uint64_t realizations = 0;
  // Index t = edges added (0..steps): sums over realizations of the largest
  // cluster's size, of its square, and of the second-largest's size.
  std::vector<std::uint64_t> largest, largest_sq, second;
};

// The process on n isolated vertices, `steps` edges per realization.
ExplosiveEnsemble explosive_complete(std::uint32_t n, std::uint64_t steps, AchlioptasRule rule,
                                     std::uint64_t realizations, std::uint64_t seed,
                                     RunControl& control = RunControl::none());

// The process on the edges of g, until all are added.
ExplosiveEnsemble explosive_graph(const Graph& g, AchlioptasRule rule, std::uint64_t realizations,
                                  std::uint64_t seed, RunControl& control = RunControl::none());

}  // namespace urbplex::percolation
