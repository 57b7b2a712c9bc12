#include "urbplex/traffic/network_loading.hpp"

#include "duo_preferences.hpp"
#include "route_search.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <queue>
#include <string>

#include "urbplex/core/dijkstra.hpp"
#include "urbplex/core/errors.hpp"
#include "urbplex/core/region_errors.hpp"
#include "urbplex/core/parallel.hpp"
#include "urbplex/core/rng.hpp"

namespace urbplex::traffic {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Stream kinds of the counter-based generator (the high byte of the entity).
constexpr std::uint64_t kMergeStream = 1ull << 56, kRouteStream = 2ull << 56, kNoiseStream = 3ull << 56;
// Relative noise on link travel times in each route search (UXsim's default
// DUO noise): breaks ties between equal routes at random.
constexpr double kRouteNoise = 0.01;

// A FIFO queue of platoons on a vector: std::deque allocates a 512-byte block
// even when empty, which for 10^5 links is most of the run's memory.
class Fifo {
 public:
  bool empty() const { return head_ == items_.size(); }
  std::size_t size() const { return items_.size() - head_; }
  std::uint32_t front() const { return items_[head_]; }
  std::uint32_t back() const { return items_.back(); }
  std::uint32_t operator[](std::size_t i) const { return items_[head_ + i]; }
  void push_back(std::uint32_t p) { items_.push_back(p); }
  void pop_front() {
    if (++head_ == items_.size()) {
      items_.clear(), head_ = 0;
    } else if (head_ >= 64 && head_ * 2 >= items_.size()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_)), head_ = 0;
    }
  }

 private:
  std::vector<std::uint32_t> items_;
  std::size_t head_ = 0;
};

std::string link_name(std::size_t l) { return "link " + std::to_string(l); }
std::string platoon_name(std::size_t p) { return "platoon " + std::to_string(p); }

}  // namespace

void detail::validate(const Scenario& s) {
  require(s.nodes > 0, "nodes", "must be positive");
  for (std::size_t l = 0; l < s.links.size(); ++l) {
    const Link& k = s.links[l];
    if (k.from >= s.nodes || k.to >= s.nodes) fail("links", link_name(l) + " joins a node that does not exist");
    if (k.from == k.to) fail("links", link_name(l) + " is a loop");
    if (!(std::isfinite(k.length) && k.length > 0)) fail("length", link_name(l) + ": must be finite and > 0");
    if (!(std::isfinite(k.free_speed) && k.free_speed > 0))
      fail("free_speed", link_name(l) + ": must be finite and > 0");
    if (!(std::isfinite(k.jam_density) && k.jam_density > 0))
      fail("jam_density", link_name(l) + ": must be finite and > 0");
    if (!(std::isfinite(k.merge_priority) && k.merge_priority >= 0))
      fail("merge_priority", link_name(l) + ": must be finite and >= 0");
    if (!(k.capacity_out > 0) || !(k.capacity_in > 0))
      fail("capacity", link_name(l) + ": a bottleneck capacity must be > 0 (infinity: none)");
    if (k.lanes < 1) fail("lanes", link_name(l) + ": must be at least 1");
  }
  if (!s.node_capacity.empty()) {
    require(s.node_capacity.size() == s.nodes, "node_capacity", "needs one value per node");
    for (std::size_t v = 0; v < s.nodes; ++v)
      if (!(s.node_capacity[v] > 0)) fail("node_capacity", "node " + std::to_string(v) + ": must be > 0 (infinity: none)");
  }
  if (!s.signal_start.empty()) {
    require(s.signal_start.size() == s.nodes + 1 && s.signal_start.front() == 0 &&
                s.signal_start.back() == s.signal_green.size() && s.signal_offset.size() == s.nodes,
            "signals", "need nodes + 1 offsets into the green times and one offset per node");
    for (std::size_t v = 0; v < s.nodes; ++v) {
      const std::uint64_t a = s.signal_start[v], b = s.signal_start[v + 1];
      if (b < a || b - a > kMaxSignalPhases)
        fail("signals", "node " + std::to_string(v) + ": at most " + std::to_string(kMaxSignalPhases) + " phases");
      if (!std::isfinite(s.signal_offset[v])) fail("signals", "node " + std::to_string(v) + ": the offset must be finite");
      for (std::uint64_t i = a; i < b; ++i)
        if (!(std::isfinite(s.signal_green[i]) && s.signal_green[i] > 0))
          fail("signals", "node " + std::to_string(v) + ": green times must be finite and > 0");
    }
    for (std::size_t l = 0; l < s.links.size(); ++l) {
      const std::uint32_t v = s.links[l].to;
      const std::uint64_t phases = s.signal_start[v + 1] - s.signal_start[v];
      if (phases == 0) continue;
      const std::uint64_t valid = phases == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << phases) - 1;
      if ((s.links[l].green_phases & valid) == 0)
        fail("signals", link_name(l) + " enters a signal and is green in none of its phases");
    }
  }
  require(std::isfinite(s.reaction_time) && s.reaction_time > 0, "reaction_time", "must be finite and > 0");
  require(s.platoon >= 1, "platoon", "must be at least 1 vehicle");
  require(std::isfinite(s.horizon) && s.horizon > 0, "horizon", "must be finite and > 0");
  require(std::isfinite(s.route_interval) && s.route_interval > 0, "route_interval", "must be finite and > 0");
  require(std::isfinite(s.duo_weight) && s.duo_weight > 0 && s.duo_weight <= 1, "duo_weight", "must be in (0, 1]");
  require(std::isfinite(s.record_interval) && s.record_interval > 0, "record_interval", "must be finite and > 0");
  const std::size_t n = s.origin.size();
  require(s.destination.size() == n && s.departure.size() == n, "platoons",
          "origin, destination and departure must have one length");
  for (std::size_t p = 0; p < n; ++p) {
    if (s.origin[p] >= s.nodes || s.destination[p] >= s.nodes)
      fail("platoons", platoon_name(p) + " starts or ends at a node that does not exist");
    if (s.origin[p] == s.destination[p]) fail("platoons", platoon_name(p) + " has its origin as destination");
    if (!(std::isfinite(s.departure[p]) && s.departure[p] >= 0 && s.departure[p] < s.horizon))
      fail("departure", platoon_name(p) + " departs outside [0, horizon)");
  }
  if (s.route_choice == RouteChoice::fixed && !s.route_cost.empty()) {
    require(s.route_cost.size() == s.links.size(), "route_cost", "needs one value per link");
    for (std::size_t l = 0; l < s.links.size(); ++l)
      if (!(std::isfinite(s.route_cost[l]) && s.route_cost[l] > 0)) fail("route_cost", link_name(l) + ": must be finite and > 0");
  }
  if (s.route_choice == RouteChoice::given) {
    require(s.given_start.size() == n + 1 && s.given_start.front() == 0 && s.given_start.back() == s.given_links.size(),
            "routes", "need platoons + 1 offsets into the route links");
    for (std::size_t p = 0; p < n; ++p) {
      const std::uint64_t a = s.given_start[p], b = s.given_start[p + 1];
      if (b <= a) fail("routes", platoon_name(p) + ": its route has no link");
      std::uint32_t at = s.origin[p];
      for (std::uint64_t i = a; i < b; ++i) {
        const std::uint32_t l = s.given_links[i];
        if (l >= s.links.size() || s.links[l].from != at)
          fail("routes", platoon_name(p) + ": link " + std::to_string(i - a) + " of its route does not continue it");
        at = s.links[l].to;
        if (at == s.destination[p] && i + 1 < b)
          fail("routes", platoon_name(p) + ": its route passes its destination before its end");
      }
      if (at != s.destination[p]) fail("routes", platoon_name(p) + ": its route does not end at its destination");
    }
  }
}


Result simulate(const Scenario& s, bool record_cumulative, RunControl& control) {
  detail::validate(s);
  const double dt = s.reaction_time * s.platoon;
  control.set_total(static_cast<std::uint64_t>(std::ceil(s.horizon / dt)));
  Result r = detail::load(s, record_cumulative, control);
  control.finish();
  return r;
}

Result detail::load(const Scenario& s, bool record_cumulative, RunControl& control) {
  const std::size_t L = s.links.size(), P = s.origin.size(), N = s.nodes;
  const double dn = s.platoon;
  const double dt = s.reaction_time * dn;
  const auto steps = static_cast<std::uint32_t>(std::ceil(s.horizon / dt));
  const auto route_steps = std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::llround(s.route_interval / dt)));
  const auto bin_steps = std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::llround(s.record_interval / dt)));

  // Graph: out- and in-links per node (CSR, links in id order).
  std::vector<std::uint64_t> out_start(N + 1, 0), in_start(N + 1, 0);
  for (const Link& k : s.links) ++out_start[k.from + 1], ++in_start[k.to + 1];
  std::partial_sum(out_start.begin(), out_start.end(), out_start.begin());
  std::partial_sum(in_start.begin(), in_start.end(), in_start.begin());
  std::vector<std::uint32_t> out_links(L), in_links(L);
  {
    std::vector<std::uint64_t> fo(out_start.begin(), out_start.end() - 1), fi(in_start.begin(), in_start.end() - 1);
    for (std::uint32_t l = 0; l < L; ++l) out_links[fo[s.links[l].from]++] = l, in_links[fi[s.links[l].to]++] = l;
  }

  detail::Reversed reversed{in_start, in_links, std::vector<std::uint32_t>(L)};
  for (std::size_t e = 0; e < L; ++e) reversed.tail[e] = s.links[in_links[e]].from;

  // Link constants: spacing of a platoon at jam density, free-flow time.
  // Link constants: spacing of a platoon at a lane's jam density (jam_density
  // is per lane), free-flow time, lanes; per node, the lanes leaving it.
  std::vector<double> spacing(L), free_time(L);
  std::vector<std::uint32_t> lanes(L);
  std::vector<std::uint64_t> out_lanes(N, 0);
  for (std::size_t l = 0; l < L; ++l) {
    spacing[l] = dn / s.links[l].jam_density;
    free_time[l] = s.links[l].length / s.links[l].free_speed;
    lanes[l] = s.links[l].lanes;
    out_lanes[s.links[l].from] += lanes[l];
  }

  // Destinations in use, and reachability (a platoon that cannot arrive is an input error).
  std::vector<std::int64_t> dest_index(N, -1);
  std::vector<std::uint32_t> dests;
  for (std::size_t p = 0; p < P; ++p)
    if (dest_index[s.destination[p]] < 0) dest_index[s.destination[p]] = static_cast<std::int64_t>(dests.size()),
                                          dests.push_back(s.destination[p]);
  const std::size_t D = dests.size();
  // Free-flow trees: checked for every platoon's origin, kept (D x N) only for fixed routes.
  std::vector<std::uint64_t> by_dest_start(D + 1, 0);
  std::vector<std::uint32_t> by_dest(P);
  for (std::size_t p = 0; p < P; ++p) ++by_dest_start[dest_index[s.destination[p]] + 1];
  std::partial_sum(by_dest_start.begin(), by_dest_start.end(), by_dest_start.begin());
  {
    std::vector<std::uint64_t> fill(by_dest_start.begin(), by_dest_start.end() - 1);
    for (std::uint32_t p = 0; p < P; ++p) by_dest[fill[dest_index[s.destination[p]]]++] = p;
  }
  // One free-flow search per destination (in parallel): every platoon's
  // free-flow shortest time, a check that it can arrive, and the fixed routes'
  // trees (D x N, on route_cost when given).
  std::vector<std::vector<std::int64_t>> tree(s.route_choice == RouteChoice::fixed ? D : 0);
  std::vector<double> free_flow(P, kInf);
  std::size_t unreachable = P;  // the first platoon that cannot arrive
  parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel num_threads(parallel::threads_for(D * (L + N) * 40))
  {
    std::vector<std::int64_t> next;
    std::vector<double> dist;
    errors.guard([&] { next.resize(N), dist.resize(N); });
    RadixHeap heap;
    std::size_t first_bad = P;
    const bool controller = omp_get_thread_num() == 0;
#pragma omp for schedule(dynamic, 4)
    for (std::int64_t d = 0; d < static_cast<std::int64_t>(D); ++d) {
      if (control.stop_requested() || errors.failed()) continue;
      if (controller) control.checkpoint();
      errors.guard([&] {
      detail::next_links(reversed, free_time, dests[d], next, dist, heap);
      for (std::uint64_t i = by_dest_start[d]; i < by_dest_start[d + 1]; ++i) {
        const std::uint32_t p = by_dest[i];
        free_flow[p] = dist[s.origin[p]];
        if (next[s.origin[p]] < 0) first_bad = std::min<std::size_t>(first_bad, p);
      }
      if (!tree.empty() && !s.route_cost.empty()) detail::next_links(reversed, s.route_cost, dests[d], next, dist, heap);
      if (!tree.empty()) tree[d] = next;
      });
    }
#pragma omp critical(traffic_unreachable)
    unreachable = std::min(unreachable, first_bad);
  }
  errors.rethrow();
  control.throw_if_stopped();
  if (unreachable < P)
    fail("platoons", platoon_name(unreachable) + ": its destination cannot be reached from its origin");

  // Route preferences per destination and link (duo), or fixed routes.
  // float: D x L can be large (10^3 destinations x 10^4 links = 40 MB)
  std::optional<detail::DuoPreferences> pref;
  if (s.route_choice == RouteChoice::duo) pref.emplace(D, N, L, s.duo_weight);
  detail::OutLinks out_graph{out_start, out_links, std::vector<std::uint32_t>(L)};
  for (std::size_t l = 0; l < L; ++l) out_graph.head[l] = s.links[l].to;

  // Platoon state.
  std::vector<std::uint32_t> link(P, 0);
  std::vector<double> x(P, 0), x_old(P, 0), move_remain(P, 0);
  std::vector<std::int64_t> chosen(P, -1);  // next link wanted at the end of the current link
  std::vector<std::int64_t> dep_step(P);
  for (std::size_t p = 0; p < P; ++p) dep_step[p] = departure_step(s.departure[p], dt);
  std::vector<std::uint32_t> by_departure(P);
  std::iota(by_departure.begin(), by_departure.end(), 0u);
  std::stable_sort(by_departure.begin(), by_departure.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return dep_step[a] < dep_step[b]; });
  std::size_t next_departure = 0;

  Result r;
  r.free_flow_time = std::move(free_flow);
  r.dt = dt;
  r.steps = steps;
  r.entered.assign(P, -1);
  r.arrived.assign(P, -1);
  std::vector<std::vector<std::uint32_t>> route(P), entry(P);
  r.bins = (steps + bin_steps - 1) / bin_steps;
  r.inflow.assign(L * r.bins, 0.0);
  r.outflow.assign(L * r.bins, 0.0);
  r.vehicle_seconds.assign(L * r.bins, 0.0);
  r.vehicle_metres.assign(L * r.bins, 0.0);
  if (record_cumulative) {
    r.cumulative_in.assign(L * static_cast<std::size_t>(steps), 0);
    r.cumulative_out.assign(L * static_cast<std::size_t>(steps), 0);
  }
  std::vector<std::uint32_t> cum_in(L, 0), cum_out(L, 0);

  std::vector<Fifo> on_link(L);
  std::vector<Fifo> waiting(N);
  std::vector<double> cap_in(L), cap_out(L);
  std::vector<std::uint32_t> bottlenecks;  // links with a finite capacity at an end
  for (std::uint32_t l = 0; l < L; ++l) {
    cap_in[l] = std::isinf(s.links[l].capacity_in) ? kInf : s.links[l].capacity_in * dt;
    cap_out[l] = std::isinf(s.links[l].capacity_out) ? kInf : s.links[l].capacity_out * dt;
    if (std::isfinite(cap_in[l]) || std::isfinite(cap_out[l])) bottlenecks.push_back(l);
  }
  // Node capacities: a bucket per node, refilled as the links' (UXsim's rule:
  // while below one platoon per lane, the lanes being capacity / 0.8 veh/s).
  std::vector<double> cap_node(N, kInf), node_burst(N, 1);
  std::vector<std::uint32_t> capped_nodes;
  for (std::uint32_t v = 0; v < s.node_capacity.size(); ++v)
    if (std::isfinite(s.node_capacity[v])) {
      cap_node[v] = s.node_capacity[v] * dt;
      node_burst[v] = std::max(1.0, std::ceil(s.node_capacity[v] / 0.8));
      capped_nodes.push_back(v);
    }
  // Signals: the current phase of each signalised node (bit mask), and the
  // cycle's phase starts.
  std::vector<std::uint32_t> signal_nodes;
  std::vector<std::uint64_t> green_now;  // per node: 1 << phase (all ones: no signal)
  if (!s.signal_start.empty()) {
    green_now.assign(N, ~std::uint64_t{0});
    for (std::uint32_t v = 0; v < N; ++v)
      if (s.signal_start[v + 1] > s.signal_start[v]) signal_nodes.push_back(v);
  }
  auto set_signal_phases = [&](std::uint32_t step) {
    const double t = step * dt;
    for (const std::uint32_t v : signal_nodes) {
      const double* g = s.signal_green.data() + s.signal_start[v];
      const std::size_t m = s.signal_start[v + 1] - s.signal_start[v];
      double cycle = 0;
      for (std::size_t k = 0; k < m; ++k) cycle += g[k];
      double into = std::fmod(t - s.signal_offset[v], cycle);
      if (into < 0) into += cycle;
      std::size_t k = 0;
      while (k + 1 < m && into >= g[k]) into -= g[k++];
      green_now[v] = std::uint64_t{1} << k;
    }
  };
  auto green = [&](std::uint32_t l) {
    return green_now.empty() || (s.links[l].green_phases & green_now[s.links[l].to]) != 0;
  };
  // Only links holding platoons and nodes with platoons waiting are visited in
  // a step (in increasing id order, as a sweep over all of them would): a day
  // on a large network leaves most of it empty most of the time.
  std::vector<std::uint32_t> active, waiting_nodes;
  std::vector<char> is_active(L, 0), is_waiting(N, 0);
  // `active` is sorted up to `sorted_upto`; links entered since are appended
  // and merged in (a full sort per step was 13% of a grid day).
  std::size_t sorted_upto = 0;
  auto compact_active = [&] {
    std::size_t k = 0, kept_sorted = 0;
    for (std::size_t i = 0; i < active.size(); ++i) {
      const std::uint32_t l = active[i];
      if (!on_link[l].empty()) {
        active[k++] = l;
        if (i < sorted_upto) kept_sorted = k;
      } else {
        is_active[l] = 0;
      }
    }
    active.resize(k);
    std::sort(active.begin() + static_cast<std::ptrdiff_t>(kept_sorted), active.end());
    std::inplace_merge(active.begin(), active.begin() + static_cast<std::ptrdiff_t>(kept_sorted), active.end());
    sorted_upto = k;
  };

  // The next link of platoon p at node `node` (its destination not reached yet).
  auto choose_next = [&](std::uint32_t p, std::uint32_t node, std::uint32_t step) -> std::int64_t {
    const std::size_t d = static_cast<std::size_t>(dest_index[s.destination[p]]);
    if (s.route_choice == RouteChoice::fixed) return tree[d][node];
    if (s.route_choice == RouteChoice::given) {
      const std::uint64_t i = s.given_start[p] + route[p].size();
      return i < s.given_start[p + 1] ? static_cast<std::int64_t>(s.given_links[i]) : -1;
    }
    double total = 0;
    for (std::uint64_t e = out_start[node]; e < out_start[node + 1]; ++e) total += pref->at(d, out_links[e]);
    const std::uint64_t deg = out_start[node + 1] - out_start[node];
    if (deg == 0) return -1;
    Rng rng(s.seed, kRouteStream | (static_cast<std::uint64_t>(p) << 24) | (step & 0xFFFFFF));
    if (!(total > 0)) return out_links[out_start[node] + rng.below(deg)];
    double pick = rng.uniform() * total;
    for (std::uint64_t e = out_start[node]; e < out_start[node + 1]; ++e) {
      pick -= pref->at(d, out_links[e]);
      if (pick < 0) return out_links[e];
    }
    return out_links[out_start[node + 1] - 1];
  };

  // Room at the upstream end of l: the platoon it would follow (one per lane
  // ahead) is beyond a jam spacing, and inflow capacity is left.
  auto has_room = [&](std::uint32_t l) {
    const auto& q = on_link[l];
    return (q.size() < lanes[l] || x[q[q.size() - lanes[l]]] > spacing[l]) && cap_in[l] >= dn;
  };
  auto bin_of = [&](std::uint32_t step) { return static_cast<std::size_t>(step / bin_steps); };
  auto enter = [&](std::uint32_t p, std::uint32_t l, double at, std::uint32_t step) {
    // Place p at the upstream end of l, behind the platoon of its lane (from that one's previous position).
    const auto& q = on_link[l];
    if (q.size() >= lanes[l]) at = std::min(at, std::max(0.0, x_old[q[q.size() - lanes[l]]] - spacing[l]));
    at = std::min(at, s.links[l].length);
    on_link[l].push_back(p);
    if (!is_active[l]) is_active[l] = 1, active.push_back(l);
    link[p] = l;
    x[p] = at;
    route[p].push_back(l);
    entry[p].push_back(step);
    cap_in[l] -= dn;
    cum_in[l] += s.platoon;
    r.inflow[l * r.bins + bin_of(step)] += dn;
  };
  auto leave = [&](std::uint32_t p, std::uint32_t step) {
    const std::uint32_t l = link[p];
    on_link[l].pop_front();
    cum_out[l] += s.platoon;
    r.outflow[l * r.bins + bin_of(step)] += dn;
  };
  // Platoons at the head of l that have reached their destination leave the network.
  std::uint64_t running = 0;  // platoons on links
  auto arrive_heads = [&](std::uint32_t l, std::uint32_t step) {
    auto& q = on_link[l];
    while (!q.empty() && x[q.front()] == s.links[l].length && s.links[l].to == s.destination[q.front()]) {
      const std::uint32_t p = q.front();
      leave(p, step);
      --running;
      r.arrived[p] = step;
    }
  };

  // Instantaneous travel time of each link: its length over the mean speed of
  // the platoons on it (a stopped link: 100 times its free-flow time). Taken at
  // the end of the step before a route update, as UXsim reads it at the start
  // of the update's step.
  std::vector<double> speed(P, 0.0), travel_time(free_time);
  auto snapshot_travel_times = [&] {
    for (std::size_t l = 0; l < L; ++l) {
      double sum = 0;
      for (std::size_t i = 0; i < on_link[l].size(); ++i) sum += speed[on_link[l][i]];
      const double v = on_link[l].empty() ? s.links[l].free_speed : sum / static_cast<double>(on_link[l].size());
      travel_time[l] = v > 0 ? s.links[l].length / v : s.links[l].length / (s.links[l].free_speed / 100);
    }
  };
  // Route updates (duo) search for the destinations of the platoons released
  // or leaving before the next update, as far as the nodes where they stand
  // (detail::DuoPreferences): the cost follows the traffic.
  std::vector<std::uint64_t> need_count(D + 1);
  std::vector<std::uint64_t> need_start;
  std::vector<std::uint32_t> need, searching, need_dest, need_node;
  auto update_routes = [&](std::uint32_t step, std::size_t next_departure_at, std::int64_t horizon_step) {
    // (destination, node) of every platoon that may choose a link before the next update.
    need_dest.clear(), need_node.clear();
    auto add = [&](std::uint32_t p, std::uint32_t node) {
      need_dest.push_back(static_cast<std::uint32_t>(dest_index[s.destination[p]])), need_node.push_back(node);
    };
    for (const std::uint32_t v : waiting_nodes)
      for (std::size_t i = 0; i < waiting[v].size(); ++i) add(waiting[v][i], v);
    for (const std::uint32_t l : active)
      for (std::size_t i = 0; i < on_link[l].size(); ++i) add(on_link[l][i], s.links[l].to);
    for (std::size_t i = next_departure_at; i < P && dep_step[by_departure[i]] <= horizon_step; ++i)
      add(by_departure[i], s.origin[by_departure[i]]);
    // Grouped by destination (counting sort).
    std::fill(need_count.begin(), need_count.end(), 0);
    for (const std::uint32_t d : need_dest) ++need_count[d + 1];
    searching.clear();
    need_start.assign(1, 0);
    for (std::uint32_t d = 0; d < D; ++d)
      if (need_count[d + 1] > 0) searching.push_back(d), need_start.push_back(need_start.back() + need_count[d + 1]);
    std::vector<std::uint64_t> fill(D, 0);
    for (std::size_t k = 0; k < searching.size(); ++k) fill[searching[k]] = need_start[k];
    need.resize(need_dest.size());
    for (std::size_t i = 0; i < need_dest.size(); ++i) need[fill[need_dest[i]]++] = need_node[i];
    std::vector<double> cost(L);
    for (std::size_t l = 0; l < L; ++l) {
      Rng rng(s.seed, kNoiseStream | (static_cast<std::uint64_t>(l) << 24) | (step & 0xFFFFFF));
      cost[l] = travel_time[l] * (1 + kRouteNoise * rng.uniform());
    }
    pref->update(reversed, out_graph, cost, dests, searching, need_start, need, control);
  };

  std::vector<std::uint32_t> wanted, tries, candidates, heads;
  std::vector<double> weights;
  for (std::uint32_t T = 0; T < steps; ++T) {
    // 1. Bottleneck and node capacities refill; signals change phase.
    for (const std::uint32_t l : bottlenecks) {
      if (cap_in[l] < dn * lanes[l] && std::isfinite(cap_in[l])) cap_in[l] += s.links[l].capacity_in * dt;
      if (cap_out[l] < dn * lanes[l] && std::isfinite(cap_out[l])) cap_out[l] += s.links[l].capacity_out * dt;
    }
    for (const std::uint32_t v : capped_nodes)
      if (cap_node[v] < dn * node_burst[v]) cap_node[v] += s.node_capacity[v] * dt;
    set_signal_phases(T);
    // 2. Departures: waiting platoons enter their first link while it has room,
    //    at most one per outgoing lane and step.
    std::sort(waiting_nodes.begin(), waiting_nodes.end());
    for (const std::uint32_t v : waiting_nodes) {
      auto& q = waiting[v];
      for (std::uint64_t tries = out_lanes[v]; tries > 0 && !q.empty(); --tries) {
        const std::uint32_t p = q.front();
        const std::int64_t l = choose_next(p, v, T);
        if (l < 0 || !has_room(static_cast<std::uint32_t>(l))) break;
        q.pop_front();
        ++running;
        r.entered[p] = T;
        x_old[p] = 0;
        enter(p, static_cast<std::uint32_t>(l), 0.0, T);
      }
    }
    {
      std::size_t k = 0;
      for (const std::uint32_t v : waiting_nodes)
        if (!waiting[v].empty()) waiting_nodes[k++] = v;
        else is_waiting[v] = 0;
      waiting_nodes.resize(k);
    }
    // 3. Node transfers: each lane of a receiving link with room takes one
    //    platoon from the heads that want the link, with probability
    //    proportional to merge priority; heads on red, out of outflow capacity
    //    or beyond the node's capacity wait.
    compact_active();
    heads.clear();
    for (const std::uint32_t l : active) {
      const auto& q = on_link[l];
      for (std::size_t i = 0; i < std::min<std::size_t>(q.size(), lanes[l]); ++i)
        if (x[q[i]] == s.links[l].length && chosen[q[i]] >= 0) {
          heads.push_back(s.links[l].to);
          break;
        }
    }
    std::sort(heads.begin(), heads.end());
    heads.erase(std::unique(heads.begin(), heads.end()), heads.end());
    for (const std::uint32_t v : heads) {
      wanted.clear();
      for (std::uint64_t e = in_start[v]; e < in_start[v + 1]; ++e) {
        const std::uint32_t l = in_links[e];
        const auto& q = on_link[l];
        for (std::size_t i = 0; i < std::min<std::size_t>(q.size(), lanes[l]); ++i)
          if (x[q[i]] == s.links[l].length && chosen[q[i]] >= 0) wanted.push_back(static_cast<std::uint32_t>(chosen[q[i]]));
      }
      if (wanted.empty()) continue;
      std::sort(wanted.begin(), wanted.end());
      wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
      tries.clear();
      for (const std::uint32_t out : wanted) tries.insert(tries.end(), lanes[out], out);  // one try per lane
      Rng rng(s.seed, kMergeStream | (static_cast<std::uint64_t>(v) << 24) | (T & 0xFFFFFF));
      for (std::size_t i = tries.size(); i > 1; --i) std::swap(tries[i - 1], tries[rng.below(i)]);
      for (const std::uint32_t out : tries) {
        if (!has_room(out) || cap_node[v] < dn) continue;
        candidates.clear();
        weights.clear();
        double total = 0;
        for (std::uint64_t e = in_start[v]; e < in_start[v + 1]; ++e) {
          const std::uint32_t l = in_links[e];
          if (on_link[l].empty() || cap_out[l] < dn || !green(l)) continue;
          const std::uint32_t p = on_link[l].front();
          if (x[p] != s.links[l].length || chosen[p] != static_cast<std::int64_t>(out)) continue;
          candidates.push_back(p);
          weights.push_back(s.links[l].merge_priority);
          total += s.links[l].merge_priority;
        }
        const std::size_t m = candidates.size();
        if (m == 0) continue;
        std::size_t pick = 0;
        if (total > 0) {
          double u = rng.uniform() * total;
          while (pick + 1 < m && (u -= weights[pick]) >= 0) ++pick;
        } else {
          pick = rng.below(m);
        }
        const std::uint32_t p = candidates[pick], from = link[p];
        leave(p, T);
        cap_out[from] -= dn;
        cap_node[v] -= dn;
        chosen[p] = -1;
        // What the platoon had left to drive at the end of `from` carries over.
        const double carried = move_remain[p] * s.links[out].free_speed / s.links[from].free_speed;
        enter(p, out, carried, T);
        arrive_heads(from, T);  // a platoon behind it may have been waiting to arrive
      }
    }
    // 4. Car following on every link from the positions at the start of the
    //    step, and the positions advance: each link is walked from its last
    //    platoon to its first, so a leader (one per lane ahead) still holds its
    //    start-of-step position when its follower reads it (one pass, not two).
    compact_active();
    const std::size_t bin = bin_of(T);
    // Speeds are read only by the travel-time snapshot before a route update.
    const bool snapshot = s.route_choice == RouteChoice::duo && (T + 1) % route_steps == 0;
    const auto A = static_cast<std::int64_t>(active.size());
#pragma omp parallel for schedule(dynamic, 64) num_threads(parallel::threads_for((active.size() + running) * 2))
    for (std::int64_t a = 0; a < A; ++a) {
      const std::uint32_t l = active[a];
      const Link& k = s.links[l];
      const auto& vs = on_link[l];
      const std::size_t n_lanes = lanes[l];
      double metres = 0;
      for (std::size_t i = vs.size(); i-- > 0;) {
        const std::uint32_t p = vs[i];
        const double at = x[p];
        double nx = at + k.free_speed * dt;
        // Its leader is the platoon one per lane ahead (UXsim's lane rotation).
        if (i >= n_lanes) nx = std::min(nx, std::max(at, x[vs[i - n_lanes]] - spacing[l]));
        move_remain[p] = 0;
        if (nx > k.length) move_remain[p] = nx - k.length, nx = k.length;
        if (snapshot) speed[p] = (nx - at) / dt;
        metres += nx - at;
        x_old[p] = at;
        x[p] = nx;
      }
      r.vehicle_metres[l * r.bins + bin] += dn * metres;
      r.vehicle_seconds[l * r.bins + bin] += dn * dt * static_cast<double>(vs.size());
    }
    // 5. Platoons at the end of a link arrive or ask for the next link.
    for (const std::uint32_t l : active) {
      auto& vs = on_link[l];
      if (vs.empty()) continue;
      arrive_heads(l, T);
      // The others at the end ask for their next link (re-drawn each step while they wait).
      for (std::size_t i = 0; i < std::min<std::size_t>(vs.size(), lanes[l]); ++i) {
        const std::uint32_t p = vs[i];
        if (x[p] == s.links[l].length && s.links[l].to != s.destination[p]) chosen[p] = choose_next(p, s.links[l].to, T);
      }
    }
    while (next_departure < P && dep_step[by_departure[next_departure]] <= T) {
      const std::uint32_t p = by_departure[next_departure++];
      waiting[s.origin[p]].push_back(p);
      if (!is_waiting[s.origin[p]]) is_waiting[s.origin[p]] = 1, waiting_nodes.push_back(s.origin[p]);
    }
    // 6. Route preferences (duo): a destination's first search sets them, later ones move them.
    if (s.route_choice == RouteChoice::duo && T % route_steps == 0)
      update_routes(T, next_departure, static_cast<std::int64_t>(T) + route_steps);
    if (s.route_choice == RouteChoice::duo && (T + 1) % route_steps == 0) snapshot_travel_times();
    if (record_cumulative)
      for (std::size_t l = 0; l < L; ++l)
        r.cumulative_in[l * steps + T] = cum_in[l], r.cumulative_out[l * steps + T] = cum_out[l];
    control.advance();
    control.checkpoint();
    control.throw_if_stopped();
  }
  if (pref) r.route_searches = pref->searches(), r.route_nodes_settled = pref->settled();
  r.route_start.assign(P + 1, 0);
  for (std::size_t p = 0; p < P; ++p) r.route_start[p + 1] = r.route_start[p] + route[p].size();
  r.route_links.reserve(r.route_start[P]);
  r.route_entry.reserve(r.route_start[P]);
  for (auto& rt : route) r.route_links.insert(r.route_links.end(), rt.begin(), rt.end());
  for (auto& et : entry) r.route_entry.insert(r.route_entry.end(), et.begin(), et.end());
  return r;
}

}  // namespace urbplex::traffic
