#include "urbplex/core/betweenness.hpp"
#include "urbplex/core/parallel.hpp"

#include <omp.h>

#include <algorithm>
#include <string>

#include "urbplex/core/errors.hpp"

namespace urbplex {
namespace {

constexpr std::uint32_t kChunks = 64;

// Single-source dependency accumulation (Brandes 2001, Algorithm 1).
class Brandes {
 public:
  explicit Brandes(std::uint32_t n) : dist_(n, -1), sigma_(n, 0.0), delta_(n, 0.0) { order_.reserve(n); }

  void add_source(const Graph& g, std::uint32_t s, const char* alive, std::vector<double>& acc) {
    const auto off = g.offsets();
    const auto tgt = g.targets();
    order_.clear();
    dist_[s] = 0;
    sigma_[s] = 1.0;
    order_.push_back(s);
    for (std::size_t head = 0; head < order_.size(); ++head) {  // BFS; order_ doubles as the queue
      const std::uint32_t u = order_[head];
      for (offset_t a = off[u]; a < off[u + 1]; ++a) {
        const std::uint32_t w = tgt[a];
        if (alive && !alive[w]) continue;
        if (dist_[w] < 0) {
          dist_[w] = dist_[u] + 1;
          order_.push_back(w);
        }
        if (dist_[w] == dist_[u] + 1) sigma_[w] += sigma_[u];
      }
    }
    for (std::size_t i = order_.size(); i-- > 0;) {  // back-propagate dependencies
      const std::uint32_t w = order_[i];
      for (offset_t a = off[w]; a < off[w + 1]; ++a) {
        const std::uint32_t v = tgt[a];
        if (dist_[v] == dist_[w] - 1 && (!alive || alive[v])) delta_[v] += sigma_[v] / sigma_[w] * (1.0 + delta_[w]);
      }
      if (w != s) acc[w] += delta_[w];
    }
    for (std::uint32_t w : order_) {
      dist_[w] = -1;
      sigma_[w] = 0.0;
      delta_[w] = 0.0;
    }
  }

 private:
  std::vector<std::int64_t> dist_;
  std::vector<double> sigma_, delta_;
  std::vector<std::uint32_t> order_;
};

}  // namespace

std::vector<double> betweenness(const Graph& g, std::span<const char> alive, RunControl& control,
                                std::span<const std::uint32_t> sources) {
  const std::uint32_t n = g.num_vertices();
  require(alive.empty() || alive.size() == n, "alive", "needs one entry per vertex");
  // For directed graphs Brandes walks out-arcs only; predecessors are found by
  // scanning out-arcs of w in the back-propagation, which is only valid when
  // arcs are symmetric.
  require(!g.directed(), "graph", "betweenness is implemented for undirected graphs");
  for (std::uint32_t s : sources)
    if (s >= n) fail("sources", "vertex " + std::to_string(s) + " out of range");
  const char* mask = alive.empty() ? nullptr : alive.data();
  const bool all = sources.empty();
  const std::uint64_t count = all ? n : sources.size();
  const std::uint32_t chunks = static_cast<std::uint32_t>(std::min<std::uint64_t>(kChunks, std::max<std::uint64_t>(count, 1)));
  std::vector<std::vector<double>> partial(chunks);
  control.set_total(count);
#pragma omp parallel num_threads(parallel::threads_for(count * (g.num_arcs() + n) * 8))
  {
    Brandes brandes(n);
    const bool controller = omp_get_thread_num() == 0;
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t c = 0; c < static_cast<std::int64_t>(chunks); ++c) {
      auto& acc = partial[c];
      acc.assign(n, 0.0);
      const std::uint64_t lo = count * c / chunks, hi = count * (c + 1) / chunks;
      for (std::uint64_t i = lo; i < hi; ++i) {
        if (control.stop_requested()) break;
        const std::uint32_t s = all ? static_cast<std::uint32_t>(i) : sources[i];
        if (!mask || mask[s]) brandes.add_source(g, s, mask, acc);
        control.advance();
        if (controller) control.checkpoint();
      }
    }
  }
  control.finish();
  std::vector<double> out(n, 0.0);
  for (const auto& acc : partial)
    for (std::uint32_t v = 0; v < n; ++v) out[v] += acc[v];
  // Each unordered pair was counted from both ends; pivots stand for n / k sources each.
  const double scale = all ? 0.5 : 0.5 * static_cast<double>(n) / static_cast<double>(count);
  for (auto& x : out) x *= scale;
  return out;
}

}  // namespace urbplex
