// Route preferences of the dynamic user optimum (DUO) in dynamic traffic:
// per destination and link, how much platoons heading there favour the link
// (Kuwahara & Akamatsu's reactive assignment, as in UXsim).
//
// Each route update moves a destination's preferences a fraction w towards
// its current shortest-path tree. Two things keep the cost with the traffic
// rather than with the destinations:
//  * only destinations with platoons released (or leaving before the next
//    update) are searched, and each search stops once the nodes where those
//    platoons stand are settled (the nodes on their shortest paths are closer,
//    so settled before);
//  * a node's preferences are moved only when settled, by 1 - (1 - w)^k for
//    the k updates since it was last moved, as if the trees it missed were
//    the current one (exact when every destination is searched in full at
//    every update, as UXsim does).
#pragma once
#include <cstdint>
#include <vector>

#include "route_search.hpp"
#include "urbplex/core/run_control.hpp"

namespace urbplex::traffic::detail {

// The links out of each node (CSR) and every link's head node.
struct OutLinks {
  std::vector<std::uint64_t> start;
  std::vector<std::uint32_t> link, head;
};

class DuoPreferences {
 public:
  DuoPreferences(std::size_t destinations, std::size_t nodes, std::size_t links, double weight);

  float at(std::size_t d, std::uint32_t link) const { return pref_[d * links_ + link]; }

  // One update at link costs `cost`: destination d = searching[k] (node
  // dest_node[d]) needs its tree at need[need_start[k] .. need_start[k + 1]).
  void update(const Reversed& reversed, const OutLinks& out, const std::vector<double>& cost,
              const std::vector<std::uint32_t>& dest_node, const std::vector<std::uint32_t>& searching,
              const std::vector<std::uint64_t>& need_start, const std::vector<std::uint32_t>& need,
              RunControl& control);

  std::uint64_t searches() const { return searches_; }
  std::uint64_t settled() const { return settled_; }

 private:
  std::size_t nodes_, links_;
  std::vector<float> pref_;            // destinations x links
  std::vector<std::uint32_t> moved_;   // destinations x nodes: update (1-based) of the last move, 0: never
  std::vector<float> keep_;            // keep_[k] = (1 - w)^k
  std::uint32_t updates_ = 0;
  std::uint64_t searches_ = 0, settled_ = 0;
};

}  // namespace urbplex::traffic::detail
