// Algorithm B (R. B. Dial, Transp. Res. B 40, 917, 2006), in the form of
// S. D. Boyles, N. E. Lownes & A. Unnikrishnan, "Transportation Network
// Analysis", vol. I (bush-based algorithms): each origin's flow lives on a bush, an
// acyclic subnetwork rooted at the origin. An iteration visits every origin:
// drop the bush's unused links, add the links that shorten it, then, from
// the last node in topological order back to the origin, move flow from the
// longest used bush path to the shortest one by a Newton step. Here links are
// "arcs" in the forward star's order and nodes are its internal ids.
//
// Bushes are stored packed: per origin, the arcs in the bush (a flag bit marks
// those carrying flow) and the flows of the flagged ones, in arc order. While
// an origin is worked on, its bush is unpacked into dense arrays of the
// worker's scratch and packed again after its shifts. Bushes hold 32-41% of
// the arcs and carry flow on 2-22% (Berlin-Center, Chicago-Sketch, Anaheim):
// per origin and link of the file, 1.6-3.3 bytes (5.0 on the small, dense
// Sioux Falls); per link of the chain-merged network assigned, 1.8-3.8;
// dense arrays took 9.
//
// Parallel and deterministic: origins go in fixed chunks of kChunk. Within a
// chunk, each bush is updated and labelled on its own thread against the
// link costs at the chunk's start (read-only); then the chunk's flow shifts
// are made one origin after the other, on the current costs. The result does
// not depend on the thread count; labels at most a chunk old only choose the
// paths, the step is taken on current costs.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include <omp.h>

#include "all_or_nothing.hpp"
#include "urbplex/core/errors.hpp"
#include "urbplex/core/region_errors.hpp"
#include "urbplex/core/memory.hpp"
#include "urbplex/core/parallel.hpp"

namespace urbplex::routing {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::uint32_t kNone = ShortestPathTree::kNone;
constexpr std::size_t kChunk = 16;  // origins labelled together (fixed: results independent of threads)
// An arc's state in a bush.
constexpr std::uint8_t kNotInBush = 0, kUnused = 1, kUsed = 2;
// A packed bush arc carrying flow.
constexpr std::uint32_t kUsedBit = 0x80000000u;

// One bush unpacked: per arc, its state and flow (kNotInBush and 0 when no
// bush is unpacked), and the buffers that pack it.
struct DenseBush {
  static constexpr std::size_t kEmpty = std::numeric_limits<std::size_t>::max();
  std::vector<double> b;
  std::vector<std::uint8_t> st;
  std::size_t origin = kEmpty;        // whose bush is unpacked here
  std::vector<std::uint32_t> added;  // arcs added since it was unpacked
  bool dropped = false;              // and whether arcs were dropped since
  std::vector<std::uint32_t> packed_arcs;
  std::vector<double> packed_flows;
  explicit DenseBush(std::size_t m) : b(m, 0.0), st(m, kNotInBush) {}
};

// One origin's scan of its bush: topological order and labels (see
// Bushes::scan), and the bush itself, unpacked.
struct Labels {
  std::vector<double> L, U, Uu;
  std::vector<std::uint32_t> pos, indeg, minpred, maxpred, order, min_seg, max_seg;
  DenseBush bush;
  Labels(std::uint32_t n, std::size_t m)
      : L(n), U(n), Uu(n), pos(n), indeg(n), minpred(n), maxpred(n), bush(m) {
    order.reserve(n);  // scans run in parallel regions: no allocation there
  }
};

class Bushes {
 public:
  Bushes(const Network& net, const Demand& dem, const ForwardStar& fs)
      : dem_(dem), fs_(fs), f_(net), m_(fs.link.size()), x_(m_, 0.0), cost_(m_), deriv_(m_),
        arcs_(dem.origin.size()), flows_(dem.origin.size()), crumb_(dem.origin.size()) {}

  // Each bush starts as the origin's free-flow shortest-path tree, loaded
  // all-or-nothing (origins in parallel, each writing its own bush).
  void initialise(RunControl& control) {
    std::vector<double> link_cost(m_), arc_cost;
    for (std::size_t l = 0; l < m_; ++l) link_cost[l] = f_->cost(l, 0.0);
    fs_.arc_costs(link_cost, arc_cost);
    std::exception_ptr error;
    const std::size_t origins = arcs_.size();
    const int threads = parallel::threads_for_cold(origins * (m_ + fs_.n) * 25);
#pragma omp parallel num_threads(threads)
    {
      const bool controller = omp_get_thread_num() == 0;
      ShortestPathTree tree;
      std::vector<double> node_load;
      std::optional<DenseBush> bush;
      bool ready = false;
      try {  // out of memory here is reported as below, not an abort
        node_load.assign(fs_.n, 0.0);
        bush.emplace(m_);
        ready = true;
      } catch (...) {
#pragma omp critical(urbplex_bush_error)
        if (!error) error = std::current_exception();
      }
#pragma omp for schedule(dynamic, 4)
      for (std::size_t k = 0; k < origins; ++k) {
        if (control.stop_requested() || !ready) continue;
        try {
          initialise(k, arc_cost, tree, node_load, *bush);
        } catch (...) {
#pragma omp critical(urbplex_bush_error)
          if (!error) error = std::current_exception();
        }
        if (controller) control.checkpoint();
      }
    }
    if (error) std::rethrow_exception(error);
    control.throw_if_stopped();
    total_flows();
  }

  // Link flows as the sum of the bushes' (in origin order: no drift from
  // the incremental updates), and their costs.
  void total_flows() {
    std::fill(x_.begin(), x_.end(), 0.0);
    for (std::size_t k = 0; k < arcs_.size(); ++k) {
      const double* f = flows_[k].data();
      for (const std::uint32_t a : arcs_[k])
        if (a & kUsedBit) x_[a & ~kUsedBit] += *f++;
    }
    const int threads = parallel::threads_for_cold(m_ * 20);
#pragma omp parallel for schedule(static) num_threads(threads)
    for (std::size_t e = 0; e < m_; ++e) refresh(e);
  }

  // One sweep over the origins in chunks: label (and, with update, first
  // prune and grow) the chunk's bushes in parallel, then shift their flows
  // in origin order. Returns the first-order objective decrease.
  double sweep(bool update, double tolerance, std::vector<Labels>& work, RunControl& control) {
    const std::size_t origins = arcs_.size();
    double gain = 0;
    for (std::size_t c0 = 0; c0 < origins; c0 += kChunk) {
      const std::size_t c1 = std::min(origins, c0 + kChunk);
      // A scan: a few operations per arc and node of the bush.
      // (cold: the workers slept through the previous chunk's serial shifts)
      const int threads = parallel::threads_for_cold((c1 - c0) * (m_ + fs_.n) * 8);
      parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
      for (std::size_t k = c0; k < c1; ++k) {
        if (errors.failed()) continue;
        errors.guard([&] {
          auto& w = work[k - c0];
          pack(w.bush);  // the previous chunk's bush in this slot
          unpack(k, w.bush);
          if (update) update_bush(k, w);
          scan(k, w);
        });
      }
      errors.rethrow();
      for (std::size_t k = c0; k < c1; ++k) gain += shift(k, work[k - c0], tolerance);
      if (update) control.advance(c1 - c0);
      control.checkpoint();
      control.throw_if_stopped();
    }
    const int threads = parallel::threads_for_cold(work.size() * m_);
    parallel::RegionErrors errors;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (std::size_t i = 0; i < work.size(); ++i)
      if (!errors.failed()) errors.guard([&] { pack(work[i].bush); });
    errors.rethrow();
    return gain;
  }

  std::vector<double> link_flows() const {
    std::vector<double> out(m_);
    for (std::size_t e = 0; e < m_; ++e) out[fs_.link[e]] = std::max(x_[e], 0.0);
    return out;
  }
  std::vector<double> link_costs() const {
    std::vector<double> out(m_);
    for (std::size_t e = 0; e < m_; ++e) out[fs_.link[e]] = cost_[e];
    return out;
  }
  // Bytes held by the packed bushes.
  std::size_t bush_bytes() const {
    std::size_t bytes = 0;
    for (std::size_t k = 0; k < arcs_.size(); ++k)
      bytes += arcs_[k].capacity() * sizeof(std::uint32_t) + flows_[k].capacity() * sizeof(double);
    return bytes;
  }

  double tstt() const {
    double s = 0;
    for (std::size_t e = 0; e < m_; ++e) s += std::max(x_[e], 0.0) * cost_[e];
    return s;
  }

 private:
  // Bush k into the dense arrays of `d` (which hold no bush).
  void unpack(std::size_t k, DenseBush& d) const {
    d.origin = k;
    const double* f = flows_[k].data();
    for (const std::uint32_t a : arcs_[k]) {
      const std::uint32_t e = a & ~kUsedBit;
      if (a & kUsedBit) {
        d.st[e] = kUsed;
        d.b[e] = *f++;
      } else {
        d.st[e] = kUnused;
      }
    }
  }

  // A packed bush grows by an eighth when it must grow: bushes change size a
  // little every sweep, and this reallocates rarely for at most 12% slack.
  template <class T>
  static void store(std::vector<T>& to, const std::vector<T>& from) {
    if (from.size() > to.capacity()) {
      std::vector<T>().swap(to);
      to.reserve(from.size() + from.size() / 8);
    }
    to.assign(from.begin(), from.end());
  }

  // The bush unpacked in `d` (if any) back into its origin's, leaving `d`
  // empty: its arcs are the packed ones still in the bush and those added
  // since (a time proportional to the bush, not to the network).
  void pack(DenseBush& d) {
    if (d.origin == DenseBush::kEmpty) return;
    const std::size_t k = d.origin;
    d.packed_arcs.clear();
    d.packed_flows.clear();
    const auto keep = [&d](std::uint32_t e) {
      if (d.st[e] == kNotInBush) return;  // dropped, or already kept
      if (d.st[e] == kUsed) {
        d.packed_arcs.push_back(e | kUsedBit);
        d.packed_flows.push_back(d.b[e]);
      } else {
        d.packed_arcs.push_back(e);
      }
      d.st[e] = kNotInBush;
      d.b[e] = 0.0;
    };
    for (const std::uint32_t a : arcs_[k]) keep(a & ~kUsedBit);
    for (const std::uint32_t e : d.added) keep(e);
    d.added.clear();
    d.dropped = false;
    store(arcs_[k], d.packed_arcs);
    store(flows_[k], d.packed_flows);
    d.origin = DenseBush::kEmpty;
  }

  void initialise(std::size_t k, const std::vector<double>& arc_cost, ShortestPathTree& tree,
                  std::vector<double>& node_load, DenseBush& d) {
    const std::uint32_t o = dem_.origin[k];
    tree.grow(fs_, arc_cost, fs_.rank[o]);
    auto& b = d.b;
    auto& st = d.st;
    for (std::uint32_t v : tree.order)
      if (tree.pred[v] != kNone) st[tree.pred[v]] = kUnused;
    double total = 0;
    for (std::uint64_t e = dem_.offsets[k]; e < dem_.offsets[k + 1]; ++e) {
      if (dem_.trips[e] <= 0 || dem_.destination[e] == o) continue;
      const std::uint32_t d = fs_.rank[dem_.destination[e]];
      if (!std::isfinite(tree.dist[d])) throw detail::no_path(dem_.trips[e], o, dem_.destination[e]);
      node_load[d] += dem_.trips[e];
      total += dem_.trips[e];
    }
    crumb_[k] = total * 1e-12;
    tree.push_loads(fs_, node_load, [&](std::uint32_t e, double load) {
      b[e] += load;
      st[e] = kUsed;
    });
    for (std::uint32_t e = 0; e < m_; ++e)
      if (st[e] != kNotInBush) d.added.push_back(e);
    d.origin = k;
    pack(d);
  }

  void refresh(std::size_t e) {
    const double x = std::max(x_[e], 0.0);
    cost_[e] = f_->cost(fs_.link[e], x);
    deriv_[e] = f_->derivative(fs_.link[e], x);
  }

  // One pass of Kahn's algorithm over bush k from its origin gives the
  // topological order (order, pos) and, relaxing each arc as its tail is
  // taken, the shortest bush distance L (minpred: the arc into each node),
  // Uu, the longest over arcs that carry flow (maxpred), and U, the longest
  // over the bush that update_bush keeps: used arcs and minpred arcs.
  void scan(std::size_t k, Labels& w) const {
    const auto& st = w.bush.st;
    const std::uint32_t r = fs_.rank[dem_.origin[k]];
    std::fill(w.indeg.begin(), w.indeg.end(), 0u);
    if (w.bush.added.empty() && !w.bush.dropped) {  // the bush is its packed arcs: count those only
      for (const std::uint32_t a : arcs_[k]) ++w.indeg[fs_.head[a & ~kUsedBit]];
    } else {
      for (std::size_t e = 0; e < m_; ++e) w.indeg[fs_.head[e]] += st[e] != kNotInBush;
    }
    std::fill(w.L.begin(), w.L.end(), kInf);
    std::fill(w.U.begin(), w.U.end(), -kInf);
    std::fill(w.Uu.begin(), w.Uu.end(), -kInf);
    std::fill(w.minpred.begin(), w.minpred.end(), kNone);
    std::fill(w.maxpred.begin(), w.maxpred.end(), kNone);
    w.L[r] = w.U[r] = w.Uu[r] = 0;
    w.order.clear();
    w.order.push_back(r);
    for (std::size_t q = 0; q < w.order.size(); ++q) {
      const std::uint32_t v = w.order[q];
      w.pos[v] = static_cast<std::uint32_t>(q);
      if (const std::uint32_t e = w.minpred[v]; e != kNone) w.U[v] = std::max(w.U[v], w.U[fs_.tail[e]] + cost_[e]);
      const double Lv = w.L[v], Uv = w.U[v], Uuv = w.Uu[v];
      for (std::uint32_t e = fs_.off[v]; e < fs_.off[v + 1]; ++e) {
        if (st[e] == kNotInBush) continue;
        const std::uint32_t h = fs_.head[e];
        const double c = cost_[e];
        if (Lv + c < w.L[h]) w.L[h] = Lv + c, w.minpred[h] = e;
        if (st[e] == kUsed) {
          if (Uv + c > w.U[h]) w.U[h] = Uv + c;
          if (Uuv + c > w.Uu[h]) w.Uu[h] = Uuv + c, w.maxpred[h] = e;
        }
        if (--w.indeg[h] == 0) w.order.push_back(h);
      }
    }
  }

  // Drops unused arcs (keeping the shortest-path arc into each node, so the
  // bush still reaches every node) and adds the arcs i -> j that shorten
  // it (L_i + c_ij < L_j) and cannot close a cycle: U_i + c_ij < U_j (no arc
  // of the kept bush lowers U), or, when no arc qualifies so, i before j in
  // the topological order (which stays valid). Writes bush k only.
  void update_bush(std::size_t k, Labels& w) {
    auto& st = w.bush.st;
    const std::uint32_t r = fs_.rank[dem_.origin[k]];
    scan(k, w);
    bool added = false;
    for (int rule = 0; rule < 2 && !added; ++rule)
      for (std::uint32_t v : w.order) {
        if (v != r && !fs_.passable[v]) continue;
        for (std::uint32_t e = fs_.off[v]; e < fs_.off[v + 1]; ++e) {
          const std::uint32_t h = fs_.head[e];
          if (st[e] == kUnused) {
            if (rule == 0 && w.minpred[h] != e) st[e] = kNotInBush, w.bush.dropped = true;
            continue;
          }
          if (st[e] != kNotInBush || h == r || !std::isfinite(w.L[h])) continue;
          const double c = cost_[e];
          if (!(w.L[v] + c < w.L[h] * (1 - 1e-13))) continue;
          if (rule == 0 ? w.U[v] + c < w.U[h] : w.pos[v] < w.pos[h]) {
            st[e] = kUnused;
            w.bush.b[e] = 0.0;
            w.bush.added.push_back(e);
            added = true;
          }
        }
      }
  }

  // From the last node back: shift flow from the longest used path to the
  // shortest, between the node and the point where the two paths meet, by a
  // Newton step on the current costs (capped by the flow on the longest).
  // Nodes whose paths differ by less than tolerance (relative) are skipped.
  double shift(std::size_t k, Labels& w, double tolerance) {
    auto& b = w.bush.b;
    auto& st = w.bush.st;
    double gain = 0;
    for (std::size_t i = w.order.size(); i-- > 1;) {
      const std::uint32_t j = w.order[i];
      if (w.maxpred[j] == kNone || w.Uu[j] - w.L[j] <= tolerance * w.L[j]) continue;
      w.min_seg.assign(1, w.minpred[j]), w.max_seg.assign(1, w.maxpred[j]);
      std::uint32_t a = fs_.tail[w.minpred[j]], c = fs_.tail[w.maxpred[j]];
      bool ok = true;
      while (a != c) {  // walk back from the later node until the two paths meet
        if (w.pos[a] > w.pos[c]) {
          w.min_seg.push_back(w.minpred[a]);
          a = fs_.tail[w.minpred[a]];
        } else if (w.maxpred[c] != kNone) {
          w.max_seg.push_back(w.maxpred[c]);
          c = fs_.tail[w.maxpred[c]];
        } else {  // an earlier shift of this sweep emptied the path upstream
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      double dc = 0, dd = 0, room = kInf;
      for (auto e : w.max_seg) dc += cost_[e], dd += deriv_[e], room = std::min(room, st[e] == kUsed ? b[e] : 0.0);
      for (auto e : w.min_seg) dc -= cost_[e], dd += deriv_[e];
      if (!(dc > tolerance * w.L[j]) || !(room > 0)) continue;
      const double step = dd > 0 ? std::min(dc / dd, room) : room;
      for (auto e : w.max_seg) {
        // Exactly 0 on the arc that limited the step, and on arcs that rounding
        // would leave with a crumb of flow (which a node without a used arc
        // upstream could not give back).
        b[e] = b[e] - step > crumb_[k] ? b[e] - step : 0.0;
        if (b[e] == 0) st[e] = kUnused;
        x_[e] -= step;
        refresh(e);
      }
      for (auto e : w.min_seg) {
        b[e] += step;
        st[e] = kUsed;
        x_[e] += step;
        refresh(e);
      }
      gain += step * dc;
    }
    return gain;
  }

  const Demand& dem_;
  const ForwardStar& fs_;
  detail::CostOf f_;
  std::size_t m_;
  std::vector<double> x_, cost_, deriv_;          // per arc: total flow, cost, cost derivative
  std::vector<std::vector<std::uint32_t>> arcs_;  // per origin: its bush's arcs, kUsedBit on those with flow
  std::vector<std::vector<double>> flows_;        // per origin: the flows of its flagged arcs, in order
  std::vector<double> crumb_;                     // per origin: flows below this are rounding
};

}  // namespace

AssignmentResult assign_bushes(const Network& net, const Demand& dem, const AssignmentOptions& o,
                               RunControl& control) {
  const auto start = std::chrono::steady_clock::now();
  if (net.from.size() >= kUsedBit) throw std::invalid_argument("Algorithm B: more than 2^31 - 1 links");
  // Packed bushes: measured up to 5.0 bytes per origin and link of this
  // (merged) network (see the top); 5 is asked for. Plus the workers' unpacked bushes and labels.
  const double links = static_cast<double>(net.from.size());
  memory::require_available(5.0 * static_cast<double>(dem.origin.size()) * links +
                                static_cast<double>(kChunk) * (9.0 * links + 60.0 * static_cast<double>(net.n)),
                            "Algorithm B (" + std::to_string(dem.origin.size()) + " origins x " +
                                std::to_string(net.from.size()) + " links, chains of pass-through nodes merged)");
  const ForwardStar fs = detail::forward_star(net);
  Bushes bushes(net, dem, fs);
  bushes.initialise(control);
  std::vector<Labels> work;
  for (std::size_t i = 0; i < std::min(kChunk, dem.origin.size()); ++i) work.emplace_back(fs.n, fs.link.size());
  AssignmentResult r;
  control.set_total(static_cast<std::uint64_t>(o.max_iterations) * dem.origin.size());
  double gap = kInf;
  for (std::uint32_t it = 1; it <= o.max_iterations; ++it) {
    // Paths closer than a fraction of the current gap are not worth a shift.
    const double tolerance = std::isfinite(gap) ? std::clamp(gap * 1e-2, 1e-15, 1e-6) : 1e-6;
    bushes.sweep(true, tolerance, work, control);
    // Inner iterations: equilibrate the fixed bushes again (no search for
    // new arcs) while a sweep gains at least half as much as the one before.
    double last_gain = 0;
    for (int inner = 0; inner < o.inner_iterations; ++inner) {
      const double gain = bushes.sweep(false, tolerance, work, control);
      if (!(gain > 0) || gain < last_gain / 2) break;
      last_gain = gain;
    }
    bushes.total_flows();
    double sptt = 0;
    detail::all_or_nothing(net, fs, dem, bushes.link_costs(), nullptr, &sptt, control, /*cold=*/true);
    const double tstt = bushes.tstt();
    gap = tstt > 0 ? std::max((tstt - sptt) / tstt, 0.0) : 0.0;
    r.gaps.push_back(gap);
    r.seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (gap <= o.gap) {
      r.converged = true;
      break;
    }
  }
  const detail::CostOf f(net);
  r.flow = bushes.link_flows();
  r.bush_bytes = bushes.bush_bytes();
  r.cost = bushes.link_costs();
  for (std::size_t l = 0; l < r.flow.size(); ++l) {
    r.tstt += r.flow[l] * r.cost[l];
    r.beckmann += f->integral(l, r.flow[l]);
  }
  detail::all_or_nothing(net, fs, dem, r.cost, nullptr, &r.sptt, control, /*cold=*/true);
  control.finish();
  return r;
}

}  // namespace urbplex::routing
