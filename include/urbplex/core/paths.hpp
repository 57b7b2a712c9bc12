// Shortest paths on a Graph with non-negative edge weights (Dijkstra 1959),
// through boost::dijkstra_shortest_paths_no_color_map on the CSR adaptor,
// cancellable mid-search through a visitor.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "urbplex/core/graph.hpp"
#include "urbplex/core/run_control.hpp"

namespace urbplex {

struct ShortestPaths {
  std::vector<double> distance;       // +inf where unreachable
  std::vector<std::int64_t> predecessor;  // -1 for the source and unreachable vertices
};

// weight: one value per edge, finite and >= 0 (checked).
ShortestPaths dijkstra(const Graph& g, vertex_t source, std::span<const double> weight);

// Row-major |sources| x n matrix of distances, OpenMP over sources.
std::vector<double> distance_matrix(const Graph& g, std::span<const vertex_t> sources,
                                    std::span<const double> weight, RunControl& control = RunControl::none());

}  // namespace urbplex
