// Graph: compressed sparse row adjacency with edge ids and attribute columns.
//
// Vertex ids are uint32, arc offsets uint64. Every stored arc carries the id
// of its edge, so edge attributes live once per edge: an undirected edge
// {u, v} is stored as the arcs u->v and v->u with one id. The edge list
// (source, target per edge id) is kept too: bond percolation, export and
// union-find components walk it. Memory: 8 bytes per arc (target, edge id)
// + 8 bytes per edge (endpoints) + 8 bytes per vertex, i.e. 12 bytes per arc
// for an undirected graph.
//
// A Graph is immutable; the topology is shared between copies, so adding an
// attribute column (with_node_attribute / with_edge_attribute) is cheap.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "urbplex/core/attributes.hpp"

namespace urbplex {

using vertex_t = std::uint32_t;
using edge_t = std::uint32_t;
using offset_t = std::uint64_t;

struct Topology {
  std::uint32_t n = 0;
  bool directed = false;
  std::vector<offset_t> offsets;      // n + 1
  std::vector<vertex_t> targets;      // one per arc
  std::vector<edge_t> arc_edge;       // edge id of each arc
  std::vector<vertex_t> edge_source;  // one per edge
  std::vector<vertex_t> edge_target;  // one per edge
};

class Graph {
 public:
  Graph();  // the empty graph

  // Builds from an edge list. Self-loops and parallel edges are kept (street
  // graphs have both). Throws std::invalid_argument for ids >= n.
  static Graph from_edges(std::uint32_t n, std::span<const vertex_t> source,
                          std::span<const vertex_t> target, bool directed);

  std::uint32_t num_vertices() const { return topo_->n; }
  std::uint64_t num_edges() const { return topo_->edge_source.size(); }
  std::uint64_t num_arcs() const { return topo_->targets.size(); }
  bool directed() const { return topo_->directed; }

  std::span<const offset_t> offsets() const { return topo_->offsets; }
  std::span<const vertex_t> targets() const { return topo_->targets; }
  std::span<const edge_t> arc_edges() const { return topo_->arc_edge; }
  std::span<const vertex_t> edge_sources() const { return topo_->edge_source; }
  std::span<const vertex_t> edge_targets() const { return topo_->edge_target; }

  // Out-degree (degree for undirected graphs; a self-loop counts twice).
  std::uint64_t degree(vertex_t v) const { return topo_->offsets[v + 1] - topo_->offsets[v]; }
  std::span<const vertex_t> neighbors(vertex_t v) const {
    return {topo_->targets.data() + topo_->offsets[v], static_cast<std::size_t>(degree(v))};
  }
  std::span<const edge_t> incident_edges(vertex_t v) const {
    return {topo_->arc_edge.data() + topo_->offsets[v], static_cast<std::size_t>(degree(v))};
  }
  std::vector<std::uint64_t> degrees() const;

  const AttributeTable& node_attributes() const { return node_attrs_; }
  const AttributeTable& edge_attributes() const { return edge_attrs_; }
  std::span<const double> node_attribute(const std::string& name) const { return node_attrs_.get(name); }
  std::span<const double> edge_attribute(const std::string& name) const { return edge_attrs_.get(name); }

  // Mutators for a freshly built graph (attributes only; topology is fixed).
  void set_node_attribute(const std::string& name, std::vector<double> values) {
    node_attrs_.set(name, std::move(values), "node");
  }
  void set_edge_attribute(const std::string& name, std::vector<double> values) {
    edge_attrs_.set(name, std::move(values), "edge");
  }
  Graph with_node_attribute(const std::string& name, std::vector<double> values,
                            AttributeType type = AttributeType::float64, std::vector<std::string> categories = {}) const;
  Graph with_edge_attribute(const std::string& name, std::vector<double> values,
                            AttributeType type = AttributeType::float64, std::vector<std::string> categories = {}) const;

  Graph without_node_attribute(const std::string& name) const;

  // Bytes held by the topology (not the attributes).
  std::uint64_t topology_bytes() const;
  // True if both graphs share one topology object.
  bool shares_topology_with(const Graph& other) const { return topo_ == other.topo_; }

 private:
  explicit Graph(std::shared_ptr<const Topology> topo);
  std::shared_ptr<const Topology> topo_;
  AttributeTable node_attrs_;
  AttributeTable edge_attrs_;
};

}  // namespace urbplex
