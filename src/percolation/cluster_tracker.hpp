// Union-find with the statistics Newman-Ziff needs after every step: the
// largest and second largest cluster, the number of clusters and the sum of
// squared cluster sizes (private to src/percolation).
#pragma once
#include <cstdint>
#include <vector>

namespace urbplex::percolation {

class ClusterTracker {
 public:
  explicit ClusterTracker(std::uint32_t n) : parent_(n), size_(n, 0), count_(static_cast<std::size_t>(n) + 2, 0) {}

  // Resets to n singletons (bond) or to the empty lattice (site).
  void reset(bool all_present) {
    const auto n = static_cast<std::uint32_t>(parent_.size());
    for (std::uint32_t v = 0; v < n; ++v) parent_[v] = v;
    std::fill(size_.begin(), size_.end(), all_present ? 1u : 0u);
    std::fill(count_.begin(), count_.end(), 0u);
    s2_candidate_ = 0;
    if (all_present && n > 0) {
      count_[1] = n;
      largest_ = 1;
      clusters_ = n;
      sumsq_ = n;
    } else {
      largest_ = 0;
      clusters_ = 0;
      sumsq_ = 0;
    }
  }

  void add_site(std::uint32_t v) {
    size_[v] = 1;
    ++count_[1];
    ++clusters_;
    ++sumsq_;
    grew(1);
  }

  std::uint32_t find(std::uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  std::uint32_t& parent(std::uint32_t x) { return parent_[x]; }
  // count[s]: the number of clusters of size s (index 0 unused).
  const std::vector<std::uint32_t>& cluster_counts() const { return count_; }
  std::uint32_t root_size(std::uint32_t r) const { return size_[r]; }

  // Joins two distinct roots; returns the new root (the larger one).
  std::uint32_t join_roots(std::uint32_t a, std::uint32_t b) {
    if (size_[a] < size_[b]) std::swap(a, b);
    const std::uint64_t sa = size_[a], sb = size_[b];
    --count_[sa];
    --count_[sb];
    ++count_[sa + sb];
    sumsq_ += 2 * sa * sb;
    --clusters_;
    parent_[b] = a;
    size_[a] = static_cast<std::uint32_t>(sa + sb);
    grew(static_cast<std::uint32_t>(sa + sb));
    return a;
  }

  std::uint32_t largest() const { return largest_; }
  std::uint64_t clusters() const { return clusters_; }
  std::uint64_t sumsq() const { return sumsq_; }
  std::uint32_t second() {
    if (largest_ == 0) return 0;
    if (count_[largest_] >= 2) return largest_;
    while (s2_candidate_ > 0 && count_[s2_candidate_] == 0) --s2_candidate_;
    return s2_candidate_;
  }

 private:
  // s2_candidate_ is an upper bound on the largest size below largest_ that
  // has clusters; second() walks it down. Total walking is O(N log N).
  void grew(std::uint32_t s) {
    if (s > largest_) {
      if (count_[largest_] > 0) s2_candidate_ = std::max(s2_candidate_, largest_);
      largest_ = s;
    } else if (s < largest_) {
      s2_candidate_ = std::max(s2_candidate_, s);
    }
  }

  std::vector<std::uint32_t> parent_;
  std::vector<std::uint32_t> size_;   // at roots; 0 = absent site
  std::vector<std::uint32_t> count_;  // number of clusters of each size
  std::uint32_t largest_ = 0;
  std::uint32_t s2_candidate_ = 0;
  std::uint64_t clusters_ = 0;
  std::uint64_t sumsq_ = 0;
};

}  // namespace urbplex::percolation
