// Hierarchy: a multiscale graph. Level 0 is the finest Graph; level k+1 is a
// coarse-graining of level k through parent(k), a total and surjective map
// from the nodes of level k onto the nodes of level k+1.
//
// Coarse-graining (coarsen) sums extensive node attributes, averages the
// others (weighted by population when present, so coordinates become
// population centroids), drops edges inside a supernode and merges the edges
// between two supernodes: extensive edge attributes (capacity, flow, weight)
// are summed, lengths, times and speeds averaged, and `multiplicity` counts
// the finest edges merged. `members` counts the finest nodes in each node.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "urbplex/core/graph.hpp"

namespace urbplex {

struct CoarsenRules {
  // Node attributes that add up when nodes merge.
  std::vector<std::string> extensive_nodes = {"population", "area", "members", "jobs", "households",
                                              "employment", "count", "demand"};
  // Edge attributes that are averaged when edges merge; all others are summed.
  std::vector<std::string> intensive_edges = {"length", "free_flow_time", "speed", "speed_ratio", "travel_time"};
  // Node attribute used as the weight of averages, when present.
  std::string weight = "population";
};

// The coarse graph of g under parent (values in [0, n_coarse)).
Graph coarsen(const Graph& g, std::span<const std::uint32_t> parent, std::uint32_t n_coarse,
              const CoarsenRules& rules = {});

// Maps arbitrary labels to 0..K-1 in increasing label order; returns K.
std::uint32_t compact_labels(std::span<const std::uint64_t> labels, std::vector<std::uint32_t>& out);

struct LevelInfo {
  std::string method;  // "base", "labels", "grid", ...
  double scale = 0.0;  // the method's scale parameter (cell side, resolution...)
};

enum class Aggregate { Sum, Mean };

class Hierarchy {
 public:
  explicit Hierarchy(Graph base, CoarsenRules rules = {});

  std::size_t num_levels() const { return levels_.size(); }
  const Graph& level(std::size_t k) const;
  std::span<const std::uint32_t> parent(std::size_t k) const;  // level k -> k+1
  const LevelInfo& info(std::size_t k) const;
  const CoarsenRules& rules() const { return rules_; }

  // Adds a level above the top one: top-level nodes with equal labels merge.
  void add_level(std::span<const std::uint64_t> labels, std::string method = "labels", double scale = 0.0);

  // Grid pyramid: level k >= 1 groups nodes by square cells of side
  // cell * factor^(k-1) on the node coordinates x, y. Cells nest exactly.
  static Hierarchy grid_pyramid(const Graph& g, double cell, std::uint32_t levels, std::uint32_t factor = 2,
                                CoarsenRules rules = {});

  // For each node of level `from`, its node at level `to` >= from.
  std::vector<std::uint32_t> membership(std::size_t from, std::size_t to) const;
  // Moves a node quantity up from level `from` to `to` > from, summing or averaging.
  std::vector<double> lift(std::span<const double> values, std::size_t from, std::size_t to,
                           Aggregate how = Aggregate::Sum) const;
  // Moves a node quantity down from level `from` to `to` < from: each node takes its ancestor's value.
  std::vector<double> project(std::span<const double> values, std::size_t from, std::size_t to) const;

  // Throws std::logic_error if a map is not total and surjective or an
  // extensive attribute is not conserved between levels.
  void check() const;

  static Hierarchy from_parts(std::vector<Graph> levels, std::vector<std::vector<std::uint32_t>> parents,
                              std::vector<LevelInfo> info, CoarsenRules rules = {});

 private:
  Hierarchy() = default;
  std::vector<Graph> levels_;
  std::vector<std::vector<std::uint32_t>> parents_;
  std::vector<LevelInfo> info_;
  CoarsenRules rules_;
};

}  // namespace urbplex
