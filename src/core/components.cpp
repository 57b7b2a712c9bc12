#include "urbplex/core/components.hpp"

#include <limits>

#include "urbplex/core/union_find.hpp"

namespace urbplex {

std::uint32_t Components::largest() const {
  std::uint32_t best = 0;
  for (std::uint32_t c = 1; c < count; ++c)
    if (size[c] > size[best]) best = c;
  return best;
}

Components connected_components(const Graph& g) {
  const std::uint32_t n = g.num_vertices();
  UnionFind uf(n);
  const auto src = g.edge_sources();
  const auto dst = g.edge_targets();
  for (std::uint64_t e = 0; e < src.size(); ++e) uf.unite(src[e], dst[e]);

  Components c;
  c.label.assign(n, 0);
  std::vector<std::uint32_t> root_label(n, std::numeric_limits<std::uint32_t>::max());
  for (std::uint32_t v = 0; v < n; ++v) {
    const std::uint32_t r = uf.find(v);
    if (root_label[r] == std::numeric_limits<std::uint32_t>::max()) {
      root_label[r] = c.count++;
      c.size.push_back(0);
    }
    c.label[v] = root_label[r];
    ++c.size[root_label[r]];
  }
  return c;
}

}  // namespace urbplex
