// The one Dijkstra (1959) of the library: the search loop shared by
// betweenness (core/betweenness.cpp), traffic assignment's shortest-path
// trees (routing/shortest_path_tree.hpp) and dynamic traffic's next links
// (traffic/network_loading.cpp). What differs between them is a policy:
//
//   expand(u, d)  called once per node, when it leaves the queue with its
//                 final distance d; it records what the caller keeps (order,
//                 path counts, predecessors) and relaxes u's arcs, calling
//                 queue.push(nd, w) for every w whose distance it lowered.
//
// The queue is a radix heap (core/radix_heap.hpp) without decrease-key: a
// node is pushed again when its distance drops, and entries whose key is no
// longer the node's distance are skipped here.
#pragma once
#include <bit>
#include <cstdint>

#include "urbplex/core/radix_heap.hpp"

namespace urbplex {

// Runs the search from `source`, whose distance the caller has set (to 0, or
// an offset); `dist` is the caller's distance array that expand updates.
template <class Dist, class Expand>
void dijkstra_search(RadixHeap& queue, const Dist& dist, std::uint32_t source, Expand&& expand) {
  queue.reset(0);
  queue.push(dist[source], source);
  while (!queue.empty()) {
    const auto [key, u] = queue.pop();
    const double d = dist[u];
    if (key != std::bit_cast<std::uint64_t>(d)) continue;  // a stale entry: u was pushed again, lower
    expand(u, d);
  }
}

}  // namespace urbplex
