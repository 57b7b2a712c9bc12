#include "route_search.hpp"

#include <algorithm>
#include <bit>

namespace urbplex::traffic::detail {

void next_links(const Reversed& g, const std::vector<double>& cost, std::uint32_t dest, std::vector<std::int64_t>& next,
                std::vector<double>& dist, RadixHeap& heap, std::vector<std::uint32_t>* settled,
                const std::vector<std::uint32_t>* needed, std::uint32_t stamp, std::size_t needed_count) {
  std::fill(dist.begin(), dist.end(), std::numeric_limits<double>::infinity());
  std::fill(next.begin(), next.end(), -1);
  if (settled) settled->clear();
  dist[dest] = 0;
  heap.reset(0);
  heap.push(0.0, dest);
  std::size_t left = needed_count;
  while (!heap.empty()) {
    const auto [key, v] = heap.pop();
    const double d = dist[v];
    if (key != std::bit_cast<std::uint64_t>(d)) continue;  // a stale entry: v was pushed again, lower
    if (settled) settled->push_back(v);
    for (std::uint64_t e = g.start[v]; e < g.start[v + 1]; ++e) {
      const std::uint32_t l = g.link[e], u = g.tail[e];
      const double nd = d + cost[l];
      if (nd < dist[u]) {
        dist[u] = nd;
        next[u] = l;
        heap.push(nd, u);
      } else if (nd == dist[u] && next[u] > static_cast<std::int64_t>(l)) {
        next[u] = l;
      }
    }
    // Stop when the last needed node is final (v's links relaxed first: a
    // node's next link is set when its successor is settled, so v's own next
    // link was final before v left the queue).
    if (needed && (*needed)[v] == stamp && --left == 0) break;
  }
}

}  // namespace urbplex::traffic::detail
