// Modularity communities, level by level: Louvain (Blondel, Guillaume,
// Lambiotte & Lefebvre, J. Stat. Mech. P10008, 2008) with a parallel local
// moving phase, and the Leiden refinement (Traag, Waltman & van Eck, Sci.
// Rep. 9, 5233, 2019) that keeps every community internally connected.
//
// Parallel and deterministic: nodes are visited in a seeded random order, in
// batches whose best moves are computed in parallel against the state at the
// start of the batch and applied in order (re-checked against the current
// state). Refinement runs per community with the stream (seed, level, community).
// The result is the same for any thread count.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "urbplex/core/graph.hpp"
#include "urbplex/core/run_control.hpp"

namespace urbplex::multiscale {

struct CommunityOptions {
  double resolution = 1.0;  // gamma of Q = sum_c [e_c / 2m - gamma (K_c / 2m)^2]
  bool leiden = true;       // refine before aggregating (Traag et al. 2019)
  double theta = 0.01;      // randomness of the Leiden refinement
  std::uint64_t seed = 0;
  std::uint32_t max_levels = 32;
  std::uint32_t max_passes = 64;  // local-moving passes per level
  // Runs of the whole algorithm, each starting from the previous run's final
  // partition (Traag et al. 2019, Sec. "Leiden algorithm": iterate until the
  // partition no longer improves); 0 = until no run improves modularity.
  std::uint32_t iterations = 1;
  // The constant Potts model (Traag, Van Dooren & Nesterov, PRE 84, 016114,
  // 2011) instead of modularity: H = sum_c [e_c - gamma N_c (N_c - 1) / 2],
  // no resolution limit; `modularity` then holds H.
  bool cpm = false;
  // The first run starts from this partition (one label < n per node), as
  // leidenalg's initial_membership; empty: from singletons.
  std::vector<std::uint32_t> initial;
};

struct CommunityLevels {
  std::vector<std::vector<std::uint32_t>> membership;  // per level: community of each original node (0..k-1)
  std::vector<double> modularity;                      // per level (H for CPM)
  std::vector<std::uint32_t> disconnected;             // per level: communities not connected inside
};

// weights: one per edge (empty: 1). Undirected graphs only. With iterations
// other than 1 the levels returned are those of the last (best) run.
CommunityLevels louvain(const Graph& g, std::span<const double> weights, const CommunityOptions& options,
                        RunControl& control = RunControl::none());

// Q of a partition (labels per node) of g.
double modularity(const Graph& g, std::span<const double> weights, std::span<const std::uint32_t> labels,
                  double resolution = 1.0);

}  // namespace urbplex::multiscale
