// Shortest-path trees towards a destination for dynamic traffic's route
// choice: Dijkstra (1959) on the street network reversed, from the
// destination, giving every node its next link.
#pragma once
#include <cstdint>
#include <limits>
#include <vector>

#include "urbplex/core/radix_heap.hpp"

namespace urbplex::traffic::detail {

// The graph reversed: for node v, the links into v (CSR over start), with
// their tail node.
struct Reversed {
  std::vector<std::uint64_t> start;
  std::vector<std::uint32_t> link, tail;
};

// Next link towards `dest` from the nodes on the given link costs into
// `next` (-1: not reached); ties go to the smaller link id. `settled` gets the
// nodes in the order their distance became final. With `needed` (a mark per
// node: needed[v] == stamp) and `needed_count` > 0, the search stops once that
// many marked nodes are settled: the nodes beyond keep next = -1. `dist` and
// `heap` are scratch space.
void next_links(const Reversed& g, const std::vector<double>& cost, std::uint32_t dest, std::vector<std::int64_t>& next,
                std::vector<double>& dist, RadixHeap& heap, std::vector<std::uint32_t>* settled = nullptr,
                const std::vector<std::uint32_t>* needed = nullptr, std::uint32_t stamp = 0,
                std::size_t needed_count = 0);

}  // namespace urbplex::traffic::detail
