#include "urbplex/core/hierarchy.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "urbplex/core/errors.hpp"

namespace urbplex {

Hierarchy::Hierarchy(Graph base, CoarsenRules rules) : rules_(std::move(rules)) {
  levels_.push_back(std::move(base));
  info_.push_back({"base", 0.0});
}

const Graph& Hierarchy::level(std::size_t k) const {
  require(k < levels_.size(), "level",
          std::to_string(k) + " out of range, the hierarchy has " + std::to_string(levels_.size()) + " levels");
  return levels_[k];
}

std::span<const std::uint32_t> Hierarchy::parent(std::size_t k) const {
  require(k + 1 < levels_.size(), "level",
          std::to_string(k) + " has no parent level (top is " + std::to_string(levels_.size() - 1) + ")");
  return parents_[k];
}

const LevelInfo& Hierarchy::info(std::size_t k) const {
  level(k);
  return info_[k];
}

void Hierarchy::add_level(std::span<const std::uint64_t> labels, std::string method, double scale) {
  const Graph& top = levels_.back();
  require(labels.size() == top.num_vertices(), "labels",
          "has " + std::to_string(labels.size()) + " entries, expected one per node of the top level (" +
              std::to_string(top.num_vertices()) + ")");
  std::vector<std::uint32_t> parent;
  const std::uint32_t k = compact_labels(labels, parent);
  Graph coarse = coarsen(top, parent, k, rules_);
  parents_.push_back(std::move(parent));
  levels_.push_back(std::move(coarse));
  info_.push_back({std::move(method), scale});
}

Hierarchy Hierarchy::grid_pyramid(const Graph& g, double cell, std::uint32_t levels, std::uint32_t factor,
                                  CoarsenRules rules) {
  require(std::isfinite(cell) && cell > 0, "cell", "must be a positive number, got " + std::to_string(cell));
  require(levels >= 1, "levels", "must be >= 1");
  require(factor >= 2, "factor", "must be an integer >= 2, got " + std::to_string(factor));
  const auto xs = g.node_attribute("x");
  const auto ys = g.node_attribute("y");
  require(g.num_vertices() > 0, "g", "the graph has no nodes");
  double x0 = std::numeric_limits<double>::infinity(), y0 = x0;
  for (std::uint32_t v = 0; v < g.num_vertices(); ++v) {
    x0 = std::min(x0, xs[v]);
    y0 = std::min(y0, ys[v]);
  }
  // Cell indices of each top-level node at the current resolution.
  std::vector<std::uint64_t> ix(g.num_vertices()), iy(g.num_vertices());
  for (std::uint32_t v = 0; v < g.num_vertices(); ++v) {
    ix[v] = static_cast<std::uint64_t>(std::floor((xs[v] - x0) / cell));
    iy[v] = static_cast<std::uint64_t>(std::floor((ys[v] - y0) / cell));
    if (ix[v] >= (1ull << 31) || iy[v] >= (1ull << 31)) fail("cell", "too small for the extent of the coordinates");
  }
  Hierarchy h(g, std::move(rules));
  double side = cell;
  for (std::uint32_t k = 1; k <= levels; ++k) {
    if (k > 1) {
      for (auto& i : ix) i /= factor;
      for (auto& i : iy) i /= factor;
      side *= factor;
    }
    std::vector<std::uint64_t> labels(ix.size());
    for (std::size_t v = 0; v < ix.size(); ++v) labels[v] = (iy[v] << 32) | ix[v];
    h.add_level(labels, "grid", side);
    // Carry the cell indices to the new top level's nodes.
    const auto par = h.parents_.back();
    std::vector<std::uint64_t> nix(h.levels_.back().num_vertices()), niy(nix.size());
    for (std::size_t v = 0; v < par.size(); ++v) {
      nix[par[v]] = ix[v];
      niy[par[v]] = iy[v];
    }
    ix.swap(nix);
    iy.swap(niy);
  }
  return h;
}

std::vector<std::uint32_t> Hierarchy::membership(std::size_t from, std::size_t to) const {
  level(from);
  level(to);
  require(to >= from, "to", "must be >= from");
  std::vector<std::uint32_t> m(levels_[from].num_vertices());
  for (std::uint32_t v = 0; v < m.size(); ++v) m[v] = v;
  for (std::size_t k = from; k < to; ++k)
    for (auto& x : m) x = parents_[k][x];
  return m;
}

std::vector<double> Hierarchy::lift(std::span<const double> values, std::size_t from, std::size_t to,
                                    Aggregate how) const {
  require(values.size() == level(from).num_vertices(), "values",
          "has " + std::to_string(values.size()) + " entries, expected one per node of level " +
              std::to_string(from) + " (" + std::to_string(level(from).num_vertices()) + ")");
  const auto m = membership(from, to);
  std::vector<double> out(level(to).num_vertices(), 0.0), count(out.size(), 0.0);
  for (std::size_t v = 0; v < m.size(); ++v) {
    out[m[v]] += values[v];
    count[m[v]] += 1.0;
  }
  if (how == Aggregate::Mean)
    for (std::size_t c = 0; c < out.size(); ++c) out[c] /= count[c];
  return out;
}

std::vector<double> Hierarchy::project(std::span<const double> values, std::size_t from, std::size_t to) const {
  require(values.size() == level(from).num_vertices(), "values",
          "has " + std::to_string(values.size()) + " entries, expected one per node of level " +
              std::to_string(from) + " (" + std::to_string(level(from).num_vertices()) + ")");
  require(to <= from, "to", "must be <= from");
  const auto m = membership(to, from);
  std::vector<double> out(m.size());
  for (std::size_t v = 0; v < m.size(); ++v) out[v] = values[m[v]];
  return out;
}

void Hierarchy::check() const {
  for (std::size_t k = 0; k + 1 < levels_.size(); ++k) {
    const auto& p = parents_[k];
    const std::uint32_t nc = levels_[k + 1].num_vertices();
    if (p.size() != levels_[k].num_vertices())
      throw std::logic_error("hierarchy: parent map of level " + std::to_string(k) + " is not total");
    std::vector<char> hit(nc, 0);
    for (auto c : p) {
      if (c >= nc) throw std::logic_error("hierarchy: parent map of level " + std::to_string(k) + " out of range");
      hit[c] = 1;
    }
    for (std::uint32_t c = 0; c < nc; ++c)
      if (!hit[c])
        throw std::logic_error("hierarchy: node " + std::to_string(c) + " of level " + std::to_string(k + 1) +
                               " has no members");
    for (const auto& name : rules_.extensive_nodes) {
      const auto& fine = levels_[k].node_attributes();
      const auto& coarse = levels_[k + 1].node_attributes();
      if (!fine.has(name) || !coarse.has(name)) continue;
      if (fine.missing(name) > 0 || coarse.missing(name) > 0) continue;  // nothing to conserve
      double a = 0, b = 0;
      for (double x : fine.get(name)) a += x;
      for (double x : coarse.get(name)) b += x;
      if (std::abs(a - b) > 1e-9 * std::max(1.0, std::abs(a)))
        throw std::logic_error("hierarchy: '" + name + "' is not conserved from level " + std::to_string(k) +
                               " to " + std::to_string(k + 1));
    }
  }
}

Hierarchy Hierarchy::from_parts(std::vector<Graph> levels, std::vector<std::vector<std::uint32_t>> parents,
                                std::vector<LevelInfo> info, CoarsenRules rules) {
  require(!levels.empty(), "levels", "a hierarchy needs at least one level");
  require(parents.size() + 1 == levels.size(), "parents", "needs one map per level but the top");
  require(info.size() == levels.size(), "info", "needs one entry per level");
  Hierarchy h;
  h.levels_ = std::move(levels);
  h.parents_ = std::move(parents);
  h.info_ = std::move(info);
  h.rules_ = std::move(rules);
  try {
    h.check();
  } catch (const std::logic_error& e) {
    throw std::invalid_argument(std::string("argument 'parents': ") + e.what());
  }
  return h;
}

}  // namespace urbplex
