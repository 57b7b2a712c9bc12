#include "urbplex/core/graph.hpp"

#include <limits>
#include <stdexcept>
#include <string>

#include "urbplex/core/errors.hpp"
#include "urbplex/core/memory.hpp"

namespace urbplex {

Graph::Graph() : Graph(std::make_shared<const Topology>(Topology{0, false, {0}, {}, {}, {}, {}})) {}

Graph::Graph(std::shared_ptr<const Topology> topo)
    : topo_(std::move(topo)), node_attrs_(topo_->n), edge_attrs_(topo_->edge_source.size()) {}

Graph Graph::from_edges(std::uint32_t n, std::span<const vertex_t> source, std::span<const vertex_t> target,
                        bool directed) {
  require(source.size() == target.size(), "target",
          "has " + std::to_string(target.size()) + " entries but source has " + std::to_string(source.size()));
  const std::uint64_t m = source.size();
  require(m < std::numeric_limits<edge_t>::max(), "source", "too many edges for 32-bit edge ids");
  for (std::uint64_t e = 0; e < m; ++e) {
    if (source[e] >= n)
      throw std::invalid_argument("argument 'source': vertex id " + std::to_string(source[e]) + " at index " +
                                  std::to_string(e) + " is out of range for n=" + std::to_string(n));
    if (target[e] >= n)
      throw std::invalid_argument("argument 'target': vertex id " + std::to_string(target[e]) + " at index " +
                                  std::to_string(e) + " is out of range for n=" + std::to_string(n));
  }

  // offsets and the fill cursors (16 B per vertex), the edge list and the arcs: refused up
  // front with the bytes it needs rather than killed by the OOM killer mid-build (3e9
  // vertices from OSM-style ids taken as vertex ids need 48 GB).
  // (Small graphs skip the check: it reads /proc.)
  const double bytes = 16.0 * (static_cast<double>(n) + 1) + 24.0 * static_cast<double>(m);
  if (bytes > 256.0 * (1 << 20))
    memory::require_available(bytes, "a graph of " + std::to_string(n) + " vertices and " + std::to_string(m) + " edges");
  auto t = std::make_shared<Topology>();
  t->n = n;
  t->directed = directed;
  t->edge_source.assign(source.begin(), source.end());
  t->edge_target.assign(target.begin(), target.end());

  // Counting sort of the arcs by tail: stable, so arcs of a vertex keep edge order.
  t->offsets.assign(static_cast<std::size_t>(n) + 1, 0);
  for (std::uint64_t e = 0; e < m; ++e) {
    ++t->offsets[source[e] + 1];
    if (!directed) ++t->offsets[target[e] + 1];
  }
  for (std::uint32_t v = 0; v < n; ++v) t->offsets[v + 1] += t->offsets[v];
  const std::uint64_t arcs = t->offsets[n];
  t->targets.resize(arcs);
  t->arc_edge.resize(arcs);
  std::vector<offset_t> next(t->offsets.begin(), t->offsets.end() - 1);
  for (std::uint64_t e = 0; e < m; ++e) {
    const vertex_t u = source[e], v = target[e];
    const offset_t a = next[u]++;
    t->targets[a] = v;
    t->arc_edge[a] = static_cast<edge_t>(e);
    if (!directed) {
      const offset_t b = next[v]++;
      t->targets[b] = u;
      t->arc_edge[b] = static_cast<edge_t>(e);
    }
  }
  return Graph(std::shared_ptr<const Topology>(std::move(t)));
}

std::vector<std::uint64_t> Graph::degrees() const {
  std::vector<std::uint64_t> d(num_vertices());
  for (vertex_t v = 0; v < num_vertices(); ++v) d[v] = degree(v);
  return d;
}

Graph Graph::with_node_attribute(const std::string& name, std::vector<double> values, AttributeType type,
                                 std::vector<std::string> categories) const {
  Graph g = *this;
  g.node_attrs_.set(name, std::move(values), "node", type, std::move(categories));
  return g;
}

Graph Graph::with_edge_attribute(const std::string& name, std::vector<double> values, AttributeType type,
                                 std::vector<std::string> categories) const {
  Graph g = *this;
  g.edge_attrs_.set(name, std::move(values), "edge", type, std::move(categories));
  return g;
}

Graph Graph::without_node_attribute(const std::string& name) const {
  Graph g = *this;
  g.node_attrs_.erase(name);
  return g;
}

std::uint64_t Graph::topology_bytes() const {
  return topo_->offsets.size() * sizeof(offset_t) + topo_->targets.size() * sizeof(vertex_t) +
         topo_->arc_edge.size() * sizeof(edge_t) +
         (topo_->edge_source.size() + topo_->edge_target.size()) * sizeof(vertex_t);
}

}  // namespace urbplex
