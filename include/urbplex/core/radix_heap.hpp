// A monotone priority queue for Dijkstra's algorithm on non-negative
// double distances, shared by traffic assignment's shortest paths and
// betweenness.
#pragma once
#include <array>
#include <bit>
#include <cstdint>
#include <utility>
#include <vector>

namespace urbplex {

// Radix heap (Ahuja, Mehlhorn, Orlin & Tarjan, J. ACM 37, 213, 1990) on the
// bit patterns of non-negative doubles, which order like the values: a
// monotone queue for Dijkstra, where no key pushed is below the last popped.
// Bucket i holds keys whose highest bit differing from the last popped key
// is bit i - 1; no decrease-key: a node is pushed again when its distance
// drops and the stale entries are skipped by the caller.
class RadixHeap {
 public:
  void reset(std::uint32_t) {
    for (auto& b : buckets_) b.clear();
    last_ = 0;
    size_ = 0;
    occupied_ = 0;
  }
  bool empty() const { return size_ == 0; }
  void push(double key, std::uint32_t v) {
    const auto k = std::bit_cast<std::uint64_t>(key);
    put({k, v});
    ++size_;
  }
  // A node with the smallest key, and that key's bits.
  std::pair<std::uint64_t, std::uint32_t> pop() {
    if (buckets_[0].empty()) {
      // The lowest non-empty bucket from the occupancy bits, not a scan of
      // the 64 vectors (9% of betweenness's time on 5000-vertex graphs).
      const std::size_t i = static_cast<std::size_t>(std::countr_zero(occupied_)) + 1;
      auto& from = buckets_[i];
      std::uint64_t low = from[0].key;
      for (const Item& it : from) low = it.key < low ? it.key : low;
      last_ = low;
      occupied_ &= ~(std::uint64_t{1} << (i - 1));
      for (const Item& it : from) put(it);  // all to buckets below i
      from.clear();
    }
    const Item it = buckets_[0].back();
    buckets_[0].pop_back();
    --size_;
    return {it.key, it.node};
  }

 private:
  struct Item {
    std::uint64_t key;
    std::uint32_t node;
  };
  std::size_t index(std::uint64_t k) const {
    return k == last_ ? 0 : 64 - static_cast<std::size_t>(std::countl_zero(k ^ last_));
  }
  void put(const Item& it) {
    const std::size_t i = index(it.key);
    buckets_[i].push_back(it);
    if (i) occupied_ |= std::uint64_t{1} << (i - 1);
  }
  std::array<std::vector<Item>, 65> buckets_;
  std::uint64_t last_ = 0;
  std::uint64_t occupied_ = 0;  // bit i - 1: bucket i (i >= 1) is not empty
  std::size_t size_ = 0;
};

}  // namespace urbplex
