#include "urbplex/routing/shortest_path_tree.hpp"

namespace urbplex::routing {

ForwardStar::ForwardStar(std::uint32_t nodes, std::span<const std::uint32_t> from, std::span<const std::uint32_t> to,
                         std::uint32_t first_thru)
    : n(nodes), off(nodes + 1, 0), head(from.size()), link(from.size()), tail(from.size()), rank(nodes, kUnset),
      node(), passable(nodes) {
  // Breadth-first order over the links taken both ways, from node 0, then
  // from each node not yet reached.
  std::vector<std::uint32_t> adj_off(nodes + 1, 0), adj(2 * from.size());
  for (std::size_t l = 0; l < from.size(); ++l) ++adj_off[from[l] + 1], ++adj_off[to[l] + 1];
  for (std::uint32_t v = 0; v < nodes; ++v) adj_off[v + 1] += adj_off[v];
  {
    std::vector<std::uint32_t> fill(adj_off.begin(), adj_off.end() - 1);
    for (std::size_t l = 0; l < from.size(); ++l) adj[fill[from[l]]++] = to[l], adj[fill[to[l]]++] = from[l];
  }
  node.reserve(nodes);
  for (std::uint32_t start = 0; start < nodes; ++start) {
    if (rank[start] != kUnset) continue;
    std::size_t q = node.size();
    rank[start] = static_cast<std::uint32_t>(node.size());
    node.push_back(start);
    for (; q < node.size(); ++q)
      for (std::uint32_t a = adj_off[node[q]]; a < adj_off[node[q] + 1]; ++a)
        if (rank[adj[a]] == kUnset) {
          rank[adj[a]] = static_cast<std::uint32_t>(node.size());
          node.push_back(adj[a]);
        }
  }
  for (std::uint32_t v = 0; v < nodes; ++v) passable[rank[v]] = v >= first_thru;
  for (auto f : from) ++off[rank[f] + 1];
  for (std::uint32_t i = 0; i < nodes; ++i) off[i + 1] += off[i];
  std::vector<std::uint32_t> fill(off.begin(), off.end() - 1);
  for (std::uint32_t l = 0; l < from.size(); ++l) {
    const std::uint32_t e = fill[rank[from[l]]]++;
    head[e] = rank[to[l]], tail[e] = rank[from[l]], link[e] = l;
  }
}

}  // namespace urbplex::routing
