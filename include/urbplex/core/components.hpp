// Connected components (weakly connected for directed graphs).
#pragma once
#include <cstdint>
#include <vector>

#include "urbplex/core/graph.hpp"

namespace urbplex {

struct Components {
  std::vector<std::uint32_t> label;  // component of each vertex, 0..count-1, in order of lowest vertex
  std::vector<std::uint64_t> size;   // vertices in each component
  std::uint32_t count = 0;
  std::uint32_t largest() const;     // label of the largest component (lowest label on ties)
};

// Union-find over the edge list: one sequential pass over the edges, no
// traversal stack, no colour map. Benchmarked against boost::connected_components
// on the same CSR (benchmarks/cpp/bench_graph.cpp).
Components connected_components(const Graph& g);

}  // namespace urbplex
