#include "urbplex/traffic/day_to_day.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "urbplex/core/errors.hpp"
#include "urbplex/core/region_errors.hpp"
#include "urbplex/core/parallel.hpp"
#include "urbplex/core/rng.hpp"

namespace urbplex::traffic {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::uint64_t kSwitchStream = 4ull << 56;

// Experienced link travel times per entry interval, interpolated between the
// intervals' midpoints (piecewise linear in the entry time).
struct LinkTimes {
  std::size_t bins = 1;
  double width = 1;
  std::vector<double> table;  // links x bins

  double at(std::size_t l, double t) const {
    const double* row = table.data() + l * bins;
    const double f = t / width - 0.5;
    if (f <= 0) return row[0];
    const auto b = static_cast<std::size_t>(f);
    if (b + 1 >= bins) return row[bins - 1];
    const double w = f - static_cast<double>(b);
    return (1 - w) * row[b] + w * row[b + 1];
  }
};

// Each traversal of a link in a day: when it started (the platoon's departure
// for its first link, so waiting at the origin counts) and ended (s).
struct Traversal {
  double start, end;
};

LinkTimes measure(const Scenario& s, const Result& r, const std::vector<double>& free_time) {
  const std::size_t L = s.links.size(), P = s.origin.size();
  LinkTimes lt;
  lt.width = s.route_interval;
  lt.bins = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(s.horizon / lt.width)));
  std::vector<std::vector<Traversal>> by_link(L);
  const double dt = r.dt, end_of_day = r.steps * dt;
  for (std::size_t p = 0; p < P; ++p) {
    const std::uint64_t a = r.route_start[p], b = r.route_start[p + 1];
    for (std::uint64_t i = a; i < b; ++i) {
      const double start = i == a ? static_cast<double>(departure_step(s.departure[p], dt)) * dt : r.route_entry[i] * dt;
      double end = end_of_day;  // still on the link at the end of the day: censored there
      if (i + 1 < b) end = r.route_entry[i + 1] * dt;
      else if (r.arrived[p] >= 0) end = static_cast<double>(r.arrived[p] + 1) * dt;
      by_link[r.route_links[i]].push_back({start, end});
    }
  }
  lt.table.assign(L * lt.bins, 0.0);
  parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel for schedule(dynamic, 256) num_threads(parallel::threads_for(r.route_links.size() * 8 + L * lt.bins))
  for (std::int64_t li = 0; li < static_cast<std::int64_t>(L); ++li) {
    if (errors.failed()) continue;
    errors.guard([&] {
    const auto l = static_cast<std::size_t>(li);
    auto& tr = by_link[l];
    std::sort(tr.begin(), tr.end(), [](const Traversal& x, const Traversal& y) {
      return x.start < y.start || (x.start == y.start && x.end < y.end);
    });
    std::vector<double> sum(lt.bins, 0.0);
    std::vector<std::uint32_t> count(lt.bins, 0);
    for (const Traversal& t : tr) {
      const auto b = std::min(lt.bins - 1, static_cast<std::size_t>(t.start / lt.width));
      sum[b] += t.end - t.start;
      ++count[b];
    }
    std::size_t k = 0;       // traversals that started before the current midpoint
    double latest_end = 0;   // the latest end among them
    for (std::size_t b = 0; b < lt.bins; ++b) {
      const double mid = (static_cast<double>(b) + 0.5) * lt.width;
      while (k < tr.size() && tr[k].start < mid) latest_end = std::max(latest_end, tr[k++].end);
      double v = free_time[l];
      if (count[b] > 0) v = sum[b] / count[b];
      else if (latest_end > mid) v = std::max(v, latest_end - mid);  // nobody entered, the link still held platoons
      lt.table[l * lt.bins + b] = std::max(v, 1e-9);
    }
    });
  }
  errors.rethrow();
  return lt;
}

// Time-dependent shortest paths from `origin` leaving at `t0` (label setting;
// arrival times in `arrive`, the link into each node in `pred`).
void shortest_from(const std::vector<std::uint64_t>& out_start, const std::vector<std::uint32_t>& out_links,
                   const Scenario& s, const LinkTimes& lt, std::uint32_t origin, double t0, std::vector<double>& arrive,
                   std::vector<std::int64_t>& pred, std::vector<std::pair<double, std::uint32_t>>& heap) {
  std::fill(arrive.begin(), arrive.end(), kInf);
  std::fill(pred.begin(), pred.end(), -1);
  heap.clear();
  auto later = [](const auto& a, const auto& b) { return a.first > b.first; };
  arrive[origin] = t0;
  heap.push_back({t0, origin});
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    const auto [t, v] = heap.back();
    heap.pop_back();
    if (t > arrive[v]) continue;
    for (std::uint64_t e = out_start[v]; e < out_start[v + 1]; ++e) {
      const std::uint32_t l = out_links[e], u = s.links[l].to;
      const double nt = t + lt.at(l, t);
      if (nt < arrive[u] || (nt == arrive[u] && pred[u] > static_cast<std::int64_t>(l))) {
        const bool better = nt < arrive[u];
        arrive[u] = nt;
        pred[u] = l;
        if (better) {
          heap.push_back({nt, u});
          std::push_heap(heap.begin(), heap.end(), later);
        }
      }
    }
  }
}

// Time of a given route for a departure at t0 on the measured link times.
double route_time(const LinkTimes& lt, const std::uint32_t* links, std::size_t n, double t0) {
  double t = t0;
  for (std::size_t i = 0; i < n; ++i) t += lt.at(links[i], t);
  return t - t0;
}

}  // namespace

DayToDayResult day_to_day(const Scenario& scenario, std::uint32_t days, bool record_cumulative, RunControl& control) {
  require(days >= 1, "days", "must be at least 1");
  detail::validate(scenario);
  const std::size_t L = scenario.links.size(), P = scenario.origin.size(), N = scenario.nodes;
  const double dt = scenario.reaction_time * scenario.platoon;
  const auto steps = static_cast<std::uint64_t>(std::ceil(scenario.horizon / dt));
  control.set_total(steps * days);

  std::vector<std::uint64_t> out_start(N + 1, 0);
  for (const Link& k : scenario.links) ++out_start[k.from + 1];
  std::partial_sum(out_start.begin(), out_start.end(), out_start.begin());
  std::vector<std::uint32_t> out_links(L);
  {
    std::vector<std::uint64_t> fill(out_start.begin(), out_start.end() - 1);
    for (std::uint32_t l = 0; l < L; ++l) out_links[fill[scenario.links[l].from]++] = l;
  }
  std::vector<double> free_time(L);
  for (std::size_t l = 0; l < L; ++l) free_time[l] = scenario.links[l].length / scenario.links[l].free_speed;

  // Platoons grouped by (origin, departure step): one search serves a group.
  std::vector<std::int64_t> dep_step(P);
  for (std::size_t p = 0; p < P; ++p) dep_step[p] = departure_step(scenario.departure[p], dt);
  std::vector<std::uint32_t> order(P);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (scenario.origin[a] != scenario.origin[b]) return scenario.origin[a] < scenario.origin[b];
    if (dep_step[a] != dep_step[b]) return dep_step[a] < dep_step[b];
    return a < b;
  });
  std::vector<std::size_t> group_start{0};
  for (std::size_t i = 1; i < P; ++i) {
    const std::uint32_t a = order[i - 1], b = order[i];
    if (scenario.origin[a] != scenario.origin[b] || dep_step[a] != dep_step[b]) group_start.push_back(i);
  }
  group_start.push_back(P);
  const std::size_t G = P ? group_start.size() - 1 : 0;

  // Day 1: the scenario's fixed routes.
  Scenario day = scenario;
  day.route_choice = RouteChoice::fixed;
  DayToDayResult out;
  std::vector<std::vector<std::uint32_t>> best(P);
  std::vector<double> best_time(P);
  for (std::uint32_t k = 1; k <= days; ++k) {
    Result r = detail::load(day, record_cumulative && k == days, control);
    const LinkTimes lt = measure(day, r, free_time);

    // Time-dependent shortest paths of every platoon at its departure.
    parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel num_threads(parallel::threads_for(G * (N + L) * 20))
    {
      std::vector<double> arrive;
      std::vector<std::int64_t> pred;
      std::vector<std::pair<double, std::uint32_t>> heap;
      errors.guard([&] { arrive.resize(N), pred.resize(N); });
      const bool controller = omp_get_thread_num() == 0;
#pragma omp for schedule(dynamic, 8)
      for (std::int64_t g = 0; g < static_cast<std::int64_t>(G); ++g) {
        if (control.stop_requested() || errors.failed()) continue;  // Ctrl-C: skip the rest of the searches
        if (controller) control.checkpoint();
        errors.guard([&] {
        const std::uint32_t first = order[group_start[g]];
        const double t0 = static_cast<double>(dep_step[first]) * dt;
        shortest_from(out_start, out_links, day, lt, day.origin[first], t0, arrive, pred, heap);
        for (std::size_t i = group_start[g]; i < group_start[g + 1]; ++i) {
          const std::uint32_t p = order[i];
          auto& path = best[p];
          path.clear();
          for (std::uint32_t v = day.destination[p]; v != day.origin[p]; v = day.links[pred[v]].from)
            path.push_back(static_cast<std::uint32_t>(pred[v]));
          std::reverse(path.begin(), path.end());
          best_time[p] = arrive[day.destination[p]] - t0;
        }
        });
      }
    }
    errors.rethrow();

    // The gap compares each platoon's route with its shortest path on the same
    // measured link times (a platoon without a choice adds nothing); one that
    // did not arrive counts with its time so far.
    control.throw_if_stopped();
    double ttt = 0, arrived = 0, chosen = 0, shortest = 0;
    for (std::size_t p = 0; p < P; ++p) {
      const double t0 = static_cast<double>(dep_step[p]) * dt;
      chosen += r.arrived[p] >= 0
                    ? route_time(lt, r.route_links.data() + r.route_start[p], r.route_start[p + 1] - r.route_start[p], t0)
                    : static_cast<double>(r.steps) * dt - t0;
      shortest += best_time[p];
      if (r.arrived[p] >= 0) ttt += static_cast<double>(r.arrived[p] - dep_step[p]) * dt, ++arrived;
    }
    out.total_travel_time.push_back(ttt * scenario.platoon);
    out.completed.push_back(P ? arrived / static_cast<double>(P) : 1.0);
    out.relative_gap.push_back(shortest > 0 ? std::max(0.0, chosen - shortest) / shortest : 0.0);

    if (k == days) {
      out.switched.push_back(0.0);
      out.last = std::move(r);
      break;
    }
    // Routes of the next day: each platoon's current route (day 1: the one it
    // took, or would have), a share 1 / (k + 1) moved to its shortest path.
    std::vector<std::uint64_t> start(P + 1, 0);
    std::vector<std::uint32_t> links;
    links.reserve(r.route_links.size());
    std::size_t moved = 0;
    for (std::size_t p = 0; p < P; ++p) {
      const std::uint32_t* cur = nullptr;
      std::size_t n = 0;
      if (day.route_choice == RouteChoice::given) {
        cur = day.given_links.data() + day.given_start[p], n = day.given_start[p + 1] - day.given_start[p];
      } else if (r.arrived[p] >= 0) {
        cur = r.route_links.data() + r.route_start[p], n = r.route_start[p + 1] - r.route_start[p];
      }
      Rng rng(scenario.seed, kSwitchStream | (static_cast<std::uint64_t>(p) << 24) | (k & 0xFFFFFF));
      const bool draw = rng.uniform() * static_cast<double>(k + 1) < 1.0;
      const double t0 = static_cast<double>(dep_step[p]) * dt;
      // A day-1 platoon that did not arrive has no whole route yet: it takes the shortest path.
      const bool take = cur == nullptr || (draw && best_time[p] < route_time(lt, cur, n, t0) * (1 - 1e-9));
      if (take) {
        links.insert(links.end(), best[p].begin(), best[p].end());
        moved += cur != nullptr;
      } else {
        links.insert(links.end(), cur, cur + n);
      }
      start[p + 1] = links.size();
    }
    out.switched.push_back(P ? static_cast<double>(moved) / static_cast<double>(P) : 0.0);
    day.route_choice = RouteChoice::given;
    day.given_start = std::move(start);
    day.given_links = std::move(links);
  }
  control.finish();
  return out;
}

}  // namespace urbplex::traffic
