#include "chains.hpp"

#include <limits>

namespace urbplex::routing::detail {

namespace {

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

// Links grouped by node: ids[off[v]..off[v+1]) are v's links, by `end` (from or to).
struct Incidence {
  std::vector<std::uint32_t> off, ids;
  Incidence(std::uint32_t n, std::span<const std::uint32_t> end) : off(n + 1, 0), ids(end.size()) {
    for (auto v : end) ++off[v + 1];
    for (std::uint32_t v = 0; v < n; ++v) off[v + 1] += off[v];
    std::vector<std::uint32_t> fill(off.begin(), off.end() - 1);
    for (std::uint32_t l = 0; l < end.size(); ++l) ids[fill[end[l]]++] = l;
  }
  std::uint32_t count(std::uint32_t v) const { return off[v + 1] - off[v]; }
  std::uint32_t operator()(std::uint32_t v, std::uint32_t i) const { return ids[off[v] + i]; }
};

}  // namespace

Chains find_chains(const Network& net, const Demand& dem) {
  const std::uint32_t n = net.n;
  const std::size_t m = net.from.size();
  const Incidence out(n, net.from), in(n, net.to);
  std::vector<std::uint8_t> trip_end(n, 0);
  for (std::size_t k = 0; k < dem.origin.size(); ++k)
    for (std::uint64_t e = dem.offsets[k]; e < dem.offsets[k + 1]; ++e)
      if (dem.trips[e] > 0) trip_end[dem.origin[k]] = trip_end[dem.destination[e]] = 1;

  std::vector<std::uint8_t> through(n, 0);
  Chains c;
  for (std::uint32_t v = net.first_thru; v < n; ++v) {
    if (trip_end[v]) continue;
    if (in.count(v) == 1 && out.count(v) == 1) {
      const std::uint32_t u = net.from[in(v, 0)], w = net.to[out(v, 0)];
      through[v] = u != w && u != v && w != v;
    } else if (in.count(v) == 2 && out.count(v) == 2) {
      const std::uint32_t u1 = net.from[in(v, 0)], u2 = net.from[in(v, 1)];
      const std::uint32_t w1 = net.to[out(v, 0)], w2 = net.to[out(v, 1)];
      through[v] = u1 != u2 && u1 != v && u2 != v && ((w1 == u1 && w2 == u2) || (w1 == u2 && w2 == u1));
    }
    c.pass_through += through[v];
  }

  c.chain_of.assign(m, kNone);
  c.offset.push_back(0);
  auto close_chain = [&](std::uint32_t first, std::uint32_t last) {
    const auto k = static_cast<std::uint32_t>(c.from.size());
    for (std::size_t i = c.offset.back(); i < c.links.size(); ++i) c.chain_of[c.links[i]] = k;
    c.from.push_back(net.from[first]);
    c.to.push_back(net.to[last]);
    c.offset.push_back(static_cast<std::uint32_t>(c.links.size()));
  };
  std::vector<std::uint32_t> path;
  for (std::uint32_t l = 0; l < m; ++l) {
    if (through[net.from[l]]) continue;  // chains start where traffic may stop or turn
    path.assign(1, l);
    std::uint32_t prev = net.from[l], v = net.to[l];
    while (through[v]) {  // ends: the walk never meets a node twice except its start, which is not `through`
      std::uint32_t next = out(v, 0);
      if (out.count(v) == 2 && net.to[next] == prev) next = out(v, 1);
      path.push_back(next);
      prev = v;
      v = net.to[next];
    }
    if (v == net.from[l]) {  // a loop back to its start: its links stay links
      for (auto e : path) c.links.push_back(e), close_chain(e, e);
      continue;
    }
    c.links.insert(c.links.end(), path.begin(), path.end());
    close_chain(path.front(), path.back());
  }
  for (std::uint32_t l = 0; l < m; ++l)  // rings of pass-through nodes only: no stop to start from
    if (c.chain_of[l] == kNone) c.links.push_back(l), close_chain(l, l);
  return c;
}

}  // namespace urbplex::routing::detail
