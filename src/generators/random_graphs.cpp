#include "urbplex/generators/random_graphs.hpp"
#include "urbplex/core/memory.hpp"
#include "urbplex/core/parallel.hpp"

#include <omp.h>

#include <atomic>

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>
#include <vector>

#include "urbplex/core/errors.hpp"
#include "urbplex/core/rng.hpp"

namespace urbplex::generators {
namespace {

// Rows per parallel block. Fixed, so the concatenation order (and the edge
// ids) does not depend on the number of threads.
constexpr std::uint32_t kBlock = 2048;

}  // namespace

Graph erdos_renyi_gnp(std::uint32_t n, double p, std::uint64_t seed, RunControl& control) {
  require(std::isfinite(p) && p >= 0.0 && p <= 1.0, "p", "must be in [0, 1], got " + std::to_string(p));
  // Peak: the edge lists twice (blocks, then concatenated) and the graph's 24 B per edge.
  const double expected_edges = p * static_cast<double>(n) * (static_cast<double>(n) - 1) / 2;
  require(expected_edges < 4.2e9, "p", "gives about " + std::to_string(static_cast<long long>(expected_edges)) +
                                           " edges, more than the 2^32 edge ids of a Graph");
  memory::require_available(expected_edges * 40 + static_cast<double>(n) * 16,
                            "erdos_renyi(n=" + std::to_string(n) + ", p=" + std::to_string(p) + ")");
  const std::uint32_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<std::vector<vertex_t>> bsrc(blocks), bdst(blocks);
  control.set_total(n);
  std::atomic<bool> out_of_memory{false};
  // Geometric skips: about one draw per edge, plus one per block.
  const double expected_arcs = p * static_cast<double>(n) * static_cast<double>(n);
#pragma omp parallel for schedule(dynamic, 1) num_threads(parallel::threads_for(static_cast<std::uint64_t>(expected_arcs * 16 + n)))
  for (std::int64_t b = 0; b < static_cast<std::int64_t>(blocks); ++b) {
    if (control.stop_requested() || p == 0.0) continue;
    const std::uint32_t lo = static_cast<std::uint32_t>(b) * kBlock;
    const std::uint32_t hi = std::min<std::uint32_t>(n, lo + kBlock);
    auto& s = bsrc[b];
    auto& d = bdst[b];
    const double expected = p * (static_cast<double>(lo) + hi) / 2.0 * (hi - lo);
    try {  // an exception must not leave the OpenMP region
    s.reserve(static_cast<std::size_t>(expected * 1.05) + 16);
    d.reserve(s.capacity());
    for (std::uint32_t v = lo; v < hi; ++v) {
      Rng rng(seed, v);
      // Candidates w = 0..v-1; the gap to the next edge is geometric.
      std::uint64_t w = rng.geometric(p);
      while (w < v) {
        s.push_back(static_cast<vertex_t>(w));
        d.push_back(v);
        const std::uint64_t skip = rng.geometric(p);
        if (skip >= v) break;
        w += 1 + skip;
      }
    }
    } catch (const std::bad_alloc&) {
      out_of_memory = true;
      control.request_stop();
      continue;
    }
    control.advance(hi - lo);
    if (omp_get_thread_num() == 0) control.checkpoint();
  }
  if (out_of_memory) throw OutOfMemory("erdos_renyi: ran out of memory while drawing the edges");
  control.finish();
  std::size_t m = 0;
  for (const auto& s : bsrc) m += s.size();
  std::vector<vertex_t> src, dst;
  src.reserve(m);
  dst.reserve(m);
  for (std::uint32_t b = 0; b < blocks; ++b) {
    src.insert(src.end(), bsrc[b].begin(), bsrc[b].end());
    dst.insert(dst.end(), bdst[b].begin(), bdst[b].end());
    std::vector<vertex_t>().swap(bsrc[b]);
    std::vector<vertex_t>().swap(bdst[b]);
  }
  return Graph::from_edges(n, src, dst, false);
}

Graph erdos_renyi_gnm(std::uint32_t n, std::uint64_t m, std::uint64_t seed) {
  const std::uint64_t pairs = static_cast<std::uint64_t>(n) * (n > 0 ? n - 1 : 0) / 2;
  require(m <= pairs, "m",
          "must be <= n(n-1)/2 = " + std::to_string(pairs) + " for a simple graph, got " + std::to_string(m));
  // Floyd (1987): m distinct indices from [0, pairs) with m draws.
  Rng rng(seed, 0);
  std::unordered_set<std::uint64_t> chosen;
  chosen.reserve(m * 2);
  std::vector<std::uint64_t> picked;
  picked.reserve(m);
  for (std::uint64_t j = pairs - m; j < pairs; ++j) {
    const std::uint64_t t = rng.below(j + 1);
    const std::uint64_t k = chosen.insert(t).second ? t : j;
    if (k == j) chosen.insert(j);
    picked.push_back(k);
  }
  std::vector<vertex_t> src(m), dst(m);
  for (std::uint64_t i = 0; i < m; ++i) {
    // index k <-> pair (w, v), w < v, k = v(v-1)/2 + w
    const std::uint64_t k = picked[i];
    auto v = static_cast<std::uint64_t>((1.0 + std::sqrt(1.0 + 8.0 * static_cast<double>(k))) / 2.0);
    while (v * (v - 1) / 2 > k) --v;
    while ((v + 1) * v / 2 <= k) ++v;
    src[i] = static_cast<vertex_t>(k - v * (v - 1) / 2);
    dst[i] = static_cast<vertex_t>(v);
  }
  return Graph::from_edges(n, src, dst, false);
}

Graph configuration_model(std::span<const std::uint32_t> degrees, std::uint64_t seed, bool simple) {
  require(degrees.size() < (1ull << 32) - 1, "degrees", "too many vertices");
  std::uint64_t stubs_total = 0;
  for (auto k : degrees) stubs_total += k;
  require(stubs_total % 2 == 0, "degrees", "the degrees must sum to an even number, got " + std::to_string(stubs_total));
  std::vector<vertex_t> stubs;
  stubs.reserve(stubs_total);
  for (std::size_t v = 0; v < degrees.size(); ++v) stubs.insert(stubs.end(), degrees[v], static_cast<vertex_t>(v));
  Rng rng(seed, 0);
  for (std::uint64_t i = stubs.size(); i > 1; --i) std::swap(stubs[i - 1], stubs[rng.below(i)]);
  std::vector<vertex_t> src, dst;
  src.reserve(stubs.size() / 2);
  dst.reserve(stubs.size() / 2);
  for (std::uint64_t i = 0; i + 1 < stubs.size(); i += 2) {
    vertex_t a = stubs[i], b = stubs[i + 1];
    if (simple && a == b) continue;
    if (a > b) std::swap(a, b);
    src.push_back(a);
    dst.push_back(b);
  }
  if (simple) {
    std::vector<std::uint64_t> keys(src.size());
    for (std::size_t i = 0; i < src.size(); ++i) keys[i] = (static_cast<std::uint64_t>(src[i]) << 32) | dst[i];
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    src.resize(keys.size());
    dst.resize(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      src[i] = static_cast<vertex_t>(keys[i] >> 32);
      dst[i] = static_cast<vertex_t>(keys[i]);
    }
  }
  return Graph::from_edges(static_cast<std::uint32_t>(degrees.size()), src, dst, false);
}

Graph barabasi_albert(std::uint32_t n, std::uint32_t m, std::uint64_t seed) {
  require(m >= 1, "m", "must be >= 1");
  require(n > m, "n", "must be > m (" + std::to_string(m) + "), got " + std::to_string(n));
  std::vector<vertex_t> src, dst;
  // `ends` lists every edge endpoint; a uniform pick from it is a pick by degree.
  std::vector<vertex_t> ends;
  const std::uint64_t edges = static_cast<std::uint64_t>(m) * (m + 1) / 2 + static_cast<std::uint64_t>(n - m - 1) * m;
  src.reserve(edges);
  dst.reserve(edges);
  ends.reserve(2 * edges);
  for (vertex_t a = 0; a <= m; ++a)
    for (vertex_t b = a + 1; b <= m; ++b) {
      src.push_back(a);
      dst.push_back(b);
      ends.push_back(a);
      ends.push_back(b);
    }
  Rng rng(seed, 0);
  std::vector<vertex_t> picks;
  for (vertex_t v = m + 1; v < n; ++v) {
    picks.clear();
    while (picks.size() < m) {
      const vertex_t t = ends[rng.below(ends.size())];
      if (std::find(picks.begin(), picks.end(), t) == picks.end()) picks.push_back(t);
    }
    for (vertex_t t : picks) {
      src.push_back(t);
      dst.push_back(v);
      ends.push_back(t);
      ends.push_back(v);
    }
  }
  return Graph::from_edges(n, src, dst, false);
}

}  // namespace urbplex::generators
