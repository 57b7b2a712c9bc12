// Spatial random graphs.
#pragma once
#include <cstdint>

#include "urbplex/core/graph.hpp"
#include "urbplex/core/run_control.hpp"

namespace urbplex::generators {

// Random geometric graph (Gilbert 1961; Penrose 2003): n points uniform in
// [0, side)^2, an edge between points closer than radius. O(n + m) expected
// through a grid of cells of side radius. Node attributes x, y; edge length.
// Point i is drawn from stream (seed, i).
Graph random_geometric(std::uint32_t n, double radius, std::uint64_t seed, double side = 1.0,
                       RunControl& control = RunControl::none());

}  // namespace urbplex::generators
