#include "urbplex/generators/lattice.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "urbplex/core/errors.hpp"

namespace urbplex::generators {
namespace {

void check_size(std::uint32_t width, std::uint32_t height, bool periodic) {
  require(width >= 1, "width", "must be >= 1");
  require(height >= 1, "height", "must be >= 1");
  require(static_cast<std::uint64_t>(width) * height < (1ull << 32) - 1, "width",
          "width * height exceeds the 32-bit vertex id range");
  if (periodic) {
    require(width >= 3, "width", "must be >= 3 for a periodic lattice, got " + std::to_string(width));
    require(height >= 3, "height", "must be >= 3 for a periodic lattice, got " + std::to_string(height));
  }
}

// Adds the edges (x,y)-(x+dx,y+dy) for each of the given offsets.
Graph build(std::uint32_t w, std::uint32_t h, bool periodic, std::initializer_list<std::pair<int, int>> steps,
            double shear, double row_height) {
  check_size(w, h, periodic);
  std::vector<vertex_t> src, dst;
  src.reserve(static_cast<std::size_t>(w) * h * steps.size());
  dst.reserve(src.capacity());
  for (std::uint32_t y = 0; y < h; ++y)
    for (std::uint32_t x = 0; x < w; ++x)
      for (auto [dx, dy] : steps) {
        std::uint32_t nx = x + dx, ny = y + dy;
        if (nx >= w || ny >= h) {
          if (!periodic) continue;
          nx %= w;
          ny %= h;
        }
        src.push_back(y * w + x);
        dst.push_back(ny * w + nx);
      }
  Graph g = Graph::from_edges(w * h, src, dst, false);
  std::vector<double> xs(static_cast<std::size_t>(w) * h), ys(xs.size());
  for (std::uint32_t y = 0; y < h; ++y)
    for (std::uint32_t x = 0; x < w; ++x) {
      xs[y * w + x] = x + shear * y;
      ys[y * w + x] = row_height * y;
    }
  g.set_node_attribute("x", std::move(xs));
  g.set_node_attribute("y", std::move(ys));
  g.set_edge_attribute("length", std::vector<double>(g.num_edges(), 1.0));
  return g;
}

}  // namespace

Graph square_lattice(std::uint32_t width, std::uint32_t height, bool periodic) {
  return build(width, height, periodic, {{1, 0}, {0, 1}}, 0.0, 1.0);
}

Graph triangular_lattice(std::uint32_t width, std::uint32_t height, bool periodic) {
  // Rows sheared by -1/2 and spaced sqrt(3)/2 give all three edge
  // directions, (1,0), (0,1) and (1,1), unit length.
  return build(width, height, periodic, {{1, 0}, {0, 1}, {1, 1}}, -0.5, std::sqrt(3.0) / 2.0);
}

}  // namespace urbplex::generators
