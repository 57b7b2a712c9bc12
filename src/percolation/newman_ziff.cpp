#include "urbplex/percolation/newman_ziff.hpp"
#include "urbplex/core/parallel.hpp"
#include "urbplex/core/region_errors.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <string>

#include "cluster_tracker.hpp"
#include "urbplex/core/errors.hpp"
#include "urbplex/core/rng.hpp"
#include "urbplex/percolation/binomial_windows.hpp"

namespace urbplex::percolation {
namespace {

constexpr std::uint64_t kNever = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t kPrefetch = 32;

void resize_all(Ensemble& e, bool wrapping) {
  const std::size_t len = e.steps + 1;
  for (auto* v : {&e.largest, &e.largest_sq, &e.second, &e.clusters, &e.finite_sq}) v->assign(len, 0);
  for (auto* v : {&e.wrap_h, &e.wrap_v, &e.wrap_either, &e.wrap_both}) v->assign(wrapping ? len : 0, 0);
  e.wrap_d.assign(wrapping && e.three_d ? len : 0, 0);
}

// Displacements along the union-find tree for wrapping detection: dx[v],
// dy[v], dz[v] is the lattice vector from parent(v) to v (Machta et al. 1996;
// Newman & Ziff 2001, Sec. V). dz is kept only on 3-D lattices.
//
// On an open lattice (Lattice::open) the same fields record spanning
// instead: faces[r] holds, for root r, which of the lattice's faces its
// cluster touches (bits x = 0, x = W-1, y = 0, y = H-1, z = 0, z = D-1),
// OR-ed on every join; first_h is then the step a cluster first touches both
// x faces (Stauffer & Aharony 1994, Sec. 4.1).
struct Wrapping {
  Lattice lat;
  std::vector<std::int32_t> dx, dy, dz;
  std::vector<std::uint8_t> faces;  // open lattices only
  std::uint64_t first_h = kNever, first_v = kNever, first_d = kNever;

  explicit Wrapping(Lattice l, std::uint32_t n)
      : lat(l), dx(l.width && !l.open ? n : 0), dy(l.width && !l.open ? n : 0),
        dz(l.width && l.depth && !l.open ? n : 0), faces(l.width && l.open ? n : 0) {}
  bool enabled() const { return lat.width != 0; }
  bool open() const { return lat.open; }
  bool three_d() const { return lat.depth != 0; }
  void reset(bool all_present) {
    std::fill(dx.begin(), dx.end(), 0);
    std::fill(dy.begin(), dy.end(), 0);
    std::fill(dz.begin(), dz.end(), 0);
    first_h = first_v = first_d = kNever;
    for (std::uint32_t v = 0; v < faces.size(); ++v) {
      faces[v] = all_present ? face_bits(v) : 0;
      if (faces[v]) merge_faces(v, v, 0);  // a lattice one site wide is spanned by each site
    }
  }
  std::array<std::int64_t, 3> coords(std::uint32_t v) const {
    if (!lat.x.empty()) return {lat.x[v], lat.y[v], three_d() ? lat.z[v] : 0};
    const std::uint64_t w = lat.width, h = lat.height;
    return {static_cast<std::int64_t>(v % w), static_cast<std::int64_t>((v / w) % h),
            static_cast<std::int64_t>(three_d() ? v / (w * h) : 0)};
  }
  std::uint8_t face_bits(std::uint32_t v) const {
    const auto c = coords(v);
    const std::int64_t ends[3] = {lat.width - 1, lat.height - 1, three_d() ? lat.depth - 1 : -1};
    std::uint8_t b = 0;
    for (int a = 0; a < (three_d() ? 3 : 2); ++a) {
      if (c[a] == 0) b |= static_cast<std::uint8_t>(1u << (2 * a));
      if (c[a] == ends[a]) b |= static_cast<std::uint8_t>(2u << (2 * a));
    }
    return b;
  }
  // Root `root` absorbed `child` at `step`: merge their faces, note new spans.
  void merge_faces(std::uint32_t root, std::uint32_t child, std::uint64_t step) {
    const std::uint8_t m = faces[root] |= faces[child];
    if ((m & 3) == 3 && first_h == kNever) first_h = step;
    if ((m & 12) == 12 && first_v == kNever) first_v = step;
    if ((m & 48) == 48 && first_d == kNever) first_d = step;
  }
  // Minimal-image lattice vector from u to its neighbour v.
  std::array<std::int32_t, 3> step(std::uint32_t u, std::uint32_t v) const {
    auto wrap = [](std::int64_t d, std::int64_t L) {
      if (2 * d > L) d -= L;
      if (2 * d < -L) d += L;
      return static_cast<std::int32_t>(d);
    };
    const std::uint64_t w = lat.width, h = lat.height;
    if (!lat.x.empty())  // explicit coordinates
      return {wrap(static_cast<std::int64_t>(lat.x[v]) - lat.x[u], w), wrap(static_cast<std::int64_t>(lat.y[v]) - lat.y[u], h),
              three_d() ? wrap(static_cast<std::int64_t>(lat.z[v]) - lat.z[u], lat.depth) : 0};
    const std::int64_t sx = wrap(static_cast<std::int64_t>(v % w) - static_cast<std::int64_t>(u % w), w);
    if (!three_d())
      return {sx, wrap(static_cast<std::int64_t>(v / w) - static_cast<std::int64_t>(u / w), h), 0};
    return {sx, wrap(static_cast<std::int64_t>((v / w) % h) - static_cast<std::int64_t>((u / w) % h), h),
            wrap(static_cast<std::int64_t>(v / (w * h)) - static_cast<std::int64_t>(u / (w * h)), lat.depth)};
  }
  // Root of x with full path compression, and the vector o from the root to x.
  std::uint32_t find(ClusterTracker& t, std::uint32_t x, std::array<std::int32_t, 3>& o) {
    const bool z = three_d();
    std::uint32_t r = x;
    std::int32_t sx = 0, sy = 0, sz = 0;
    while (t.parent(r) != r) {
      sx += dx[r];
      sy += dy[r];
      if (z) sz += dz[r];
      r = t.parent(r);
    }
    o = {sx, sy, sz};
    std::uint32_t cur = x;
    while (t.parent(cur) != r && cur != r) {  // compress: point every node at the root
      const std::uint32_t next = t.parent(cur);
      const std::int32_t nx = sx - dx[cur], ny = sy - dy[cur], nz = z ? sz - dz[cur] : 0;
      t.parent(cur) = r;
      dx[cur] = sx;
      dy[cur] = sy;
      if (z) dz[cur] = sz;
      cur = next;
      sx = nx;
      sy = ny;
      sz = nz;
    }
    return r;
  }
};

class Sweeper {
 public:
  Sweeper(const Graph& g, Kind kind, Lattice lattice)
      : g_(g), kind_(kind), tracker_(g.num_vertices()), wrap_(lattice, g.num_vertices()),
        occupied_(kind == Kind::Site ? g.num_vertices() : 0) {}

  // Keeps this realization's S1, S2 and sum of s^2 by step (16 bytes a step),
  // for its canonical values.
  void keep_steps(std::uint64_t steps) {
    s1_.assign(steps + 1, 0);
    s2_.assign(steps + 1, 0);
    sumsq_.assign(steps + 1, 0);
  }
  // Adds the last realization's canonical observables (kObservables rows of
  // windows.size() values, see Ensemble::per_realization) to `out`.
  void canonical(const BinomialWindows& w, std::uint32_t n, double* out) const {
    const std::size_t P = w.size();
    const double inv = 1.0 / n;
    // One pass over each window for the five cluster observables (the window
    // and the step arrays are read once, not once per observable).
    w.for_each_window([&](std::size_t i, std::uint64_t lo, std::span<const double> weight) {
      double a = 0, b = 0, c = 0, d = 0, e = 0;
      for (std::size_t j = 0; j < weight.size(); ++j) {
        const std::uint64_t k = lo + j;
        const double x = s1_[k] * inv, x2 = x * x, wt = weight[j];
        a += wt * x, b += wt * x2, c += wt * (x2 * x2), d += wt * (s2_[k] * inv);
        e += wt * (static_cast<double>(sumsq_[k]) * inv);
      }
      out[i] += a, out[P + i] += b, out[2 * P + i] += c, out[3 * P + i] += d, out[4 * P + i] += e;
    });
    if (!wrap_.enabled()) return;
    const std::uint64_t firsts[5] = {wrap_.first_h, wrap_.first_v, wrap_.first_d, either_, both_};
    for (int o = 0; o < 5; ++o)
      if (firsts[o] != kNever && (o != 2 || wrap_.three_d())) w.add_tail(firsts[o], out + (5 + o) * P);
  }
  // Sum over the steps k < steps of the last sweep's largest cluster (for a
  // random site attack, N^2 times its robustness R).
  std::uint64_t largest_sum_before_full() const { return largest_sum_ - last_largest_; }

  // Runs one sweep over `order` and adds its observables to `acc`.
  // Returns false if stopped through `control`.
  bool run(std::span<const std::uint32_t> order, Ensemble& acc, RunControl& control, bool controller) {
    tracker_.reset(kind_ == Kind::Bond);
    if (wrap_.enabled()) wrap_.reset(kind_ == Kind::Bond);
    std::fill(occupied_.begin(), occupied_.end(), 0);
    largest_sum_ = 0;
    record(0, acc);
    const auto src = g_.edge_sources(), dst = g_.edge_targets();
    const auto off = g_.offsets();
    const auto tgt = g_.targets();
    const std::uint64_t steps = order.size();
    for (std::uint64_t k = 0; k < steps; ++k) {
      // The order is random, so every step misses the cache; prefetch the
      // endpoints (or adjacency) kPrefetch steps ahead and their union-find
      // entries half as far ahead.
      if (k + kPrefetch < steps) {
        const std::uint32_t x = order[k + kPrefetch];
        if (kind_ == Kind::Bond) {
          __builtin_prefetch(&src[x]);
          __builtin_prefetch(&dst[x]);
        } else {
          __builtin_prefetch(&off[x]);
        }
      }
      if (k + kPrefetch / 2 < steps) {
        const std::uint32_t x = order[k + kPrefetch / 2];
        if (kind_ == Kind::Bond) {
          __builtin_prefetch(&tracker_.parent(src[x]));
          __builtin_prefetch(&tracker_.parent(dst[x]));
        } else {
          __builtin_prefetch(&tgt[off[x]]);
          __builtin_prefetch(&tracker_.parent(x));
        }
      }
      if (kind_ == Kind::Site) {
        const std::uint32_t v = order[k];
        tracker_.add_site(v);
        if (wrap_.open()) {  // a site's own faces (a 1-wide lattice spans at once)
          wrap_.faces[v] = wrap_.face_bits(v);
          wrap_.merge_faces(v, v, k + 1);
        }
        occupied_[v] = 1;
        for (std::uint32_t w : g_.neighbors(v))
          if (occupied_[w]) join(v, w, k + 1);
      } else {
        const std::uint32_t e = order[k];
        join(src[e], dst[e], k + 1);
      }
      record(k + 1, acc);
      if (((k + 1) & 16383) == 0) {
        if (controller) control.checkpoint();
        if (control.stop_requested()) return false;
      }
    }
    if (wrap_.enabled()) {
      auto either = std::min(wrap_.first_h, wrap_.first_v), both = std::max(wrap_.first_h, wrap_.first_v);
      if (wrap_.three_d()) {
        either = std::min(either, wrap_.first_d);
        both = std::max(both, wrap_.first_d);
        if (wrap_.first_d != kNever) ++acc.wrap_d[wrap_.first_d];
      }
      if (wrap_.first_h != kNever) ++acc.wrap_h[wrap_.first_h];
      if (wrap_.first_v != kNever) ++acc.wrap_v[wrap_.first_v];
      if (either != kNever) ++acc.wrap_either[either];
      if (both != kNever) ++acc.wrap_both[both];
      either_ = either;
      both_ = both;
    }
    ++acc.realizations;
    return true;
  }

 private:
  void join(std::uint32_t u, std::uint32_t v, std::uint64_t step) {
    if (!wrap_.enabled() || wrap_.open()) {
      const std::uint32_t ru = tracker_.find(u), rv = tracker_.find(v);
      if (ru == rv) return;
      const std::uint32_t root = tracker_.join_roots(ru, rv);
      if (wrap_.open()) wrap_.merge_faces(root, root == ru ? rv : ru, step);
      return;
    }
    std::array<std::int32_t, 3> ou, ov;
    const std::uint32_t ru = wrap_.find(tracker_, u, ou), rv = wrap_.find(tracker_, v, ov);
    const auto s = wrap_.step(u, v);
    // Vector from ru to rv through the new edge: (u - ru) + (v - u) - (v - rv).
    const std::int32_t wx = ou[0] + s[0] - ov[0], wy = ou[1] + s[1] - ov[1], wz = ou[2] + s[2] - ov[2];
    if (ru == rv) {
      if (wx != 0 && wrap_.first_h == kNever) wrap_.first_h = step;
      if (wy != 0 && wrap_.first_v == kNever) wrap_.first_v = step;
      if (wz != 0 && wrap_.first_d == kNever) wrap_.first_d = step;
      return;
    }
    const std::uint32_t root = tracker_.join_roots(ru, rv);
    const std::uint32_t child = root == ru ? rv : ru;
    wrap_.dx[child] = root == ru ? wx : -wx;
    wrap_.dy[child] = root == ru ? wy : -wy;
    if (wrap_.three_d()) wrap_.dz[child] = root == ru ? wz : -wz;
  }

  void record(std::uint64_t k, Ensemble& acc) {
    const std::uint64_t s1 = tracker_.largest();
    largest_sum_ += s1;
    last_largest_ = s1;
    acc.largest[k] += s1;
    acc.largest_sq[k] += s1 * s1;
    acc.second[k] += tracker_.second();
    acc.clusters[k] += tracker_.clusters();
    acc.finite_sq[k] += tracker_.sumsq() - s1 * s1;
    if (!s1_.empty()) {
      s1_[k] = static_cast<std::uint32_t>(s1);
      s2_[k] = tracker_.second();
      sumsq_[k] = tracker_.sumsq();
    }
  }

  const Graph& g_;
  Kind kind_;
  ClusterTracker tracker_;
  Wrapping wrap_;
  std::vector<char> occupied_;  // site percolation only
  std::vector<std::uint32_t> s1_, s2_;  // this realization's, by step (keep_steps)
  std::vector<std::uint64_t> sumsq_;
  std::uint64_t either_ = kNever, both_ = kNever;
  std::uint64_t largest_sum_ = 0, last_largest_ = 0;  // this sweep's, over every step recorded
};

void check_lattice(const Graph& g, Lattice lattice) {
  if (lattice.width == 0) return;
  const std::uint32_t least = lattice.open ? 1 : 3;  // a torus needs 3 sites a side to tell the directions apart
  require(lattice.width >= least && lattice.height >= least, "lattice",
          "width and height must be >= " + std::to_string(least));
  require(lattice.depth == 0 || lattice.depth >= least, "lattice",
          "depth must be >= " + std::to_string(least) + " (or 0 for 2-D)");
  if (!lattice.x.empty()) {
    const bool z = lattice.depth != 0;
    require(lattice.x.size() == g.num_vertices() && lattice.y.size() == g.num_vertices() &&
                (!z || lattice.z.size() == g.num_vertices()),
            "lattice", z ? "needs one x, y and z coordinate per vertex" : "needs one x and one y coordinate per vertex");
    for (std::uint32_t v = 0; v < g.num_vertices(); ++v)
      if (lattice.x[v] < 0 || static_cast<std::uint32_t>(lattice.x[v]) >= lattice.width || lattice.y[v] < 0 ||
          static_cast<std::uint32_t>(lattice.y[v]) >= lattice.height ||
          (z && (lattice.z[v] < 0 || static_cast<std::uint32_t>(lattice.z[v]) >= lattice.depth)))
        fail("lattice", "vertex " + std::to_string(v) + " has coordinates outside the periods");
  } else {
    const std::uint64_t sites = static_cast<std::uint64_t>(lattice.width) * lattice.height *
                                (lattice.depth ? lattice.depth : 1);
    require(sites == g.num_vertices(), "lattice",
            "its " + std::to_string(sites) + " sites do not match the " + std::to_string(g.num_vertices()) +
                " vertices");
  }
  // Every edge must be a short lattice step, and on a torus some edge must
  // cross each period: otherwise the graph is not that lattice (an ER graph
  // with w*h vertices gave wrapping 1, an open patch taken for a torus 0).
  const Wrapping geometry(lattice, 0);
  const int axes = lattice.depth ? 3 : 2;
  const std::int64_t period[3] = {lattice.width, lattice.height, lattice.depth};
  bool crosses[3] = {false, false, false};
  const auto src = g.edge_sources(), dst = g.edge_targets();
  static const char* kAxis[3] = {"x", "y", "z"};
  for (std::uint64_t e = 0; e < src.size(); ++e) {
    const auto a = geometry.coords(src[e]), b = geometry.coords(dst[e]);
    for (int k = 0; k < axes; ++k) {
      const std::int64_t raw = b[k] - a[k];
      std::int64_t step = raw;
      if (!lattice.open) {
        if (2 * step > period[k]) step -= period[k];
        if (2 * step < -period[k]) step += period[k];
        crosses[k] = crosses[k] || step != raw;
      }
      if (std::abs(step) > std::max<std::int64_t>(2, period[k] / 4))
        fail("lattice", "edge " + std::to_string(e) + " (vertices " + std::to_string(src[e]) + " and " +
                            std::to_string(dst[e]) + ") is not a lattice step: it jumps " + std::to_string(step) +
                            " sites along " + kAxis[k] + " (is the graph the lattice of these periods?)");
    }
  }
  if (!lattice.open)
    for (int k = 0; k < axes; ++k)
      if (!crosses[k])
        fail("lattice", std::string("no edge wraps around the ") + kAxis[k] +
                            " period: the graph is not periodic (make it with periodic=True, or pass spanning=True "
                            "for an open lattice)");
}

Ensemble empty_ensemble(const Graph& g, Kind kind, bool wrapping, bool three_d = false) {
  Ensemble e;
  e.kind = kind;
  e.three_d = three_d;
  e.n = g.num_vertices();
  e.steps = kind == Kind::Site ? g.num_vertices() : g.num_edges();
  resize_all(e, wrapping);
  return e;
}

}  // namespace

void Ensemble::add(const Ensemble& o) {
  auto plus = [](std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
    for (std::size_t i = 0; i < a.size(); ++i) a[i] += b[i];
  };
  plus(largest, o.largest);
  plus(largest_sq, o.largest_sq);
  plus(second, o.second);
  plus(clusters, o.clusters);
  plus(finite_sq, o.finite_sq);
  plus(wrap_h, o.wrap_h);
  plus(wrap_v, o.wrap_v);
  plus(wrap_d, o.wrap_d);
  plus(wrap_either, o.wrap_either);
  plus(wrap_both, o.wrap_both);
  realizations += o.realizations;
}

Ensemble sweep_ensemble(const Graph& g, Kind kind, std::uint64_t realizations, std::uint64_t seed, Lattice lattice,
                        RunControl& control, std::span<const double> grid) {
  require(realizations >= 1, "realizations", "must be >= 1");
  require(g.num_vertices() > 0, "graph", "is empty (no vertices)");
  if (kind == Kind::Bond) require(g.num_edges() > 0, "graph", "has no edges to occupy");
  check_lattice(g, lattice);
  Ensemble total = empty_ensemble(g, kind, lattice.width != 0, lattice.depth != 0);
  const BinomialWindows windows(total.steps, grid);
  total.grid = grid.size();
  total.per_realization.assign(realizations * Ensemble::kObservables * grid.size(), 0.0);
  total.largest_sums.assign(realizations, 0);
  control.set_total(realizations);
  parallel::RegionErrors errors;
#pragma omp parallel num_threads(parallel::threads_for(realizations * (g.num_vertices() + g.num_arcs()) * 8))
  {
    // Each thread's accumulators and buffers (56 bytes a step): they may not fit.
    Ensemble local;
    std::unique_ptr<Sweeper> kept_sweeper;
    std::vector<std::uint32_t> order;
    errors.guard([&] {
      local = empty_ensemble(g, kind, lattice.width != 0, lattice.depth != 0);
      kept_sweeper = std::make_unique<Sweeper>(g, kind, lattice);
      if (!grid.empty()) kept_sweeper->keep_steps(total.steps);
      order.resize(total.steps);
    });
    const bool controller = omp_get_thread_num() == 0;
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t r = 0; r < static_cast<std::int64_t>(realizations); ++r) {
      if (control.stop_requested() || errors.failed()) continue;
      Sweeper& sweeper = *kept_sweeper;
      Rng rng(seed, static_cast<std::uint64_t>(r));
      std::iota(order.begin(), order.end(), 0u);
      // The shuffle of a large graph takes as long as a stretch of the sweep:
      // it polls for Ctrl-C as the sweep does.
      for (std::uint64_t i = order.size(); i > 1; --i) {
        std::swap(order[i - 1], order[rng.below(i)]);
        if ((i & 65535) == 0) {
          if (controller) control.checkpoint();
          if (control.stop_requested()) break;
        }
      }
      if (control.stop_requested()) continue;
      if (sweeper.run(order, local, control, controller)) {
        if (!grid.empty())  // each realization its own rows: any thread order gives the same values
          sweeper.canonical(windows, total.n, total.per_realization.data() + r * Ensemble::kObservables * grid.size());
        total.largest_sums[r] = sweeper.largest_sum_before_full();
        control.advance();
      }
      if (controller) control.checkpoint();
    }
    if (!errors.failed()) {
#pragma omp critical(urbplex_nz_reduce)
      total.add(local);  // integer sums: the order of the threads does not matter
    }
  }
  errors.rethrow();
  control.finish();
  return total;
}

namespace {
// Each entry of a given order is in range and appears once (a bitset stays in cache).
void check_order(std::span<const std::uint32_t> order, std::uint64_t limit, const std::string& row) {
  std::vector<std::uint64_t> seen((limit + 63) / 64, 0);
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::uint32_t x = order[i];
    if (x >= limit) fail("order", row + "entry " + std::to_string(x) + " at index " + std::to_string(i) + " is out of range");
    const std::uint64_t bit = 1ull << (x & 63);
    if (seen[x >> 6] & bit) fail("order", row + "entry " + std::to_string(x) + " appears twice");
    seen[x >> 6] |= bit;
  }
}
}  // namespace

Ensemble sweep_order(const Graph& g, Kind kind, std::span<const std::uint32_t> order, Lattice lattice) {
  return sweep_orders(g, kind, order, 1, lattice);
}

Ensemble sweep_orders(const Graph& g, Kind kind, std::span<const std::uint32_t> orders, std::uint64_t count,
                      Lattice lattice, RunControl& control) {
  check_lattice(g, lattice);
  require(count >= 1 && orders.size() % count == 0, "order", "must hold `count` orders of one length");
  const std::uint64_t limit = kind == Kind::Site ? g.num_vertices() : g.num_edges();
  const std::uint64_t length = orders.size() / count;
  require(length <= limit, "order", "is longer than the number of " + std::string(kind == Kind::Site ? "vertices" : "edges"));
  for (std::uint64_t r = 0; r < count; ++r)
    check_order(orders.subspan(r * length, length), limit, count == 1 ? "" : "row " + std::to_string(r) + ": ");
  const bool wrapping = lattice.width != 0;
  Ensemble total = empty_ensemble(g, kind, wrapping, lattice.depth != 0);
  total.steps = length;
  resize_all(total, wrapping);
  control.set_total(count);
  if (count == 1) {  // one order: straight into the total, no per-thread copy to add
    if (Sweeper(g, kind, lattice).run(orders, total, control, true)) control.advance();
    control.finish();
    return total;
  }
  // Orders in parallel, as the realizations of sweep_ensemble: integer sums, so
  // the result does not depend on the thread count.
  parallel::RegionErrors errors;
#pragma omp parallel num_threads(parallel::threads_for(count * (g.num_vertices() + g.num_arcs()) * 8))
  {
    Ensemble local;
    std::unique_ptr<Sweeper> sweeper;
    errors.guard([&] {  // per-thread accumulators: they may not fit
      local = empty_ensemble(g, kind, wrapping, lattice.depth != 0);
      local.steps = length;
      resize_all(local, wrapping);
      sweeper = std::make_unique<Sweeper>(g, kind, lattice);
    });
    const bool controller = omp_get_thread_num() == 0;
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t r = 0; r < static_cast<std::int64_t>(count); ++r) {
      if (control.stop_requested() || errors.failed()) continue;
      if (sweeper->run(orders.subspan(static_cast<std::uint64_t>(r) * length, length), local, control, controller))
        control.advance();
      if (controller) control.checkpoint();
    }
    if (!errors.failed()) {
#pragma omp critical(urbplex_nz_reduce_orders)
      total.add(local);
    }
  }
  errors.rethrow();
  control.finish();
  return total;
}

std::vector<double> canonical(std::span<const double> micro, std::span<const double> p) {
  require(!micro.empty(), "micro", "must not be empty");
  const std::uint64_t N = micro.size() - 1;
  std::vector<double> out(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double q = p[i];
    if (!(q >= 0.0 && q <= 1.0)) fail("p", "value " + std::to_string(q) + " at index " + std::to_string(i) + " is not in [0, 1]");
    if (q == 0.0 || N == 0) {
      out[i] = micro[0];
      continue;
    }
    if (q == 1.0) {
      out[i] = micro[N];
      continue;
    }
    // Binomial weights from the mode outwards, by the ratio of neighbours.
    const auto mode = static_cast<std::uint64_t>(std::min<double>(N, std::floor((N + 1) * q)));
    const double log_mode = std::lgamma(N + 1.0) - std::lgamma(mode + 1.0) - std::lgamma(N - mode + 1.0) +
                            mode * std::log(q) + (N - mode) * std::log1p(-q);
    const double w_mode = std::exp(log_mode);
    const double odds = q / (1.0 - q);
    double sum = w_mode * micro[mode];
    double w = w_mode;
    for (std::uint64_t k = mode; k < N; ++k) {
      w *= odds * static_cast<double>(N - k) / static_cast<double>(k + 1);
      sum += w * micro[k + 1];
      if (w < 1e-17 * w_mode) break;
    }
    w = w_mode;
    for (std::uint64_t k = mode; k > 0; --k) {
      w *= static_cast<double>(k) / (odds * static_cast<double>(N - k + 1));
      sum += w * micro[k - 1];
      if (w < 1e-17 * w_mode) break;
    }
    out[i] = sum;
  }
  return out;
}

}  // namespace urbplex::percolation
