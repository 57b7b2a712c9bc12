// Disjoint-set forest with union by size and path halving (Tarjan 1975),
// the kernel of components and of Newman-Ziff percolation.
#pragma once
#include <cstdint>
#include <numeric>
#include <vector>

namespace urbplex {

class UnionFind {
 public:
  explicit UnionFind(std::uint32_t n = 0) { reset(n); }

  void reset(std::uint32_t n) {
    parent_.resize(n);
    std::iota(parent_.begin(), parent_.end(), 0u);
    size_.assign(n, 1);
  }
  std::uint32_t size() const { return static_cast<std::uint32_t>(parent_.size()); }

  std::uint32_t find(std::uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  // Joins the sets of a and b; returns the root of the union (a's root if they
  // were already together).
  std::uint32_t unite(std::uint32_t a, std::uint32_t b) {
    a = find(a);
    b = find(b);
    if (a == b) return a;
    if (size_[a] < size_[b]) std::swap(a, b);
    parent_[b] = a;
    size_[a] += size_[b];
    return a;
  }
  // Size of the set whose root is r (r must be a root).
  std::uint32_t root_size(std::uint32_t r) const { return size_[r]; }
  std::uint32_t set_size(std::uint32_t x) { return size_[find(x)]; }

 private:
  std::vector<std::uint32_t> parent_;
  std::vector<std::uint32_t> size_;
};

}  // namespace urbplex
