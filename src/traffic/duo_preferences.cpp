#include "duo_preferences.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>

#include "urbplex/core/parallel.hpp"
#include "urbplex/core/region_errors.hpp"

namespace urbplex::traffic::detail {

DuoPreferences::DuoPreferences(std::size_t destinations, std::size_t nodes, std::size_t links, double weight)
    : nodes_(nodes), links_(links), pref_(destinations * links, 0.0f), moved_(destinations * nodes, 0) {
  // (1 - w)^k below float resolution is 0; the table stops there.
  for (double k = 1.0; k > 1e-9 && keep_.size() < 100000; k *= 1.0 - weight) keep_.push_back(static_cast<float>(k));
}

void DuoPreferences::update(const Reversed& reversed, const OutLinks& out, const std::vector<double>& cost,
                            const std::vector<std::uint32_t>& dest_node, const std::vector<std::uint32_t>& searching,
                            const std::vector<std::uint64_t>& need_start, const std::vector<std::uint32_t>& need,
                            RunControl& control) {
  const std::uint32_t now = ++updates_;
  const auto S = static_cast<std::int64_t>(searching.size());
  const std::size_t N = nodes_;
  parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel num_threads(parallel::threads_for(searching.size() * (links_ + N) * 40))
  {
    std::vector<std::int64_t> next;
    std::vector<double> dist;
    std::vector<std::uint32_t> settled, mark;
    errors.guard([&] { next.resize(N), dist.resize(N), mark.assign(N, 0); });
    std::uint32_t stamp = 0;
    RadixHeap heap;
    const bool controller = omp_get_thread_num() == 0;
    std::uint64_t my_settled = 0;
#pragma omp for schedule(dynamic, 2)
    for (std::int64_t k = 0; k < S; ++k) {
      if (control.stop_requested() || errors.failed()) continue;  // Ctrl-C: skip the rest of the searches
      if (controller) control.checkpoint();
      errors.guard([&] {
      const std::uint32_t d = searching[k];
      if (++stamp == 0) std::fill(mark.begin(), mark.end(), 0), stamp = 1;
      std::size_t count = 0;
      for (std::uint64_t i = need_start[k]; i < need_start[k + 1]; ++i)
        if (mark[need[i]] != stamp) mark[need[i]] = stamp, ++count;
      next_links(reversed, cost, dest_node[d], next, dist, heap, &settled, &mark, stamp, count);
      my_settled += settled.size();
      float* row = pref_.data() + static_cast<std::size_t>(d) * links_;
      std::uint32_t* moved = moved_.data() + static_cast<std::size_t>(d) * N;
      // In node order, not settling order: the row and `moved` are then read
      // front to back (settling order missed the cache at every node: 18% of
      // a 10^5-vehicle grid day on the row update's line alone).
      if (settled.size() * 16 < N) {
        std::sort(settled.begin(), settled.end());
      } else {
        ++stamp;
        if (stamp == 0) std::fill(mark.begin(), mark.end(), 0), stamp = 1;
        for (const std::uint32_t v : settled) mark[v] = stamp;
        settled.clear();
        for (std::uint32_t v = 0; v < N; ++v)
          if (mark[v] == stamp) settled.push_back(v);
      }
      for (const std::uint32_t v : settled) {
        const std::int64_t hop = next[v];
        if (hop < 0) continue;  // the destination
        const std::uint32_t since = moved[v] == 0 ? ~std::uint32_t{0} : now - moved[v];
        const float keep = since < keep_.size() ? keep_[since] : 0.0f, add = 1.0f - keep;
        moved[v] = now;
        const std::uint32_t head = out.head[static_cast<std::size_t>(hop)];
        for (std::uint64_t e = out.start[v]; e < out.start[v + 1]; ++e) {
          const std::uint32_t l = out.link[e];
          row[l] = keep * row[l] + (out.head[l] == head ? add : 0.0f);  // parallel links share the tree's hop
        }
      }
      });
    }
#pragma omp atomic
    settled_ += my_settled;
  }
  errors.rethrow();
  searches_ += searching.size();
}

}  // namespace urbplex::traffic::detail
