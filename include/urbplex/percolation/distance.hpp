// Hierarchical percolation on distance thresholds (E. Arcaute, C. Molinero,
// E. Hatna, R. Murcio, C. Vargas-Ruiz, A. P. Masucci & M. Batty, "Cities and
// regions in Britain through hierarchical percolation", R. Soc. Open Sci. 3,
// 150691, 2016).
//
// For a distance d, clusters are the components of the edges of length <= d.
// One sweep over the length-sorted edges gives the clusters for every d; the
// partitions at increasing thresholds are nested, so they form a Hierarchy.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "urbplex/core/graph.hpp"

namespace urbplex::percolation {

struct DistanceSweep {
  std::vector<double> d;                // distinct edge lengths, increasing
  std::vector<std::uint32_t> largest;   // largest cluster with the edges <= d
  std::vector<std::uint64_t> clusters;  // number of clusters with the edges <= d
};

DistanceSweep distance_sweep(const Graph& g, std::span<const double> length);

// Cluster label (0..K-1, in order of lowest vertex) of every vertex at each
// threshold (increasing), from one sweep.
std::vector<std::vector<std::uint32_t>> distance_partitions(const Graph& g, std::span<const double> length,
                                                            std::span<const double> thresholds);

}  // namespace urbplex::percolation
