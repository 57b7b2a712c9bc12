#include "urbplex/percolation/attacks.hpp"

#include <algorithm>
#include <numeric>
#include <string>

#include "urbplex/core/betweenness.hpp"
#include "urbplex/core/errors.hpp"
#include "urbplex/core/rng.hpp"
#include "urbplex/percolation/newman_ziff.hpp"

namespace urbplex::percolation {
namespace {

// A seeded random priority per vertex, to break ties.
std::vector<std::uint64_t> tie_breaks(std::uint32_t n, std::uint64_t seed) {
  std::vector<std::uint64_t> key(n);
  Rng rng(seed, 0x7a77ac6bULL);
  for (auto& k : key) k = rng();
  return key;
}

// Vertices by decreasing score, ties by the random key.
std::vector<std::uint32_t> by_score(std::span<const double> score, const std::vector<std::uint64_t>& key) {
  std::vector<std::uint32_t> order(score.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return score[a] != score[b] ? score[a] > score[b] : key[a] < key[b];
  });
  return order;
}

// Repeatedly removes a vertex of highest current degree: a bucket queue of
// doubly linked lists, O(N + E) in all.
std::vector<std::uint32_t> adaptive_degree(const Graph& g, const std::vector<std::uint64_t>& key) {
  const std::uint32_t n = g.num_vertices();
  constexpr std::uint32_t kNone = 0xffffffffu;
  std::vector<std::uint64_t> deg(n);
  std::uint64_t maxdeg = 0;
  for (std::uint32_t v = 0; v < n; ++v) maxdeg = std::max(maxdeg, deg[v] = g.degree(v));
  std::vector<std::uint32_t> head(maxdeg + 1, kNone), next(n, kNone), prev(n, kNone);
  // Insert in reverse tie-break order so that each bucket starts with the lowest key.
  std::vector<std::uint32_t> insertion(n);
  std::iota(insertion.begin(), insertion.end(), 0u);
  std::sort(insertion.begin(), insertion.end(), [&](std::uint32_t a, std::uint32_t b) { return key[a] > key[b]; });
  auto push = [&](std::uint32_t v) {
    const auto d = deg[v];
    next[v] = head[d];
    prev[v] = kNone;
    if (head[d] != kNone) prev[head[d]] = v;
    head[d] = v;
  };
  auto unlink = [&](std::uint32_t v) {
    if (prev[v] != kNone) next[prev[v]] = next[v]; else head[deg[v]] = next[v];
    if (next[v] != kNone) prev[next[v]] = prev[v];
  };
  for (std::uint32_t v : insertion) push(v);
  std::vector<char> removed(n, 0);
  std::vector<std::uint32_t> order;
  order.reserve(n);
  std::uint64_t top = maxdeg;
  while (order.size() < n) {
    while (head[top] == kNone) --top;
    const std::uint32_t v = head[top];
    unlink(v);
    removed[v] = 1;
    order.push_back(v);
    for (std::uint32_t w : g.neighbors(v)) {
      if (removed[w]) continue;
      unlink(w);
      --deg[w];
      push(w);
    }
  }
  return order;
}

std::vector<std::uint32_t> adaptive_betweenness(const Graph& g, const std::vector<std::uint64_t>& key,
                                                std::uint32_t every, RunControl& control) {
  const std::uint32_t n = g.num_vertices();
  std::vector<char> alive(n, 1);
  std::vector<std::uint32_t> order;
  order.reserve(n);
  while (order.size() < n) {
    const auto b = betweenness(g, alive, control);
    std::vector<double> score(b);
    for (std::uint32_t v = 0; v < n; ++v)
      if (!alive[v]) score[v] = -1.0;
    const auto ranked = by_score(score, key);
    for (std::uint32_t i = 0; i < every && order.size() < n; ++i) {
      alive[ranked[i]] = 0;
      order.push_back(ranked[i]);
    }
  }
  return order;
}

}  // namespace

std::vector<std::uint32_t> removal_order(const Graph& g, Attack attack, std::uint64_t seed,
                                         std::uint32_t recompute_every, RunControl& control) {
  require(recompute_every >= 1, "recompute_every", "must be >= 1");
  require(!g.directed(), "graph", "attacks are implemented for undirected graphs");
  const std::uint32_t n = g.num_vertices();
  const auto key = tie_breaks(n, seed);
  switch (attack) {
    case Attack::Random: {
      std::vector<std::uint32_t> order(n);
      std::iota(order.begin(), order.end(), 0u);
      Rng rng(seed, 0);
      for (std::uint64_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
      return order;
    }
    case Attack::Degree: {
      std::vector<double> d(n);
      for (std::uint32_t v = 0; v < n; ++v) d[v] = static_cast<double>(g.degree(v));
      return by_score(d, key);
    }
    case Attack::AdaptiveDegree:
      return adaptive_degree(g, key);
    case Attack::Betweenness: {
      const auto b = betweenness(g, {}, control);
      return by_score(b, key);
    }
    case Attack::AdaptiveBetweenness:
      return adaptive_betweenness(g, key, recompute_every, control);
  }
  return {};
}

std::vector<std::uint32_t> largest_after_removal(const Graph& g, std::span<const std::uint32_t> order) {
  require(order.size() == g.num_vertices(), "order", "must list every vertex once");
  std::vector<std::uint32_t> reversed(order.rbegin(), order.rend());
  const Ensemble e = sweep_order(g, Kind::Site, reversed);
  // After adding k vertices back, N - k are removed.
  std::vector<std::uint32_t> s(order.size() + 1);
  for (std::size_t q = 0; q <= order.size(); ++q) s[q] = static_cast<std::uint32_t>(e.largest[order.size() - q]);
  return s;
}

}  // namespace urbplex::percolation
