// Internal to routing/: contraction of chains of links through nodes that
// only pass traffic on. Street networks are full of them (Berlin-Center: 28%
// of its nodes), and every one of them costs each shortest-path search and
// each bush a node and an arc. A node is a pass-through node when it is not
// a centroid nor the end of any trip, and it has either one link in and one
// out to two other nodes (a one-way street) or links both ways to exactly two
// other nodes (a two-way street). A chain is a maximal path of links whose
// inner nodes are all pass-through nodes; all its links carry the same flow
// at any assignment (a path through a pass-through node cannot turn back:
// that would be a cycle, never a shortest path with non-negative costs), so
// it is assigned as one link whose cost, derivative and Beckmann integral
// are the sums over its links — the same equilibrium, exactly.
#pragma once
#include <cstdint>
#include <vector>

#include "urbplex/routing/assignment.hpp"
#include "urbplex/routing/link_cost.hpp"

namespace urbplex::routing::detail {

struct Chains {
  std::vector<std::uint32_t> from, to;       // per chain: its first tail and last head
  std::vector<std::uint32_t> offset, links;  // chain k: links[offset[k]..offset[k+1]), in path order
  std::vector<std::uint32_t> chain_of;       // per link of the network: its chain
  std::size_t pass_through = 0;              // nodes no chain stops at
};

// The chains of net (a link through no pass-through node is a chain of one).
Chains find_chains(const Network& net, const Demand& dem);

// A chain's cost as the sum of its links' costs under `links`.
class ChainCost final : public LinkCost {
 public:
  ChainCost(const LinkCost& links, const Chains& chains) : f_(links), c_(chains) {}
  double cost(std::size_t k, double x) const override {
    double s = 0;
    for (std::uint32_t i = c_.offset[k]; i < c_.offset[k + 1]; ++i) s += f_.cost(c_.links[i], x);
    return s;
  }
  double derivative(std::size_t k, double x) const override {
    double s = 0;
    for (std::uint32_t i = c_.offset[k]; i < c_.offset[k + 1]; ++i) s += f_.derivative(c_.links[i], x);
    return s;
  }
  double integral(std::size_t k, double x) const override {
    double s = 0;
    for (std::uint32_t i = c_.offset[k]; i < c_.offset[k + 1]; ++i) s += f_.integral(c_.links[i], x);
    return s;
  }

 private:
  const LinkCost& f_;
  const Chains& c_;
};

}  // namespace urbplex::routing::detail
