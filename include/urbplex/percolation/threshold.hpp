// Threshold (traffic) percolation (D. Li, B. Fu, Y. Wang, G. Lu, Y. Berezin,
// H. E. Stanley & S. Havlin, "Percolation transition in dynamical traffic
// network with evolving critical bottlenecks", PNAS 112, 669, 2015).
//
// Each edge has a value r (e.g. its speed over its 95th-percentile speed).
// For a threshold q, the edges with r >= q are kept. One sort of the edges
// by decreasing r and one union-find sweep give the largest and second
// largest cluster for every q; q_c is where the second largest peaks, and
// the bottleneck links are the edges below q_c that join the largest and
// second-largest clusters of q_c (improving any of them merges the two).
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
  std::vector<std::uint32_t> bottlenecks;  // edge ids, by decreasing r
};

ThresholdSweep threshold_sweep(const Graph& g, std::span<const double> values);

}  // namespace urbplex::percolation
