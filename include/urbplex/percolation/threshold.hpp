// Threshold (traffic) percolation (D. Li, B. Fu, Y. Wang, G. Lu, Y. Berezin,
// H. E. Stanley & S. Havlin, "Percolation transition in dynamical traffic
// network with evolving critical bottlenecks", PNAS 112, 669, 2015).
//
// Each edge has a value r (e.g. its speed over its 95th-percentile speed).
// For a threshold q, the edges with r >= q are kept. One sort of the edges
// by decreasing r and one union-find sweep give the largest and second
// largest cluster for every q; q_c is where the second largest peaks, and
// the bottleneck is the link whose addition, continuing the sweep below q_c,
// first joins the largest and second-largest clusters of q_c (improving it
// merges the two), followed by the other links of the same value that would
// join them on their own.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "urbplex/core/graph.hpp"

namespace urbplex::percolation {

struct ThresholdSweep {
  std::vector<double> q;                 // distinct values, decreasing
  std::vector<std::uint32_t> largest;    // S1 with the edges r >= q
  std::vector<std::uint32_t> second;     // S2 with the edges r >= q
  std::size_t critical = 0;              // index of q_c in q (first maximum of second)
  std::vector<std::uint32_t> bottlenecks;  // the merging link first, then its equal-value alternatives
};

ThresholdSweep threshold_sweep(const Graph& g, std::span<const double> values);

}  // namespace urbplex::percolation
