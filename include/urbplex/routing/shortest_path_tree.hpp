// One-to-all shortest paths for traffic assignment: Dijkstra (1959) on a
// forward star whose nodes are renumbered in breadth-first order (neighbours
// get nearby numbers, so the labels a search touches share cache lines), with
// a radix heap as the queue. Chosen by measurement on Berlin-Center (median
// of 3, same machine, one build each): the breadth-first order with an
// indexed 4-ary heap was about 12% faster than the binary heap with lazy
// deletion on the file's node order (1-thread bi-conjugate Frank-Wolfe to
// gap 1e-3: 9.1 s -> 8.0 s); the radix heap is another 7-10% faster than
// the 4-ary heap (two alternated A/B rounds: 15 BFW iterations 14.9-15.4 s
// -> 13.6-13.7 s; 4 Algorithm B iterations 10.8-11.1 s -> 10.0-10.2 s).
// Finding its lowest non-empty bucket from an occupancy mask rather than a
// scan made 15 BFW iterations (on the chain-contracted network) another
// 20-25% faster: 9.5-10.1 s -> 7.5-7.6 s.
//
// Nodes flagged not passable (TNTP zone centroids) may start or end a path
// but are not passed through.
#pragma once
#include <bit>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "urbplex/core/dijkstra.hpp"
#include "urbplex/core/radix_heap.hpp"

namespace urbplex::routing {

// Links grouped by tail node, in a breadth-first node order. Internal node
// ids are positions in that order; rank[v] maps a network node to its
// internal id and node[i] back.
struct ForwardStar {
  std::uint32_t n = 0;
  std::vector<std::uint32_t> off;    // n + 1: arcs of internal node i are off[i]..off[i+1)
  std::vector<std::uint32_t> head;   // per arc: internal id of the link's head
  std::vector<std::uint32_t> link;   // per arc: the network's link id
  std::vector<std::uint32_t> tail;   // per arc: internal id of the link's tail
  std::vector<std::uint32_t> rank, node;
  std::vector<std::uint8_t> passable;  // per internal node

  static constexpr std::uint32_t kUnset = std::numeric_limits<std::uint32_t>::max();
  ForwardStar(std::uint32_t nodes, std::span<const std::uint32_t> from, std::span<const std::uint32_t> to,
              std::uint32_t first_thru);

  // Arc costs in arc order from link costs in link order.
  void arc_costs(std::span<const double> link_cost, std::vector<double>& out) const {
    out.resize(link.size());
    for (std::size_t e = 0; e < link.size(); ++e) out[e] = link_cost[link[e]];
  }
};

// A shortest-path tree from one source, in internal node ids: dist, the arc
// into each reached node (kNone at the source and at unreached nodes) and the
// nodes in the order they were settled (non-decreasing distance).
struct ShortestPathTree {
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  std::vector<double> dist;
  std::vector<std::uint32_t> pred, order;

  void grow(const ForwardStar& fs, std::span<const double> arc_cost, std::uint32_t source) {
    dist.assign(fs.n, std::numeric_limits<double>::infinity());
    pred.assign(fs.n, kNone);
    order.clear();
    dist[source] = 0;
    dijkstra_search(heap_, dist, source, [&](std::uint32_t v, double d) {
      order.push_back(v);
      if (v != source && !fs.passable[v]) return;  // a zone centroid: ends paths, does not carry them
      for (std::uint32_t e = fs.off[v]; e < fs.off[v + 1]; ++e) {
        const std::uint32_t w = fs.head[e];
        const double nd = d + arc_cost[e];
        if (nd < dist[w]) {
          dist[w] = nd;
          pred[w] = e;
          heap_.push(nd, w);
        }
      }
    });
  }

  // Pushes the loads at the tree's nodes back towards the source, farthest
  // first, calling on_arc(arc, load) for each tree arc that carries a load.
  // Leaves node_load zero at every node the tree reached.
  template <class OnArc>
  void push_loads(const ForwardStar& fs, std::vector<double>& node_load, OnArc&& on_arc) const {
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      const std::uint32_t v = *it;
      const double load = node_load[v];
      if (load == 0) continue;
      node_load[v] = 0;
      const std::uint32_t e = pred[v];
      if (e == kNone) continue;
      on_arc(e, load);
      node_load[fs.tail[e]] += load;
    }
  }

 private:
  RadixHeap heap_;
};

}  // namespace urbplex::routing
