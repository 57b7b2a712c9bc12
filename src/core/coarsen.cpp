#include <algorithm>
#include <numeric>
#include <string>

#include "urbplex/core/errors.hpp"
#include "urbplex/core/hierarchy.hpp"

namespace urbplex {
namespace {

bool listed(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::uint32_t compact_labels(std::span<const std::uint64_t> labels, std::vector<std::uint32_t>& out) {
  std::vector<std::uint64_t> uniq(labels.begin(), labels.end());
  std::sort(uniq.begin(), uniq.end());
  uniq.erase(std::unique(uniq.begin(), uniq.end()), uniq.end());
  out.resize(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i)
    out[i] = static_cast<std::uint32_t>(std::lower_bound(uniq.begin(), uniq.end(), labels[i]) - uniq.begin());
  return static_cast<std::uint32_t>(uniq.size());
}

Graph coarsen(const Graph& g, std::span<const std::uint32_t> parent, std::uint32_t n_coarse,
              const CoarsenRules& rules) {
  const std::uint32_t n = g.num_vertices();
  require(parent.size() == n, "parent",
          "has " + std::to_string(parent.size()) + " entries, expected one per node (" + std::to_string(n) + ")");
  std::vector<std::uint32_t> children(n_coarse, 0);
  for (std::uint32_t v = 0; v < n; ++v) {
    if (parent[v] >= n_coarse)
      fail("parent", "value " + std::to_string(parent[v]) + " at node " + std::to_string(v) +
                                                " is out of range for " + std::to_string(n_coarse) + " coarse nodes");
    ++children[parent[v]];
  }
  for (std::uint32_t c = 0; c < n_coarse; ++c)
    if (children[c] == 0) fail("parent", "coarse node " + std::to_string(c) + " has no members (map not surjective)");

  // Edges between distinct supernodes, merged by (pu, pv) key.
  const auto es = g.edge_sources(), et = g.edge_targets();
  std::vector<std::pair<std::uint64_t, edge_t>> keyed;
  keyed.reserve(g.num_edges());
  for (std::uint64_t e = 0; e < g.num_edges(); ++e) {
    std::uint32_t a = parent[es[e]], b = parent[et[e]];
    if (a == b) continue;
    if (!g.directed() && a > b) std::swap(a, b);
    keyed.emplace_back((static_cast<std::uint64_t>(a) << 32) | b, static_cast<edge_t>(e));
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<vertex_t> src, dst;
  std::vector<std::uint32_t> group(keyed.size());  // coarse edge of each kept fine edge
  for (std::size_t i = 0; i < keyed.size(); ++i) {
    if (i == 0 || keyed[i].first != keyed[i - 1].first) {
      src.push_back(static_cast<vertex_t>(keyed[i].first >> 32));
      dst.push_back(static_cast<vertex_t>(keyed[i].first));
    }
    group[i] = static_cast<std::uint32_t>(src.size() - 1);
  }
  Graph coarse = Graph::from_edges(n_coarse, src, dst, g.directed());

  // Node attributes.
  const AttributeTable& na = g.node_attributes();
  std::vector<double> w(n, 1.0);
  if (na.has(rules.weight)) {
    const auto pw = na.get(rules.weight);
    std::vector<double> total(n_coarse, 0.0);
    for (std::uint32_t v = 0; v < n; ++v) total[parent[v]] += pw[v];
    // Weighted where the supernode has weight, plain mean where it has none.
    for (std::uint32_t v = 0; v < n; ++v) w[v] = total[parent[v]] > 0 ? pw[v] : 1.0;
  }
  std::vector<double> wsum(n_coarse, 0.0);
  for (std::uint32_t v = 0; v < n; ++v) wsum[parent[v]] += w[v];
  bool has_members = false;
  for (const auto& name : na.names()) {
    // Numbers only: categories and booleans have no sum or mean, and are not
    // carried up. A supernode with a missing member value is missing (NaN).
    const auto type = na.type(name);
    if (type == AttributeType::category || type == AttributeType::boolean) continue;
    const auto col = na.values(name);
    std::vector<double> out(n_coarse, 0.0);
    if (listed(rules.extensive_nodes, name)) {
      for (std::uint32_t v = 0; v < n; ++v) out[parent[v]] += col[v];
    } else {
      for (std::uint32_t v = 0; v < n; ++v) out[parent[v]] += w[v] * col[v];
      for (std::uint32_t c = 0; c < n_coarse; ++c) out[c] /= wsum[c];
    }
    has_members |= name == "members";
    coarse.set_node_attribute(name, std::move(out));
  }
  if (!has_members) {
    std::vector<double> members(children.begin(), children.end());
    coarse.set_node_attribute("members", std::move(members));
  }

  // Edge attributes.
  const AttributeTable& ea = g.edge_attributes();
  std::vector<double> mult(coarse.num_edges(), 0.0);
  const bool fine_mult = ea.has("multiplicity");
  for (std::size_t i = 0; i < keyed.size(); ++i)
    mult[group[i]] += fine_mult ? ea.get("multiplicity")[keyed[i].second] : 1.0;
  for (const auto& name : ea.names()) {
    if (name == "multiplicity") continue;
    const auto type = ea.type(name);
    if (type == AttributeType::category || type == AttributeType::boolean) continue;
    const auto col = ea.values(name);
    std::vector<double> out(coarse.num_edges(), 0.0), count(coarse.num_edges(), 0.0);
    for (std::size_t i = 0; i < keyed.size(); ++i) {
      out[group[i]] += col[keyed[i].second];
      count[group[i]] += 1.0;
    }
    if (listed(rules.intensive_edges, name))
      for (std::size_t e = 0; e < out.size(); ++e) out[e] /= count[e];
    coarse.set_edge_attribute(name, std::move(out));
  }
  coarse.set_edge_attribute("multiplicity", std::move(mult));
  return coarse;
}

}  // namespace urbplex
