// Random graph models. Every generator is seeded; parallel generators key a
// counter-based stream by vertex, so the output does not depend on the
// number of threads.
#pragma once
#include <cstdint>
#include <span>

#include "urbplex/core/graph.hpp"
#include "urbplex/core/run_control.hpp"

namespace urbplex::generators {

// G(n, p) (Erdos & Renyi 1959; Gilbert 1959) in O(n + m) by geometric skips
// over the candidate pairs (Batagelj & Brandes, PRE 71, 036113, 2005). Row v
// (pairs (w, v), w < v) draws from stream (seed, v); rows run in parallel.
Graph erdos_renyi_gnp(std::uint32_t n, double p, std::uint64_t seed, RunControl& control = RunControl::none());

// G(n, m): m distinct pairs drawn uniformly (Floyd's sampling), no self-loops.
Graph erdos_renyi_gnm(std::uint32_t n, std::uint64_t m, std::uint64_t seed);

// Configuration model (Bender & Canfield 1978; Molloy & Reed 1995): random
// matching of stubs. The multigraph keeps self-loops and parallel edges, as
// the generating-function theory assumes; simple=true erases them.
Graph configuration_model(std::span<const std::uint32_t> degrees, std::uint64_t seed, bool simple = false);

// Barabasi & Albert (Science 286, 509, 1999): each new vertex attaches m
// distinct edges preferentially by degree, starting from a clique of m + 1
// vertices; linear time (Batagelj & Brandes 2005).
Graph barabasi_albert(std::uint32_t n, std::uint32_t m, std::uint64_t seed);

}  // namespace urbplex::generators
