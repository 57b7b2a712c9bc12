// Cluster-size distribution n_s of percolation at occupation probability p
// (D. Stauffer & A. Aharony, "Introduction to Percolation Theory", 2nd ed.,
// Taylor & Francis 1994, Ch. 2): the mean number of clusters of s vertices per
// vertex of the graph. At p_c, n_s ~ s^-tau (tau = 187/91 in 2-D).
//
// Canonical ensemble: every site (or bond) is occupied independently with
// probability p, in each of `realizations` realizations (a Philox stream each),
// in parallel; the histogram sums are integers, so the result does not depend
// on the thread count. Bond percolation counts every vertex (isolated ones are
// clusters of size 1); site percolation counts occupied vertices only.
#pragma once
#include <cstdint>
#include <vector>

#include "urbplex/core/graph.hpp"
#include "urbplex/core/run_control.hpp"
#include "urbplex/percolation/newman_ziff.hpp"

namespace urbplex::percolation {

struct ClusterSizes {
  std::vector<std::uint64_t> count;  // count[s]: clusters of size s summed over realizations (count[0] = 0)
  std::uint64_t realizations = 0;
  std::uint32_t n = 0;               // vertices of the graph
};

ClusterSizes cluster_size_distribution(const Graph& g, Kind kind, double p, std::uint64_t realizations,
                                       std::uint64_t seed, RunControl& control = RunControl::none());

}  // namespace urbplex::percolation
