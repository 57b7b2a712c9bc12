// Regular lattices with coordinates (node x, y) and unit edge length.
#pragma once
#include <cstdint>

#include "urbplex/core/graph.hpp"

namespace urbplex::generators {

// width x height square lattice; vertex id = y * width + x. periodic wraps
// both directions (a torus; needs width, height >= 3 so no edge doubles).
Graph square_lattice(std::uint32_t width, std::uint32_t height, bool periodic = false);

// Triangular lattice: the square lattice plus the diagonal (x, y)-(x+1, y+1),
// drawn sheared so that every edge has length 1 (coordination number 6).
Graph triangular_lattice(std::uint32_t width, std::uint32_t height, bool periodic = false);

}  // namespace urbplex::generators
